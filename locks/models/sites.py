"""Sites, the people who belong to them and their roles."""

from __future__ import annotations

import zoneinfo
from functools import cache
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Count, Q

from netcodes import clock

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

    AnyUser = AbstractBaseUser | AnonymousUser


@cache
def time_zone_choices() -> list[tuple[str, str]]:
    """Every IANA time zone name, sorted, as form choices."""
    return [(name, name.replace("_", " ")) for name in sorted(zoneinfo.available_timezones())]


def validate_time_zone(value: str) -> None:
    """Refuse a time zone name that the IANA database does not know."""
    if value not in zoneinfo.available_timezones():
        raise ValidationError(f"“{value}” is not a known time zone, e.g. Europe/London.")


class Role(models.TextChoices):
    """What a member may do on a site; each role includes the ones below it."""

    ADMIN = "admin", "Admin"
    MANAGER = "manager", "Manager"
    STAFF = "staff", "Staff"

    @property
    def rank(self) -> int:
        return {Role.STAFF: 1, Role.MANAGER: 2, Role.ADMIN: 3}[self]

    def includes(self, other: Role) -> bool:
        """Whether this role may do what `other` may do."""
        return self.rank >= Role(other).rank


def on_visible_sites(
    rows: models.QuerySet, user: AnyUser, *, site: str = "site"
) -> models.QuerySet:
    """`rows` (whose `site` path leads to a Site) limited to the sites this user belongs to.

    A superuser's rows are not filtered at all: `site IN (every site)` changes nothing but
    still costs the database a semi-join on every list.
    """
    if user.is_authenticated and user.is_superuser:
        return rows.all()
    return rows.filter(**{f"{site}__in": Site.objects.visible_to(user)})


class SiteQuerySet(models.QuerySet["Site"]):
    def visible_to(self, user: AnyUser) -> SiteQuerySet:
        """The sites this user belongs to (every site for a superuser)."""
        if not user.is_authenticated:
            return self.none()
        if user.is_superuser:
            return self.all()
        return self.filter(memberships__user=user)

    def with_member_counts(self) -> SiteQuerySet:
        return self.annotate(member_count=Count("memberships", distinct=True))


class Site(models.Model):
    """A building or estate whose locks are managed together, in one time zone."""

    name = models.CharField(max_length=120, unique=True)
    time_zone = models.CharField(
        max_length=64, default="Europe/London", validators=[validate_time_zone]
    )
    address = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = SiteQuerySet.as_manager()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def __getstate__(self) -> dict[str, Any]:
        """A pickled (cached) site keeps no roles: they may change before it is read back."""
        state = super().__getstate__()
        state.pop("_roles", None)
        return state

    @property
    def tz(self) -> zoneinfo.ZoneInfo:
        return clock.zone(self.time_zone)

    def role_of(self, user: AnyUser) -> Role | None:
        """The user's role on this site; superusers act as Admins everywhere.

        Read once per site object and person: a page checks the role, then shows or hides what
        the role allows, and each of those asked the database again.
        """
        if not user.is_authenticated:
            return None
        if user.is_superuser:
            return Role.ADMIN
        known = self.__dict__.setdefault("_roles", {})
        if user.pk not in known:
            role = self.memberships.filter(user=user).values_list("role", flat=True).first()
            known[user.pk] = Role(role) if role else None
        return known[user.pk]


class MembershipQuerySet(models.QuerySet["Membership"]):
    def visible_to(self, user: AnyUser) -> MembershipQuerySet:
        """Memberships of the sites this user belongs to."""
        return self.filter(site__in=Site.objects.visible_to(user))

    def admins(self) -> MembershipQuerySet:
        return self.filter(role=Role.ADMIN)


class Membership(models.Model):
    """A person's role on one site."""

    site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(max_length=16, choices=Role.choices, default=Role.STAFF)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        ordering = ["site__name", "user__username"]
        constraints = [
            models.UniqueConstraint(fields=["site", "user"], name="one_membership_per_site"),
            models.CheckConstraint(
                condition=Q(role__in=[r.value for r in Role]), name="membership_role_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} of {self.site}"
