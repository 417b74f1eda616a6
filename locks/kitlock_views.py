"""Pages for KitLocks: the list, onboarding (wizard or by hand), a lock's page and clock care."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from codelocks.errors import CodelocksError
from locks import kitlock_services as services
from locks.access import kitlock_for, require_role
from locks.kitlock_forms import (
    KitLockAddForm,
    KitLockEditForm,
    KitLockFilterForm,
    KitLockInitForm,
    admin_sites,
)
from locks.listing import lock_page
from locks.models import Role, Site
from locks.paging import uncounted_page
from netcodes.models import NetCodeIssue
from netcodes.quota import QuotaExhausted

NOT_AN_ADMIN = "Only the Admins of a site can add locks to it."
# The codes starting last; the NetCode history, filtered to the lock, has every one of them.
NETCODES_SHOWN = 10


def kitlock_list(request: HttpRequest) -> HttpResponse:
    """The locks of the user's sites, with search and filters, a page at a time."""
    form = KitLockFilterForm(request.GET or None, user=request.user)
    filters = form.cleaned_data if form.is_valid() else {}
    locks = lock_page(
        request.user,
        site=filters.get("site"),
        q=filters.get("q", ""),
        model=filters.get("model", ""),
        attention=filters.get("attention", False),
        sort=filters.get("sort") or "site",
        page=request.GET.get("page"),
    )
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "locks/kitlock_list.html",
        {
            "form": form,
            "locks": locks,
            "query": query.urlencode(),
            "may_add": admin_sites(request.user).exists(),
        },
    )


def _current_site(request: HttpRequest) -> Site | None:
    site_id = request.GET.get("site")
    if site_id and site_id.isdigit():
        return Site.objects.visible_to(request.user).filter(pk=site_id).first()
    return None


def kitlock_initialise(request: HttpRequest) -> HttpResponse:
    """Onboarding wizard, step one: get an initialisation sequence from the API (Admins)."""
    if not admin_sites(request.user).exists():
        raise PermissionDenied(NOT_AN_ADMIN)
    form = KitLockInitForm(request.POST or None, user=request.user, site=_current_site(request))
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        require_role(request, data["site"], Role.ADMIN)
        try:
            lock = services.kitlock_initialise(user=request.user, **data)
        except (CodelocksError, QuotaExhausted) as exc:
            form.add_error(None, exc.user_message)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            return redirect("kitlock_sequence", lock_id=lock.pk)
    return render(request, "locks/kitlock_initialise.html", {"form": form})


def kitlock_add(request: HttpRequest) -> HttpResponse:
    """Add a KitLock that is already initialised, by its timecode and identifier (Admins)."""
    if not admin_sites(request.user).exists():
        raise PermissionDenied(NOT_AN_ADMIN)
    form = KitLockAddForm(request.POST or None, user=request.user, site=_current_site(request))
    if request.method == "POST" and form.is_valid():
        require_role(request, form.cleaned_data["site"], Role.ADMIN)
        try:
            lock = services.kitlock_add(user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, f"{lock.name} added.")
            return redirect("kitlock_detail", lock_id=lock.pk)
    return render(request, "locks/kitlock_add.html", {"form": form})


def kitlock_sequence(request: HttpRequest, lock_id: int) -> HttpResponse:
    """Wizard, step two: the sequence to key in now, and the confirmation that it was."""
    lock = kitlock_for(request, lock_id, role=Role.ADMIN)
    if request.method == "POST":
        services.kitlock_confirm_initialised(kitlock=lock, actor=request.user)
        messages.success(request, f"{lock.name} is initialised: its clock was set just now.")
        return redirect("kitlock_detail", lock_id=lock.pk)
    if not lock.awaiting_initialisation:
        return redirect("kitlock_detail", lock_id=lock.pk)
    return render(request, "locks/kitlock_sequence.html", {"lock": lock})


def kitlock_detail(request: HttpRequest, lock_id: int) -> HttpResponse:
    """A lock's page: what the portal knows of it and the codes generated for it."""
    lock = kitlock_for(request, lock_id)
    role = lock.site.role_of(request.user)
    codes = NetCodeIssue.objects.filter(netcode__kitlock=lock).select_related(
        "netcode__site", "requested_by"
    )
    issues = uncounted_page(codes.order_by("-netcode__starts_at", "-pk"), 1, NETCODES_SHOWN)
    return render(
        request,
        "locks/kitlock_detail.html",
        {
            "lock": lock,
            "issues": issues,
            "is_admin": role == Role.ADMIN,
            "may_generate": role is not None and role.includes(Role.MANAGER),
        },
    )


def kitlock_edit(request: HttpRequest, lock_id: int) -> HttpResponse:
    """Change a lock's name, location, notes, NetCode mode or clock zone (Admins)."""
    lock = kitlock_for(request, lock_id, role=Role.ADMIN)
    form = KitLockEditForm(request.POST or None, instance=lock)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Lock saved.")
        return redirect("kitlock_detail", lock_id=lock.pk)
    return render(request, "locks/kitlock_edit.html", {"form": form, "lock": lock})


@require_POST
def kitlock_batteries(request: HttpRequest, lock_id: int) -> HttpResponse:
    """Record that a lock's batteries were replaced (Managers and Admins)."""
    lock = kitlock_for(request, lock_id, role=Role.MANAGER)
    services.kitlock_batteries_replaced(kitlock=lock, actor=request.user)
    messages.warning(request, "Batteries recorded: set the lock's clock before its next NetCode.")
    return redirect("kitlock_clock", lock_id=lock.pk)


def kitlock_clock(request: HttpRequest, lock_id: int) -> HttpResponse:
    """The sequence that sets a lock's clock (Admins see it) and the confirmation it was set."""
    lock = kitlock_for(request, lock_id, role=Role.MANAGER)
    is_admin = lock.site.role_of(request.user) == Role.ADMIN
    if request.method == "POST":
        services.kitlock_clock_set(kitlock=lock, actor=request.user)
        messages.success(request, f"The clock of {lock.name} is set.")
        return redirect("kitlock_detail", lock_id=lock.pk)
    sequence = services.clock_sequence(lock) if is_admin else ""
    return render(
        request,
        "locks/kitlock_clock.html",
        {"lock": lock, "sequence": sequence, "is_admin": is_admin},
    )
