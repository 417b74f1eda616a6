"""The history of NetCodes given through the portal: filters and CSV export."""

from __future__ import annotations

import csv
from collections.abc import Sequence
from datetime import UTC, datetime, time
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from config.links import link_for
from locks.paging import uncounted_page
from netcodes import clock
from netcodes.forms import HistoryFilterForm
from netcodes.models import NetCodeIssue, NetCodeIssueQuerySet

# A screenful: people narrow the history with the filters rather than read long pages, and
# a filtered page (one site, one person) reads fewer rows to fill it.
PER_PAGE = 25
CSV_COLUMNS = [
    "site",
    "lock",
    "location",
    "model",
    "starts (site time)",
    "ends (site time)",
    "starts (lock clock)",
    "lock clock",
    "duration",
    "mode",
    "code",
    "for",
    "e-mail",
    "note",
    "asked by",
    "asked at (UTC)",
    "from history",
    "sent to",
]


# The orders people can choose; each ends in the primary key so pages never overlap.
HISTORY_SORTS: dict[str, tuple[str, ...]] = {
    "asked": ("-requested_at", "-pk"),
    "starts": ("-netcode__starts_at", "-pk"),
    "starts_first": ("netcode__starts_at", "pk"),
}


# What a row of the table shows, read with values(): no model instances for a page of 50.
ROW_FIELDS = (
    "pk",
    "requested_at",
    "recipient_name",
    "recipient_email",
    "from_history",
    "sent_to",
    "requested_by__username",
    "netcode__lock_name",
    "site_id",
    "netcode__starts_at",
    "netcode__ends_at",
    "netcode__duration_label",
    "netcode__code",
)


def _filtered(request: HttpRequest, form: HistoryFilterForm) -> NetCodeIssueQuerySet:
    issues = NetCodeIssue.objects.visible_to(request.user)
    if not form.is_valid():
        return issues
    data = form.cleaned_data
    if data["site"]:
        # The issue's own site: its index gives a quiet site's page as fast as a busy one's.
        issues = issues.filter(site=data["site"])
    lock_filter = form.lock_filter()
    if lock_filter:
        issues = issues.filter(**{f"netcode__{k}": v for k, v in lock_filter.items()})
    if data["person"]:
        text = data["person"].strip()
        # The askers are found first (a few hundred users): their ids, unlike a join or a
        # subquery, let PostgreSQL pick between walking the date index for a common name and
        # the trigram indexes for a rare one.
        askers = get_user_model().objects.filter(
            Q(username__icontains=text) | Q(email__icontains=text)
        )
        issues = issues.filter(
            Q(recipient_name__icontains=text)
            | Q(recipient_email__icontains=text)
            | Q(requested_by__in=list(askers.values_list("pk", flat=True)))
        )
    # Days are read on the chosen site's clock (UTC when several sites are shown).
    tz = data["site"].tz if data["site"] else UTC
    if data["date_from"]:
        start = datetime.combine(data["date_from"], time.min, tzinfo=tz)
        issues = issues.filter(netcode__ends_at__gt=start)
    if data["date_to"]:
        end = datetime.combine(data["date_to"], time.max, tzinfo=tz)
        issues = issues.filter(netcode__starts_at__lte=end)
    return issues


def netcode_history(request: HttpRequest) -> HttpResponse:
    """Every code given on the user's sites, newest first, a page at a time; CSV on request."""
    form = HistoryFilterForm(request.GET or None, user=request.user)
    sort = form.cleaned_data.get("sort") if form.is_valid() else ""
    issues = _filtered(request, form).order_by(*HISTORY_SORTS.get(sort or "asked"))
    if request.GET.get("export") == "csv":
        return _csv(issues.select_related("netcode", "site", "requested_by"))
    page = uncounted_page(issues.values(*ROW_FIELDS), request.GET.get("page"), PER_PAGE)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "netcodes/history.html",
        {
            "form": form,
            "rows": _rows(page.object_list, form.site_clocks),
            "page": page,
            "query": query.urlencode(),
        },
    )


def _rows(
    issues: Sequence[dict[str, Any]], site_clocks: dict[int, tuple[str, str]]
) -> list[dict[str, Any]]:
    """The table's cells, worked out here: fifty rows of date filters and {% url %} are slow."""
    # Sites' names and clocks come from the filter's site list: one join fewer to plan.
    url = link_for("netcode_issue")
    rows = []
    for issue in issues:
        site_name, zone = site_clocks[issue["site_id"]]
        code = issue["netcode__code"] or ""
        rows.append(
            {
                "url": url(issue["pk"]),
                "lock": issue["netcode__lock_name"],
                "site": site_name,
                "starts": clock.site_time(issue["netcode__starts_at"], zone),
                "ends": clock.site_time(issue["netcode__ends_at"], zone, year=False),
                "duration": issue["netcode__duration_label"],
                "masked_code": "•" * (len(code) or 6),
                "name": issue["recipient_name"],
                "email": issue["recipient_email"],
                "asked_by": issue["requested_by__username"] or "—",
                "asked_at": clock.site_time(issue["requested_at"], zone),
                "from_history": issue["from_history"],
                "sent_to": issue["sent_to"] or "—",
            }
        )
    return rows


def _csv(issues: NetCodeIssueQuerySet) -> HttpResponse:
    """The history as CSV; codes stay masked (reveal them one by one on their page)."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="netcodes.csv"'
    writer = csv.writer(response)
    writer.writerow(CSV_COLUMNS)
    for issue in issues.iterator(chunk_size=500):
        nc, tz = issue.netcode, issue.site.tz
        writer.writerow(
            [
                issue.site.name,
                nc.lock_name,
                nc.lock_location,
                nc.lock_model,
                f"{nc.starts_at.astimezone(tz):%Y-%m-%d %H:%M}",
                f"{nc.ends_at.astimezone(tz):%Y-%m-%d %H:%M}",
                nc.lock_start,
                nc.clock_zone,
                nc.duration_label,
                nc.mode,
                nc.masked_code,
                issue.recipient_name,
                issue.recipient_email,
                issue.note,
                str(issue.requested_by or ""),
                f"{issue.requested_at:%Y-%m-%d %H:%M}",
                "yes" if issue.from_history else "no",
                issue.sent_to,
            ]
        )
    return response
