"""Audit sync: newest first in the largest pages, upserted by AuditEntryID, gaps always filled."""

from __future__ import annotations

from unittest import mock

import pytest

from k3clients.models import AuditEntry
from k3clients.services import audit as audit_service
from k3clients.services import lock_audit_fetch
from netcodes.models import ApiCall
from tests.sync.conftest import control, remote_audit_ids

pytestmark = pytest.mark.django_db


def _stored_ids(lock) -> list[int]:
    return sorted(AuditEntry.objects.filter(lock=lock).values_list("audit_entry_id", flat=True))


def test_a_backlog_is_read_in_pages_of_a_thousand_and_stored_once(sandbox, lock):
    control(sandbox, "audit", {"lock_id": lock.lock_id, "count": 3500})

    added = lock_audit_fetch(lock=lock, max_pages=50)

    remote = remote_audit_ids(sandbox, lock.lock_id)
    assert added == len(remote)
    assert _stored_ids(lock) == sorted(remote)
    assert ApiCall.objects.filter(operation="k3_audit").count() == len(remote) // 1000 + 1


def test_a_repeated_fetch_adds_nothing_and_reads_one_page(sandbox, lock):
    lock_audit_fetch(lock=lock)
    ApiCall.objects.all().delete()

    assert lock_audit_fetch(lock=lock) == 0
    assert ApiCall.objects.filter(operation="k3_audit").count() == 1


def test_a_fetch_cut_short_leaves_no_gap_once_the_next_one_runs(sandbox, lock):
    control(sandbox, "audit", {"lock_id": lock.lock_id, "count": 5000})
    lock_audit_fetch(lock=lock, max_pages=2)
    assert AuditEntry.objects.filter(lock=lock).count() == 2000
    control(sandbox, "audit", {"lock_id": lock.lock_id, "count": 1500})

    for _ in range(6):
        lock_audit_fetch(lock=lock, max_pages=3)

    assert _stored_ids(lock) == sorted(remote_audit_ids(sandbox, lock.lock_id))


def test_a_crash_between_fetch_and_commit_loses_and_duplicates_nothing(sandbox, lock):
    control(sandbox, "audit", {"lock_id": lock.lock_id, "count": 2500})
    real_store = audit_service._store_page
    calls = {"n": 0}

    def store_then_crash(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 2:
            raise KeyboardInterrupt("worker killed")
        return real_store(*args, **kwargs)

    with (
        mock.patch.object(audit_service, "_store_page", store_then_crash),
        pytest.raises(KeyboardInterrupt),
    ):
        lock_audit_fetch(lock=lock, max_pages=10)
    assert AuditEntry.objects.filter(lock=lock).count() == 1000

    lock_audit_fetch(lock=lock, max_pages=10)

    assert _stored_ids(lock) == sorted(remote_audit_ids(sandbox, lock.lock_id))
