"""The audit browser: filters, keyset paging, CSV of what is filtered, and scoping."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

from django.urls import reverse

from dashboard import audit
from dashboard.audit import Key
from k3clients.models import AuditEntry
from tests.dashboard.conftest import NOW
from tests.k3clients.factories import AuditEntryFactory

URL = reverse("audit_browser")


def _rows(client, **params) -> str:
    response = client.get(URL, params)
    assert response.status_code == 200
    return response.content.decode()


def _csv(client, **params) -> list[list[str]]:
    response = client.get(URL, {**params, "export": "csv"})
    assert response["Content-Type"].startswith("text/csv")
    return list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))


def test_every_door_event_of_the_users_sites_and_none_of_another(world, site_staff_client):
    body = _rows(site_staff_client)
    assert body.count("keypad</td>") == 3
    assert "Depot secret" not in body and "Depot gate" not in body


def test_filters_by_lock_type_text_and_dates(world, site_staff_client):
    AuditEntryFactory(lock=world.stale, date_entered=NOW, entry_type="Jammed", entry_text="Bolt")
    assert "Bolt" in _rows(site_staff_client, lock=world.stale.pk)
    assert "Unlock by keypad" not in _rows(site_staff_client, lock=world.stale.pk)
    assert _rows(site_staff_client, entry_type="Lock").count("keypad</td>") == 1
    assert _rows(site_staff_client, q="BOLT").count("Bolt</td>") == 1
    day = (NOW - timedelta(days=1)).date().isoformat()
    assert (
        _rows(site_staff_client, site=world.site.pk, date_from=day, date_to=day).count(
            "keypad</td>"
        )
        == 1
    )


def test_a_lock_or_site_of_another_site_gives_nothing(world, site_staff_client):
    body = _rows(site_staff_client, lock=world.other_lock.pk)
    assert "Depot secret" not in body and "Correct the filters" in body
    assert _csv(site_staff_client, site=world.other_site.pk) == [audit.CSV_COLUMNS]


def test_reversed_dates_are_explained(world, site_staff_client):
    body = _rows(site_staff_client, date_from="2026-07-14", date_to="2026-07-01")
    assert "before the “from” date" in body


def test_keyset_pages_walk_every_row_once_in_both_directions(world, site_staff):
    for _ in range(7):  # equal times: the id breaks the tie
        AuditEntryFactory(lock=world.healthy, date_entered=NOW - timedelta(hours=1))
    entries = audit.audit_entries(site_staff, audit.AuditFilters())
    expected = list(entries.order_by("-date_entered", "-pk").values_list("pk", flat=True))
    seen, page = [], audit.audit_page(entries, per_page=3)
    pages = [page]
    while True:
        seen += [row.pk for row in page.rows]
        if page.next_key is None:
            break
        page = audit.audit_page(entries, per_page=3, after=page.next_key)
        pages.append(page)
    assert seen == expected
    back = audit.audit_page(entries, per_page=3, before=pages[-1].previous_key)
    assert [row.pk for row in back.rows] == [row.pk for row in pages[-2].rows]
    assert Key.decode(pages[1].previous_key.encode()) == pages[1].previous_key


def test_oldest_first_sorts_the_other_way(world, site_staff_client):
    body = _rows(site_staff_client, sort="oldest")
    assert body.index("Unlock by keypad") < body.index("Lock by keypad")


def test_a_page_costs_the_same_few_queries_deep_in_the_log(
    world, site_staff, django_assert_max_num_queries
):
    entries = audit.audit_entries(site_staff, audit.AuditFilters())
    AuditEntry.objects.bulk_create(
        AuditEntry(lock=world.healthy, audit_entry_id=5_000_000 + n, date_entered=NOW)
        for n in range(300)
    )
    key = Key.of(entries.order_by("date_entered", "pk")[5])
    with django_assert_max_num_queries(1):
        page = audit.audit_page(entries, after=key)
    assert len(page.rows) == 5


def test_the_csv_holds_every_filtered_row_in_site_time_and_defuses_formulas(
    world, site_staff_client
):
    AuditEntryFactory(lock=world.healthy, date_entered=NOW, entry_text="=HYPERLINK(1)")
    rows = _csv(site_staff_client, site=world.site.pk)
    assert rows[0] == audit.CSV_COLUMNS
    assert len(rows) == 1 + 4
    newest = rows[1]
    assert newest[0] == "Harbour House" and newest[1] == "Front door"
    assert newest[3] == "2026-07-14 10:00:00" and newest[4] == "2026-07-14 11:00:00"
    assert newest[6] == "'=HYPERLINK(1)"
    assert "Depot secret" not in repr(rows)


def test_the_empty_browser_says_what_to_do_next(site_staff_client):
    assert "Link a K3 Connect account" in _rows(site_staff_client)


def test_each_event_shows_its_sites_time_and_links_to_its_lock(world, site_staff_client):
    body = _rows(site_staff_client, site=world.site.pk)
    lock_url = reverse("k3_lock_detail", args=[world.healthy.pk])
    newest = '<time datetime="2026-07-14T09:55:00+00:00">14 Jul 2026 10:55:00</time>'
    assert newest in body  # 09:55 UTC is 10:55 in London (summer time)
    assert f'<a href="{lock_url}">Front door</a>' in body
    assert "<td>Harbour House</td>" in body


def test_the_browser_shows_twenty_five_events_a_page(world, site_staff_client):
    for minutes in range(30):
        AuditEntryFactory(
            lock=world.healthy,
            date_entered=NOW - timedelta(days=2, minutes=minutes),
            entry_text="Paged entry",
        )
    body = _rows(site_staff_client, site=world.site.pk)
    assert body.count("<tr><td") == audit.PER_PAGE == 25
    assert ">Next</a>" in body
