"""This month's API usage from the ledger: per day, projected to the month's end, split by
person and by task, and as CSV. The quota belongs to the API key, not to a site; people of
other sites are never named (they are counted together)."""

from __future__ import annotations

import calendar
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING

from django.contrib.auth import get_user_model
from django.db.models import Case, CharField, Count, F, Q, Value, When
from django.db.models.functions import Left, StrIndex, TruncDate

from dashboard.charts import Chart, cumulative_chart
from k3clients.sync.budget import sync_share
from locks.models import Membership, Site
from netcodes.models import ApiCall, ApiCategory
from netcodes.quota import QuotaStatus, quota_status

if TYPE_CHECKING:
    from locks.models.sites import AnyUser

OTHER_SITES = "People of other sites"
OTHER_PEOPLE = "Everyone else of your sites"
# Hundreds of names make a table nobody reads; the CSV export names everyone.
PEOPLE_SHOWN = 20
NO_PERSON = "No person (background tasks)"
PEOPLE = "People's own actions"
LEDGER_CSV_COLUMNS = [
    "at (UTC)",
    "category",
    "operation",
    "method",
    "status",
    "ms",
    "by",
    "task",
    "billable",
]
UNBILLED = (403, 429)


@dataclass(frozen=True)
class Split:
    """Calls of one person or task this month, per category."""

    label: str
    netcode: int
    utility: int

    @property
    def total(self) -> int:
        return self.netcode + self.utility


@dataclass(frozen=True)
class Projection:
    """Where a category's use ends the month at the pace so far."""

    quota: QuotaStatus
    projected: int
    runs_out_on: date | None

    @property
    def over(self) -> bool:
        return self.projected > self.quota.limit


@dataclass(frozen=True)
class UsageReport:
    month_start: datetime
    month_end: datetime
    days: list[tuple[date, int, int]]
    projections: list[Projection]
    sync_share: int
    by_user: list[Split]
    by_task: list[Split]
    charts: list[Chart]


