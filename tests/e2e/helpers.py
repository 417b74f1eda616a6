"""Helpers for browser journeys: accessibility checks, screenshots, the phone menu."""

from __future__ import annotations

import re
from pathlib import Path

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"
PHONE_WIDTH = 576  # Bootstrap's "sm" breakpoint: narrower is a phone
BLOCKING_IMPACTS = frozenset({"serious", "critical"})
_axe = Axe()


def is_phone(page: Page) -> bool:
    """Whether the page is shown at a phone's width."""
    return (page.viewport_size or {"width": 1280})["width"] < PHONE_WIDTH


def check_accessibility(page: Page) -> None:
    """Fail if axe-core finds a serious or critical accessibility violation on the page."""
    results = _axe.run(page)
    problems = [
        f"{v['id']} ({v['impact']}): {v['help']} — "
        + "; ".join(node["target"][0] for node in v["nodes"][:5] if node["target"])
        for v in results.response["violations"]
        if v["impact"] in BLOCKING_IMPACTS
    ]
    assert not problems, f"Accessibility problems on {page.url}:\n" + "\n".join(problems)


def screenshot(page: Page, name: str) -> Path:
    """Save a full-page screenshot as var/screenshots/<name>-<desktop|phone>.png for review."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}-{'phone' if is_phone(page) else 'desktop'}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def open_menu(page: Page) -> None:
    """On a phone, open the collapsed navigation with the toggler (a no-op on a desktop)."""
    toggler = page.get_by_role("button", name="Toggle navigation")
    if toggler.is_visible():
        toggler.click()
        expect(page.locator("#main-nav")).to_have_class(re.compile(r"\bshow\b"))


def open_account_menu(page: Page, username: str) -> None:
    """Open the signed-in user's menu (Change password, Two-factor sign-in, Sign out)."""
    open_menu(page)
    page.get_by_role("button", name=username).click()
