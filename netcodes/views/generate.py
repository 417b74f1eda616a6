"""Generating one NetCode: the form, the confirmation, the code shown once, sharing it."""

from __future__ import annotations

from collections.abc import Callable
from smtplib import SMTPException
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from codelocks.errors import CodelocksError
from config.ratelimit import rate_limited
from k3clients.access import lock_for as smart_lock_for
from locks.access import kitlock_for, require_role
from locks.models import Role
from netcodes import services
from netcodes.durations import durations_for_mode
from netcodes.forms import NetCodeForm, SendForm, start_time_choices
from netcodes.models import ApiCategory, NetCodeIssue
from netcodes.quota import QuotaExhausted, quota_status
from netcodes.targets import NetCodeTarget

SHOW_ONCE = "netcode_show_once"
SEND_FAILED = "The e-mail could not be sent (the mail server did not accept it). Try again later."
MAY_NOT_REVEAL = "Only the site's Managers and Admins can see NetCodes."


# Each kind of lock: how to fetch it for the user (404/403) and the name of its page.
LOCK_KINDS: dict[str, tuple[Callable[..., Any], str]] = {
    "kitlock": (kitlock_for, "kitlock_detail"),
    "smartlock": (smart_lock_for, "k3_lock_detail"),
}


def _lock_of_kind(request: HttpRequest, kind: str, lock_id: int) -> Any:
    """A lock of this kind on one of the user's sites, for a Manager or Admin."""
    fetch, _ = LOCK_KINDS[kind]
    return fetch(request, lock_id, role=Role.MANAGER)


@rate_limited("netcode")
def netcode_new(request: HttpRequest, lock_id: int, kind: str) -> HttpResponse:
    """The NetCode form of a KitLock or a smart lock (Managers and Admins)."""
    lock = _lock_of_kind(request, kind, lock_id)
    return netcode_page(
        request,
        lock.netcode_target(),
        back_url=reverse(LOCK_KINDS[kind][1], args=[lock.pk]),
        starts_url=reverse(f"netcode_starts_{kind}", args=[lock.pk]),
    )


def netcode_starts(request: HttpRequest, lock_id: int, kind: str) -> HttpResponse:
    """htmx: the start times a duration allows on a day, for a lock's NetCode form."""
    return start_options(request, _lock_of_kind(request, kind, lock_id).netcode_target())


def start_options(request: HttpRequest, target: NetCodeTarget) -> HttpResponse:
    """The `<option>`s of the start time select for the duration and date in the query."""
    try:
        options = durations_for_mode(target.lockmodel, target.netcode_mode, user=request.user)
    except (CodelocksError, QuotaExhausted) as exc:
        # Say why there is no start time, rather than "no start possible on this day".
        return render(request, "netcodes/_start_options.html", {"api_error": exc.user_message})
    form = NetCodeForm(request.GET, target=target, options=options)
    day = form.chosen_day(form.fields["start_date"].initial)
    choices = start_time_choices(target, form.chosen_option(), day)
    return render(request, "netcodes/_start_options.html", {"choices": choices})


def netcode_page(
    request: HttpRequest, target: NetCodeTarget, *, back_url: str, starts_url: str = ""
) -> HttpResponse:
    """Form, confirmation and generation of one code for any kind of lock."""
    context = {"target": target, "back_url": back_url}
    try:
        options = durations_for_mode(target.lockmodel, target.netcode_mode, user=request.user)
    except (CodelocksError, QuotaExhausted) as exc:
        return render(
            request, "netcodes/netcode_form.html", {**context, "api_error": exc.user_message}
        )
    form = NetCodeForm(request.POST or None, target=target, options=options, starts_url=starts_url)
    context.update(form=form, quota=quota_status(ApiCategory.NETCODE))
    if request.method != "POST" or "edit" in request.POST or not form.is_valid():
        return render(request, "netcodes/netcode_form.html", context)
    try:
        plan = services.netcode_plan(
            target=target,
            option=form.cleaned_data["option"],
            start=form.cleaned_data["start"],
            user=request.user,
        )
        if "confirm" not in request.POST:
            return render(request, "netcodes/netcode_confirm.html", {**context, "plan": plan})
        issue = services.netcode_generate(
            plan=plan,
            recipient_name=form.cleaned_data["recipient_name"],
            recipient_email=form.cleaned_data["recipient_email"],
            note=form.cleaned_data["note"],
            user=request.user,
        )
    except (CodelocksError, QuotaExhausted) as exc:
        form.add_error(None, exc.user_message)
    except ValidationError as exc:
        form.add_error(None, exc)
    else:
        request.session[SHOW_ONCE] = issue.pk
        if issue.from_history:
            messages.info(request, services.FROM_HISTORY)
        return redirect("netcode_issue", issue_id=issue.pk)
    context["quota"] = quota_status(ApiCategory.NETCODE)
    return render(request, "netcodes/netcode_form.html", context)


def _issue_for(request: HttpRequest, issue_id: int, role: Role = Role.STAFF) -> NetCodeIssue:
    """An issue of a code on one of the user's sites (404 otherwise), with at least `role`."""
    issue = get_object_or_404(
        NetCodeIssue.objects.visible_to(request.user).select_related(
            "netcode__site", "netcode__kitlock", "netcode__smartlock", "requested_by"
        ),
        pk=issue_id,
    )
    if role != Role.STAFF:
        require_role(request, issue.netcode.site, role)
    return issue


def _may_reveal(request: HttpRequest, issue: NetCodeIssue) -> bool:
    role = issue.netcode.site.role_of(request.user)
    return role is not None and role.includes(Role.MANAGER)


def netcode_issue(request: HttpRequest, issue_id: int) -> HttpResponse:
    """A code's page: shown large once right after it was made, masked afterwards."""
    issue = _issue_for(request, issue_id)
    may_reveal = _may_reveal(request, issue)
    show = may_reveal and request.session.pop(SHOW_ONCE, None) == issue.pk
    email = issue.recipient_email or ""
    return render(
        request,
        "netcodes/issue_detail.html",
        {
            "issue": issue,
            "netcode": issue.netcode,
            "show_code": show,
            "may_reveal": may_reveal,
            "send_form": SendForm(initial={"email": email}),
        },
    )


@require_POST
def netcode_reveal(request: HttpRequest, issue_id: int) -> HttpResponse:
    """Show a stored code to a Manager or Admin of its site (an htmx fragment)."""
    issue = _issue_for(request, issue_id)
    if not _may_reveal(request, issue):
        raise PermissionDenied(MAY_NOT_REVEAL)
    return render(request, "netcodes/_code.html", {"netcode": issue.netcode})


def netcode_card(request: HttpRequest, issue_id: int) -> HttpResponse:
    """A printable card: the lock, the code, how to key it in, the window."""
    issue = _issue_for(request, issue_id, role=Role.MANAGER)
    return render(request, "netcodes/card.html", {"issue": issue, "netcode": issue.netcode})


@require_POST
def netcode_send(request: HttpRequest, issue_id: int) -> HttpResponse:
    """E-mail a code (Managers and Admins)."""
    issue = _issue_for(request, issue_id, role=Role.MANAGER)
    form = SendForm(request.POST)
    if form.is_valid():
        try:
            services.netcode_send(issue=issue, to=form.cleaned_data["email"], user=request.user)
        except (OSError, SMTPException):
            messages.error(request, SEND_FAILED)
        else:
            messages.success(request, f"The code was sent to {form.cleaned_data['email']}.")
    else:
        messages.error(request, "Enter a valid e-mail address to send the code to.")
    return redirect("netcode_issue", issue_id=issue.pk)
