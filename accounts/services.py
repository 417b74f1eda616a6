"""Two-factor sign-in with TOTP: enrolment, the second sign-in step, and turning it off."""

from __future__ import annotations

import time
from base64 import b32encode
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.contrib.auth import get_user_model, login
from django.contrib.auth.signals import user_login_failed
from django.core.exceptions import ValidationError
from django.db import transaction
from django_otp import login as otp_login
from django_otp import user_has_device
from django_otp.plugins.otp_totp.models import TOTPDevice

from locks.models import Membership, Role

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser
    from django.contrib.sessions.backends.base import SessionBase
    from django.http import HttpRequest

WRONG_CODE = "That code is not right. Type the 6-digit code your authenticator app shows now."
ALREADY_ENABLED = "Two-factor sign-in is already on."
NOT_ENABLED = "Two-factor sign-in is not on."
MUST_KEEP = "Your role needs two-factor sign-in, so it cannot be turned off."
PENDING_SIGN_IN_KEY = "accounts_pending_sign_in"
PENDING_SIGN_IN_SECONDS = 300
DEVICE_NAME = "Authenticator app"


@dataclass(frozen=True)
class PendingSignIn:
    """Someone who gave the right password and still owes their authentication code."""

    user: AbstractBaseUser
    backend: str
    next_url: str


def has_two_factor(user: AbstractBaseUser) -> bool:
    """Whether the user has a confirmed authenticator."""
    return user.is_authenticated and user_has_device(user, confirmed=True)


def must_use_two_factor(user: AbstractBaseUser) -> bool:
    """Whether the settings make two-factor sign-in mandatory for this user (site Admins)."""
    if not settings.KEYHOUSE_REQUIRE_2FA_FOR_ADMINS or not user.is_authenticated:
        return False
    return user.is_superuser or Membership.objects.filter(user=user, role=Role.ADMIN).exists()


def totp_device_start(*, user: AbstractBaseUser) -> TOTPDevice:
    """The user's authenticator being set up (unconfirmed), created on first call."""
    if has_two_factor(user):
        raise ValidationError(ALREADY_ENABLED)
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    return device or TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)


def totp_secret(device: TOTPDevice) -> str:
    """The device's secret in base32, in groups of four, for typing into an app by hand."""
    secret = b32encode(device.bin_key).decode()
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def totp_qr_svg(device: TOTPDevice) -> str:
    """The device's otpauth:// URL as an inline SVG QR code."""
    image = qrcode.make(
        device.config_url, image_factory=qrcode.image.svg.SvgPathImage, box_size=12, border=2
    )
    return image.to_string(encoding="unicode")


def totp_device_confirm(*, request: HttpRequest, token: str) -> TOTPDevice:
    """Confirm the authenticator being set up with a code from it; the session is verified."""
    device = totp_device_start(user=request.user)
    # Outside a transaction: a wrong code's throttling must be saved, not rolled back.
    if not device.verify_token(token):
        raise ValidationError(WRONG_CODE)
    with transaction.atomic():
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        TOTPDevice.objects.filter(user=request.user, confirmed=False).delete()
    otp_login(request, device)
    return device


def _verified_device(user: AbstractBaseUser, token: str) -> TOTPDevice | None:
    for device in TOTPDevice.objects.devices_for_user(user, confirmed=True):
        if device.verify_token(token):
            return device
    return None


def totp_disable(*, user: AbstractBaseUser, token: str) -> None:
    """Turn two-factor sign-in off, proven by a current code."""
    if not has_two_factor(user):
        raise ValidationError(NOT_ENABLED)
    if must_use_two_factor(user):
        raise ValidationError(MUST_KEEP)
    if _verified_device(user, token) is None:
        raise ValidationError(WRONG_CODE)
    TOTPDevice.objects.filter(user=user).delete()


def sign_in_postpone(session: SessionBase, *, user: Any, next_url: str) -> None:
    """Remember a password-checked user until they give their authentication code."""
    session[PENDING_SIGN_IN_KEY] = {
        "user": user.pk,
        "backend": user.backend,
        "next": next_url,
        "at": time.time(),
    }


def sign_in_pending(session: SessionBase) -> PendingSignIn | None:
    """The user waiting for their second step in this session, if recent enough."""
    pending = session.get(PENDING_SIGN_IN_KEY)
    if not pending or time.time() - pending["at"] > PENDING_SIGN_IN_SECONDS:
        session.pop(PENDING_SIGN_IN_KEY, None)
        return None
    user = get_user_model()._default_manager.filter(pk=pending["user"], is_active=True).first()
    if user is None:
        return None
    return PendingSignIn(user=user, backend=pending["backend"], next_url=pending["next"])


def sign_in_complete(*, request: HttpRequest, pending: PendingSignIn, token: str) -> None:
    """Sign the pending user in if the code is right; a wrong code counts as a failed sign-in."""
    device = _verified_device(pending.user, token)
    if device is None:
        # django-axes counts this like a wrong password (lockout after too many).
        user_login_failed.send(
            sender=__name__,
            credentials={"username": pending.user.get_username()},
            request=request,
        )
        raise ValidationError(WRONG_CODE)
    request.session.pop(PENDING_SIGN_IN_KEY, None)
    login(request, pending.user, backend=pending.backend)
    otp_login(request, device)
