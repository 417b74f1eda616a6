"""Locks needing attention and smart-lock battery levels, counted in SQL across many sites.

An estate has thousands of locks: the counts, the bands and the worst few rows come from the
database in four small queries, and only the rows drawn become Python objects.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
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

from dashboard.scope import on_sites
from k3clients.models import (
    LOW_BATTERY_PERCENT,
    K3Account,
    LockCondition,
    SmartLock,
    battery_percent,
)
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
    "row_severity", "row_site_rank", "row_sort", "row_kind", "row_pk", "row_site_id", "row_name",
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


def _battery_readings(where: Q) -> tuple[Q, tuple[int, int, int, int]]:
    """Which stored readings are low, and the present locks per band (one query).

    Locks report a few hundred distinct strings at most: reading each once in Python keeps
    the one parsing rule (`battery_percent`) and spares PostgreSQL a regex per lock.
    """
    readings = (
        SmartLock.objects.filter(where)
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


# Across every lock, a hashed list of the few refused accounts costs less than a join;
# for the few locks of the worst sites, the join costs less to build and to run.
KEY_REJECTED_OF_MANY = Q(
    account__in=K3Account.objects.filter(key_rejected_at__isnull=False).values("pk")
)
KEY_REJECTED_OF_FEW = Q(account__key_rejected_at__isnull=False)


def _smart_conditions(rejected: Q, is_low: Q, now: datetime) -> tuple[Q, Q]:
    """(severe, minor) problems of a smart lock as SQL conditions, as `smartlock_problems`."""
    stale = Q(gone_at__isnull=True) & (
        Q(last_synced_at__isnull=True) | Q(last_synced_at__lt=now - STALE_SYNC_AFTER)
    )
    return rejected | is_low, Q(gone_at__isnull=False) | stale


KIT_ATTENTION = Q(initialised_at__isnull=True) | Q(clock_needs_setting=True)
KIT_SEVERE = Q(initialised_at__isnull=False, clock_needs_setting=True)
NO_TIME = Value(None, output_field=DateTimeField())
INT = IntegerField()


def _flag(condition: Q) -> ExpressionWrapper:
    return ExpressionWrapper(condition, output_field=BooleanField())


@dataclass
class _Tally:
    """One site's counts while they are added up: locks, low batteries, and locks needing
    attention by severity (index 1 to 3)."""

    locks: int = 0
    smart: int = 0
    low: int = 0
    severity: list[int] = field(default_factory=lambda: [0, 0, 0, 0])

    def site_locks(self, site_id: int) -> SiteLocks:
        return SiteLocks(site_id, self.locks, sum(self.severity), self.low)


def _per_site(where: Q, severe: Q, minor: Q, is_low: Q) -> dict[int, _Tally]:
    """Locks, low batteries and locks needing attention by severity per site (two queries)."""
    kit = (
        KitLock.objects.filter(where)
        .values_list("site_id")
        .annotate(
            n=Count("pk"),
            waiting=Count("pk", filter=Q(initialised_at__isnull=True)),
            clock=Count("pk", filter=KIT_SEVERE),
        )
        .order_by()
    )
    smart = (
        SmartLock.objects.filter(where)
        .values_list("site_id")
        .annotate(
            n=Count("pk"),
            severe=Count("pk", filter=severe),
            minor=Count("pk", filter=minor & ~severe),
            low=Count("pk", filter=is_low & Q(gone_at__isnull=True)),
        )
        .order_by()
    )
    tallies: dict[int, _Tally] = {}
    for site_id, n, waiting, clock in kit:
        tally = tallies.setdefault(site_id, _Tally())
        tally.locks += n
        tally.severity[2] += waiting
        tally.severity[3] += clock
    for site_id, n, bad, minor_only, low in smart:
        tally = tallies.setdefault(site_id, _Tally())
        tally.locks += n
        tally.smart += n
        tally.severity[3] += bad
        tally.severity[1] += minor_only
        tally.low += low
    return tallies


def _worst_sites(tallies: dict[int, _Tally], names: dict[int, str], limit: int) -> dict[int, int]:
    """The sites holding the `limit` worst locks, each with its rank by name.

    The worst come by severity, then site name: walking the sites in that order and stopping
    once `limit` locks are counted finds every site one of them is on, so the rows are read
    from those few sites instead of sorted out of every lock needing attention.
    """
    order = sorted(tallies, key=names.__getitem__)  # site names are unique
    chosen: dict[int, int] = {}
    needed = limit
    for severity in (3, 2, 1):
        for rank, pk in enumerate(order):
            if needed <= 0:
                return chosen
            found = tallies[pk].severity[severity]
            if found:
                chosen[pk] = rank
                needed -= found
    return chosen


def _worst_rows(sites: dict[int, int], is_low: Q, now: datetime, limit: int):
    """The `limit` worst locks of these sites (id: rank of its name) as plain value tuples
    (one UNION query)."""
    severe, minor = _smart_conditions(KEY_REJECTED_OF_FEW, is_low, now)
    rank = Case(*(When(site_id=pk, then=Value(r)) for pk, r in sites.items()), output_field=INT)
    kit = KitLock.objects.filter(KIT_ATTENTION, site__in=list(sites)).order_by()
    kit = kit.annotate(
        row_severity=Case(
            When(initialised_at__isnull=True, then=Value(2)),
            default=Value(3),
            output_field=INT,
        ),
        row_site_rank=rank, row_sort=Lower("name"), row_kind=Value(KIT),
        row_pk=F("pk"), row_site_id=F("site_id"), row_name=F("name"),
        row_flag_a=_flag(Q(initialised_at__isnull=True)), row_flag_b=F("clock_needs_setting"),
        row_battery=Value(""), row_gone_at=NO_TIME, row_synced_at=NO_TIME,
    )  # fmt: skip
    shown_name = Coalesce(NullIf("name", Value("")), "lock_id")
    smart = SmartLock.objects.filter(severe | minor, site__in=list(sites)).order_by()
    smart = smart.annotate(
        row_severity=Case(When(severe, then=Value(3)), default=Value(1), output_field=INT),
        row_site_rank=rank, row_sort=Lower(shown_name), row_kind=Value(SMART),
        row_pk=F("pk"), row_site_id=F("site_id"), row_name=shown_name,
        row_flag_a=_flag(KEY_REJECTED_OF_FEW), row_flag_b=Value(False),
        row_battery=F("battery_status"), row_gone_at=F("gone_at"),
        row_synced_at=F("last_synced_at"),
    )  # fmt: skip
    both = kit.values_list(*ROW_COLUMNS).union(smart.values_list(*ROW_COLUMNS), all=True)
    order = ("-row_severity", "row_site_rank", "row_sort", "row_kind", "row_pk")
    return list(both.order_by(*order)[:limit])


def _attention_row(values: tuple, names: dict[int, str], now: datetime) -> AttentionRow:
    _, _, _, kind, pk, site_id, name, flag_a, flag_b, battery, gone, synced = values
    site = names[site_id]
    if kind == KIT:
        severity, problems = kitlock_problems(bool(flag_a), bool(flag_b))
        return AttentionRow(name, site, "kitlock_detail", pk, (*problems,), severity)
    state = SmartLockState(battery, gone, synced, bool(flag_a))
    severity, problems = smartlock_problems(state, now)
    return AttentionRow(name, site, "k3_lock_detail", pk, (*problems,), severity)


def lock_health(sites: Sequence[Site], *, now: datetime, limit: int) -> LockHealth:
    """The locks of these sites needing attention, worst first, and their battery levels."""
    where = on_sites(sites)
    is_low, bands = _battery_readings(where)
    severe, minor = _smart_conditions(KEY_REJECTED_OF_MANY, is_low, now)
    tallies = _per_site(where, severe, minor, is_low)
    names = {site.pk: site.name for site in sites}
    # With no site condition, a site added since the list was read may appear: left out.
    tallies = {pk: tally for pk, tally in tallies.items() if pk in names}
    worst = _worst_sites(tallies, names, limit)
    rows = _worst_rows(worst, is_low, now, limit) if worst else []
    by_site = [tallies.get(pk, _Tally()).site_locks(pk) for pk in names]
    smart_locks = sum(tally.smart for tally in tallies.values())
    return LockHealth(
        [_attention_row(v, names, now) for v in rows], by_site, bands, smart_locks, now
    )
