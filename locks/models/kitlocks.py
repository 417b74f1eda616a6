"""KitLocks: NetCode locks keyed in on the door, with what the portal must remember of each."""

from __future__ import annotations

import re
import zoneinfo
from datetime import datetime
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q

from locks.crypto import EncryptedTextField
from locks.models.sites import Site, on_visible_sites, validate_time_zone
from netcodes import clock
from netcodes.targets import NetCodeTarget

if TYPE_CHECKING:
    from locks.models.sites import AnyUser

TIMECODE_FORMAT = (
    "The timecode is 12 digits, YYYYMMddhhmm with the 4-digit year, e.g. 202011161623."
)
TIMECODE_NOT_A_DATE = "The timecode {value} is not a real date and time (YYYYMMddhhmm)."
IDENTIFIER_SIX_DIGITS = "The lock identifier is exactly 6 digits, e.g. 451254."
IDENTIFIER_C2 = (
    "A KL1060C2 identifier is the group id (3 digits, not starting with 0) followed by the "
    "member id (3 digits), e.g. 451254."
)
MASTER_CODE_FORMAT = "A master code is exactly 8 digits, e.g. 12345678."
NOT_INITIALISED = (
    "The initialisation of this lock has not been confirmed yet: key in its sequence and "
    "confirm it on the lock's page first."
)
CLOCK_NEEDS_SETTING = (
    "The batteries of this lock were replaced on {date} and its clock has not been set since: "
    "NetCodes will not work on the door until the clock is set."
)


class KitLockModel(models.TextChoices):
    KL1060 = "KL1060", "KL1060 (KitLock, pre-2019)"
    KL1060C2 = "KL1060C2", "KL1060C2 (KitLock C2, 2019 on)"
    KL1060G3 = "KL1060G3", "KL1060G3 (KitLock G3)"
    KL1550 = "KL1550", "KL1550"


# The models whose initialisation sequence the API gives; the G3 is set up by hand.
INIT_MODELS = (KitLockModel.KL1060, KitLockModel.KL1060C2, KitLockModel.KL1550)
CODE_LENGTHS = {"KL1060": 6, "KL1060C2": 7, "KL1060G3": 7, "KL1550": 6}


class NetCodeMode(models.TextChoices):
    """The NetCode mode a lock is set to; the API cannot read it, so the portal records it."""

    STANDARD = "standard", "Standard"
    RENTAL = "rental", "Rental"
    UNLIMITED_RENTAL = "unlimited_rental", "Unlimited rental"
    END_DATE = "end_date", "End date"
    HOUR_24 = "24_hour", "24 hour"


def mode_key(api_mode: str) -> str:
    """The NetCodeMode value of a mode name as the API spells it ("Unlimited Rental")."""
    return re.sub(r"[^a-z0-9]+", "_", api_mode.strip().lower()).strip("_")


def validate_timecode(value: str) -> None:
    """Refuse a NetCode id that is not a real date written YYYYMMddhhmm."""
    if not re.fullmatch(r"\d{12}", value or ""):
        raise ValidationError(TIMECODE_FORMAT, code="timecode_format")
    try:
        datetime.strptime(value, "%Y%m%d%H%M")  # noqa: DTZ007 (a wall time, no zone)
    except ValueError:
        raise ValidationError(
            TIMECODE_NOT_A_DATE.format(value=value), code="timecode_date"
        ) from None


def validate_master_code(value: str) -> None:
    """Refuse a master code that is not 8 digits."""
    if not re.fullmatch(r"\d{8}", value or ""):
        raise ValidationError(MASTER_CODE_FORMAT, code="master_code")


def identifier_error(model: str, identifier: str) -> str | None:
    """The message for an identifier the lock model does not take, or None."""
    if model == KitLockModel.KL1060C2:
        return None if re.fullmatch(r"[1-9]\d{5}", identifier or "") else IDENTIFIER_C2
    return None if re.fullmatch(r"\d{6}", identifier or "") else IDENTIFIER_SIX_DIGITS


