"""Sign-in (with its second step) and the pages to turn two-factor sign-in on and off."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.decorators import method_decorator
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from accounts import services
from accounts.forms import TokenForm
from config.ratelimit import rate_limited

SIGN_IN_AGAIN = "Your sign-in took too long. Sign in again."


@method_decorator(rate_limited("login"), name="dispatch")
class SignInView(auth_views.LoginView):
    """Django's sign-in page; users with an authenticator continue to the code step."""

    def form_valid(self, form: auth_views.AuthenticationForm) -> HttpResponse:
        user = form.get_user()
        if not services.has_two_factor(user):
            return super().form_valid(form)
        services.sign_in_postpone(self.request.session, user=user, next_url=self.get_success_url())
        return redirect("login_verify")


@login_not_required
@never_cache
@rate_limited("login")
def sign_in_verify(request: HttpRequest) -> HttpResponse:
    """The second sign-in step: the code from the user's authenticator app."""
    pending = services.sign_in_pending(request.session)
    if pending is None:
        messages.info(request, SIGN_IN_AGAIN)
        return redirect("login")
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.sign_in_complete(
                request=request, pending=pending, token=form.cleaned_data["token"]
            )
        except ValidationError as exc:
            form.add_error("token", exc)
        else:
            return redirect(pending.next_url)
    return render(request, "accounts/login_verify.html", {"form": form})


def two_factor(request: HttpRequest) -> HttpResponse:
    """Whether two-factor sign-in is on, with the way to turn it on or off."""
    return render(
        request,
        "accounts/two_factor.html",
        {
            "enabled": services.has_two_factor(request.user),
            "required": services.must_use_two_factor(request.user),
            "form": TokenForm(),
        },
    )


@never_cache
def two_factor_enable(request: HttpRequest) -> HttpResponse:
    """Set up an authenticator app: scan the QR code (or type the secret), then confirm a code."""
    if services.has_two_factor(request.user):
        messages.info(request, services.ALREADY_ENABLED)
        return redirect("two_factor")
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.totp_device_confirm(request=request, token=form.cleaned_data["token"])
        except ValidationError as exc:
            form.add_error("token", exc)
        else:
            messages.success(request, "Two-factor sign-in is on. You will be asked for a code.")
            return redirect("two_factor")
    device = services.totp_device_start(user=request.user)
    context = {
        "form": form,
        "qr_svg": services.totp_qr_svg(device),
        "secret": services.totp_secret(device),
        "required": services.must_use_two_factor(request.user),
    }
    return render(request, "accounts/two_factor_enable.html", context)


@require_POST
def two_factor_disable(request: HttpRequest) -> HttpResponse:
    """Turn two-factor sign-in off, proven by a current code."""
    form = TokenForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(form.errors["token"]))
        return redirect("two_factor")
    try:
        services.totp_disable(user=request.user, token=form.cleaned_data["token"])
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, "Two-factor sign-in is off.")
    return redirect("two_factor")
