"""Locks needing attention and smart-lock battery levels, counted in SQL across many sites.

An estate has thousands of locks: the counts, the bands and the worst few rows come from the
database in four small queries, and only the rows drawn become Python objects.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from django.db.models import (
    BooleanField,
    Case,
    Count,
    DateTimeField,
    ExpressionWrapper,
    F,
    IntegerField,
    Q,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Lower, NullIf
from django.urls import reverse

from k3clients.models import LOW_BATTERY_PERCENT, LockCondition, SmartLock, battery_percent
from locks.models import KitLock, Site

if TYPE_CHECKING:
    from collections.abc import Sequence

STALE_SYNC_AFTER = timedelta(hours=24)
BATTERY_BUCKETS = (
    ("Low (20% or less)", "chart-bar-low"),
    ("21 to 50%", "chart-bar-mid"),
    ("51 to 100%", "chart-bar-ok"),
    ("Not reported", "chart-bar-unknown"),
)
KIT, SMART = 0, 1
ROW_COLUMNS = (
    "row_severity", "row_site_name", "row_sort", "row_kind", "row_pk", "row_site_id", "row_name",
    "row_flag_a", "row_flag_b", "row_battery", "row_gone_at", "row_synced_at",
)  # fmt: skip


@dataclass(frozen=True)
class AttentionRow:
    """A lock that needs someone, with what is wrong, worst first."""

    name: str
    site_name: str
    url_name: str
    pk: int
    problems: tuple[str, ...]
    severity: int

    @property
    def url(self) -> str:
        # Reversed only for the few rows drawn, not for each of thousands of locks.
        return reverse(self.url_name, args=[self.pk])


@dataclass(frozen=True, slots=True)
class SmartLockState(LockCondition):
    """What the attention rules read of a smart lock: a plain row, not a model."""

    battery_status: str
    gone_at: datetime | None
    last_synced_at: datetime | None
    key_rejected: bool


@dataclass(frozen=True)
class SiteLocks:
    """One site's locks at a glance: how many, how many need someone, how many run low."""

    site_id: int
    locks: int = 0
    attention: int = 0
    low_battery: int = 0


@dataclass(frozen=True)
class LockHealth:
    """The worst locks of the sites, the totals per site, and the smart locks' battery bands."""

    rows: list[AttentionRow]
    by_site: list[SiteLocks]
    battery_bands: tuple[int, int, int, int]
    smart_locks: int
    counted_at: datetime

    @property
    def total(self) -> int:
        return sum(site.attention for site in self.by_site)


def kitlock_problems(awaiting_initialisation: bool, clock_to_set: bool) -> tuple[int, list[str]]:
    """The severity and the problems of a KitLock."""
    if awaiting_initialisation:
        return 2, ["Initialisation not confirmed"]
    if clock_to_set:
        return 3, ["Clock to set: codes will not work"]
    return 0, []


def smartlock_problems(lock: SmartLockState, now: datetime) -> tuple[int, list[str]]:
    """The severity and the problems of a smart lock."""
    problems, severity = [], 0
    if lock.is_gone:
        problems.append("No longer on its account")
        severity = max(severity, 1)
    if lock.key_rejected:
        problems.append("Access key refused: unreachable")
        severity = max(severity, 3)
    if lock.battery_low:
        problems.append(f"Battery low ({lock.battery_percent}%)")
        severity = max(severity, 3)
    if not lock.is_gone and (
        lock.last_synced_at is None or now - lock.last_synced_at > STALE_SYNC_AFTER
    ):
        problems.append("Not synced in the last 24 hours")
        severity = max(severity, 1)
    return severity, problems


def _band(percent: int | None) -> int:
    if percent is None:
        return 3
    return 0 if percent <= LOW_BATTERY_PERCENT else 1 if percent <= 50 else 2


def _battery_readings(sites: Sequence[int]) -> tuple[Q, tuple[int, int, int, int]]:
    """Which stored readings are low, and the present locks per band (one query).

    Locks report a few hundred distinct strings at most: reading each once in Python keeps
    the one parsing rule (`battery_percent`) and spares PostgreSQL a regex per lock.
    """
    readings = (
        SmartLock.objects.filter(site__in=sites)
        .values_list("battery_status")
        .annotate(present=Count("pk", filter=Q(gone_at__isnull=True)))
        .order_by()
    )
    bands: Counter[int] = Counter()
    low = []
    for status, present in readings:
        band = _band(battery_percent(status))
        bands[band] += present
        if band == 0:
            low.append(status)
    is_low = Q(battery_status__in=low) if low else Q(pk__isnull=True)
    return is_low, (bands[0], bands[1], bands[2], bands[3])


