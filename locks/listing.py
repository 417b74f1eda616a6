"""The lock list: KitLocks and K3Connect smart locks of the user's sites in one list."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import Q
from django.urls import reverse

from k3clients.models import SmartLock
from locks.models import KitLock, Site

if TYPE_CHECKING:
    from locks.models.sites import AnyUser

SMART_LOCK_MODEL = "K3CONNECT"


@dataclass(frozen=True)
class LockRow:
    """One line of the lock list, whatever kind of lock it is."""

    name: str
    location: str
    site: Site
    kind: str
    url: str
    netcode_mode: str
    # (label, Bootstrap colour) of each thing that needs someone's attention, worst first.
    warnings: tuple[tuple[str, str], ...]
    battery: str = ""

    @property
    def needs_attention(self) -> bool:
        return bool(self.warnings)


def _kitlock_row(lock: KitLock) -> LockRow:
    warnings = []
    if lock.awaiting_initialisation:
        warnings.append(("Initialisation not confirmed", "warning"))
    elif lock.clock_needs_setting:
        warnings.append(("Clock needs setting", "danger"))
    return LockRow(
        name=lock.name,
        location=lock.location,
        site=lock.site,
        kind=f"KitLock {lock.model}",
        url=reverse("kitlock_detail", args=[lock.pk]),
        netcode_mode=lock.get_netcode_mode_display(),
        warnings=tuple(warnings),
    )


def _smartlock_row(lock: SmartLock) -> LockRow:
    warnings = []
    if lock.is_gone:
        warnings.append(("No longer on its account", "secondary"))
    if lock.account.key_rejected:
        warnings.append(("Access key refused", "danger"))
    if lock.battery_low:
        warnings.append(("Battery low", "danger"))
    return LockRow(
        name=str(lock),
        location=lock.location,
        site=lock.site,
        kind=f"Smart lock {lock.model_name}".strip(),
        url=reverse("k3_lock_detail", args=[lock.pk]),
        netcode_mode="Standard",
        warnings=tuple(warnings),
        battery=lock.battery_status,
    )


def _kitlocks(user: AnyUser, site: Site | None, q: str, model: str, attention: bool):
    if model == SMART_LOCK_MODEL:
        return KitLock.objects.none()
    locks = KitLock.objects.visible_to(user).select_related("site").search(q)
    if site is not None:
        locks = locks.filter(site=site)
    if model:
        locks = locks.filter(model=model)
    if attention:
        locks = locks.filter(Q(clock_needs_setting=True) | Q(initialised_at__isnull=True))
    return locks


def _smartlocks(user: AnyUser, site: Site | None, q: str, model: str):
    if model and model != SMART_LOCK_MODEL:
        return SmartLock.objects.none()
    locks = SmartLock.objects.visible_to(user).select_related("site", "account")
    if site is not None:
        locks = locks.filter(site=site)
    if q.strip():
        text = q.strip()
        locks = locks.filter(
            Q(name__icontains=text) | Q(location__icontains=text) | Q(lock_id__startswith=text)
        )
    return locks


def lock_list(
    user: AnyUser,
    *,
    site: Site | None = None,
    q: str = "",
    model: str = "",
    attention: bool = False,
) -> list[LockRow]:
    """The locks of every kind this user may see, filtered, sorted by site and name."""
    rows = [_kitlock_row(lock) for lock in _kitlocks(user, site, q, model, attention)]
    smart_rows = [_smartlock_row(lock) for lock in _smartlocks(user, site, q, model)]
    rows.extend(row for row in smart_rows if row.needs_attention or not attention)
    return sorted(rows, key=lambda row: (row.site.name, row.name.casefold()))
