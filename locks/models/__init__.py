"""The locks app's models: sites and roles, and the KitLocks of each site."""

from __future__ import annotations

from locks.models.kitlocks import KitLock, KitLockModel, KitLockQuerySet, NetCodeMode
from locks.models.sites import (
    Membership,
    MembershipQuerySet,
    Role,
    Site,
    SiteQuerySet,
    time_zone_choices,
    validate_time_zone,
)

__all__ = [
    "KitLock",
    "KitLockModel",
    "KitLockQuerySet",
    "Membership",
    "MembershipQuerySet",
    "NetCodeMode",
    "Role",
    "Site",
    "SiteQuerySet",
    "time_zone_choices",
    "validate_time_zone",
]
