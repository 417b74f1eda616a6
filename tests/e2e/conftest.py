"""Browser journeys: Debian's Chromium driven by Playwright against a live server.

Every test here runs twice, at a desktop's and at a phone's screen size. `page` is a fresh
anonymous page; `logged_in_page(user)` is one already signed in as `user`. Both fail the test
if the page breaks its Content-Security-Policy or throws a JavaScript error.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import BrowserContext, Page

CHROMIUM = os.environ.get("KEYHOUSE_CHROMIUM", "/usr/bin/chromium")
SCREENS = {
    "desktop": {"viewport": {"width": 1280, "height": 800}},
    "phone": {
        "viewport": {"width": 390, "height": 844},
        "is_mobile": True,
        "has_touch": True,
        "device_scale_factor": 2,
    },
}


@pytest.fixture(scope="session", autouse=True)
def _sync_playwright_beside_django() -> Iterator[None]:
    # Playwright's sync API runs an event loop in this thread; Django's ORM calls from the
    # test itself are still synchronous, so its async-safety guard can stand down here.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    yield
    if previous is None:
        os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)


@pytest.fixture(scope="session")
def browser_type_launch_args() -> dict:
    """Debian's Chromium (Playwright's own browser download is not available here)."""
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: run `make e2e`, which installs Debian's chromium.")
    return {
        "executable_path": CHROMIUM,
        "headless": True,
        "args": ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
    }


@pytest.fixture(scope="session")
def base_url() -> None:
    """No session-wide base URL: each context gets the live server's (see `screen_context`)."""
    return None


@pytest.fixture(params=list(SCREENS))
def screen(request: pytest.FixtureRequest) -> str:
    """The screen size a journey runs at: "desktop" or "phone"."""
    return request.param


def _watch(page: Page, problems: list[str]) -> Page:
    def on_console(message) -> None:
        if message.type == "error" and "Content Security Policy" in message.text:
            problems.append(f"CSP: {message.text}")

    page.on("console", on_console)
    page.on("pageerror", lambda error: problems.append(f"JavaScript error: {error}"))
    page.set_default_timeout(10_000)
    return page


@pytest.fixture
def _page_problems() -> Iterator[list[str]]:
    problems: list[str] = []
    yield problems
    assert not problems, "The browser reported:\n" + "\n".join(problems)


@pytest.fixture
def screen_context(new_context, screen: str, live_server) -> BrowserContext:
    """A browser context at the current screen size, pointed at the live server."""
    return new_context(**SCREENS[screen], base_url=live_server.url)


@pytest.fixture
def page(screen_context: BrowserContext, _page_problems: list[str]) -> Page:
    """A fresh anonymous page at the current screen size."""
    return _watch(screen_context.new_page(), _page_problems)


@pytest.fixture
def logged_in_page(
    new_context, screen: str, live_server, _page_problems: list[str]
) -> Callable[..., Page]:
    """Open a page signed in as `user` (each call gets its own browser context)."""

    def open_as(user) -> Page:
        client = Client()
        client.force_login(user)
        context = new_context(**SCREENS[screen], base_url=live_server.url)
        cookie = client.cookies[settings.SESSION_COOKIE_NAME]
        context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])
        return _watch(context.new_page(), _page_problems)

    return open_as
