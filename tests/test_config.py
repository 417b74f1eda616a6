"""Settings, start-up checks and the health endpoint."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import DatabaseError
from django.urls import reverse

ROOT = Path(__file__).resolve().parent.parent

PRODUCTION_ENV = {
    "DJANGO_DEBUG": "false",
    "DJANGO_SECRET_KEY": "x" * 60,
    "FIELD_ENCRYPTION_KEYS": "0" * 43 + "=",
    "CODELOCKS_API_KEY": "a-key",
}


def _django_check(env_overrides: dict[str, str]) -> subprocess.CompletedProcess[str]:
    env = {
        k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "CODELOCKS_", "FIELD_"))
    }
    env.update(env_overrides)
    # An empty .env stand-in: run from a copy-free cwd but point at the project's manage.py.
    return subprocess.run(  # noqa: S603 - fixed arguments
        [sys.executable, str(ROOT / "manage.py"), "check"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        cwd=ROOT,
    )


@pytest.mark.parametrize(
    "missing", ["DJANGO_SECRET_KEY", "FIELD_ENCRYPTION_KEYS", "CODELOCKS_API_KEY"]
)
def test_a_production_start_without_a_secret_fails_naming_it(missing, tmp_path):
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != missing}
    env[missing] = ""
    result = _django_check(env)
    assert result.returncode != 0
    assert f"{missing} is not set" in result.stderr


def test_a_production_start_with_every_secret_passes_the_check():
    result = _django_check(PRODUCTION_ENV)
    assert result.returncode == 0, result.stderr


def test_an_unknown_plan_stops_start_up():
    result = _django_check({**PRODUCTION_ENV, "CODELOCKS_PLAN": "gold"})
    assert result.returncode != 0
    assert "CODELOCKS_PLAN must be one of" in result.stderr


@pytest.mark.django_db
def test_health_reports_database_and_broker(client):
    response = client.get(reverse("health"))
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "broker": "ok"}


@pytest.mark.django_db
def test_health_reports_a_stopped_database(client, monkeypatch):
    def refuse(*args, **kwargs):
        raise DatabaseError("connection refused")

    monkeypatch.setattr("config.views.connection.cursor", refuse)
    response = client.get(reverse("health"))
    assert response.status_code == 503
    assert response.json()["database"] == "unreachable"


@pytest.mark.django_db
def test_health_reports_an_unreachable_broker(client, settings, monkeypatch):
    from config.celery import app

    # Celery reads CELERY_BROKER_URL from the environment before its own settings.
    monkeypatch.setenv("CELERY_BROKER_URL", "redis://127.0.0.1:1/0")
    monkeypatch.setattr(app.conf, "broker_url", "redis://127.0.0.1:1/0")
    response = client.get(reverse("health"))
    assert response.status_code == 503
    assert response.json()["broker"] == "unreachable"
