"""The history of NetCodes given through the portal: filters and CSV export."""

from __future__ import annotations

import csv
from datetime import UTC, datetime, time

from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from locks.paging import uncounted_page
from netcodes.forms import HistoryFilterForm
from netcodes.models import NetCodeIssue, NetCodeIssueQuerySet

PER_PAGE = 50
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


def _filtered(request: HttpRequest, form: HistoryFilterForm) -> NetCodeIssueQuerySet:
    issues = NetCodeIssue.objects.visible_to(request.user).select_related(
        "netcode__site", "requested_by"
    )
    if not form.is_valid():
        return issues
    data = form.cleaned_data
    if data["site"]:
        issues = issues.filter(netcode__site=data["site"])
    lock_filter = form.lock_filter()
    if lock_filter:
        issues = issues.filter(**{f"netcode__{k}": v for k, v in lock_filter.items()})
    if data["person"]:
        text = data["person"].strip()
        issues = issues.filter(
            Q(recipient_name__icontains=text)
            | Q(recipient_email__icontains=text)
            | Q(requested_by__username__icontains=text)
            | Q(requested_by__email__icontains=text)
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
        return _csv(issues)
    page = uncounted_page(issues, request.GET.get("page"), PER_PAGE)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "netcodes/history.html",
        {"form": form, "issues": page, "page": page, "query": query.urlencode()},
    )


def _csv(issues: NetCodeIssueQuerySet) -> HttpResponse:
    """The history as CSV; codes stay masked (reveal them one by one on their page)."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="netcodes.csv"'
    writer = csv.writer(response)
    writer.writerow(CSV_COLUMNS)
    for issue in issues.iterator(chunk_size=500):
        nc, tz = issue.netcode, issue.netcode.site.tz
        writer.writerow(
            [
                nc.site.name,
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
