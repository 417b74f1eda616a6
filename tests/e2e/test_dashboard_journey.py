"""The manager's view in a real browser: dashboard, a lock's timeline, door events, activity."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from dashboard.activity import activity_record
from dashboard.models import Verb
from tests.dashboard.factories import ApiCallFactory, NetCodeFactory, NetCodeIssueFactory
from tests.e2e.helpers import check_accessibility, open_menu, screenshot
from tests.k3clients.factories import (
    AuditEntryFactory,
    K3AccountFactory,
    PhoneClientFactory,
    SmartLockFactory,
)
from tests.locks.factories import KitLockFactory

pytestmark = pytest.mark.e2e


@pytest.fixture
def seeded(site, site_admin, other_site):
    """A site with a lock to care for, a low battery, a code, a pending phone user, doors."""
    now = timezone.now()
    KitLockFactory(site=site, name="Bin store", clock_needs_setting=True)
    account = K3AccountFactory(site=site)
    front = SmartLockFactory(
        account=account, name="Front door", battery_status="90", last_synced_at=now
    )
    SmartLockFactory(account=account, name="Back door", battery_status="12", last_synced_at=now)
    PhoneClientFactory(lock=front, email="newbie@example.com", status="pending")
    code = NetCodeFactory(site=site, smartlock=front, starts_at=now - timedelta(hours=1))
    NetCodeIssueFactory(netcode=code, recipient_name="Carla Cleaner")
    for hours, kind in ((1, "Unlock"), (5, "Lock"), (30, "Unlock"), (50, "Jammed")):
        AuditEntryFactory(lock=front, date_entered=now - timedelta(hours=hours), entry_type=kind)
    activity_record(
        site=site,
        actor=site_admin,
        verb=Verb.PHONE_USER_INVITED,
        target_label="newbie@example.com on Front door",
        lock=front,
    )
    ApiCallFactory(category="netcode", operation="netcode", user=site_admin)
    ApiCallFactory(task="sync:1")
    return front


def test_a_manager_sees_what_is_going_on_then_follows_a_lock_and_its_door_events(
    logged_in_page, site_admin, seeded
):
    page = logged_in_page(site_admin)
    page.goto("/")
    expect(page.get_by_role("heading", name="Dashboard", exact=True)).to_be_visible()
    attention = page.get_by_role("region", name=re.compile("Locks needing attention"))
    expect(attention.get_by_text("Battery low (12%)")).to_be_visible()
    expect(attention.get_by_text("Clock to set: codes will not work")).to_be_visible()
    expect(page.get_by_role("link", name="Carla Cleaner")).to_be_visible()
    expect(page.get_by_role("img", name=re.compile("Battery levels"))).to_be_visible()
    check_accessibility(page)
    screenshot(page, "dashboard")

    page.get_by_role("link", name="Front door").first.click()
    timeline = page.get_by_role("region", name="Timeline")
    timeline.scroll_into_view_if_needed()  # a smart lock's timeline loads once scrolled to
    expect(timeline.get_by_text("alice-admin invited a phone user")).to_be_visible()
    expect(timeline.get_by_text("NetCode for Carla Cleaner")).to_be_visible()
    check_accessibility(page)
    screenshot(page, "lock-timeline")

    open_menu(page)
    page.get_by_role("link", name="Door events").click()
    page.get_by_label("Entry type").fill("Jammed")
    page.get_by_role("button", name="Filter").click()
    expect(page.get_by_role("cell", name="Jammed")).to_be_visible()
    expect(page.get_by_role("cell", name="Lock", exact=True)).to_have_count(0)
    check_accessibility(page)
    screenshot(page, "audit-browser")


def test_an_admin_reads_the_activity_log_and_the_usage_charts(
    logged_in_page, site_admin, site, seeded
):
    page = logged_in_page(site_admin)
    page.goto(f"/sites/{site.pk}/dashboard/")
    page.get_by_role("link", name="Activity log").click()
    expect(page.get_by_role("cell", name="invited a phone user")).to_be_visible()
    check_accessibility(page)
    screenshot(page, "activity-log")

    page.goto("/usage/")
    expect(page.get_by_role("img", name=re.compile("NetCode calls this month"))).to_be_visible()
    page.get_by_text("NetCode calls this month as a table").click()
    expect(page.get_by_role("columnheader", name="Running total").first).to_be_visible()
    check_accessibility(page)
    screenshot(page, "usage")
