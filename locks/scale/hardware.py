"""The scale seed's locks: KitLocks, K3 accounts and smart locks, spread unevenly over sites."""

from __future__ import annotations

import hashlib
import random
from dataclasses import dataclass
from datetime import timedelta

from k3clients.models import K3Account, SmartLock
from locks.models import KitLock
from locks.models.kitlocks import KitLockModel
from locks.scale.names import KITLOCK_NAMES, LOCATIONS, SMARTLOCK_NAMES
from locks.scale.people import Estate

KITLOCK_SHARE = 0.4
KITLOCK_MODELS = [KitLockModel.KL1060, KitLockModel.KL1060C2, KitLockModel.KL1060G3]
SMART_MODELS = ["CL4510", "CL5510"]


@dataclass(frozen=True)
class LockInfo:
    """What NetCodes, phone users and audit entries copy from their lock."""

    pk: int
    site_id: int
    name: str
    location: str
    model: str
    ref: str
    clock_zone: str


def _spread(rng: random.Random, total: int, site_ids: list[int]) -> list[int]:
    """Site of each of `total` things: big and small sites, every site gets some."""
    weights = [rng.paretovariate(1.5) for _ in site_ids]
    picks = list(site_ids) if total >= len(site_ids) else []
    picks += rng.choices(site_ids, weights=weights, k=total - len(picks))
    return sorted(picks)


def _timecode(rng: random.Random) -> str:
    return f"20{rng.randint(19, 25)}{rng.randint(1, 12):02d}15{rng.randint(10, 23)}30"


def seed_kitlocks(rng: random.Random, count: int, estate: Estate) -> list[LockInfo]:
    """KitLocks, some awaiting initialisation and some whose clock needs setting."""
    locks = []
    for n, site_id in enumerate(_spread(rng, count, estate.site_ids)):
        model = rng.choice(KITLOCK_MODELS)
        initialised = (
            None if rng.random() < 0.05 else estate.now - timedelta(days=rng.randint(1, 900))
        )
        locks.append(
            KitLock(
                site_id=site_id,
                name=f"{rng.choice(KITLOCK_NAMES)} {n % 97 + 1}",
                location=rng.choice(LOCATIONS),
                model=model,
                timecode=_timecode(rng),
                identifier=f"{100000 + n:06d}",
                clock_zone=estate.site_zones[site_id],
                master_code="12345678",
                initialised_at=initialised,
                clock_set_at=initialised,
                clock_needs_setting=initialised is not None and rng.random() < 0.04,
            )
        )
    KitLock.objects.bulk_create(locks, batch_size=2000)
    rows = KitLock.objects.order_by("pk").values_list(
        "pk", "site_id", "name", "location", "model", "timecode", "clock_zone"
    )
    return [LockInfo(*row) for row in rows]


def seed_accounts(estate: Estate) -> dict[int, int]:
    """One K3 Connect account per site; gives the account id of each site."""
    accounts = [
        K3Account(
            site_id=site_id,
            access_key=f"scalekey{site_id:06d}",
            access_key_last4=f"{site_id:06d}"[-4:],
            email=f"facilities-{site_id}@example.com",
            status="active",
            linked_at=estate.now - timedelta(days=800),
            locks_synced_at=estate.now - timedelta(hours=2),
        )
        for site_id in estate.site_ids
    ]
    K3Account.objects.bulk_create(accounts, batch_size=1000)
    return dict(K3Account.objects.values_list("site_id", "pk"))


def seed_smartlocks(rng: random.Random, count: int, estate: Estate) -> list[LockInfo]:
    """Smart locks on each site's account, with batteries from flat to full."""
    accounts = seed_accounts(estate)
    locks = []
    for n, site_id in enumerate(_spread(rng, count, estate.site_ids)):
        battery = rng.randint(5, 20) if rng.random() < 0.07 else rng.randint(21, 100)
        locks.append(
            SmartLock(
                account_id=accounts[site_id],
                site_id=site_id,
                lock_id=hashlib.md5(f"lock-{n}".encode(), usedforsecurity=False).hexdigest(),
                name=f"{rng.choice(SMARTLOCK_NAMES)} {n % 400 + 1}",
                battery_status=str(battery),
                battery_updated=estate.now - timedelta(hours=rng.randint(1, 72)),
                manufacturer="Codelocks",
                model_name=rng.choice(SMART_MODELS),
                firmware_version=f"1.{rng.randint(2, 9)}.{rng.randint(0, 20)}",
                time_zone=estate.site_zones[site_id],
                location=rng.choice(LOCATIONS),
                first_seen_at=estate.now - timedelta(days=rng.randint(30, 1000)),
                last_synced_at=estate.now - timedelta(hours=rng.randint(1, 48)),
                gone_at=estate.now - timedelta(days=3) if rng.random() < 0.02 else None,
                clients_synced_at=estate.now - timedelta(hours=rng.randint(1, 48)),
                audit_synced_at=estate.now - timedelta(hours=rng.randint(1, 48)),
            )
        )
    SmartLock.objects.bulk_create(locks, batch_size=2000)
    rows = SmartLock.objects.order_by("pk").values_list(
        "pk", "site_id", "name", "location", "model_name", "lock_id", "time_zone"
    )
    return [LockInfo(*row) for row in rows]