class KitLockQuerySet(models.QuerySet["KitLock"]):
    def visible_to(self, user: AnyUser) -> KitLockQuerySet:
        """KitLocks of the sites this user belongs to."""
        return on_visible_sites(self, user)

    def search(self, text: str) -> KitLockQuerySet:
        """Locks whose name, location, notes, timecode or identifier contain `text`."""
        text = text.strip()
        if not text:
            return self
        return self.filter(
            Q(name__icontains=text)
            | Q(location__icontains=text)
            | Q(notes__icontains=text)
            | Q(timecode__startswith=text)
            | Q(identifier=text)
        )


class KitLock(models.Model):
    """A NetCode KitLock on a site: its NetCode id, identifier, clock and mode."""

    site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="kitlocks")
    name = models.CharField(max_length=120)
    location = models.CharField(max_length=200, blank=True)
    notes = models.TextField(blank=True)
    model = models.CharField(max_length=12, choices=KitLockModel.choices)
    timecode = models.CharField(
        "NetCode id (timecode)", max_length=12, validators=[validate_timecode]
    )
    identifier = models.CharField(max_length=6)
    clock_zone = models.CharField(
        "lock clock's time zone", max_length=64, default="UTC", validators=[validate_time_zone]
    )
    master_code = EncryptedTextField(blank=True)
    netcode_mode = models.CharField(
        max_length=20, choices=NetCodeMode.choices, default=NetCodeMode.STANDARD
    )
    # The sequence given by the API, kept (encrypted: it holds the master code) until confirmed.
    pending_sequence = EncryptedTextField(blank=True)
    initialised_at = models.DateTimeField(null=True, blank=True)
    clock_set_at = models.DateTimeField(null=True, blank=True)
    clock_needs_setting = models.BooleanField(default=False)
    batteries_replaced_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = KitLockQuerySet.as_manager()

    class Meta:
        ordering = ["site__name", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["site", "model", "timecode", "identifier"], name="kitlock_unique_per_site"
            ),
            models.CheckConstraint(
                condition=Q(model__in=[m.value for m in KitLockModel]), name="kitlock_model_valid"
            ),
            models.CheckConstraint(
                condition=Q(netcode_mode__in=[m.value for m in NetCodeMode]),
                name="kitlock_mode_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        error = identifier_error(self.model, self.identifier)
        if error:
            raise ValidationError({"identifier": error})
        if self.master_code:
            validate_master_code(self.master_code)

    @property
    def awaiting_initialisation(self) -> bool:
        return self.initialised_at is None

    @property
    def code_length(self) -> int:
        return CODE_LENGTHS[self.model]

    @property
    def clock_tz(self) -> zoneinfo.ZoneInfo:
        return clock.zone(self.clock_zone)

    @property
    def clock_warning(self) -> str:
        """Why codes will not work on the door right now, or ""."""
        if not self.clock_needs_setting:
            return ""
        when = self.batteries_replaced_at
        date = when.astimezone(self.site.tz).strftime("%-d %B %Y") if when else "a recent date"
        return CLOCK_NEEDS_SETTING.format(date=date)

    @property
    def keying_instructions(self) -> str:
        return (
            f"On the lock's keypad, key in the {self.code_length}-digit code. "
            "The blue light means the code was accepted; turn the handle to open."
        )

    def netcode_target(self) -> NetCodeTarget:
        """What the NetCode machinery needs to generate codes for this lock."""
        return NetCodeTarget(
            site=self.site,
            lock_ref=self.timecode,
            lockmodel=self.model,
            identifier=self.identifier,
            clock_zone=self.clock_zone,
            name=self.name,
            location=self.location,
            keying_instructions=self.keying_instructions,
            netcode_mode=self.netcode_mode,
            lock_fields={"kitlock_id": self.pk},
            clock_warning=self.clock_warning,
            not_ready=NOT_INITIALISED if self.awaiting_initialisation else "",
        )
