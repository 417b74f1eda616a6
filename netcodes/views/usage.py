"""The usage page: this month's API calls against the plan's quotas."""

from __future__ import annotations

from datetime import UTC

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from dashboard.usage import (
    PEOPLE_SHOWN,
    caller_label,
    ledger_csv_rows,
    month_bounds,
    named_user_ids,
    usage_report,
)
from dashboard.views import stream_csv
from locks.models import Membership, Role
from netcodes.models import ApiCall

USAGE_DENIED = "The API usage is shown to the Managers and Admins of a site."


def usage(request: HttpRequest) -> HttpResponse:
    """This month's calls per day, category, operation, person and task; the latest calls."""
    user = request.user
    may_see = (
        user.is_superuser
        or Membership.objects.filter(user=user, role__in=[Role.ADMIN, Role.MANAGER]).exists()
    )
    if not may_see:
        raise PermissionDenied(USAGE_DENIED)
    now = timezone.now().astimezone(UTC)
    if request.GET.get("export") == "csv":
        return stream_csv(ledger_csv_rows(user, now=now), f"api-usage-{now:%Y-%m}.csv")
    start, end = month_bounds(now)
    # A range on the indexed time, not EXTRACT(MONTH …), which reads the whole year.
    month = ApiCall.objects.filter(at__gte=start, at__lt=end)
    named = named_user_ids(user)
    recent = [(call, caller_label(call, named)) for call in month.select_related("user")[:50]]
    by_operation = (
        month.values("category", "operation")
        .annotate(calls=Count("id"))
        .order_by("category", "operation")
    )
    report = usage_report(user, now=now)
    return render(
        request,
        "netcodes/usage.html",
        {
            "plan": settings.CODELOCKS_PLAN,
            "quotas": [projection.quota for projection in report.projections],
            "by_operation": by_operation,
            "recent": recent,
            "report": report,
            "people_shown": PEOPLE_SHOWN,
        },
    )
