"""The usage page: per-day figures that match the ledger, projection, splits and CSV."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta

from django.urls import reverse
from django.utils import timezone

from dashboard.usage import (
    OTHER_PEOPLE,
    OTHER_SITES,
    PEOPLE_SHOWN,
    calls_per_day,
    month_bounds,
    project,
    runs_out_on,
    split_by_task,
    split_by_user,
)
from netcodes.quota import quota_status
from tests.dashboard.factories import ApiCallFactory
from tests.factories import UserFactory


def _seed_ledger(site_manager, outsider):
    start, _ = month_bounds(timezone.now())
    now = timezone.now()
    at = [min(start + timedelta(minutes=m), now) for m in (1, 2, 3, 4, 5, 6)]
    ApiCallFactory(at=at[0], category="netcode", operation="netcode", user=site_manager)
    ApiCallFactory(at=at[1], category="netcode", operation="netcode", user=outsider)
    ApiCallFactory(at=at[2], task="sync:41")
    ApiCallFactory(at=at[3], task="sync:42")
    ApiCallFactory(at=at[4], task="manual-sync:7", status=429)  # refused: not billed
    ApiCallFactory(at=at[5], user=site_manager)
    ApiCallFactory(at=start - timedelta(minutes=1), task="sync:1")  # last month


def test_the_days_add_up_to_the_quota_figures_of_the_ledger(site_manager, outsider):
    _seed_ledger(site_manager, outsider)
    now = timezone.now()
    days = calls_per_day(now)
    assert sum(n for _, n, _ in days) == quota_status("netcode", now=now).used == 2
    assert sum(u for _, _, u in days) == quota_status("utility", now=now).used == 3
    assert days[0][0] == month_bounds(now)[0].date()


def test_the_split_by_person_never_names_people_of_other_sites(site_manager, outsider):
    _seed_ledger(site_manager, outsider)
    splits = {s.label: (s.netcode, s.utility) for s in split_by_user(site_manager, timezone.now())}
    assert splits["mo-manager"] == (1, 1)
    assert splits[OTHER_SITES] == (1, 0)
    assert "olga-outsider" not in splits


def test_the_split_by_person_names_the_busiest_people_and_counts_the_rest_together(admin_user):
    start, _ = month_bounds(timezone.now())
    for n in range(PEOPLE_SHOWN + 3):
        person = UserFactory(username=f"person-{n:02d}")
        for _ in range(n + 1):
            ApiCallFactory(at=start + timedelta(minutes=1), user=person)
    splits = {s.label: s.total for s in split_by_user(admin_user, timezone.now())}
    assert len(splits) == PEOPLE_SHOWN + 1
    assert splits[f"person-{PEOPLE_SHOWN + 2:02d}"] == PEOPLE_SHOWN + 3  # the busiest
    assert splits[OTHER_PEOPLE] == 1 + 2 + 3  # the three quietest
    assert "person-00" not in splits


def test_the_split_by_task_counts_every_sync_run_as_one_task(site_manager, outsider):
    _seed_ledger(site_manager, outsider)
    splits = {s.label: (s.netcode, s.utility) for s in split_by_task(timezone.now())}
    assert splits == {"sync": (0, 2), "People's own actions": (2, 1)}


def test_the_projection_is_linear_to_the_months_end():
    start = datetime(2026, 6, 1, tzinfo=UTC)
    end = datetime(2026, 7, 1, tzinfo=UTC)
    assert project(30, start=start, end=end, now=start + timedelta(days=10)) == 90
    assert runs_out_on(30, 60, start=start, now=start + timedelta(days=10)).day == 21
    assert runs_out_on(30, 1000, start=start, now=start + timedelta(days=10)) is None


def test_the_usage_page_draws_both_charts_with_quota_and_sync_budget(
    site_manager, outsider, site_manager_client
):
    _seed_ledger(site_manager, outsider)
    body = site_manager_client.get(reverse("usage")).content.decode()
    assert "NetCode calls this month" in body and "Utility calls this month" in body
    assert "Quota 100" in body and "Sync budget 700" in body
    assert "At this pace" in body
    assert "olga-outsider" not in body and OTHER_SITES in body


def test_the_usage_csv_holds_the_months_ledger_without_other_sites_people(
    site_manager, outsider, site_manager_client
):
    _seed_ledger(site_manager, outsider)
    response = site_manager_client.get(reverse("usage"), {"export": "csv"})
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[0][:3] == ["at (UTC)", "category", "operation"]
    assert len(rows) == 1 + 6  # this month's calls only, refused ones marked
    assert [r[-1] for r in rows[1:]].count("no") == 1
    assert "olga-outsider" not in repr(rows)


def test_staff_are_refused_the_usage_page_and_its_csv(site_staff_client):
    assert site_staff_client.get(reverse("usage")).status_code == 403
    assert site_staff_client.get(reverse("usage"), {"export": "csv"}).status_code == 403


def test_a_call_shows_on_the_usage_page_as_soon_as_the_ledger_has_it(
    site_manager, outsider, site_manager_client
):
    _seed_ledger(site_manager, outsider)
    site_manager_client.get(reverse("usage"))  # the month is counted and kept
    ApiCallFactory(category="netcode", operation="netcode-fresh", user=site_manager)
    body = site_manager_client.get(reverse("usage")).content.decode()
    assert "netcode-fresh" in body  # in the latest calls and by operation
    assert '<p class="display-6 mb-1">3 <span' in body  # NetCode calls used: 2 + 1


def test_the_latest_calls_name_people_of_the_viewers_sites_only(
    site_manager, outsider, site_manager_client
):
    _seed_ledger(site_manager, outsider)
    body = site_manager_client.get(reverse("usage")).content.decode()
    latest = body[body.index("Latest calls") :]
    assert "<td>mo-manager</td>" in latest and f"<td>{OTHER_SITES}</td>" in latest
    assert "olga-outsider" not in latest
