"""Deployment checks, the Content-Security-Policy, and templates free of inline behaviour."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from django.apps import apps
from django.conf import settings
from django.urls import reverse

from tests.factories import UserFactory

ROOT = Path(__file__).resolve().parent.parent
INLINE_SCRIPT = re.compile(r"<script\b(?![^>]*\bsrc\s*=)[^>]*>", re.IGNORECASE | re.DOTALL)
EVENT_HANDLER = re.compile(r"<[a-z][^>]*\son[a-z]+\s*=", re.IGNORECASE | re.DOTALL)
INLINE_STYLE = re.compile(r"<style\b|<[a-z][^>]*\sstyle\s*=", re.IGNORECASE | re.DOTALL)


def _production_env() -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DJANGO_", "CODELOCKS_", "FIELD_", "KEYHOUSE_"))
    }
    env.update(
        {
            "DJANGO_DEBUG": "false",
            "DJANGO_SECRET_KEY": Fernet.generate_key().decode() + Fernet.generate_key().decode(),
            "DJANGO_ALLOWED_HOSTS": "keyhouse.example.com",
            "FIELD_ENCRYPTION_KEYS": Fernet.generate_key().decode(),
            "CODELOCKS_API_KEY": "a-production-key",
        }
    )
    return env


def test_the_production_settings_pass_the_deploy_check():
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        env=_production_env(),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        cwd=ROOT,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def _policy(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    directives = (part.strip().split() for part in header.split(";") if part.strip())
    return {name: values for name, *values in directives}


@pytest.fixture
def superuser_client(client, db):
    client.force_login(UserFactory(username="root", is_superuser=True, is_staff=True))
    return client


PAGES = [
    "home",
    "site_list",
    "password_change",
    "two_factor",
    "two_factor_enable",
    "admin:index",
    "admin:auth_user_changelist",
]


@pytest.mark.parametrize("name", PAGES)
def test_every_page_carries_a_policy_that_refuses_inline_and_foreign_scripts(
    superuser_client, name
):
    response = superuser_client.get(reverse(name))
    assert response.status_code == 200
    policy = _policy(response)
    assert policy["script-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert "'unsafe-inline'" not in policy["style-src"]


def test_the_sign_in_page_carries_the_policy_too(client, db):
    response = client.get(reverse("login"))
    assert _policy(response)["script-src"] == ["'self'"]


def test_a_site_page_carries_the_policy(site_admin_client, site):
    response = site_admin_client.get(reverse("member_list", args=[site.pk]))
    assert _policy(response)["default-src"] == ["'self'"]


DJANGO_COMMENT = re.compile(r"{#.*?#}|{% comment %}.*?{% endcomment %}", re.DOTALL)


def _template_code(path: Path) -> str:
    """A template's text without its Django comments (which never reach the browser)."""
    return DJANGO_COMMENT.sub("", path.read_text())


def _project_templates() -> list[Path]:
    folders = [Path(d) for d in settings.TEMPLATES[0]["DIRS"]]
    for config in apps.get_app_configs():
        folder = Path(config.path) / "templates"
        ours = folder.resolve().is_relative_to(ROOT) and ".venv" not in folder.parts
        if ours and folder.is_dir():
            folders.append(folder)
    return sorted({p for folder in folders for p in folder.rglob("*.html")})


def test_the_template_scan_finds_the_project_templates():
    names = {p.name for p in _project_templates()}
    assert {"base.html", "login.html", "two_factor_enable.html"} <= names


@pytest.mark.parametrize(
    ("pattern", "what"),
    [
        (INLINE_SCRIPT, "an inline <script> (put behaviour in static/js/)"),
        (EVENT_HANDLER, "an on…= event handler (hook behaviour on a class in static/js/)"),
        (INLINE_STYLE, "an inline style (put it in static/css/keyhouse.css)"),
    ],
)
def test_no_template_has_inline_behaviour_or_style(pattern, what):
    offenders = [
        f"{path.relative_to(ROOT)}: {match.group(0)[:80]!r}"
        for path in _project_templates()
        for match in pattern.finditer(_template_code(path))
    ]
    assert not offenders, f"Templates with {what}:\n" + "\n".join(offenders)


@pytest.mark.parametrize(
    ("snippet", "pattern"),
    [
        ("<script>alert(1)</script>", INLINE_SCRIPT),
        ('<script\n  type="module">x()</script>', INLINE_SCRIPT),
        ('<button type="button"\n onclick="go()">', EVENT_HANDLER),
        ('<div style="color: red">', INLINE_STYLE),
    ],
)
def test_the_template_scan_catches_each_kind_of_inline_code(snippet, pattern):
    assert pattern.search(snippet)


@pytest.mark.parametrize(
    "snippet",
    ['<script src="/static/js/keyhouse.js" defer></script>', '<button data-confirm="Sure?">'],
)
def test_the_template_scan_lets_external_scripts_and_data_attributes_through(snippet):
    assert not any(p.search(snippet) for p in (INLINE_SCRIPT, EVENT_HANDLER, INLINE_STYLE))
