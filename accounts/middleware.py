"""Make site Admins enrol in two-factor sign-in when KEYHOUSE_REQUIRE_2FA_FOR_ADMINS is on."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from accounts import services

ENROL_FIRST = "Your role needs two-factor sign-in. Set it up to continue."
VERIFY_FIRST = "Your role needs two-factor sign-in. Sign in again with your code."
# Pages an Admin can still reach before enrolling: enrolment itself, sign-in/out, health.
EXEMPT_URL_NAMES = frozenset(
    {"two_factor", "two_factor_enable", "login", "login_verify", "logout", "health"}
)


class TwoFactorRequiredMiddleware:
    """Send an unverified Admin to enrolment (or back to sign-in if they have a device)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view_func: Any, view_args: Any, view_kwargs: Any
    ) -> HttpResponse | None:
        if not settings.KEYHOUSE_REQUIRE_2FA_FOR_ADMINS:
            return None
        match = request.resolver_match
        if match is None or match.url_name in EXEMPT_URL_NAMES:
            return None
        user = request.user
        if not user.is_authenticated or user.is_verified():
            return None
        if not services.must_use_two_factor(user):
            return None
        if services.has_two_factor(user):
            path = request.get_full_path()
            logout(request)
            messages.warning(request, VERIFY_FIRST)
            return redirect_to_login(path)
        messages.warning(request, ENROL_FIRST)
        return redirect("two_factor_enable")
