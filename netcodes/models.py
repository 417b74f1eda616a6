"""NetCodes issued through the portal and the ledger of every API call."""

from __future__ import annotations

from django.conf import settings
from django.db import models


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
