"""Cached dashboard figures are never out of date: new rows and the passing clock show at once."""

from __future__ import annotations

from datetime import timedelta

from dashboard import widgets
from tests.dashboard.conftest import NOW
from tests.dashboard.factories import ApiCallFactory, NetCodeFactory, NetCodeIssueFactory
from tests.k3clients.factories import AuditEntryFactory, PhoneClientFactory

HOUR = timedelta(hours=1)


def _context(user, world, now=NOW) -> dict:
    return widgets.dashboard_context(user, [world.site], now=now)


def _names(listing) -> list[str]:
    return [issue.recipient_name for issue in listing.rows]


def test_a_code_issued_after_the_lists_were_cached_shows_at_once(world, site_manager):
    assert _context(site_manager, world)["active_now"].total == 1
    code = NetCodeFactory(site=world.site, kitlock=world.fine_kitlock, starts_at=NOW - HOUR / 2)
    NetCodeIssueFactory(netcode=code, recipient_name="Gina Gardener")
    active = _context(site_manager, world)["active_now"]
    assert _names(active) == ["Carla Cleaner", "Gina Gardener"] and active.total == 2


def test_codes_move_from_later_today_to_active_to_gone_as_the_clock_passes(world, site_manager):
    first = _context(site_manager, world)
    assert _names(first["active_now"]) == ["Carla Cleaner"]
    assert _names(first["starting_today"]) == ["Pete Plumber"]
    after_carla = _context(site_manager, world, NOW + HOUR + timedelta(minutes=1))
    assert _names(after_carla["active_now"]) == []
    assert _names(after_carla["starting_today"]) == ["Pete Plumber"]
    pete_started = _context(site_manager, world, NOW + 3 * HOUR + timedelta(minutes=1))
    assert _names(pete_started["active_now"]) == ["Pete Plumber"]
    assert _names(pete_started["starting_today"]) == []


def test_an_earlier_moment_is_never_answered_from_a_later_reading(world, site_manager):
    _context(site_manager, world, NOW + 3 * HOUR + timedelta(minutes=1))
    assert _names(_context(site_manager, world)["active_now"]) == ["Carla Cleaner"]


def test_door_events_and_their_chart_show_a_new_entry_at_once(world, site_manager):
    before = _context(site_manager, world)
    assert before["events_chart"].rows[-1] == ("14 Jul", 2)
    AuditEntryFactory(lock=world.healthy, date_entered=NOW - timedelta(minutes=1), entry_type="Jam")
    after = _context(site_manager, world)
    assert after["door_events"][0].entry_type == "Jam"
    assert after["events_chart"].rows[-1] == ("14 Jul", 3)


def test_the_quota_counts_a_call_as_soon_as_the_ledger_has_it(world, site_manager):
    ApiCallFactory(category="netcode", operation="netcode", at=NOW)
    assert _context(site_manager, world)["quotas"][0].used == 1
    ApiCallFactory(category="netcode", operation="netcode", at=NOW)
    ApiCallFactory(category="netcode", operation="netcode", at=NOW, status=429)  # not billed
    netcode, utility = _context(site_manager, world)["quotas"]
    assert (netcode.used, utility.used) == (2, 0)


def test_a_full_code_list_counts_every_issue_beyond_the_ten_shown(world, site_manager):
    for n in range(12):
        code = NetCodeFactory(
            site=world.site, kitlock=world.fine_kitlock, starts_at=NOW - timedelta(minutes=n + 1)
        )
        NetCodeIssueFactory(netcode=code, recipient_name=f"Guest {n:02}")
        if n % 4 == 0:  # a code given to two people counts twice
            NetCodeIssueFactory(netcode=code, recipient_name=f"Guest {n:02} bis")
    active = _context(site_manager, world)["active_now"]
    assert len(active.rows) == widgets.LIST_LIMIT
    assert active.total == 1 + 12 + 3 and not active.capped
    assert (active.more, active.total_label) == (6, "16")


def test_a_full_invitation_list_counts_the_rest(world, site_manager):
    for n in range(11):
        PhoneClientFactory(lock=world.healthy, email=f"guest{n}@example.com", status="pending")
    pending = _context(site_manager, world)["pending"]
    assert len(pending.rows) == widgets.LIST_LIMIT
    assert (pending.total, pending.more_label) == (12, "2")
