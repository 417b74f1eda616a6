"""A lock's timeline: every source merged newest first, paged by a cursor without gaps."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from django.urls import reverse

from dashboard.activity import activity_record
from dashboard.models import Verb
from dashboard.timeline import (
    Cursor,
    ListSource,
    TimelineEvent,
    TimelinePage,
    kitlock_sources,
    merge_timeline,
    smartlock_sources,
)
from dashboard.widget_html import timeline_items
from netcodes.models import NetCodeIssue
from tests.dashboard.conftest import NOW
from tests.dashboard.factories import NetCodeFactory, NetCodeIssueFactory
from tests.k3clients.factories import AuditEntryFactory


def _event(minutes: int, kind: str, pk: int) -> TimelineEvent:
    at = NOW - timedelta(minutes=minutes)
    return TimelineEvent(at=at, kind=kind, pk=pk, category=kind, title=f"{kind} {pk}")


def test_the_merge_puts_every_source_newest_first_and_breaks_ties_the_same_way():
    sources = [
        ListSource("audit", [_event(10, "audit", 1), _event(0, "audit", 2)]),
        ListSource("netcode", [_event(5, "netcode", 7), _event(10, "netcode", 8)]),
    ]
    page = merge_timeline(sources)
    assert [e.title for e in page.events] == ["audit 2", "netcode 7", "netcode 8", "audit 1"]
    assert page.older is None


def test_older_pages_continue_after_the_last_event_shown_even_at_equal_times():
    events = [_event(0, "audit", pk) for pk in range(1, 6)] + [_event(0, "netcode", 1)]
    sources = [
        ListSource("audit", [e for e in events if e.kind == "audit"]),
        ListSource("netcode", [e for e in events if e.kind == "netcode"]),
    ]
    seen, cursor = [], None
    while True:
        page = merge_timeline(sources, limit=2, before=cursor)
        seen += [e.title for e in page.events]
        cursor = page.older
        if cursor is None:
            break
        assert Cursor.decode(cursor.encode()) == cursor
    assert seen == ["netcode 1", "audit 5", "audit 4", "audit 3", "audit 2", "audit 1"]


def test_a_smart_locks_timeline_merges_codes_phone_users_doors_and_battery(world, site_admin):
    lock = world.healthy
    AuditEntryFactory(lock=lock, date_entered=NOW - timedelta(minutes=90), entry_type="Jammed")
    issue = NetCodeIssueFactory(
        netcode=NetCodeFactory(site=world.site, smartlock=lock), recipient_name="Vic Visitor"
    )
    NetCodeIssue.objects.filter(pk=issue.pk).update(requested_at=NOW - timedelta(minutes=20))
    activity_record(
        site=world.site,
        actor=site_admin,
        verb=Verb.PHONE_USER_SUSPENDED,
        target_label=f"x@example.com on {lock}",
        lock=lock,
    )
    lock.battery_updated = NOW - timedelta(minutes=70)
    lock.save()
    page = merge_timeline(smartlock_sources(lock), before=Cursor(NOW, "z", 0))
    titles = [e.title for e in page.events]
    assert titles[:5] == [
        "Unlock",  # 5 minutes ago
        "NetCode for Vic Visitor",  # 20 minutes ago
        "Lock",  # 50 minutes ago
        "Battery read: 90%",  # 70 minutes ago
        "Jammed",  # 90 minutes ago
    ]
    assert "alice-admin suspended a phone user" not in titles  # written now: newer than NOW
    assert "alice-admin suspended a phone user" in [
        e.title for e in merge_timeline(smartlock_sources(lock)).events
    ]


def test_a_kitlock_timeline_shows_clock_care_and_codes_but_not_other_locks(
    world, site_manager_client
):
    lock = world.clock_lock
    site_manager_client.post(reverse("kitlock_clock", args=[lock.pk]))
    page = merge_timeline(kitlock_sources(lock))
    assert [e.title for e in page.events] == ["mo-manager set a lock's clock"]
    body = site_manager_client.get(reverse("kitlock_detail", args=[lock.pk])).content.decode()
    assert "Timeline" in body and "set a lock&#x27;s clock" in body
    assert "Carla Cleaner" not in body  # a code of another lock


def test_the_timeline_is_bounded_and_pages_older_events_on_the_smart_lock_page(
    world, site_staff_client
):
    for minutes in range(60):
        AuditEntryFactory(lock=world.gone, date_entered=NOW - timedelta(minutes=minutes))
    lock_page = site_staff_client.get(reverse("k3_lock_detail", args=[world.gone.pk])).text
    older = reverse("smartlock_timeline", args=[world.gone.pk])
    assert f'hx-get="{older}" hx-trigger="revealed"' in lock_page  # loaded once scrolled to
    body = site_staff_client.get(older, HTTP_HX_REQUEST="true").content.decode()
    assert body.count('class="timeline-item') == 50
    assert "Older events" in body
    page = merge_timeline(smartlock_sources(world.gone))
    response = site_staff_client.get(older, {"before": page.older.encode()})
    assert response.content.decode().count('class="timeline-item') == 12  # 10 + 2 lock facts


def test_a_timeline_of_another_sites_lock_is_404(world, site_staff_client):
    url = reverse("smartlock_timeline", args=[world.other_lock.pk])
    assert site_staff_client.get(url).status_code == 404
    kit = world.other_site.kitlocks.get()
    assert site_staff_client.get(reverse("kitlock_timeline", args=[kit.pk])).status_code == 404


def test_timeline_items_are_drawn_on_the_site_clock_escaped_with_the_way_to_older_ones():
    at = datetime(2026, 7, 1, 22, 30, tzinfo=UTC)
    code = TimelineEvent(
        at=at, kind="netcode", pk=7, category="NetCode", title="For <Ann>", url="/netcodes/7/",
        window=(at, at + timedelta(hours=2)),
    )  # fmt: skip
    door = TimelineEvent(at=at, kind="audit", pk=3, category="Door event", title="Jammed",
                         detail="Bolt & latch")  # fmt: skip
    html = timeline_items(TimelinePage([code, door], Cursor.of(door)), "Europe/London", "/t/")

    assert (
        '<time datetime="2026-07-01T23:30:00+01:00" class="small text-nowrap">1 Jul 2026 23:30'
        in html
    )
    assert '<a href="/netcodes/7/">For &lt;Ann&gt;</a>' in html
    assert '<span class="small">· valid 1 Jul 23:30 \u2013 2 Jul 01:30</span>' in html
    assert '<div class="small text-body-secondary">Bolt &amp; latch</div>' in html
    assert html.count('class="timeline-item') == 2
    assert f'href="/t/?before={Cursor.of(door).encode()}"' in html


def test_a_timeline_asked_for_events_before_an_impossible_moment_starts_from_the_newest(
    world, site_manager_client
):
    url = reverse("kitlock_timeline", args=[world.clock_lock.pk])
    for before in ("99999999999999999999.kitlock.1", "1.kitlock.99999999999999999999", "x.y"):
        response = site_manager_client.get(url, {"before": before})
        assert response.status_code == 200
