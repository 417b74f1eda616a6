"""The monthly quota of the configured usage plan, and the guard that protects it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from django.conf import settings
from django.db.models import Count, Q
from django.utils import timezone

from codelocks.plans import PLANS
from netcodes.models import ApiCall, ApiCategory

WARN_AT = 0.9

QUOTA_EXHAUSTED = (
    "This month's {category} quota of {limit} calls is used up, so Keyhouse will not call the "
    "Codelocks API for it until {reset:%-d %B}. Codes already issued are still in the history."
)


class QuotaExhausted(Exception):
    """The portal refuses to call the API because the month's quota is spent."""

    def __init__(self, status: QuotaStatus) -> None:
        self.status = status
        super().__init__(
            QUOTA_EXHAUSTED.format(
                category=status.category.label, limit=status.limit, reset=status.resets_at
            )
        )

    @property
    def user_message(self) -> str:
        return str(self)


@dataclass(frozen=True)
class QuotaStatus:
    """How much of one category's monthly quota is used."""

    category: ApiCategory
    limit: int
    used: int
    resets_at: datetime

    @property
    def left(self) -> int:
        return max(self.limit - self.used, 0)

    @property
    def fraction_used(self) -> float:
        return self.used / self.limit if self.limit else 1.0

    @property
    def warn(self) -> bool:
        return self.fraction_used >= WARN_AT

    @property
    def exhausted(self) -> bool:
        return self.left <= 0


def plan_limit(category: ApiCategory, plan: str | None = None) -> int:
    """The plan's monthly allowance for a category."""
    netcode, utility = PLANS[plan or settings.CODELOCKS_PLAN]
    return netcode if category == ApiCategory.NETCODE else utility


def _month_start(now: datetime) -> datetime:
    return now.replace(day=1, hour=0, minute=0, second=0, microsecond=0)


def _next_month(start: datetime) -> datetime:
    return start.replace(year=start.year + start.month // 12, month=start.month % 12 + 1)


def quota_status(category: ApiCategory, *, now: datetime | None = None) -> QuotaStatus:
    """This month's use of a category (UTC calendar month) against the plan."""
    now = now or timezone.now()
    start = _month_start(now.astimezone(UTC))
    used = (
        ApiCall.objects.billable()
        .filter(category=category, at__gte=start, at__lt=_next_month(start))
        .count()
    )
    return QuotaStatus(
        category=ApiCategory(category),
        limit=plan_limit(category),
        used=used,
        resets_at=_next_month(start),
    )


def quota_statuses(*, now: datetime | None = None) -> list[QuotaStatus]:
    """This month's use of NetCode and Utility calls against the plan (one query for both)."""
    now = now or timezone.now()
    start = _month_start(now.astimezone(UTC))
    categories = (ApiCategory.NETCODE, ApiCategory.UTILITY)
    used = (
        ApiCall.objects.billable()
        .filter(category__in=categories, at__gte=start, at__lt=_next_month(start))
        .aggregate(**{c.value: Count("pk", filter=Q(category=c)) for c in categories})
    )
    return [
        QuotaStatus(
            category=c, limit=plan_limit(c), used=used[c.value], resets_at=_next_month(start)
        )
        for c in categories
    ]


def quota_guard(category: ApiCategory, *, calls: int = 1) -> QuotaStatus:
    """Raise QuotaExhausted unless `calls` more calls fit in this month's quota."""
    status = quota_status(category)
    if status.left < calls:
        raise QuotaExhausted(status)
    return status
