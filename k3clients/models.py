"""K3Connect accounts, their smart locks, phone clients and audit entries."""

from __future__ import annotations

import re
import zoneinfo
from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import models
from django.db.models import Q

from k3clients.periods import describe, from_api
from locks.crypto import EncryptedTextField
from locks.models import Site
from locks.models.sites import on_visible_sites
from netcodes import clock
from netcodes.targets import NetCodeTarget

if TYPE_CHECKING:
    from collections.abc import Iterable

    from locks.models import AnyUser

K3CONNECT_MODEL = "K3CONNECT"
LOW_BATTERY_PERCENT = 20


class AccessType(models.TextChoices):
    STANDARD = "STANDARD", "Standard"
    ONE_TIME = "ONE_TIME", "One time"


class ClientStatus(models.TextChoices):
    """The statuses the clients endpoint reports (other values are kept as given)."""

    PENDING = "pending", "Invitation pending"
    ACCEPTED = "accepted", "Active"
    SUSPENDED = "suspended", "Suspended"


BATTERY_READING = re.compile(r"\s*([0-9]+)\s*%?\s*")
# The low-battery rule in SQL, for queries over many locks; it matches exactly the readings
# `battery_is_low` calls low (a test holds the two together).
LOW_BATTERY_REGEX = r"^\s*0*([0-9]|1[0-9]|20)\s*%?\s*$"


def battery_percent(status: str) -> int | None:
    """The percentage in a BatteryStatus such as "85" or "85%"; None for anything else."""
    reading = BATTERY_READING.fullmatch(status)
    return int(reading[1]) if reading else None


def battery_is_low(status: str) -> bool:
    """Whether a BatteryStatus reads LOW_BATTERY_PERCENT or less (unknown readings are not low)."""
    percent = battery_percent(status)
    return percent is not None and percent <= LOW_BATTERY_PERCENT


class LockCondition:
    """Reads a smart lock's battery and presence; shared by the model and lightweight rows."""

    __slots__ = ()
    battery_status: str
    gone_at: datetime | None

    @property
    def is_gone(self) -> bool:
        return self.gone_at is not None

    @property
    def battery_percent(self) -> int | None:
        return battery_percent(self.battery_status)

    @property
    def battery_low(self) -> bool:
        return battery_is_low(self.battery_status)


def _visible_sites(user: AnyUser) -> models.QuerySet[Site]:
    return Site.objects.visible_to(user)


class K3AccountQuerySet(models.QuerySet["K3Account"]):
    def visible_to(self, user: AnyUser) -> K3AccountQuerySet:
        """Accounts linked to the sites this user belongs to."""
        return on_visible_sites(self, user)


class K3Account(models.Model):
    """A K3 Connect app account linked to a site through its access key."""

    site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="k3_accounts")
    access_key = EncryptedTextField(help_text="Decrypted only to call the API; never shown.")
    access_key_last4 = models.CharField(max_length=4)
    email = models.EmailField(help_text="The account's e-mail, as the account endpoint gives it.")
    status = models.CharField(max_length=40, blank=True)
    linked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    linked_at = models.DateTimeField()
    key_replaced_at = models.DateTimeField(null=True, blank=True)
    last_checked_at = models.DateTimeField(null=True, blank=True)
    key_rejected_at = models.DateTimeField(
        null=True, blank=True, help_text="When the API last refused the key; cleared by a new key."
    )
    locks_synced_at = models.DateTimeField(null=True, blank=True)
    # One sync per account at a time: claimed by a conditional UPDATE, expires on its own.
    sync_lease_until = models.DateTimeField(null=True, blank=True)
    sync_lease_token = models.CharField(max_length=32, blank=True)

    objects = K3AccountQuerySet.as_manager()

    class Meta:
        ordering = ["site__name", "email"]
        constraints = [
            # Audit entry ids are unique across the vendor, so one account is linked once.
            models.UniqueConstraint(fields=["email"], name="k3_account_linked_once"),
        ]

    def __str__(self) -> str:
        return f"{self.email} (key …{self.access_key_last4})"

    def __repr__(self) -> str:
        return f"<K3Account {self.pk} {self.email}>"

    @property
    def masked_key(self) -> str:
        return f"••••{self.access_key_last4}"

    @property
    def key_rejected(self) -> bool:
        return self.key_rejected_at is not None


