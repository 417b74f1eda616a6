"""Audit entries of smart locks: fetched newest first until the newest one already stored."""

from __future__ import annotations

import logging

from django.db import transaction
from django.utils import timezone

from codelocks.errors import NotFound
from codelocks.types import AuditEntry as RemoteEntry
from k3clients.models import AuditEntry, SmartLock
from k3clients.services._common import AnyUser, api, key_in_use, mark_gone

logger = logging.getLogger("k3clients")

AUDIT_PER_PAGE = 50
# A bound on the calls one fetch may spend; a lock silent for longer catches up next time.
AUDIT_MAX_PAGES = 10


def lock_audit_fetch(
    *,
    lock: SmartLock,
    user: AnyUser = None,
    task: str = "",
    perpage: int = AUDIT_PER_PAGE,
    max_pages: int = AUDIT_MAX_PAGES,
) -> int:
    """Fetch a lock's new audit entries (newest first, stopping at stored ones); give how many."""
    fresh: list[RemoteEntry] = []
    with key_in_use(lock.account):
        for page in range(1, max_pages + 1):
            try:
                entries = api(user, task).k3_audit(
                    lock.account.access_key, lock.lock_id, page=page, perpage=perpage
                )
            except NotFound:
                raise mark_gone(lock) from None
            ids = [entry.audit_entry_id for entry in entries]
            known = set(
                AuditEntry.objects.filter(audit_entry_id__in=ids).values_list(
                    "audit_entry_id", flat=True
                )
            )
            fresh.extend(entry for entry in entries if entry.audit_entry_id not in known)
            if known or len(entries) < perpage:
                break
    return _store_entries(lock, fresh)


@transaction.atomic
def _store_entries(lock: SmartLock, entries: list[RemoteEntry]) -> int:
    rows = [
        AuditEntry(
            lock=lock,
            audit_entry_id=entry.audit_entry_id,
            date_entered=entry.date_entered,
            entry_type=entry.entry_type[:100],
            entry_text=entry.entry_text,
        )
        for entry in entries
    ]
    AuditEntry.objects.bulk_create(rows, ignore_conflicts=True, batch_size=500)
    lock.audit_synced_at = timezone.now()
    lock.save(update_fields=["audit_synced_at"])
    return len(rows)