def _smart_conditions(is_low: Q, now: datetime) -> tuple[Q, Q]:
    """(severe, minor) problems of a smart lock as SQL conditions, as `smartlock_problems`."""
    stale = Q(gone_at__isnull=True) & (
        Q(last_synced_at__isnull=True) | Q(last_synced_at__lt=now - STALE_SYNC_AFTER)
    )
    severe = Q(account__key_rejected_at__isnull=False) | is_low
    return severe, Q(gone_at__isnull=False) | stale


KIT_ATTENTION = Q(initialised_at__isnull=True) | Q(clock_needs_setting=True)
NO_TIME = Value(None, output_field=DateTimeField())
INT = IntegerField()


def _flag(condition: Q) -> ExpressionWrapper:
    return ExpressionWrapper(condition, output_field=BooleanField())


def _per_site(sites: Sequence[int], severe: Q, minor: Q, is_low: Q) -> tuple[list[SiteLocks], int]:
    """Locks, locks needing attention and low batteries per site (two queries)."""
    kit = (
        KitLock.objects.filter(site__in=sites)
        .values_list("site_id")
        .annotate(n=Count("pk"), bad=Count("pk", filter=KIT_ATTENTION))
        .order_by()
    )
    smart = (
        SmartLock.objects.filter(site__in=sites)
        .values_list("site_id")
        .annotate(
            n=Count("pk"),
            bad=Count("pk", filter=severe | minor),
            low=Count("pk", filter=is_low & Q(gone_at__isnull=True)),
        )
        .order_by()
    )
    totals: dict[int, list[int]] = {site_id: [0, 0, 0] for site_id in sites}
    for site_id, n, bad in kit:
        totals[site_id][0] += n
        totals[site_id][1] += bad
    smart_locks = 0
    for site_id, n, bad, low in smart:
        totals[site_id][0] += n
        totals[site_id][1] += bad
        totals[site_id][2] += low
        smart_locks += n
    return [SiteLocks(site_id, *counts) for site_id, counts in totals.items()], smart_locks


def _worst_rows(sites: Sequence[int], severe: Q, minor: Q, limit: int):
    """The `limit` worst locks of both kinds as plain value tuples (one UNION query)."""
    kit = KitLock.objects.filter(site__in=sites).filter(KIT_ATTENTION).order_by()
    kit = kit.annotate(
        row_severity=Case(
            When(initialised_at__isnull=True, then=Value(2)),
            default=Value(3),
            output_field=INT,
        ),
        row_site_name=F("site__name"), row_sort=Lower("name"), row_kind=Value(KIT),
        row_pk=F("pk"), row_site_id=F("site_id"), row_name=F("name"),
        row_flag_a=_flag(Q(initialised_at__isnull=True)), row_flag_b=F("clock_needs_setting"),
        row_battery=Value(""), row_gone_at=NO_TIME, row_synced_at=NO_TIME,
    )  # fmt: skip
    shown_name = Coalesce(NullIf("name", Value("")), "lock_id")
    smart = SmartLock.objects.filter(site__in=sites).filter(severe | minor).order_by()
    smart = smart.annotate(
        row_severity=Case(When(severe, then=Value(3)), default=Value(1), output_field=INT),
        row_site_name=F("site__name"), row_sort=Lower(shown_name), row_kind=Value(SMART),
        row_pk=F("pk"), row_site_id=F("site_id"), row_name=shown_name,
        row_flag_a=_flag(Q(account__key_rejected_at__isnull=False)), row_flag_b=Value(False),
        row_battery=F("battery_status"), row_gone_at=F("gone_at"),
        row_synced_at=F("last_synced_at"),
    )  # fmt: skip
    both = kit.values_list(*ROW_COLUMNS).union(smart.values_list(*ROW_COLUMNS), all=True)
    order = ("-row_severity", "row_site_name", "row_sort", "row_kind", "row_pk")
    return list(both.order_by(*order)[:limit])


def _attention_row(values: tuple, now: datetime) -> AttentionRow:
    severity, site, _, kind, pk, _, name, flag_a, flag_b, battery, gone, synced = values
    if kind == KIT:
        severity, problems = kitlock_problems(bool(flag_a), bool(flag_b))
        return AttentionRow(name, site, "kitlock_detail", pk, (*problems,), severity)
    state = SmartLockState(battery, gone, synced, bool(flag_a))
    severity, problems = smartlock_problems(state, now)
    return AttentionRow(name, site, "k3_lock_detail", pk, (*problems,), severity)


def lock_health(sites: Sequence[Site], *, now: datetime, limit: int) -> LockHealth:
    """The locks of these sites needing attention, worst first, and their battery levels."""
    sites = [site.pk for site in sites]  # ids once, not model instances in every query
    is_low, bands = _battery_readings(sites)
    severe, minor = _smart_conditions(is_low, now)
    by_site, smart_locks = _per_site(sites, severe, minor, is_low)
    rows = [_attention_row(v, now) for v in _worst_rows(sites, severe, minor, limit)]
    return LockHealth(rows, by_site, bands, smart_locks, now)
