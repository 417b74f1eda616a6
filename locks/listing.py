"""The lock list: one query for every kind of lock a site has, with search and filters."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Q

from locks.models import KitLock, Site

if TYPE_CHECKING:
    from locks.models.sites import AnyUser


def lock_list(
    user: AnyUser,
    *,
    site: Site | None = None,
    q: str = "",
    model: str = "",
    attention: bool = False,
) -> list[KitLock]:
    """The locks this user may see, filtered; smart locks join here when they exist."""
    locks = KitLock.objects.visible_to(user).select_related("site").search(q)
    if site is not None:
        locks = locks.filter(site=site)
    if model:
        locks = locks.filter(model=model)
    if attention:
        locks = locks.filter(Q(clock_needs_setting=True) | Q(initialised_at__isnull=True))
    return list(locks.order_by("site__name", "name"))