SMART_LOCK_KEYING = (
    "On the lock's keypad, key in * and then the 6-digit code. The * tells the lock a NetCode "
    "follows; it is needed whenever the lock also accepts other ways in, such as phones."
)
LOCK_GONE_NO_CODES = "This lock is no longer on its K3Connect account, so it takes no new codes."
KEY_REFUSED_NO_CODES = (
    "The K3Connect account's access key was refused. An Admin must replace it before codes "
    "can be generated for its locks."
)


class SmartLockQuerySet(models.QuerySet["SmartLock"]):
    def visible_to(self, user: AnyUser) -> SmartLockQuerySet:
        """Smart locks of the sites this user belongs to."""
        return on_visible_sites(self, user)

    def present(self) -> SmartLockQuerySet:
        """Locks still on their account."""
        return self.filter(gone_at__isnull=True)


class SmartLock(LockCondition, models.Model):
    """A CL4510/CL5510 smart lock on a K3 Connect account, with every documented field."""

    account = models.ForeignKey(K3Account, on_delete=models.CASCADE, related_name="locks")
    site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="smart_locks")
    lock_id = models.CharField(max_length=32, help_text="The vendor's 32-hex lock id.")
    name = models.CharField(max_length=200, blank=True)
    battery_status = models.CharField(max_length=40, blank=True)
    battery_updated = models.DateTimeField(null=True, blank=True)
    manufacturer = models.CharField(max_length=100, blank=True)
    model_name = models.CharField(max_length=100, blank=True)
    firmware_version = models.CharField(max_length=40, blank=True)
    time_zone = models.CharField(max_length=64, blank=True)
    timezone_offset = models.CharField(max_length=16, blank=True)
    dst_start = models.CharField(max_length=40, blank=True)
    dst_end = models.CharField(max_length=40, blank=True)
    dst_time = models.CharField(max_length=16, blank=True)
    pairing_date = models.DateTimeField(null=True, blank=True)
    location = models.CharField(max_length=200, blank=True)
    first_seen_at = models.DateTimeField()
    last_synced_at = models.DateTimeField(null=True, blank=True)
    gone_at = models.DateTimeField(
        null=True, blank=True, help_text="When the lock was no longer on the account."
    )
    clients_synced_at = models.DateTimeField(null=True, blank=True)
    audit_synced_at = models.DateTimeField(
        null=True, blank=True, help_text="When the audit log was last read up to the newest entry."
    )
    audit_synced_through = models.BigIntegerField(
        null=True, blank=True, help_text="Every audit entry up to this AuditEntryID is stored."
    )
    audit_resume_page = models.PositiveIntegerField(
        null=True, blank=True, help_text="Where a fetch cut short goes on (newest-first pages)."
    )
    audit_resume_top = models.BigIntegerField(
        null=True, blank=True, help_text="Newest entry stored when that fetch was cut short."
    )
    viewed_at = models.DateTimeField(null=True, blank=True, help_text="Detail page last opened.")
    battery_low_since = models.DateTimeField(
        null=True, blank=True, help_text="Start of the current low-battery episode."
    )
    battery_alerted_at = models.DateTimeField(null=True, blank=True)

    objects = SmartLockQuerySet.as_manager()

    class Meta:
        ordering = ["name", "lock_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["account", "lock_id"], name="smart_lock_once_per_account"
            ),
            models.CheckConstraint(
                condition=Q(lock_id__regex=r"^[0-9a-f]{32}$"), name="smart_lock_id_is_32_hex"
            ),
        ]

    def __str__(self) -> str:
        return self.name or self.lock_id

    @property
    def clock_zone(self) -> zoneinfo.ZoneInfo:
        """The lock's own clock; the site's zone when the lock reports none we know."""
        try:
            return clock.zone(self.time_zone)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            return self.site.tz

    @property
    def keying_instructions(self) -> str:
        return SMART_LOCK_KEYING

    @property
    def clock_warning(self) -> str:
        """Smart locks keep their clock over the app: nothing for people to set."""
        return ""

    def netcode_target(self) -> NetCodeTarget:
        """The NetCode parameters of this lock (decrypts the account's access key)."""
        not_ready = ""
        if self.is_gone:
            not_ready = LOCK_GONE_NO_CODES
        elif self.account.key_rejected:
            not_ready = KEY_REFUSED_NO_CODES
        return NetCodeTarget(
            site=self.site,
            lock_ref=self.lock_id,
            lockmodel=K3CONNECT_MODEL,
            identifier=self.account.access_key,
            clock_zone=self.clock_zone.key,
            name=str(self),
            location=self.location,
            keying_instructions=SMART_LOCK_KEYING,
            netcode_mode="standard",
            lock_fields={"smartlock_id": self.pk},
            not_ready=not_ready,
        )


