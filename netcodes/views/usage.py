"""The usage page: this month's API calls against the plan's quotas."""

from __future__ import annotations

from datetime import UTC

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from dashboard.usage import PEOPLE_SHOWN, ledger_csv_rows, usage_report
from dashboard.views import stream_csv
from locks.models import Membership, Role

USAGE_DENIED = "The API usage is shown to the Managers and Admins of a site."


def usage(request: HttpRequest) -> HttpResponse:
    """This month's calls per day, category, operation, person and task; the latest calls.

    The month's counts are kept until the ledger records a call; see dashboard.usage.
    """
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
    report = usage_report(user, now=now)
    return render(
        request,
        "netcodes/usage.html",
        {
            "plan": settings.CODELOCKS_PLAN,
            "quotas": [projection.quota for projection in report.projections],
            "by_operation": report.by_operation,
            "recent": report.recent,
            "report": report,
            "people_shown": PEOPLE_SHOWN,
        },
    )
