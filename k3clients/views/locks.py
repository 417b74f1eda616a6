"""Pages for one smart lock: its fields, phone users and audit entries, and their refreshes."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from k3clients import services
from k3clients.access import lock_for
from k3clients.errors import USER_FACING_ERRORS
from k3clients.models import SmartLock
from locks.access import remember_site
from locks.models import Role
from locks.paging import uncounted_page
from netcodes.models import NetCodeIssue

CLIENTS_PER_PAGE = 20
AUDIT_PER_PAGE = 25
# The newest codes; the NetCode history, filtered to this lock, has every one of them.
NETCODES_SHOWN = 10
LOCK_REFRESHED = "“{lock}” refreshed from the K3 Connect account."
CLIENTS_REFRESHED = "Phone users refreshed: {count} on this lock."
AUDIT_FETCHED = "Audit entries fetched: {count} new."


# How people can order a lock's phone users; the e-mail makes each order total.
CLIENT_SORTS: dict[str, tuple[str, ...]] = {
    "email": ("email",),
    "status": ("status", "email"),
    "access": ("access_type", "email"),
}
CLIENT_SORT_COLUMNS = [("email", "E-mail"), ("status", "Status"), ("access", "Access")]


def lock_detail(request: HttpRequest, lock_pk: int) -> HttpResponse:
    """A smart lock with every field, its phone users and its audit entries (newest first)."""
    lock = lock_for(request, lock_pk)
    remember_site(request, lock.site)
    # The sync planner reads this: locks people look at get their audit log first.
    SmartLock.objects.filter(pk=lock.pk).update(viewed_at=timezone.now())
    role = lock.site.role_of(request.user)
    # Pages without a COUNT(*): a busy lock has hundreds of thousands of audit entries.
    clients_sort = request.GET.get("clients_sort", "email")
    if clients_sort not in CLIENT_SORTS:
        clients_sort = "email"
    clients = lock.phone_clients.order_by(*CLIENT_SORTS[clients_sort])
    audit = lock.audit_entries.order_by("-date_entered", "-audit_entry_id")
    context = {
        "lock": lock,
        "site": lock.site,
        "account": lock.account,
        "clients_sort": clients_sort,
        "client_sort_columns": CLIENT_SORT_COLUMNS,
        "clients_page": uncounted_page(clients, request.GET.get("clients"), CLIENTS_PER_PAGE),
        "audit_page": uncounted_page(audit, request.GET.get("audit"), AUDIT_PER_PAGE),
        "is_admin": role == Role.ADMIN,
        "may_generate": role is not None and role.includes(Role.MANAGER),
    }
    fragment = request.GET.get("fragment") if request.headers.get("HX-Request") else None
    if fragment in ("clients", "audit"):
        return render(request, f"k3clients/_{fragment}.html", context)
    codes = NetCodeIssue.objects.filter(netcode__smartlock=lock).select_related(
        "netcode__site", "requested_by"
    )
    context["issues"] = uncounted_page(
        codes.order_by("-netcode__starts_at", "-pk"), 1, NETCODES_SHOWN
    )
    return render(request, "k3clients/lock_detail.html", context)


def _refresh(request: HttpRequest, lock_pk: int, action: str) -> HttpResponse:
    lock = lock_for(request, lock_pk)
    try:
        if action == "lock":
            services.lock_refresh(lock=lock, user=request.user)
            text = LOCK_REFRESHED.format(lock=lock)
        elif action == "clients":
            stored = services.lock_clients_refresh(lock=lock, user=request.user)
            text = CLIENTS_REFRESHED.format(count=len(stored))
        else:
            text = AUDIT_FETCHED.format(
                count=services.lock_audit_fetch(lock=lock, user=request.user)
            )
    except USER_FACING_ERRORS as exc:
        messages.error(request, exc.user_message)
    else:
        messages.success(request, text)
    return redirect("k3_lock_detail", lock_pk=lock.pk)


@require_POST
def lock_refresh(request: HttpRequest, lock_pk: int) -> HttpResponse:
    """Fetch this lock's record now (battery, firmware, time zone, location…)."""
    return _refresh(request, lock_pk, "lock")


@require_POST
def lock_clients_refresh(request: HttpRequest, lock_pk: int) -> HttpResponse:
    """Fetch this lock's phone users now, every page of them."""
    return _refresh(request, lock_pk, "clients")


@require_POST
def lock_audit_fetch(request: HttpRequest, lock_pk: int) -> HttpResponse:
    """Fetch this lock's new audit entries now."""
    return _refresh(request, lock_pk, "audit")
