"""NetCodes issued through the portal, cached durations and the ledger of every API call."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.template.defaultfilters import pluralize

from locks.crypto import EncryptedTextField
from locks.models import Site

if TYPE_CHECKING:
    from locks.models.sites import AnyUser


class ApiCategory(models.TextChoices):
    NETCODE = "netcode", "NetCode"
    UTILITY = "utility", "Utility"


class ApiCallQuerySet(models.QuerySet["ApiCall"]):
    def billable(self) -> ApiCallQuerySet:
        """Calls the API gateway counts against the plan: every answered one but refusals."""
        return self.exclude(status__isnull=True).exclude(status__in=(403, 429))

    def in_month(self, year: int, month: int) -> ApiCallQuerySet:
        return self.filter(at__year=year, at__month=month)


class ApiCall(models.Model):
    """One HTTP request to the Codelocks Connect API: the usage ledger."""

    at = models.DateTimeField(db_index=True)
    category = models.CharField(max_length=8, choices=ApiCategory.choices)
    operation = models.CharField(max_length=32)
    method = models.CharField(max_length=8)
    status = models.PositiveSmallIntegerField(null=True, blank=True)
    elapsed_ms = models.PositiveIntegerField()
    error = models.CharField(max_length=200, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    task = models.CharField(max_length=100, blank=True, help_text="Celery task or command")

    objects = ApiCallQuerySet.as_manager()

    class Meta:
        ordering = ["-at"]
        indexes = [models.Index(fields=["category", "at"], name="apicall_category_at")]

    def __str__(self) -> str:
        return f"{self.operation} {self.status or self.error} at {self.at:%Y-%m-%d %H:%M}"

    @property
    def caller(self) -> str:
        return str(self.user) if self.user_id else (self.task or "portal")


class DurationOption(models.Model):
    """A NetCode duration id of one lock model, cached from the API (refreshed daily)."""

    lock_model = models.CharField(max_length=12)
    duration_id = models.PositiveSmallIntegerField()
    mode = models.CharField(max_length=40)
    sub_mode = models.CharField(max_length=40, blank=True)
    days = models.PositiveSmallIntegerField(default=0)
    hours = models.PositiveSmallIntegerField(default=0)
    fetched_at = models.DateTimeField()
    # The rules of duration/{id}, fetched once per id (null until then).
    apply_dst = models.BooleanField(null=True, blank=True)
    convert_to_utc = models.BooleanField(null=True, blank=True)
    restricted_start_time = models.CharField(max_length=8, blank=True)
    rules_fetched_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["lock_model", "days", "hours", "duration_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["lock_model", "duration_id"], name="duration_option_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.lock_model} #{self.duration_id}: {self.label}"

    @property
    def is_day_code(self) -> bool:
        return self.days > 0

    @property
    def length(self) -> timedelta:
        return timedelta(days=self.days, hours=self.hours)

    @property
    def label(self) -> str:
        """ "2 hours", "1 day", with the mode when it is not Standard."""
        parts = []
        if self.days:
            parts.append(f"{self.days} day{pluralize(self.days)}")
        if self.hours:
            parts.append(f"{self.hours} hour{pluralize(self.hours)}")
        text = " ".join(parts) or "0 hours"
        if self.mode.lower() != "standard":
            text += f" ({self.mode})"
        return text

    @property
    def has_rules(self) -> bool:
        return self.rules_fetched_at is not None


class NetCodeState(models.TextChoices):
    PENDING = "pending", "Being generated"
    READY = "ready", "Ready"


class NetCodeQuerySet(models.QuerySet["NetCode"]):
    def visible_to(self, user: AnyUser) -> NetCodeQuerySet:
        """Codes of locks on the sites this user belongs to."""
        return self.filter(site__in=Site.objects.visible_to(user))


class NetCode(models.Model):
    """One code for one set of request parameters: the same parameters always give it."""

    site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="netcodes")
    # One FK per kind of lock (at most one set). SET_NULL: the history outlives the lock.
    kitlock = models.ForeignKey(
        "locks.KitLock", null=True, blank=True, on_delete=models.SET_NULL, related_name="netcodes"
    )
    smartlock = models.ForeignKey(
        "k3clients.SmartLock",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="netcodes",
    )
    # HMAC of lock ref, model, identifier, lock-clock start and duration id: the dedupe key.
    fingerprint = models.CharField(max_length=64, unique=True)
    lock_name = models.CharField(max_length=120)
    lock_location = models.CharField(max_length=200, blank=True)
    lock_model = models.CharField(max_length=12)
    lock_ref = models.CharField(max_length=64)
    clock_zone = models.CharField(max_length=64)
    mode = models.CharField(max_length=40, default="standard")
    sub_mode = models.CharField(max_length=40, blank=True)
    duration_id = models.PositiveSmallIntegerField()
    duration_label = models.CharField(max_length=60)
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    lock_start = models.CharField("start on the lock's clock", max_length=16)
    lock_end = models.CharField("end on the lock's clock", max_length=16)
    code = EncryptedTextField(blank=True)
    state = models.CharField(
        max_length=8, choices=NetCodeState.choices, default=NetCodeState.PENDING
    )
    claimed_at = models.DateTimeField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = NetCodeQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_at"]
        # The dashboard's "active now" and "starting today" read codes by their window's ends:
        # without these, every visit scans all the codes ever given.
        indexes = [
            models.Index(fields=["ends_at"], name="netcode_ends_at"),
            models.Index(fields=["starts_at"], name="netcode_starts_at"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=F("starts_at")), name="netcode_window"),
            models.CheckConstraint(
                condition=Q(kitlock__isnull=True) | Q(smartlock__isnull=True),
                name="netcode_one_kind_of_lock",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.lock_name} from {self.starts_at:%Y-%m-%d %H:%M} UTC"

    @property
    def is_ready(self) -> bool:
        return self.state == NetCodeState.READY

    @property
    def lock(self) -> Any:
        """The KitLock or smart lock this code is for (None once the lock was removed)."""
        return self.kitlock or self.smartlock

    @property
    def masked_code(self) -> str:
        return "•" * (len(self.code) or 6)


class NetCodeBatch(models.Model):
    """A bulk request: many rows generated together, with one results file."""

    site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="netcode_batches")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"Bulk NetCodes for {self.site} at {self.created_at:%Y-%m-%d %H:%M}"


ISSUE_SITE_MISMATCH = "An issue belongs to the site of its NetCode."


class NetCodeIssueQuerySet(models.QuerySet["NetCodeIssue"]):
    def visible_to(self, user: AnyUser) -> NetCodeIssueQuerySet:
        """Issues of codes on the sites this user belongs to."""
        if user.is_authenticated and user.is_superuser:
            # Every issue: no site test, so a newest-first page walks the date index and stops.
            return self.all()
        return self.filter(site__in=Site.objects.visible_to(user))


class NetCodeIssue(models.Model):
    """One request for a code on behalf of a recipient: the history people browse."""

    netcode = models.ForeignKey(NetCode, on_delete=models.CASCADE, related_name="issues")
    # The NetCode's site, copied so one site's history is read from its own index instead of
    # walking every site's newest issues through the codes. No index of its own: the
    # (site, newest) index below serves every lookup by site.
    site = models.ForeignKey(
        Site, on_delete=models.CASCADE, related_name="netcode_issues", db_index=False
    )
    batch = models.ForeignKey(
        NetCodeBatch, null=True, blank=True, on_delete=models.SET_NULL, related_name="issues"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    requested_at = models.DateTimeField(auto_now_add=True, db_index=True)
    recipient_name = models.CharField(max_length=120)
    recipient_email = models.EmailField(blank=True)
    note = models.TextField(blank=True)
    from_history = models.BooleanField(
        default=False, help_text="Answered from the portal's history without an API call."
    )
    sent_to = models.CharField(max_length=254, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    objects = NetCodeIssueQuerySet.as_manager()

    class Meta:
        ordering = ["-requested_at", "-pk"]
        # The history pages newest first: the index gives the page without sorting the table.
        # One site's history: the same order within the site.
        indexes = [
            models.Index(fields=["-requested_at", "-id"], name="netcode_issue_newest"),
            models.Index(fields=["site", "-requested_at", "-id"], name="netcode_issue_site_newest"),
        ]

    def __str__(self) -> str:
        return f"{self.netcode} for {self.recipient_name}"

    def clean(self) -> None:
        """The issue's site is its NetCode's: the history filters and scopes on it."""
        if self.netcode_id and self.site_id != self.netcode.site_id:
            raise ValidationError({"site": ISSUE_SITE_MISMATCH})
