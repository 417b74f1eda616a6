"""Feature journeys in a real browser: a KitLock and its NetCodes, phone users, sync now."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from k3clients import services, tasks
from k3clients.models import SyncRun, SyncStatus
from k3clients.sync.runs import sync_run_execute
from locks.models import KitLock
from netcodes.services import FROM_HISTORY
from tests.conftest import SANDBOX_ACCESSKEY
from tests.e2e.helpers import check_accessibility, screenshot
from tests.netcodes.helpers import netcode_calls

pytestmark = pytest.mark.e2e

INVITEE = "alice@example.com"


def _choose_site(page: Page, site) -> None:
    """Pick the site in a form that offers one (a member of one site may not be asked)."""
    field = page.get_by_label("Site", exact=True)
    if field.count() and field.is_visible():
        field.select_option(label=site.name)


def test_an_admin_onboards_a_kitlock_and_a_manager_gives_a_netcode(
    logged_in_page, live_server, site, site_admin, site_manager, sandbox, mailoutbox
):
    admin = logged_in_page(site_admin)
    admin.goto("/locks/new/")
    expect(admin.get_by_role("heading", name="Onboard a KitLock")).to_be_visible()
    check_accessibility(admin)
    _choose_site(admin, site)
    admin.get_by_label("Lock model").select_option("KL1060")
    admin.get_by_label("Name").fill("Bin store")
    admin.get_by_role("button", name="Get the initialisation sequence").click()

    expect(admin.get_by_role("heading", name="Initialise Bin store")).to_be_visible()
    sequence = admin.locator("#init-sequence")
    expect(sequence).to_have_text(re.compile(r"\d{6,}"))
    check_accessibility(admin)
    screenshot(admin, "kitlock-sequence")
    admin.get_by_role("button", name="I have keyed it in on the lock").click()
    expect(admin.get_by_text("Bin store is initialised")).to_be_visible()
    lock = KitLock.objects.get(name="Bin store")
    assert not lock.awaiting_initialisation

    manager = logged_in_page(site_manager)
    manager.goto(f"/locks/{lock.pk}/")
    manager.get_by_role("link", name="New NetCode").click()
    expect(manager.get_by_role("heading", name="New NetCode")).to_be_visible()
    check_accessibility(manager)
    screenshot(manager, "netcode-form")
    duration = manager.get_by_label("Duration").input_value()
    start_time = manager.get_by_label("Start time")
    expect(start_time.locator("option").first).to_be_attached()
    chosen_time = start_time.input_value()
    start_date = manager.get_by_label("Start date").input_value()
    manager.get_by_label("For (name)").fill("Carla Cleaner")
    manager.get_by_role("button", name="Check the window").click()

    expect(manager.get_by_role("heading", name="Confirm the NetCode")).to_be_visible()
    expect(
        manager.get_by_role("columnheader", name=re.compile("On the site's clock"))
    ).to_be_visible()
    expect(
        manager.get_by_role("columnheader", name=re.compile("On the lock's clock"))
    ).to_be_visible()
    check_accessibility(manager)
    screenshot(manager, "netcode-confirm")
    manager.get_by_role("button", name="Generate the code").click()

    expect(manager.get_by_role("heading", name="NetCode for Carla Cleaner")).to_be_visible()
    code = manager.locator("#the-code")
    expect(code).to_have_text(re.compile(r"^\d{4,}$"))
    the_code = code.inner_text().strip()
    check_accessibility(manager)
    screenshot(manager, "netcode-issued")
    issue_url = manager.url
    manager.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)
    copy = manager.get_by_role("button", name=re.compile(r"^Cop(y|ied)$"))
    copy.click()
    expect(copy).to_have_text("Copied")
    assert manager.evaluate("navigator.clipboard.readText()") == the_code

    manager.get_by_role("link", name="Printable card").click()
    expect(manager.get_by_text(the_code)).to_be_visible()
    check_accessibility(manager)
    screenshot(manager, "netcode-card")
    manager.goto(issue_url)
    manager.get_by_label("Send by e-mail").fill("carla@example.com")
    manager.get_by_role("button", name="Send", exact=True).click()
    expect(manager.get_by_text("The code was sent to carla@example.com.")).to_be_visible()
    assert [m.to for m in mailoutbox] == [["carla@example.com"]]
    assert the_code in mailoutbox[0].body

    manager.goto(f"/netcodes/new/kitlock/{lock.pk}/")
    manager.get_by_label("Duration").select_option(duration)
    manager.get_by_label("Start date").fill(start_date)
    manager.get_by_label("Start time").select_option(chosen_time)
    manager.get_by_label("For (name)").fill("Carla Cleaner")
    manager.get_by_role("button", name="Check the window").click()
    expect(manager.get_by_text("This code is already in the history")).to_be_visible()
    manager.get_by_role("button", name="Give the code").click()
    expect(manager.get_by_text(FROM_HISTORY)).to_be_visible()
    expect(manager.get_by_text("(from the history, no API call)")).to_be_visible()
    assert netcode_calls() == 1  # the second ask cost nothing
    check_accessibility(manager)


def test_an_admin_links_an_account_and_manages_a_phone_user(
    logged_in_page, site, site_admin, sandbox
):
    page = logged_in_page(site_admin)
    # No button transitions: axe would read a tapped preset's colours half-way through one.
    page.emulate_media(reduced_motion="reduce")
    page.goto(f"/smart-locks/sites/{site.pk}/link/")
    check_accessibility(page)
    page.get_by_label("Access key").fill(SANDBOX_ACCESSKEY)
    page.get_by_role("button", name="Check and link").click()
    expect(page.locator("a[href*='/smart-locks/locks/']").first).to_be_visible()
    check_accessibility(page)
    screenshot(page, "k3-account")
    page.locator("a[href*='/smart-locks/locks/']").first.click()
    expect(page.get_by_role("link", name=re.compile("Invite"))).to_be_visible()
    check_accessibility(page)
    page.get_by_role("link", name=re.compile("Invite")).first.click()

    page.get_by_label("E-mail").fill(INVITEE)
    page.get_by_role("button", name="Weekdays 08:00-18:00").click()
    first_row = page.locator(".js-period-row").first
    expect(first_row.get_by_label("Start")).to_have_value("08:00")
    expect(first_row.get_by_label("End")).to_have_value("18:00")
    expect(first_row.get_by_label("Saturday")).not_to_be_checked()
    expect(first_row.get_by_label("Monday")).to_be_checked()
    check_accessibility(page)
    screenshot(page, "k3-invite")
    # By keyboard: after a full-page screenshot of this long page, a phone's tap misses.
    page.get_by_role("button", name="Send the invitation").press("Enter")

    row = page.get_by_role("row", name=re.compile(re.escape(INVITEE)))
    expect(row.get_by_text("Pending")).to_be_visible()
    check_accessibility(page)
    screenshot(page, "k3-lock")
    row.get_by_role("button", name="Suspend").click()
    row = page.get_by_role("row", name=re.compile(re.escape(INVITEE)))
    expect(row.get_by_role("button", name="Restore")).to_be_visible()

    row.get_by_role("link", name="Delete").click()
    expect(page.get_by_role("heading", name=re.compile(f"Remove {INVITEE}"))).to_be_visible()
    check_accessibility(page)
    page.get_by_role("button", name="Remove the phone user").click()
    expect(page.get_by_role("row", name=re.compile(re.escape(INVITEE)))).to_have_count(0)


def test_a_manager_syncs_now_and_watches_the_run_to_its_end(
    logged_in_page, site, site_admin, site_manager, sandbox, monkeypatch
):
    services.k3_account_link(site=site, access_key=SANDBOX_ACCESSKEY, user=site_admin)
    queued: list[int] = []

    monkeypatch.setattr(tasks.sync_run, "delay", queued.append)  # the worker is this test
    page = logged_in_page(site_manager)
    page.goto(f"/sites/{site.pk}/sync/")
    expect(page.get_by_role("heading", name=f"Sync of {site.name}")).to_be_visible()
    check_accessibility(page)
    page.get_by_role("button", name="Sync now").click()

    runs = page.locator("#sync-runs")
    expect(runs.get_by_role("progressbar", name="Progress")).to_be_visible()
    expect(page.get_by_role("button", name="Sync now")).to_be_disabled()
    check_accessibility(page)
    screenshot(page, "sync-under-way")
    assert queued == [SyncRun.objects.get().pk]

    sync_run_execute(run_pk=queued[0])
    expect(runs.get_by_text("Done")).to_be_visible()
    expect(runs.get_by_role("progressbar")).to_have_count(0)
    assert SyncRun.objects.get().status == SyncStatus.DONE
    check_accessibility(page)
    screenshot(page, "sync-done")