class PhoneClientQuerySet(models.QuerySet["PhoneClient"]):
    def visible_to(self, user: AnyUser) -> PhoneClientQuerySet:
        """Phone clients of the smart locks of this user's sites."""
        return on_visible_sites(self, user, site="lock__site")


class PhoneClient(models.Model):
    """A person invited (or admitted) to open a smart lock with the K3 Connect app."""

    lock = models.ForeignKey(SmartLock, on_delete=models.CASCADE, related_name="phone_clients")
    email = models.EmailField()
    status = models.CharField(max_length=40, default=ClientStatus.PENDING)
    access_type = models.CharField(
        max_length=16, choices=AccessType.choices, default=AccessType.STANDARD
    )
    active_periods = models.JSONField(default=dict, help_text="The API's shape, keys '0'-'9'.")
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    invited_at = models.DateTimeField(null=True, blank=True)
    synced_at = models.DateTimeField(null=True, blank=True)

    objects = PhoneClientQuerySet.as_manager()

    class Meta:
        ordering = ["email"]
        # The dashboard's pending invitations, oldest first, without reading every phone user.
        indexes = [models.Index(fields=["status", "invited_at", "id"], name="phone_client_waiting")]
        constraints = [
            models.UniqueConstraint(fields=["lock", "email"], name="phone_client_once_per_lock"),
        ]

    def __str__(self) -> str:
        return f"{self.email} on {self.lock}"

    @property
    def is_pending(self) -> bool:
        return self.status == ClientStatus.PENDING

    @property
    def is_suspended(self) -> bool:
        return self.status == ClientStatus.SUSPENDED

    @property
    def period_summary(self) -> list[str]:
        """The enabled active periods in words."""
        try:
            return describe(from_api(self.active_periods))
        except ValueError:
            return ["(periods not readable)"]

    @property
    def status_label(self) -> str:
        known = dict(ClientStatus.choices)
        return known.get(self.status, self.status.capitalize())


class AuditEntryQuerySet(models.QuerySet["AuditEntry"]):
    def visible_to(self, user: AnyUser) -> AuditEntryQuerySet:
        """Audit entries of the smart locks of this user's sites."""
        if user.is_authenticated and user.is_superuser:
            # Every entry: no join, so a newest-first page walks the date index and stops.
            return self.all()
        return self.of_sites(_visible_sites(user))

    def of_sites(self, sites: Iterable[Site] | models.QuerySet[Site]) -> AuditEntryQuerySet:
        """Entries of these sites' locks, by lock id (a semi-join the date index can serve)."""
        return self.filter(lock__in=SmartLock.objects.filter(site__in=sites).values("pk"))


class AuditEntry(models.Model):
    """One event a smart lock recorded, kept after the vendor forgets it."""

    lock = models.ForeignKey(SmartLock, on_delete=models.CASCADE, related_name="audit_entries")
    audit_entry_id = models.BigIntegerField(unique=True, help_text="The vendor's AuditEntryID.")
    date_entered = models.DateTimeField(help_text="UTC.")
    entry_type = models.CharField(max_length=100)
    entry_text = models.TextField(blank=True)
    fetched_at = models.DateTimeField(auto_now_add=True)

    objects = AuditEntryQuerySet.as_manager()

    class Meta:
        ordering = ["-date_entered", "-audit_entry_id"]
        # Every list of entries is newest first by (date_entered, id) and cut with LIMIT, so
        # each filter the pages use has an index in that order: PostgreSQL walks it and stops.
        indexes = [
            models.Index(fields=["-date_entered", "-id"], name="audit_newest_first"),
            models.Index(fields=["lock", "-date_entered", "-id"], name="audit_lock_newest_first"),
            models.Index(fields=["entry_type", "-date_entered", "-id"], name="audit_type_newest"),
        ]
        verbose_name_plural = "audit entries"

    def __str__(self) -> str:
        return f"{self.entry_type} at {self.date_entered:%Y-%m-%d %H:%M}"


