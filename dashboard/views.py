"""Pages of the manager's view: dashboards, the audit browser, the activity log, timelines."""

from __future__ import annotations

import csv
from datetime import datetime, time, timedelta

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone

from dashboard import audit
from dashboard.forms import ActivityFilterForm, AuditFilterForm
from dashboard.models import ActivityEvent
from dashboard.scope import EverySite
from dashboard.timeline import Cursor, kitlock_sources, merge_timeline, smartlock_sources
from dashboard.widgets import dashboard_context
from k3clients.access import lock_for
from locks.access import kitlock_for, remember_site, site_for
from locks.models import Role, Site

ACTIVITY_PER_PAGE = 25
SITE_ROWS = 12
HEALTH_TTL = 60  # seconds the home page's lock counts may be old


class _Echo:
    """A file-like object whose write gives back the line, for streaming CSV."""

    def write(self, value: str) -> str:
        return value


def stream_csv(rows, filename: str) -> StreamingHttpResponse:
    """Send rows as a CSV download, written as they are read."""
    writer = csv.writer(_Echo())
    response = StreamingHttpResponse(
        (writer.writerow(row) for row in rows), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def overview(request: HttpRequest) -> HttpResponse:
    """Every site of the user at a glance: the sites needing attention first, then the widgets."""
    sites = list(Site.objects.visible_to(request.user).with_member_counts().order_by("name"))
    if request.user.is_superuser:
        sites = EverySite(sites)
    now = timezone.now()
    context = (
        dashboard_context(request.user, sites, now=now, health_ttl=HEALTH_TTL, page="home")
        if sites
        else {}
    )
    # A manager of hundreds of sites reads the few that need someone, not a card for each.
    by_pk = {site.pk: site for site in sites}
    worst = sorted(
        ((by_pk[row.site_id], row) for row in context.get("sites_locks", [])),
        key=lambda pair: (-pair[1].attention, pair[0].name),
    )
    return render(
        request,
        "dashboard/home.html",
        {
            "sites": sites,
            "site_rows": worst[:SITE_ROWS],
            "more_sites": len(worst) > SITE_ROWS,
            **context,
        },
    )


def site_dashboard(request: HttpRequest, site_id: int) -> HttpResponse:
    """One site at a glance."""
    site = site_for(request, site_id)
    role = site.role_of(request.user)
    remember_site(request, site)
    # A Manager or Admin of this site may see the usage; others may be one elsewhere.
    usage = True if role.includes(Role.MANAGER) else None
    context = dashboard_context(request.user, [site], now=timezone.now(), usage_visible=usage)
    is_admin = role == Role.ADMIN
    return render(
        request, "dashboard/site_dashboard.html", {"site": site, "is_admin": is_admin, **context}
    )


def audit_browser(request: HttpRequest) -> HttpResponse:
    """Door events of every smart lock the user may see, filtered, paged by keyset; CSV."""
    form = AuditFilterForm(request.GET or None, user=request.user)
    valid = form.is_valid() or not request.GET
    filters = form.filters() if form.is_bound and valid else audit.AuditFilters()
    entries = audit.audit_entries(request.user, filters)
    if not valid:
        entries = entries.none()
    if request.GET.get("export") == "csv":
        rows = audit.audit_csv_rows(entries, oldest_first=filters.oldest_first)
        return stream_csv(rows, "audit-entries.csv")
    page = audit.audit_page(
        entries,
        oldest_first=filters.oldest_first,
        after=audit.Key.decode(request.GET.get("after")),
        before=audit.Key.decode(request.GET.get("before")),
    )
    sites = list(form.fields["site"].queryset)
    query = request.GET.copy()
    for name in ("after", "before", "export"):
        query.pop(name, None)
    return render(
        request,
        "dashboard/audit.html",
        {
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "entry_types": audit.entry_types(request.user, sites) if sites else [],
            "has_locks": form.fields["lock"].queryset.exists(),
            "filtered": bool(query),
        },
    )


def _activity(site: Site, form: ActivityFilterForm):
    events = ActivityEvent.objects.filter(site=site).select_related("site")
    if not form.is_valid():
        return events.none() if form.is_bound else events.order_by("-created_at", "-pk")
    data = form.cleaned_data
    if data["verb"]:
        events = events.filter(verb=data["verb"])
    if data["person"]:
        events = events.filter(actor_name__icontains=data["person"].strip())
    if data["date_from"]:
        events = events.filter(
            created_at__gte=datetime.combine(data["date_from"], time.min, site.tz)
        )
    if data["date_to"]:
        end = datetime.combine(data["date_to"] + timedelta(days=1), time.min, site.tz)
        events = events.filter(created_at__lt=end)
    oldest = data.get("sort") == "oldest"
    return events.order_by(*(("created_at", "pk") if oldest else ("-created_at", "-pk")))


def activity_log(request: HttpRequest, site_id: int) -> HttpResponse:
    """What people did on a site (Admins only), filtered and paged."""
    site = site_for(request, site_id, role=Role.ADMIN)
    form = ActivityFilterForm(request.GET or None)
    events = _activity(site, form)
    page = Paginator(events, ACTIVITY_PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "dashboard/activity.html",
        {"site": site, "form": form, "page": page, "query": query.urlencode()},
    )


def _timeline(request: HttpRequest, lock, sources, url_name: str) -> HttpResponse:
    page = merge_timeline(sources, before=Cursor.decode(request.GET.get("before")))
    context = {"lock": lock, "site": lock.site, "timeline": page, "timeline_url": url_name}
    if request.headers.get("HX-Request"):
        return render(request, "dashboard/_timeline_items.html", context)
    return render(request, "dashboard/timeline.html", context)


def kitlock_timeline(request: HttpRequest, lock_id: int) -> HttpResponse:
    """Older events of a KitLock's timeline."""
    lock = kitlock_for(request, lock_id)
    return _timeline(request, lock, kitlock_sources(lock), "kitlock_timeline")


def smartlock_timeline(request: HttpRequest, lock_pk: int) -> HttpResponse:
    """Older events of a smart lock's timeline."""
    lock = lock_for(request, lock_pk)
    return _timeline(request, lock, smartlock_sources(lock), "smartlock_timeline")
