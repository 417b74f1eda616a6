"""The sync page of a site: last runs, the month's budget, each lock's freshness, "sync now"."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.db.models import Func, IntegerField
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from k3clients.models import SyncRun
from k3clients.sync.budget import sync_budget
from k3clients.sync.freshness import (
    FRESHNESS_ORDERS,
    freshness_locks,
    freshness_rows,
    site_freshness,
)
from k3clients.sync.manual import (
    ALREADY_RUNNING,
    NOTHING_TO_SYNC,
    SYNC_STARTED,
    site_sync_estimate,
    site_sync_start,
)
from k3clients.sync.sweep import run_is_stalled, sync_runs_sweep
from locks.access import remember_site, site_for
from locks.models import Role, Site
from locks.paging import uncounted_page

RUNS_SHOWN = 20
LOCKS_PER_PAGE = 50


class JSONArrayLength(Func):
    """The length of a JSON array column, counted by the database."""

    function = "JSON_ARRAY_LENGTH"
    output_field = IntegerField()

    def as_postgresql(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        return self.as_sql(compiler, connection, function="JSONB_ARRAY_LENGTH", **extra)


def _last_runs(site: Site) -> list[SyncRun]:
    # A run's items list every lock of its account: the table needs only how many there are,
    # and the account's e-mail, not its key.
    return list(
        SyncRun.objects.filter(site=site)
        .select_related("account", "requested_by")
        .defer("items", "account__access_key")
        .annotate(item_count=JSONArrayLength("items"))[:RUNS_SHOWN]
    )


def _runs_context(site: Site) -> dict:
    runs, now = _last_runs(site), timezone.now()
    stalled = [run.pk for run in runs if not run.is_finished and run_is_stalled(run, now)]
    if stalled:
        # Closed here too, so the page never shows a dead run as running between sweeps.
        sync_runs_sweep(runs=SyncRun.objects.filter(pk__in=stalled), now=now)
        runs = _last_runs(site)
    return {"site": site, "runs": runs, "under_way": any(not r.is_finished for r in runs)}


def sync_page(request: HttpRequest, site_id: int) -> HttpResponse:
    """Last runs, the budget, the site's freshness summed up and a page of its locks, "sync now"."""
    site = site_for(request, site_id)
    remember_site(request, site)
    order = request.GET.get("order", "name")
    order = order if order in FRESHNESS_ORDERS else "name"
    now = timezone.now()
    locks = uncounted_page(freshness_locks(site, order), request.GET.get("page"), LOCKS_PER_PAGE)
    context = {
        **_runs_context(site),
        "budget": sync_budget(),
        "freshness": site_freshness(site, now),
        "locks": locks,
        "rows": freshness_rows(locks, now),
        "order": order,
        "query": "order=stale" if order == "stale" else "",
        "may_sync": site.role_of(request.user).includes(Role.MANAGER),
        "estimate": site_sync_estimate(site),
    }
    return render(request, "k3clients/sync_page.html", context)


def sync_progress(request: HttpRequest, site_id: int) -> HttpResponse:
    """The runs fragment the page polls while a run is under way."""
    site = site_for(request, site_id)
    return render(request, "k3clients/_sync_runs.html", _runs_context(site))


@require_POST
def sync_now(request: HttpRequest, site_id: int) -> HttpResponse:
    """Start a sync of the site's lock lists and audit logs (Managers and Admins)."""
    site = site_for(request, site_id, role=Role.MANAGER)
    sync_runs_sweep(runs=SyncRun.objects.filter(site=site))
    if SyncRun.objects.filter(site=site).unfinished().exists():
        messages.info(request, ALREADY_RUNNING.format(site=site))
    else:
        runs = site_sync_start(site=site, user=request.user)
        if runs:
            calls = sum(run.calls_planned for run in runs)
            messages.success(request, SYNC_STARTED.format(site=site, calls=calls))
        else:
            messages.error(request, NOTHING_TO_SYNC.format(site=site))
    return redirect("k3_sync_page", site_id=site.pk)