class SyncTrigger(models.TextChoices):
    PLANNER = "planner", "Planner"
    MANUAL = "manual", "Sync now"
    COMMAND = "command", "Command"


class SyncStatus(models.TextChoices):
    QUEUED = "queued", "Queued"
    RUNNING = "running", "Running"
    RETRYING = "retrying", "Retrying"
    DONE = "done", "Done"
    FAILED = "failed", "Failed"
    SKIPPED = "skipped", "Skipped"
    STOPPED = "stopped", "Stopped"  # its worker vanished mid-run; closed by the sweeper


FINISHED = (SyncStatus.DONE, SyncStatus.FAILED, SyncStatus.SKIPPED, SyncStatus.STOPPED)


class SyncRunQuerySet(models.QuerySet["SyncRun"]):
    def visible_to(self, user: AnyUser) -> SyncRunQuerySet:
        """Sync runs of the sites this user belongs to."""
        return on_visible_sites(self, user)

    def unfinished(self) -> SyncRunQuerySet:
        return self.exclude(status__in=FINISHED)


class SyncRun(models.Model):
    """One sync of a K3 account: what it was to do, what it did, calls spent, errors met."""

    site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="sync_runs")
    account = models.ForeignKey(K3Account, on_delete=models.CASCADE, related_name="sync_runs")
    trigger = models.CharField(max_length=16, choices=SyncTrigger.choices)
    status = models.CharField(max_length=16, choices=SyncStatus.choices, default=SyncStatus.QUEUED)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Set by the service from timezone.now() (not a default), so a fake clock applies to it.
    created_at = models.DateTimeField()
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    items = models.JSONField(default=list, help_text='[{"what", "lock", "calls"}], in order.')
    items_done = models.PositiveIntegerField(default=0)
    calls_planned = models.PositiveIntegerField(default=0)
    calls_spent = models.PositiveIntegerField(default=0)
    entries_added = models.PositiveIntegerField(default=0)
    locks_gone = models.PositiveIntegerField(default=0)
    notes = models.TextField(blank=True)
    errors = models.TextField(blank=True)
    # Moved on at every write of the worker (start, each item, a retry): an unfinished run
    # quiet for longer than a task may last has lost its worker, and the sweeper closes it.
    heartbeat_at = models.DateTimeField()
    # The account lease the run holds, so the sweeper frees that one and never a later run's.
    lease_token = models.CharField(max_length=32, blank=True)

    objects = SyncRunQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["site", "-created_at"], name="sync_run_site_newest"),
            # Only the few unfinished runs, for the sweeper's look for silent ones.
            models.Index(
                fields=["heartbeat_at"],
                condition=~Q(status__in=FINISHED),
                name="sync_run_unfinished",
            ),
        ]

    def __str__(self) -> str:
        return f"sync {self.pk} of {self.account_id} ({self.status})"

    def save(self, *args: Any, **kwargs: Any) -> None:
        # A run recorded without a heartbeat has shown none since it was created.
        if self.heartbeat_at is None:
            self.heartbeat_at = self.created_at
        super().save(*args, **kwargs)

    @property
    def is_finished(self) -> bool:
        return self.status in FINISHED

    @property
    def ledger_tag(self) -> str:
        """The ledger's task name for this run's calls; manual runs spend the people's share."""
        prefix = "manual-sync" if self.trigger == SyncTrigger.MANUAL else "sync"
        return f"{prefix}:{self.pk}"

    def ledger_calls(self) -> int:
        """Billable calls this run has made so far, from the usage ledger."""
        from netcodes.models import ApiCall

        return ApiCall.objects.billable().filter(task=self.ledger_tag).count()

    def add_note(self, line: str) -> None:
        self.notes = f"{self.notes}\n{line}".strip()

    def add_error(self, line: str) -> None:
        self.errors = f"{self.errors}\n{line}".strip()
