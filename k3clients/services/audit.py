"""Audit entries of smart locks: read newest first, stored page by page, no gap ever left.

`audit_synced_through` is the contiguous high-water mark: every entry of the lock up to that
AuditEntryID is stored. A fetch reads newest-first pages and commits each page as it comes
(upsert by AuditEntryID), stops at the mark, and only then moves the mark. A fetch cut short
(page cap, crash, killed worker) leaves the mark where it was and notes the page to resume
from; the next fetch first reads the new entries at the top, then goes on from that page. The
log only grows at the top, so a remembered page can only show entries already seen, never
skip one.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from codelocks.errors import NotFound
from codelocks.types import AuditEntry as RemoteEntry
from k3clients.models import AuditEntry, SmartLock
from k3clients.services._common import AnyUser, api, key_in_use, mark_gone
from locks.scale.writer import write_rows

logger = logging.getLogger("k3clients")

AUDIT_PER_PAGE = 1000  # the largest perpage the API takes
# A bound on the calls one fetch may spend; a longer backlog goes on at the next fetch.
AUDIT_MAX_PAGES = 10
AUDIT_COLUMNS = (
    "lock_id",
    "audit_entry_id",
    "date_entered",
    "entry_type",
    "entry_text",
    "fetched_at",
)


@dataclass
class _Progress:
    pages_left: int
    perpage: int
    added: int = 0
    newest: int | None = None


def _store_page(lock: SmartLock, entries: list[RemoteEntry]) -> int:
    """Insert one page's new entries in its own transaction; give how many were new."""
    if not entries:
        return 0
    ids = [entry.audit_entry_id for entry in entries]
    with transaction.atomic():
        # A range, not IN (1000 ids): the unique index answers it without a long parameter.
        window = AuditEntry.objects.filter(audit_entry_id__range=(min(ids), max(ids)))
        known = set(window.values_list("audit_entry_id", flat=True))
        now = timezone.now()
        rows = [
            (
                lock.pk,
                entry.audit_entry_id,
                entry.date_entered,
                entry.entry_type[:100],
                entry.entry_text,
                now,
            )
            for entry in entries
            if entry.audit_entry_id not in known
        ]
        try:
            with transaction.atomic():  # a savepoint: a concurrent fetch may store some first
                write_rows(AuditEntry, AUDIT_COLUMNS, rows)
        except IntegrityError:
            AuditEntry.objects.bulk_create(
                [AuditEntry(**dict(zip(AUDIT_COLUMNS, row, strict=True))) for row in rows],
                ignore_conflicts=True,
            )
    return len(rows)


def _read_down_to(
    lock: SmartLock, client_api: Any, first: int, stop: int | None, progress: _Progress
) -> int | None:
    """Read pages from `first` to an entry <= `stop` or the log's end: None, or where to go on."""
    page = first
    while progress.pages_left > 0:
        progress.pages_left -= 1
        try:
            entries = client_api.k3_audit(
                lock.account.access_key, lock.lock_id, page=page, perpage=progress.perpage
            )
        except NotFound:
            raise mark_gone(lock) from None
        if page == 1 and entries:
            progress.newest = max(entry.audit_entry_id for entry in entries)
        fresh = [e for e in entries if stop is None or e.audit_entry_id > stop]
        progress.added += _store_page(lock, fresh)
        if len(fresh) < len(entries) or len(entries) < progress.perpage:
            return None
        page += 1
    return page


def lock_audit_fetch(
    *,
    lock: SmartLock,
    user: AnyUser = None,
    task: str = "",
    perpage: int = AUDIT_PER_PAGE,
    max_pages: int = AUDIT_MAX_PAGES,
) -> int:
    """Fetch a lock's new audit entries (newest first, down to the stored mark); give how many."""
    lock.refresh_from_db(fields=["audit_synced_through", "audit_resume_page", "audit_resume_top"])
    mark, resume, top = lock.audit_synced_through, lock.audit_resume_page, lock.audit_resume_top
    progress = _Progress(pages_left=max(max_pages, 1), perpage=perpage)
    client_api = api(user, task)
    with key_in_use(lock.account):
        # First what is newer than anything stored, then the gap an earlier fetch left.
        cut = _read_down_to(lock, client_api, 1, top if resume else mark, progress)
        if cut is not None and resume is None:
            resume, top = cut, progress.newest
        elif cut is None and resume is not None:
            cut = _read_down_to(lock, client_api, resume, mark, progress)
            if cut is not None:
                resume, top = cut, progress.newest
    if cut is None:
        fields: dict[str, Any] = {
            "audit_synced_through": max(progress.newest or 0, mark or 0),
            "audit_resume_page": None,
            "audit_resume_top": None,
            "audit_synced_at": timezone.now(),
        }
    else:
        fields = {"audit_resume_page": resume, "audit_resume_top": top}
    SmartLock.objects.filter(pk=lock.pk).update(**fields)
    for name, value in fields.items():
        setattr(lock, name, value)
    return progress.added
