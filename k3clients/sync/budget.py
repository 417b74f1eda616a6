"""The sync's share of the month's Utility quota, and how much of it may be spent right now."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.db.models import Count, Q
from django.utils import timezone

from netcodes.models import ApiCall, ApiCategory
from netcodes.quota import plan_limit, quota_status

SYNC_TASK_PREFIX = "sync"
QUOTA_LOW = (
    "Sync paused: only {left} Utility calls are left this month, and they are kept for "
    "people's own actions. Sync resumes on {reset:%-d %B}."
)
SHARE_SPENT = "Sync paused: its share of this month's Utility quota ({share} calls) is spent."


@dataclass(frozen=True)
class SyncBudget:
    """What sync may spend this month, has spent, and may spend now."""

    share: int
    spent: int
    spent_today: int
    quota_left: int
    left: int
    allowed_now: int
    resets_at: datetime
    as_of: datetime
    paused: str = ""

    @property
    def per_day(self) -> float:
        """Calls a day at the current pace: what is left, spread over the days left."""
        days = max((self.resets_at - self.as_of) / timedelta(days=1), 1.0)
        return (self.left + self.spent_today) / days

    @property
    def planned_today(self) -> int:
        """Calls sync means to spend today, at its current pace."""
        return self.spent_today + self.allowed_now


def month_bounds(now: datetime) -> tuple[datetime, datetime]:
    """The UTC calendar month around `now` (the plan's quota month)."""
    start = now.astimezone(UTC).replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    end = start.replace(year=start.year + start.month // 12, month=start.month % 12 + 1)
    return start, end


def pace(
    *, now: datetime, left: int, spent_today: int, month_end: datetime, max_per_run: int
) -> int:
    """Calls allowed now: today's even share of what is left, accrued through the day."""
    day_start = now.astimezone(UTC).replace(hour=0, minute=0, second=0, microsecond=0)
    days_left = max(math.ceil((month_end - day_start) / timedelta(days=1)), 1)
    today = (left + spent_today) / days_left
    accrued = today * ((now - day_start) / timedelta(days=1))
    return max(0, min(math.floor(accrued) - spent_today, left, max_per_run))


def sync_share(plan: str | None = None) -> int:
    """Calls a month sync may spend: the setting, or the plan's quota less the people's reserve."""
    configured = settings.KEYHOUSE_SYNC_MONTHLY_CALLS
    if configured is not None:
        return configured
    limit = plan_limit(ApiCategory.UTILITY, plan)
    return math.floor(limit * (1 - settings.CODELOCKS_UTILITY_RESERVE))


def _sync_calls():
    return ApiCall.objects.billable().filter(
        category=ApiCategory.UTILITY, task__startswith=SYNC_TASK_PREFIX
    )


def sync_budget(*, now: datetime | None = None) -> SyncBudget:
    """This month's sync budget from the usage ledger, and what the planner may spend now."""
    now = now or timezone.now()
    start, end = month_bounds(now)
    day_start = now.astimezone(UTC).replace(hour=0, minute=0, second=0, microsecond=0)
    share = sync_share()
    counts = (
        _sync_calls()
        .filter(at__gte=start, at__lt=end)
        .aggregate(spent=Count("pk"), today=Count("pk", filter=Q(at__gte=day_start)))
    )
    spent, spent_today = counts["spent"], counts["today"]
    quota = quota_status(ApiCategory.UTILITY, now=now)
    floor = math.ceil(quota.limit * settings.KEYHOUSE_SYNC_STOP_BELOW)
    left = max(0, min(share - spent, quota.left - floor))
    paused = ""
    if quota.left <= floor:
        paused = QUOTA_LOW.format(left=quota.left, reset=end)
    elif spent >= share:
        paused = SHARE_SPENT.format(share=share)
    allowed = pace(
        now=now,
        left=left,
        spent_today=spent_today,
        month_end=end,
        max_per_run=settings.KEYHOUSE_SYNC_MAX_CALLS_PER_RUN,
    )
    return SyncBudget(
        share=share,
        spent=spent,
        spent_today=spent_today,
        quota_left=quota.left,
        left=left,
        allowed_now=allowed,
        resets_at=end,
        as_of=now,
        paused=paused,
    )
