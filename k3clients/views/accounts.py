"""Pages for K3 Connect accounts: the smart-lock overview, linking, keys and lock lists."""

from __future__ import annotations

from typing import TYPE_CHECKING
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from k3clients import services
from k3clients.access import account_for
from k3clients.errors import USER_FACING_ERRORS
from k3clients.forms import AccessKeyForm
from k3clients.models import LOW_BATTERY_REGEX, K3Account, SmartLock
from locks.access import remember_site, site_for
from locks.forms import search_text
from locks.models import Membership, Role, Site
from locks.paging import uncounted_page

if TYPE_CHECKING:
    from locks.models.sites import AnyUser

SITES_PER_PAGE = 25
NO_LOCKS = {"lock_count": 0, "attention": 0, "low_battery": 0, "gone": 0}
ACCOUNT_LOCKS_PER_PAGE = 50

LINKED = "Linked the K3 Connect account {email}: {count} smart lock(s) found."
KEY_REPLACED = "The new access key of {email} works and is saved (ending …{last4})."
CHECKED = "The access key of {email} still works; account status: {status}."
UNLINKED = "The K3 Connect account {email} is unlinked; its key is deleted from Keyhouse."
LOCKS_REFRESHED = "Lock list refreshed: {added} new, {updated} updated, {gone} no longer on it."


def smart_lock_index(request: HttpRequest) -> HttpResponse:
    """The user's sites, a page at a time, each summed up in one row: accounts, locks, attention."""
    user = request.user
    q, search_error = search_text(request)
    sites = Site.objects.visible_to(user).only("pk", "name")
    if q:
        sites = sites.filter(name__icontains=q)
    page = uncounted_page(sites.order_by("name"), request.GET.get("page"), SITES_PER_PAGE)
    site_ids = [site.pk for site in page]
    roles = {} if user.is_superuser else _roles(user, site_ids)
    accounts = (
        K3Account.objects.filter(site_id__in=site_ids)
        .only("pk", "site_id", "email", "key_rejected_at")
        .order_by("email")
    )
    counts = _lock_counts(site_ids)
    rows = [
        {
            "site": site,
            "is_admin": user.is_superuser or roles.get(site.pk) == Role.ADMIN,
            "accounts": [a for a in accounts if a.site_id == site.pk],
            **counts.get(site.pk, NO_LOCKS),
        }
        for site in page
    ]
    query = urlencode({"q": q}) if q else ""
    context = {"rows": rows, "page": page, "q": q, "query": query, "search_error": search_error}
    return render(request, "k3clients/index.html", context)


def _roles(user: AnyUser, site_ids: list[int]) -> dict[int, str]:
    memberships = Membership.objects.filter(user=user, site_id__in=site_ids)
    return dict(memberships.values_list("site_id", "role"))


def _lock_counts(site_ids: list[int]) -> dict[int, dict[str, int]]:
    """Per site: its smart locks, those the lock list flags for attention, and why, in one query."""
    low = Q(gone_at__isnull=True, battery_status__regex=LOW_BATTERY_REGEX)
    gone = Q(gone_at__isnull=False)
    attention = gone | low | Q(account__key_rejected_at__isnull=False)
    rows = (
        SmartLock.objects.filter(site_id__in=site_ids)
        .order_by()
        .values("site_id")
        .annotate(
            lock_count=Count("pk"),
            attention=Count("pk", filter=attention),
            low_battery=Count("pk", filter=low),
            gone=Count("pk", filter=gone),
        )
    )
    return {row.pop("site_id"): row for row in rows}


def account_link(request: HttpRequest, site_id: int) -> HttpResponse:
    """Link a K3 Connect account to a site by its access key (Admins)."""
    site = site_for(request, site_id, role=Role.ADMIN)
    form = AccessKeyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            account = services.k3_account_link(
                site=site, access_key=form.cleaned_data["access_key"], user=request.user
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        except USER_FACING_ERRORS as exc:
            form.add_error(None, exc.user_message)
        else:
            remember_site(request, site)
            count = account.locks.count()
            messages.success(request, LINKED.format(email=account.email, count=count))
            return redirect("k3_account_detail", account_id=account.pk)
    return render(request, "k3clients/account_link.html", {"form": form, "site": site})


def account_detail(request: HttpRequest, account_id: int) -> HttpResponse:
    """An account: its e-mail, status, the key's last four characters and its locks."""
    account = account_for(request, account_id)
    remember_site(request, account.site)
    return render(
        request,
        "k3clients/account_detail.html",
        {
            "account": account,
            "site": account.site,
            "locks": uncounted_page(
                account.locks.order_by("gone_at", "name", "pk"),
                request.GET.get("page"),
                ACCOUNT_LOCKS_PER_PAGE,
            ),
            "is_admin": account.site.role_of(request.user) == Role.ADMIN,
        },
    )


def account_replace_key(request: HttpRequest, account_id: int) -> HttpResponse:
    """Replace the account's access key after it was changed in the app (Admins)."""
    account = account_for(request, account_id, role=Role.ADMIN)
    form = AccessKeyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.k3_account_replace_key(
                account=account, access_key=form.cleaned_data["access_key"], user=request.user
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        except USER_FACING_ERRORS as exc:
            form.add_error(None, exc.user_message)
        else:
            text = KEY_REPLACED.format(email=account.email, last4=account.access_key_last4)
            messages.success(request, text)
            return redirect("k3_account_detail", account_id=account.pk)
    return render(
        request,
        "k3clients/account_key.html",
        {"form": form, "account": account, "site": account.site},
    )


@require_POST
def account_check(request: HttpRequest, account_id: int) -> HttpResponse:
    """Check now that the stored key still opens the account (Admins)."""
    account = account_for(request, account_id, role=Role.ADMIN)
    try:
        services.k3_account_check(account=account, user=request.user)
    except USER_FACING_ERRORS as exc:
        messages.error(request, exc.user_message)
    else:
        messages.success(request, CHECKED.format(email=account.email, status=account.status))
    return redirect("k3_account_detail", account_id=account.pk)


@require_POST
def account_locks_refresh(request: HttpRequest, account_id: int) -> HttpResponse:
    """Fetch the account's lock list now."""
    account = account_for(request, account_id)
    try:
        result = services.account_locks_refresh(account=account, user=request.user)
    except USER_FACING_ERRORS as exc:
        messages.error(request, exc.user_message)
    else:
        messages.success(
            request,
            LOCKS_REFRESHED.format(added=result.added, updated=result.updated, gone=result.gone),
        )
    return redirect("k3_account_detail", account_id=account.pk)


def account_unlink(request: HttpRequest, account_id: int) -> HttpResponse:
    """Unlink an account after a confirmation page (Admins)."""
    account = account_for(request, account_id, role=Role.ADMIN)
    if request.method == "POST":
        services.k3_account_unlink(account=account, user=request.user)
        messages.success(request, UNLINKED.format(email=account.email))
        return redirect("k3_index")
    return render(
        request, "k3clients/account_unlink.html", {"account": account, "site": account.site}
    )
