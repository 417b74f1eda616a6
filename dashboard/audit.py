"""The audit browser's queries: filters over every visible lock, keyset paging and CSV rows.

Pages are cut by (date_entered, id) against the last row shown, never by OFFSET, and nothing
counts the matching rows, so a page costs the same on the millionth row as on the first.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import cached_property
from typing import TYPE_CHECKING, Any

from django.core.cache import cache
from django.db.models import Q

from config.links import link_for
from k3clients.models import AuditEntry, AuditEntryQuerySet, SmartLock
from netcodes import clock

if TYPE_CHECKING:
    from locks.models import Site
    from locks.models.sites import AnyUser

# A screenful, as on a smart lock's page: a filtered page (one site, one type) reads half the
# rows to fill it, and people narrow the events with the filters rather than read long pages.
PER_PAGE = 25
ENTRY_TYPES_CACHE_SECONDS = 600
TYPES_WINDOW = 5000
CSV_COLUMNS = [
    "site",
    "lock",
    "lock id",
    "when (UTC)",
    "when (site time)",
    "entry type",
    "entry text",
    "audit entry id",
]
# A spreadsheet runs a cell that starts with one of these as a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# What a page shows of each row; the rest of the entry and its lock is never read.
PAGE_FIELDS = (
    "date_entered",
    "entry_type",
    "entry_text",
    "lock__name",
    "lock__lock_id",
    "lock__site__name",
    "lock__site__time_zone",
)


@dataclass(frozen=True)
class AuditFilters:
    site: Site | None = None
    lock: SmartLock | None = None
    entry_type: str = ""
    date_from: date | None = None
    date_to: date | None = None
    text: str = ""
    oldest_first: bool = False


@dataclass(frozen=True)
class Key:
    """A row's place in the order: (date_entered, id)."""

    at: datetime
    pk: int

    def encode(self) -> str:
        micros = (self.at - datetime(1970, 1, 1, tzinfo=UTC)) // timedelta(microseconds=1)
        return f"{micros}.{self.pk}"

    @classmethod
    def decode(cls, text: str | None) -> Key | None:
        parts = (text or "").split(".")
        if len(parts) != 2 or not all(p.isdigit() for p in parts):
            return None
        at = datetime(1970, 1, 1, tzinfo=UTC) + timedelta(microseconds=int(parts[0]))
        return cls(at=at, pk=int(parts[1]))

    @classmethod
    def of(cls, entry: AuditEntry) -> Key:
        return cls(at=entry.date_entered, pk=entry.pk)


@dataclass(frozen=True)
class AuditPage:
    rows: list[AuditEntry]
    next_key: Key | None
    previous_key: Key | None

    @cached_property
    def lines(self) -> list[dict[str, Any]]:
        """The table's cells, worked out here: fifty rows of date filters and {% url %} are slow."""
        url = link_for("k3_lock_detail")
        lines = []
        for entry in self.rows:
            lock, at = entry.lock, entry.date_entered
            lines.append(
                {
                    "iso": at.astimezone(UTC).isoformat(),
                    "when": clock.site_time(at, lock.site.time_zone, seconds=True),
                    "site": lock.site.name,
                    "lock_url": url(lock.pk),
                    "lock": str(lock),
                    "entry_type": entry.entry_type,
                    "entry_text": entry.entry_text,
                }
            )
        return lines


def audit_entries(user: AnyUser, filters: AuditFilters) -> AuditEntryQuerySet:
    """The audit entries this user may see that match the filters (unordered)."""
    entries = AuditEntry.objects.visible_to(user)
    if filters.site is not None:
        entries = entries.of_sites([filters.site])
    if filters.lock is not None:
        entries = entries.filter(lock=filters.lock)
    if filters.entry_type:
        entries = entries.filter(entry_type=filters.entry_type)
    if filters.text.strip():
        entries = entries.filter(entry_text__icontains=filters.text.strip())
    # Days are read on the chosen site's clock (UTC when several sites are shown).
    tz = filters.site.tz if filters.site is not None else UTC
    if filters.date_from:
        entries = entries.filter(
            date_entered__gte=datetime.combine(filters.date_from, time.min, tz)
        )
    if filters.date_to:
        end = datetime.combine(filters.date_to + timedelta(days=1), time.min, tz)
        entries = entries.filter(date_entered__lt=end)
    return entries


