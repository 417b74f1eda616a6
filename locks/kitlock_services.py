"""Side effects on KitLocks: onboarding through the API or by hand, and clock care."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from dashboard.activity import activity_record
from dashboard.models import Verb
from locks.models import KitLock, Site
from locks.models.kitlocks import INIT_MODELS
from netcodes.api import codelocks_client
from netcodes.models import ApiCategory
from netcodes.quota import quota_guard

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser

NO_INIT_FOR_MODEL = (
    "The Codelocks API gives no initialisation sequence for the {model}: set it up on the "
    "lock and add it by hand with its timecode and identifier."
)
INIT_ANSWER_UNUSABLE = (
    "The Codelocks API sent an initialisation sequence Keyhouse cannot read the lock "
    "identifier from; nothing was saved. Try again."
)
ALREADY_ADDED = "This site already has a {model} lock with timecode {timecode} and this identifier."
MASTER_PLACEHOLDER = "MASTERCODE"


def kitlock_initialise(
    *,
    site: Site,
    model: str,
    name: str,
    location: str = "",
    notes: str = "",
    master_code: str = "",
    random_identifier: bool = True,
    user: AbstractBaseUser | None = None,
) -> KitLock:
    """Get an initialisation sequence from the API and save the lock awaiting confirmation."""
    if model not in INIT_MODELS:
        raise ValidationError(NO_INIT_FOR_MODEL.format(model=model))
    quota_guard(ApiCategory.UTILITY)
    answer = codelocks_client(user=user).init_sequence(
        lockmodel=model, mastercode=master_code or None, randomid=random_identifier
    )
    if not answer.identifier:
        raise ValidationError(INIT_ANSWER_UNUSABLE)
    lock = KitLock(
        site=site,
        model=model,
        name=name,
        location=location,
        notes=notes,
        timecode=answer.timecode,
        identifier=answer.identifier,
        clock_zone="UTC",  # the API always gives sequences in UTC
        master_code=master_code or answer.default_mastercode,
        pending_sequence=answer.init_seq,
        created_by=user,
    )
    lock = _save_new(lock)
    _record(lock, user, Verb.KITLOCK_ONBOARDING)
    return lock


def _record(lock: KitLock, actor: AbstractBaseUser | None, verb: Verb) -> None:
    """Log what someone did to a KitLock (its model; never its master code or sequence)."""
    details = {"model": lock.model}
    activity_record(
        site=lock.site,
        actor=actor,
        verb=verb,
        target=lock,
        lock=lock,
        target_label=lock.name,
        details=details,
    )


def _save_new(lock: KitLock) -> KitLock:
    lock.full_clean(exclude=["created_by"], validate_unique=False, validate_constraints=False)
    try:
        with transaction.atomic():
            lock.save()
    except IntegrityError:
        raise ValidationError(
            ALREADY_ADDED.format(model=lock.model, timecode=lock.timecode)
        ) from None
    return lock


def kitlock_add(
    *,
    site: Site,
    model: str,
    timecode: str,
    identifier: str,
    name: str,
    clock_zone: str = "UTC",
    location: str = "",
    notes: str = "",
    master_code: str = "",
    netcode_mode: str = "standard",
    user: AbstractBaseUser | None = None,
) -> KitLock:
    """Save a KitLock initialised elsewhere; its clock was set when its timecode says."""
    lock = KitLock(
        site=site,
        model=model,
        timecode=timecode,
        identifier=identifier,
        name=name,
        clock_zone=clock_zone,
        location=location,
        notes=notes,
        master_code=master_code,
        netcode_mode=netcode_mode,
        created_by=user,
    )
    lock.full_clean(exclude=["created_by"], validate_unique=False, validate_constraints=False)
    set_at = datetime.strptime(timecode, "%Y%m%d%H%M").replace(tzinfo=lock.clock_tz)
    lock.initialised_at = lock.clock_set_at = set_at
    lock = _save_new(lock)
    _record(lock, user, Verb.KITLOCK_ADDED)
    return lock


def kitlock_confirm_initialised(
    *, kitlock: KitLock, actor: AbstractBaseUser | None = None
) -> KitLock:
    """Record that the initialisation sequence was keyed in: the lock's clock is set."""
    now = timezone.now()
    kitlock.initialised_at = kitlock.initialised_at or now
    kitlock.clock_set_at = now
    kitlock.clock_needs_setting = False
    kitlock.pending_sequence = ""
    kitlock.save(
        update_fields=["initialised_at", "clock_set_at", "clock_needs_setting", "pending_sequence"]
    )
    _record(kitlock, actor, Verb.KITLOCK_INITIALISED)
    return kitlock


def kitlock_batteries_replaced(
    *, kitlock: KitLock, actor: AbstractBaseUser | None = None
) -> KitLock:
    """Record a battery change: the lock's clock is lost until it is set again."""
    kitlock.batteries_replaced_at = timezone.now()
    kitlock.clock_needs_setting = True
    kitlock.save(update_fields=["batteries_replaced_at", "clock_needs_setting"])
    _record(kitlock, actor, Verb.BATTERIES_REPLACED)
    return kitlock


def kitlock_clock_set(*, kitlock: KitLock, actor: AbstractBaseUser | None = None) -> KitLock:
    """Record that the lock's clock was set again."""
    kitlock.clock_set_at = timezone.now()
    kitlock.clock_needs_setting = False
    kitlock.save(update_fields=["clock_set_at", "clock_needs_setting"])
    _record(kitlock, actor, Verb.CLOCK_SET)
    return kitlock


def clock_sequence(kitlock: KitLock, *, now: datetime | None = None) -> str:
    """The keypad sequence that sets the lock's clock to `now` on its own clock zone."""
    wall = (now or timezone.now()).astimezone(kitlock.clock_tz)
    master = kitlock.master_code or MASTER_PLACEHOLDER
    return f"#{master} • 20 • {wall:%y%m%d%H%M} • {kitlock.identifier} ••"
