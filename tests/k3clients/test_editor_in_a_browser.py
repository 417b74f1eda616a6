"""The active-period editor's script in a real browser: presets, copy-a-row, live preview."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from tests.k3clients.factories import SmartLockFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

CHROMIUM = os.environ.get("KEYHOUSE_CHROMIUM", "/usr/bin/chromium")


@pytest.fixture(scope="session")
def browser_type_launch_args() -> dict:
    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} is missing: run `make e2e`.")
    return {"executable_path": CHROMIUM, "headless": True, "args": ["--no-sandbox"]}


@pytest.fixture(scope="session", autouse=True)
def _orm_beside_playwright():
    # Playwright's sync API runs an event loop in this thread; the ORM calls stay synchronous.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    yield
    if previous is None:
        os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)


@pytest.fixture
def editor(new_context, live_server, site, site_staff):
    lock = SmartLockFactory(account__site=site)
    client = Client()
    client.force_login(site_staff)
    context = new_context(base_url=live_server.url)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])
    page = context.new_page()
    problems: list[str] = []
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.on(
        "console",
        lambda m: "Content Security Policy" in m.text and problems.append(f"CSP: {m.text}"),
    )
    page.goto(reverse("k3_client_invite", args=[lock.pk]))
    yield page
    assert not problems


def _summary(page, day: int) -> str:
    return page.locator(f".js-week-preview tr[data-day='{day}'] .js-day-summary").inner_text()


def test_a_preset_fills_the_rows_and_the_preview_without_a_round_trip(editor):
    editor.get_by_role("button", name="Weekdays 08:00-18:00").click()
    assert editor.locator("[name='periods-0-starts']").input_value() == "08:00"
    assert not editor.locator("[name='periods-0-sat']").is_checked()
    assert _summary(editor, 0) == "08:00-18:00"
    assert _summary(editor, 6) == "No access"


def test_copying_a_row_and_editing_times_updates_the_preview(editor):
    editor.get_by_role("button", name="Weekends").click()
    editor.locator(".js-period-copy").first.click()
    assert editor.locator("[name='periods-1-enabled']").is_checked()
    editor.locator("[name='periods-1-enabled']").uncheck()
    editor.locator("[name='periods-0-starts']").fill("10:00")
    editor.locator("[name='periods-0-ends']").fill("16:00")
    assert _summary(editor, 5) == "10:00-16:00"
    assert _summary(editor, 0) == "No access"