def _after(key: Key, *, descending: bool) -> Q:
    """Rows that come after `key` in the order (newest first when `descending`)."""
    op = "lt" if descending else "gt"
    return Q(**{f"date_entered__{op}": key.at}) | Q(date_entered=key.at, **{f"pk__{op}": key.pk})


def _order(descending: bool) -> tuple[str, str]:
    return ("-date_entered", "-pk") if descending else ("date_entered", "pk")


def audit_page(
    entries: AuditEntryQuerySet,
    *,
    oldest_first: bool = False,
    after: Key | None = None,
    before: Key | None = None,
    per_page: int = PER_PAGE,
) -> AuditPage:
    """One page of rows after `after` (or before `before`) in the chosen order."""
    descending = not oldest_first
    entries = entries.select_related("lock__site").only(*PAGE_FIELDS)
    if before is not None:
        # Walk backwards from `before`, then put the rows back in display order.
        rows = list(
            entries.filter(_after(before, descending=not descending)).order_by(
                *_order(not descending)
            )[: per_page + 1]
        )
        more_before = len(rows) > per_page
        rows = rows[:per_page][::-1]
        previous = Key.of(rows[0]) if more_before and rows else None
        return AuditPage(rows, Key.of(rows[-1]) if rows else None, previous)
    if after is not None:
        entries = entries.filter(_after(after, descending=descending))
    rows = list(entries.order_by(*_order(descending))[: per_page + 1])
    more_after = len(rows) > per_page
    rows = rows[:per_page]
    next_key = Key.of(rows[-1]) if more_after else None
    previous = Key.of(rows[0]) if after is not None and rows else None
    return AuditPage(rows, next_key, previous)


def entry_types(user: AnyUser, sites: list[Site]) -> list[str]:
    """The entry types of these sites' recent door events, for the filter's suggestions (cached).

    Only the newest TYPES_WINDOW entries are read (down the date index): a DISTINCT over every
    entry would read them all, and a type nobody has seen lately is not worth suggesting.
    """
    ids = ".".join(str(site.pk) for site in sorted(sites, key=lambda s: s.pk))
    key = f"dashboard:audit-types:{hashlib.sha256(ids.encode()).hexdigest()}"

    def load() -> list[str]:
        # A superuser's sites are every site: no lock filter at all.
        entries = (
            AuditEntry.objects.all() if user.is_superuser else AuditEntry.objects.of_sites(sites)
        )
        recent = entries.order_by("-date_entered", "-pk")[:TYPES_WINDOW]
        return sorted(set(recent.values_list("entry_type", flat=True)))[:200]

    return cache.get_or_set(key, load, ENTRY_TYPES_CACHE_SECONDS)


def _cell(value: str) -> str:
    return f"'{value}" if value.startswith(FORMULA_STARTS) else value


def audit_csv_rows(entries: AuditEntryQuerySet, *, oldest_first: bool = False) -> Iterator[list]:
    """The header, then every filtered entry in the page's order (read in chunks)."""
    yield CSV_COLUMNS
    rows = entries.order_by(*_order(not oldest_first)).values_list(
        "lock__site__name",
        "lock__site__time_zone",
        "lock__name",
        "lock__lock_id",
        "date_entered",
        "entry_type",
        "entry_text",
        "audit_entry_id",
    )
    zones: dict = {}
    for site, zone, name, lock_id, at, kind, text, entry_id in rows.iterator(chunk_size=2000):
        tz = zones.get(zone) or zones.setdefault(zone, clock.zone(zone))
        yield [
            _cell(site),
            _cell(name or lock_id),
            lock_id,
            f"{at.astimezone(UTC):%Y-%m-%d %H:%M:%S}",
            f"{at.astimezone(tz):%Y-%m-%d %H:%M:%S}",
            _cell(kind),
            _cell(text),
            entry_id,
        ]
