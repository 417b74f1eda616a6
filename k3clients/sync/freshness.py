"""How fresh a site's smart locks are: the whole site summed up, and the locks a page at a time."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, F, Min, Q, QuerySet
from django.urls import reverse

from k3clients.models import SmartLock
from locks.models import Site

# What the sync reads of each lock: (field, what the page calls it).
READS = (
    ("last_synced_at", "Lock list"),
    ("clients_synced_at", "Phone users"),
    ("audit_synced_at", "Audit"),
)
# Locks still on their account first (PostgreSQL puts NULLs last unless told).
PRESENT_FIRST = F("gone_at").asc(nulls_first=True)
FRESHNESS_ORDERS: dict[str, tuple] = {
    "name": (PRESENT_FIRST, "name", "lock_id"),
    "stale": (PRESENT_FIRST, F("audit_synced_at").asc(nulls_first=True), "name", "lock_id"),
}
FRESHNESS_COLUMNS = (
    "pk", "name", "lock_id", "battery_status", "battery_low_since", "gone_at",
    "last_synced_at", "clients_synced_at", "audit_synced_at", "viewed_at",
)  # fmt: skip

# The largest whole unit is enough to tell a fresh lock from a stale one at a glance.
AGE_UNITS = (
    (365 * 86400, "year"), (30 * 86400, "month"), (7 * 86400, "week"),
    (86400, "day"), (3600, "hour"), (60, "minute"),
)  # fmt: skip


def ago(moment: datetime | None, now: datetime, never: str = "never") -> str:
    """'3 hours ago' (the largest whole unit), 'just now', or `never` for no moment."""
    if moment is None:
        return never
    seconds = (now - moment).total_seconds()
    for size, unit in AGE_UNITS:
        if seconds >= size:
            count = int(seconds // size)
            return f"{count} {unit}{'' if count == 1 else 's'} ago"
    return "just now"


@dataclass(frozen=True)
class FreshnessRow:
    """One lock of the freshness table, its link and ages worked out before the template."""

    lock: SmartLock
    url: str
    reads: tuple[str, ...]
    viewed: str


@dataclass(frozen=True)
class ReadSummary:
    """One kind of read over the site's present locks: how long ago the oldest, how many never."""

    label: str
    oldest: str
    never: int


@dataclass(frozen=True)
class SiteFreshness:
    """The site's smart locks summed up, so a paged table still shows the whole site."""

    locks: int
    gone: int
    reads: list[ReadSummary]


def site_freshness(site: Site, now: datetime) -> SiteFreshness:
    """Counts and the oldest read of each kind over the site's smart locks, in one query."""
    present = Q(gone_at__isnull=True)
    aggregates = {"locks": Count("pk"), "gone": Count("pk", filter=~present)}
    for field, _ in READS:
        aggregates[f"{field}_oldest"] = Min(field, filter=present)
        aggregates[f"{field}_never"] = Count("pk", filter=present & Q(**{f"{field}__isnull": True}))
    row = SmartLock.objects.filter(site=site).order_by().aggregate(**aggregates)
    reads = [
        ReadSummary(label, ago(row[f"{field}_oldest"], now, never=""), row[f"{field}_never"])
        for field, label in READS
    ]
    return SiteFreshness(locks=row["locks"], gone=row["gone"], reads=reads)


def freshness_locks(site: Site, order: str) -> QuerySet[SmartLock]:
    """The site's smart locks with what the freshness table shows, in the order asked for."""
    return (
        SmartLock.objects.filter(site=site)
        .only(*FRESHNESS_COLUMNS)
        .order_by(*FRESHNESS_ORDERS.get(order, FRESHNESS_ORDERS["name"]))
    )


def freshness_rows(locks: Iterable[SmartLock], now: datetime) -> list[FreshnessRow]:
    """The table's rows: each lock's link, how long ago each read was, when it was last viewed."""
    return [
        FreshnessRow(
            lock=lock,
            url=reverse("k3_lock_detail", args=[lock.pk]),
            reads=tuple(ago(getattr(lock, field), now) for field, _ in READS),
            viewed=ago(lock.viewed_at, now, never="—"),
        )
        for lock in locks
    ]
