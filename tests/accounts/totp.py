"""Real TOTP codes for tests, computed the way an authenticator app does."""

from __future__ import annotations

import time

from django_otp.oath import TOTP, totp
from django_otp.plugins.otp_totp.models import TOTPDevice


def code_now(device: TOTPDevice) -> str:
    """The code the user's authenticator app shows right now."""
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}"


def code_later(device: TOTPDevice, steps: int = 1) -> str:
    """The code the app will show `steps` periods from now (a code is accepted only once)."""
    clock = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    clock.time = time.time() + steps * device.step
    return f"{clock.token():06d}"


def wrong_code(device: TOTPDevice) -> str:
    """A well-formed code that is certainly not accepted now."""
    accepted = {code_now(device), code_later(device, 1), code_later(device, -1)}
    return next(c for c in (f"{n:06d}" for n in range(1000000)) if c not in accepted)