def month_bounds(now: datetime) -> tuple[datetime, datetime]:
    """The UTC calendar month around `now` (the plan's quota month)."""
    start = now.astimezone(UTC).replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    return start, start.replace(year=start.year + start.month // 12, month=start.month % 12 + 1)


def project(used: int, *, start: datetime, end: datetime, now: datetime) -> int:
    """The month's total if calls go on at the average pace since the month began."""
    elapsed = max((now - start) / timedelta(days=1), 1 / 24)
    return round(used * ((end - start) / timedelta(days=1)) / elapsed)


def runs_out_on(used: int, limit: int, *, start: datetime, now: datetime) -> date | None:
    """The day the quota is reached at this pace (None when it is not reached this month)."""
    elapsed = max((now - start) / timedelta(days=1), 1 / 24)
    if used <= 0:
        return None
    day = start + timedelta(days=limit * elapsed / used)
    return day.date() if day.month == start.month else None


def _month_calls(now: datetime):
    start, end = month_bounds(now)
    return ApiCall.objects.billable().filter(at__gte=start, at__lt=end)


def calls_per_day(now: datetime) -> list[tuple[date, int, int]]:
    """(day, NetCode calls, Utility calls) for every day of this UTC month (one query)."""
    start, _ = month_bounds(now)
    counts = (
        _month_calls(now)
        .annotate(day=TruncDate("at", tzinfo=UTC))
        .values("day", "category")
        .annotate(n=Count("pk"))
    )
    found = {(row["day"], row["category"]): row["n"] for row in counts}
    days = calendar.monthrange(start.year, start.month)[1]
    return [
        (d, found.get((d, ApiCategory.NETCODE), 0), found.get((d, ApiCategory.UTILITY), 0))
        for d in (start.date() + timedelta(days=i) for i in range(days))
    ]


def named_user_ids(user: AnyUser) -> set[int] | None:
    """People the viewer may see named: those sharing a site with them (None: everyone)."""
    if user.is_superuser:
        return None
    sites = Site.objects.visible_to(user)
    return set(Membership.objects.filter(site__in=sites).values_list("user_id", flat=True))


def _splits(rows: list[dict], label_of) -> list[Split]:
    totals: dict[str, list[int]] = {}
    for row in rows:
        pair = totals.setdefault(label_of(row), [0, 0])
        pair[0 if row["category"] == ApiCategory.NETCODE else 1] += row["n"]
    splits = [Split(label, n, u) for label, (n, u) in totals.items()]
    return sorted(splits, key=lambda s: (-s.total, s.label))


def _busiest(rows: list[dict], named: set[int] | None) -> set[int]:
    """The PEOPLE_SHOWN people the viewer may see named who made the most calls."""
    totals: dict[int, int] = {}
    for row in rows:
        if row["user_id"] is not None and (named is None or row["user_id"] in named):
            totals[row["user_id"]] = totals.get(row["user_id"], 0) + row["n"]
    return set(sorted(totals, key=lambda pk: (-totals[pk], pk))[:PEOPLE_SHOWN])


def split_by_user(user: AnyUser, now: datetime) -> list[Split]:
    """This month's calls of the busiest people; the others are counted together."""
    rows = list(_month_calls(now).values("user_id", "category").annotate(n=Count("pk")).order_by())
    named = named_user_ids(user)
    shown = _busiest(rows, named)
    names = dict(get_user_model().objects.filter(pk__in=shown).values_list("pk", "username"))

    def label(row: dict) -> str:
        if row["user_id"] is None:
            return NO_PERSON
        if named is not None and row["user_id"] not in named:
            return OTHER_SITES
        return names.get(row["user_id"], OTHER_PEOPLE)

    return _splits(rows, label)


def split_by_task(now: datetime) -> list[Split]:
    """This month's calls per task, "sync:123" counted as "sync" (one query)."""
    colon = StrIndex("task", Value(":"))
    name = Case(
        When(task="", then=Value(PEOPLE)),
        When(Q(colon__gt=0), then=Left("task", F("colon") - 1)),
        default=F("task"),
        output_field=CharField(),
    )
    rows = list(
        _month_calls(now)
        .annotate(colon=colon)
        .annotate(name=name)
        .values("name", "category")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return _splits(rows, lambda row: row["name"])


def _projection(quota: QuotaStatus, now: datetime) -> Projection:
    start, end = month_bounds(now)
    return Projection(
        quota=quota,
        projected=project(quota.used, start=start, end=end, now=now),
        runs_out_on=runs_out_on(quota.used, quota.limit, start=start, now=now),
    )


def _chart(category: ApiCategory, days: list, projection: Projection, now: datetime, budget):
    netcode = category == ApiCategory.NETCODE
    daily = [(f"{d:%-d}", n if netcode else u) for d, n, u in days]
    return cumulative_chart(
        f"usage-{category}",
        f"{category.label} calls this month",
        daily,
        today_index=now.astimezone(UTC).day - 1,
        limit=projection.quota.limit,
        projected=projection.projected,
        budget=budget,
    )


def usage_report(user: AnyUser, *, now: datetime) -> UsageReport:
    """Everything the usage page shows besides the latest calls."""
    start, end = month_bounds(now)
    days = calls_per_day(now)
    projections = [
        _projection(quota_status(c, now=now), now)
        for c in (ApiCategory.NETCODE, ApiCategory.UTILITY)
    ]
    share = sync_share()
    charts = [
        _chart(ApiCategory.NETCODE, days, projections[0], now, None),
        _chart(ApiCategory.UTILITY, days, projections[1], now, share),
    ]
    return UsageReport(
        month_start=start,
        month_end=end,
        days=days,
        projections=projections,
        sync_share=share,
        by_user=split_by_user(user, now),
        by_task=split_by_task(now),
        charts=charts,
    )


def caller_label(call: ApiCall, named: set[int] | None) -> str:
    """Who made a call, without naming people of sites the viewer does not belong to."""
    if call.user_id is None:
        return call.task or "portal"
    if named is not None and call.user_id not in named:
        return OTHER_SITES
    return str(call.user)


def ledger_csv_rows(user: AnyUser, *, now: datetime) -> Iterator[list]:
    """The header, then every call of this month in the ledger, oldest first."""
    yield LEDGER_CSV_COLUMNS
    named = named_user_ids(user)
    start, end = month_bounds(now)
    calls = (
        ApiCall.objects.filter(at__gte=start, at__lt=end)
        .select_related("user")
        .order_by("at", "pk")
    )
    for call in calls.iterator(chunk_size=2000):
        yield [
            f"{call.at.astimezone(UTC):%Y-%m-%d %H:%M:%S}",
            call.category,
            call.operation,
            call.method,
            call.status if call.status is not None else call.error,
            call.elapsed_ms,
            caller_label(call, named),
            call.task,
            "no" if call.status is None or call.status in UNBILLED else "yes",
        ]
