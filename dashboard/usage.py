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
from django.db.models import (
    BooleanField,
    Case,
    CharField,
    Count,
    ExpressionWrapper,
    F,
    Q,
    Value,
    When,
)
from django.db.models.functions import Left, StrIndex, TruncDate

from dashboard.cached import newest_ids, remember
from dashboard.charts import Chart, cumulative_chart
from k3clients.sync.budget import sync_share
from locks.models import Membership, Site
from netcodes.models import ApiCall, ApiCategory
from netcodes.quota import QuotaStatus, plan_limit

if TYPE_CHECKING:
    from locks.models.sites import AnyUser

OTHER_SITES = "People of other sites"
OTHER_PEOPLE = "Everyone else of your sites"
# Hundreds of names make a table nobody reads; the CSV export names everyone.
PEOPLE_SHOWN = 20
RECENT_CALLS = 50
NO_PERSON = "No person (background tasks)"
REMOVED_PERSON = "A removed account"
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
BOOL = BooleanField()


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
    by_operation: list[dict]
    recent: list[tuple[ApiCall, str]]


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


def _task_name() -> Case:
    """The task without its run id ("sync:123" is "sync"), read from a `colon` annotation."""
    return Case(
        When(task="", then=Value(PEOPLE)),
        When(Q(colon__gt=0), then=Left("task", F("colon") - 1)),
        default=F("task"),
        output_field=CharField(),
    )


@dataclass(frozen=True)
class LedgerMonth:
    """This month's ledger counted once: what every viewer's usage page is drawn from."""

    per_day: dict[tuple[date, str], int]
    by_user: list[dict]
    by_task: list[dict]
    by_operation: list[dict]
    recent: list[ApiCall]


BILLABLE = Q(status__isnull=False) & ~Q(status__in=UNBILLED)  # as ApiCall.objects.billable()


def _add(totals: dict, key: tuple, n: int) -> None:
    totals[key] = totals.get(key, 0) + n


def _count_month(now: datetime) -> LedgerMonth:
    """The month's calls per day, person, task and operation, and the latest 50 (3 queries).

    The month's rows are read twice, not once per figure: per day and operation (billed or
    not), and per person and task (billed); the figures are added up from those.
    """
    start, end = month_bounds(now)
    # A range on the indexed time, not EXTRACT(MONTH …), which reads the whole year.
    month = ApiCall.objects.filter(at__gte=start, at__lt=end)
    per_day: dict[tuple[date, str], int] = {}
    per_operation: dict[tuple[str, str], int] = {}
    daily = (
        month.annotate(day=TruncDate("at", tzinfo=UTC), billed=ExpressionWrapper(BILLABLE, BOOL))
        .values_list("day", "category", "operation", "billed")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for day, category, operation, billed, n in daily:
        _add(per_operation, (category, operation), n)
        if billed:
            _add(per_day, (day, category), n)
    by_user: dict[tuple[int | None, str], int] = {}
    by_task: dict[tuple[str, str], int] = {}
    people = (
        month.filter(BILLABLE)
        .annotate(colon=StrIndex("task", Value(":")))
        .annotate(name=_task_name())
        .values_list("user_id", "name", "category")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for user_id, name, category, n in people:
        _add(by_user, (user_id, category), n)
        _add(by_task, (name, category), n)
    return LedgerMonth(
        per_day=per_day,
        by_user=[{"user_id": u, "category": c, "n": n} for (u, c), n in by_user.items()],
        by_task=[{"name": t, "category": c, "n": n} for (t, c), n in by_task.items()],
        by_operation=[
            {"category": c, "operation": o, "calls": n}
            for (c, o), n in sorted(per_operation.items())
        ],
        recent=list(month.order_by("-at", "-pk")[:RECENT_CALLS]),
    )


def ledger_month(now: datetime) -> LedgerMonth:
    """`_count_month`, kept until the ledger records a call (rows are only ever added)."""
    (newest,) = newest_ids(ApiCall)
    start, _ = month_bounds(now)
    return remember(f"usage:month:{start:%Y-%m}:{newest}", lambda: _count_month(now))


def calls_per_day(now: datetime, month: LedgerMonth | None = None) -> list[tuple[date, int, int]]:
    """(day, NetCode calls, Utility calls) for every day of this UTC month."""
    found = (month or ledger_month(now)).per_day
    start, _ = month_bounds(now)
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


def _names(user_ids: set[int]) -> dict[int, str]:
    return dict(get_user_model().objects.filter(pk__in=user_ids).values_list("pk", "username"))


def split_by_user(user: AnyUser, now: datetime) -> list[Split]:
    """This month's calls of the busiest people; the others are counted together."""
    rows, named = ledger_month(now).by_user, named_user_ids(user)
    return _user_splits(rows, named, _names(_busiest(rows, named)))


def _user_splits(rows: list[dict], named: set[int] | None, names: dict[int, str]) -> list[Split]:

    def label(row: dict) -> str:
        if row["user_id"] is None:
            return NO_PERSON
        if named is not None and row["user_id"] not in named:
            return OTHER_SITES
        return names.get(row["user_id"], OTHER_PEOPLE)

    return _splits(rows, label)


def split_by_task(now: datetime, month: LedgerMonth | None = None) -> list[Split]:
    """This month's calls per task, "sync:123" counted as "sync"."""
    return _splits((month or ledger_month(now)).by_task, lambda row: row["name"])


def recent_calls(
    month: LedgerMonth, named: set[int] | None, names: dict[int, str]
) -> list[tuple[ApiCall, str]]:
    """The latest calls with who made them, named only to those who share a site with them."""
    return [(call, caller_label(call, named, names)) for call in month.recent]


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


def _quota(category: ApiCategory, used: int, end: datetime) -> QuotaStatus:
    return QuotaStatus(category=category, limit=plan_limit(category), used=used, resets_at=end)


def usage_report(user: AnyUser, *, now: datetime) -> UsageReport:
    """Everything the usage page shows, from the month's ledger counted once."""
    named = named_user_ids(user)
    start, end = month_bounds(now)
    month = ledger_month(now)
    # One read of the names: the busiest people and the callers of the latest calls.
    callers = {call.user_id for call in month.recent if call.user_id is not None}
    names = _names(_busiest(month.by_user, named) | callers)
    days = calls_per_day(now, month)
    # The days count the same billable calls of the same month as the quota does.
    used = (sum(n for _, n, _ in days), sum(u for _, _, u in days))
    projections = [
        _projection(_quota(category, calls, end), now)
        for category, calls in zip((ApiCategory.NETCODE, ApiCategory.UTILITY), used, strict=True)
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
        by_user=_user_splits(month.by_user, named, names),
        by_task=split_by_task(now, month),
        charts=charts,
        by_operation=month.by_operation,
        recent=recent_calls(month, named, names),
    )


def caller_label(call: ApiCall, named: set[int] | None, names: dict[int, str] | None = None) -> str:
    """Who made a call, without naming people of sites the viewer does not belong to."""
    if call.user_id is None:
        return call.task or "portal"
    if named is not None and call.user_id not in named:
        return OTHER_SITES
    if names is None:
        return str(call.user)
    # Counted before its account was removed: the ledger no longer names anyone.
    return names.get(call.user_id, REMOVED_PERSON)


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
