"""Permission helpers: fetch an object and check the user's access to it in one call."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from locks.models import KitLock, Role, Site

if TYPE_CHECKING:
    from django.http import HttpRequest

ROLE_REQUIRED = "Your role on {site} does not allow this; it needs {role}."
SESSION_SITE_KEY = "current_site_id"


def site_for(request: HttpRequest, site_id: int, *, role: Role = Role.STAFF) -> Site:
    """The site if the user belongs to it (404 otherwise) with at least `role` (403 otherwise)."""
    site = get_object_or_404(Site.objects.visible_to(request.user), pk=site_id)
    require_role(request, site, role)
    return site


def require_role(request: HttpRequest, site: Site, role: Role) -> Role:
    """Raise 403 unless the user has `role` (or a higher one) on `site`; return their role."""
    actual = site.role_of(request.user)
    if actual is None or not actual.includes(role):
        raise PermissionDenied(ROLE_REQUIRED.format(site=site, role=Role(role).label))
    return actual


def remember_site(request: HttpRequest, site: Site) -> None:
    """Make `site` the one the navigation's site switcher shows as current."""
    if request.session.get(SESSION_SITE_KEY) != site.pk:  # a session write costs a transaction
        request.session[SESSION_SITE_KEY] = site.pk


def kitlock_for(request: HttpRequest, lock_id: int, *, role: Role = Role.STAFF) -> KitLock:
    """The KitLock if it is on one of the user's sites (404 otherwise), with at least `role`."""
    lock = get_object_or_404(
        KitLock.objects.visible_to(request.user).select_related("site"), pk=lock_id
    )
    require_role(request, lock.site, role)
    return lock
