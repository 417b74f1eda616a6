"""The usage page: this month's API calls against the plan's quotas."""

from __future__ import annotations

from datetime import UTC

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from locks.models import Membership, Role
from netcodes.models import ApiCall, ApiCategory
from netcodes.quota import quota_status

USAGE_DENIED = "The API usage is shown to the Managers and Admins of a site."


def usage(request: HttpRequest) -> HttpResponse:
    """This month's calls per category and operation, and the latest calls."""
    user = request.user
    may_see = (
        user.is_superuser
        or Membership.objects.filter(user=user, role__in=[Role.ADMIN, Role.MANAGER]).exists()
    )
    if not may_see:
        raise PermissionDenied(USAGE_DENIED)
    now = timezone.now().astimezone(UTC)
    month = ApiCall.objects.in_month(now.year, now.month)
    by_operation = (
        month.values("category", "operation")
        .annotate(calls=Count("id"))
        .order_by("category", "operation")
    )
    return render(
        request,
        "netcodes/usage.html",
        {
            "plan": settings.CODELOCKS_PLAN,
            "quotas": [quota_status(ApiCategory.NETCODE), quota_status(ApiCategory.UTILITY)],
            "by_operation": by_operation,
            "recent": month.select_related("user")[:50],
        },
    )
