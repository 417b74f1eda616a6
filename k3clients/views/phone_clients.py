"""Pages for phone users: invite (to one lock or several), active periods, suspend, delete."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from k3clients import periods as period_rules
from k3clients import services
from k3clients.access import lock_for, phone_client_for
from k3clients.errors import USER_FACING_ERRORS
from k3clients.forms import BulkInviteForm, InviteForm, period_formset
from k3clients.models import SmartLock
from k3clients.views.editor import editor_context, reworked
from locks.access import site_for

ACTIONS = {"suspend": "SUSPEND", "restore": "RESTORE"}


def _show_error(form: Form, exc: Exception) -> None:
    """Put a service failure on the form, keeping what the person typed."""
    form.add_error(None, exc if isinstance(exc, ValidationError) else exc.user_message)


def phone_client_invite(request: HttpRequest, lock_pk: int) -> HttpResponse:
    """Invite a registered K3 Connect user to this lock, with their active periods."""
    lock = lock_for(request, lock_pk)
    data = request.POST if request.method == "POST" else None
    form = InviteForm(data)
    periods = period_formset(data, periods=period_rules.preset("always"))
    if data is not None:
        rework = reworked(request, periods)
        if rework is not None:
            form, periods = InviteForm(initial=data.dict()), rework
        elif form.is_valid() & periods.is_valid():
            try:
                change = services.phone_client_invite(
                    lock=lock, periods=periods.periods(), user=request.user, **form.cleaned_data
                )
            except (*USER_FACING_ERRORS, ValidationError) as exc:
                _show_error(form, exc)
            else:
                messages.success(request, change.message)
                return redirect("k3_lock_detail", lock_pk=lock.pk)
    context = {"form": form, "lock": lock, "site": lock.site, **editor_context(periods)}
    return render(request, "k3clients/invite.html", context)


def phone_client_periods(request: HttpRequest, client_pk: int) -> HttpResponse:
    """Edit a phone user's active periods."""
    client = phone_client_for(request, client_pk)
    data = request.POST if request.method == "POST" else None
    current = period_rules.from_api(client.active_periods)
    periods = period_formset(data, periods=current)
    form = Form(data)
    if data is not None:
        rework = reworked(request, periods)
        if rework is not None:
            periods = rework
        elif periods.is_valid():
            try:
                change = services.phone_client_update_periods(
                    client=client, periods=periods.periods(), user=request.user
                )
            except (*USER_FACING_ERRORS, ValidationError) as exc:
                _show_error(form, exc)
            else:
                messages.success(request, change.message)
                return redirect("k3_lock_detail", lock_pk=client.lock.pk)
    context = {
        "form": form,
        "client": client,
        "lock": client.lock,
        "site": client.lock.site,
        **editor_context(periods),
    }
    return render(request, "k3clients/client_periods.html", context)


@require_POST
def phone_client_state(request: HttpRequest, client_pk: int, action: str) -> HttpResponse:
    """Suspend or restore a phone user."""
    client = phone_client_for(request, client_pk)
    lock_pk = client.lock.pk
    try:
        change = services.phone_client_set_state(
            client=client, action=ACTIONS[action], user=request.user
        )
    except USER_FACING_ERRORS as exc:
        messages.error(request, exc.user_message)
    else:
        messages.success(request, change.message)
    return redirect("k3_lock_detail", lock_pk=lock_pk)


def phone_client_delete(request: HttpRequest, client_pk: int) -> HttpResponse:
    """Remove a phone user from the lock, after a confirmation page."""
    client = phone_client_for(request, client_pk)
    lock = client.lock
    if request.method == "POST":
        try:
            change = services.phone_client_delete(client=client, user=request.user)
        except USER_FACING_ERRORS as exc:
            messages.error(request, exc.user_message)
        else:
            messages.success(request, change.message)
        return redirect("k3_lock_detail", lock_pk=lock.pk)
    context = {"client": client, "lock": lock, "site": lock.site}
    return render(request, "k3clients/client_delete.html", context)


def bulk_invite(request: HttpRequest, site_id: int) -> HttpResponse:
    """Invite the same people to several smart locks of a site, with a result per lock."""
    site = site_for(request, site_id)
    site_locks = SmartLock.objects.visible_to(request.user).present().filter(site=site)
    data = request.POST if request.method == "POST" else None
    form = BulkInviteForm(data, locks=site_locks)
    periods = period_formset(data, periods=period_rules.preset("always"))
    outcomes = None
    if data is not None:
        rework = reworked(request, periods)
        if rework is not None:
            initial = {**data.dict(), "locks": data.getlist("locks")}
            form, periods = BulkInviteForm(initial=initial, locks=site_locks), rework
        elif form.is_valid() & periods.is_valid():
            fields = form.cleaned_data
            try:
                outcomes = services.phone_clients_invite_many(
                    locks=list(fields["locks"]),
                    emails=fields["emails"],
                    access_type=fields["access_type"],
                    message=fields["message"],
                    periods=periods.periods(),
                    user=request.user,
                )
            except (*USER_FACING_ERRORS, ValidationError) as exc:
                _show_error(form, exc)
    context = {"form": form, "site": site, "outcomes": outcomes, **editor_context(periods)}
    return render(request, "k3clients/bulk_invite.html", context)
