"""Audit entries: fetched newest first until the stored ones, kept, shown paged newest first."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.urls import reverse

from k3clients.models import AuditEntry
from k3clients.services import lock_audit_fetch
from netcodes.models import ApiCall
from tests.k3clients.conftest import sandbox_first_lock
from tests.k3clients.factories import AuditEntryFactory, SmartLockFactory

pytestmark = pytest.mark.django_db


def test_the_first_fetch_stores_the_locks_history(sandbox, lock):
    count = lock_audit_fetch(lock=lock)

    remote = sandbox_first_lock(sandbox)
    assert count == len(remote.audit)
    assert AuditEntry.objects.filter(lock=lock).count() == len(remote.audit)
    newest = AuditEntry.objects.filter(lock=lock).first()
    assert newest.audit_entry_id == remote.audit[-1][0]
    assert newest.date_entered.tzinfo is not None


def test_the_next_fetch_stops_at_the_newest_stored_entry(sandbox, lock):
    lock_audit_fetch(lock=lock)
    remote, state = sandbox_first_lock(sandbox), sandbox.state
    with state.lock:
        for _ in range(3):
            remote.add_audit(state.new_audit_id(), state.clock.now(), "Unlock", "Opened by app")
    ApiCall.objects.all().delete()

    added = lock_audit_fetch(lock=lock)

    assert added == 3
    assert ApiCall.objects.filter(operation="k3_audit").count() == 1
    assert lock_audit_fetch(lock=lock) == 0


def test_the_lock_page_shows_entries_newest_first_in_the_sites_zone(lock, site_staff_client):
    lock.site.time_zone = "America/New_York"
    lock.site.save()
    AuditEntryFactory(
        lock=lock, date_entered=datetime(2026, 1, 5, 9, 0, tzinfo=UTC), entry_text="older"
    )
    AuditEntryFactory(
        lock=lock, date_entered=datetime(2026, 1, 5, 15, 0, tzinfo=UTC), entry_text="newer"
    )

    response = site_staff_client.get(reverse("k3_lock_detail", args=[lock.pk]))

    assert response.text.index("newer") < response.text.index("older")
    assert "5 Jan 2026 10:00:00" in response.text  # 15:00 UTC in New York


def test_the_audit_list_is_paged(site, site_staff_client):
    lock = SmartLockFactory(account__site=site)
    AuditEntryFactory.create_batch(30, lock=lock)
    response = site_staff_client.get(reverse("k3_lock_detail", args=[lock.pk]), {"audit": 2})
    # Pages are not counted (a busy lock has hundreds of thousands of entries): no "of N".
    assert "Page 2" in response.text
    assert ">Previous<" in response.text
    assert ">Next<" not in response.text


def test_the_fetch_button_reports_how_many_are_new(sandbox, lock, site_staff_client):
    response = site_staff_client.post(reverse("k3_lock_audit_fetch", args=[lock.pk]), follow=True)
    assert "Audit entries fetched:" in response.text
    assert "Unlock" in response.text or "Lock" in response.text


def test_htmx_paging_swaps_only_the_audit_table(site, site_staff_client):
    lock = SmartLockFactory(account__site=site)
    AuditEntryFactory.create_batch(30, lock=lock)
    response = site_staff_client.get(
        reverse("k3_lock_detail", args=[lock.pk]),
        {"audit": 2, "fragment": "audit"},
        HTTP_HX_REQUEST="true",
    )
    # Pages are not counted (a busy lock has hundreds of thousands of entries): no "of N".
    assert "Page 2" in response.text
    assert ">Previous<" in response.text
    assert ">Next<" not in response.text
    assert "<html" not in response.text
