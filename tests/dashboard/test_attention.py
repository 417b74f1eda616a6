"""Locks needing attention across many sites: the same worst few as sorting every lock."""

from __future__ import annotations

import random
from datetime import timedelta

import pytest

from dashboard import attention
from dashboard.scope import EverySite
from k3clients.models import SmartLock
from locks.models import KitLock, Site
from tests.dashboard.conftest import NOW
from tests.factories import SiteFactory
from tests.k3clients.factories import K3AccountFactory, SmartLockFactory
from tests.locks.factories import KitLockFactory


def _estate(seed: int) -> None:
    """Sites whose locks are in random states, some sites calm, some with a refused key."""
    rng = random.Random(seed)
    for n in range(9):
        site = SiteFactory(name=rng.choice("ABCDEFGH") + f" site {n}")
        account = K3AccountFactory(site=site, key_rejected_at=NOW if n == 4 else None)
        for k in range(rng.randint(0, 5)):
            KitLockFactory(
                site=site,
                name=rng.choice(["gate", "Gate", "bin"]) + f" {k}",
                initialised_at=None if rng.random() < 0.2 else NOW,
                clock_needs_setting=rng.random() < 0.2,
            )
        for k in range(rng.randint(0, 5)):
            SmartLockFactory(
                account=account,
                name=rng.choice(["door", "Door", ""]) + (f" {k}" if k % 3 else ""),
                battery_status=rng.choice(["5", "15%", "60", "", "n/a"]),
                gone_at=NOW if rng.random() < 0.15 else None,
                last_synced_at=NOW - timedelta(hours=rng.choice([1, 30])),
            )


def _every_lock_sorted(sites: list[Site]) -> list[tuple[int, str, str]]:
    """(severity, site, lock) of every lock needing attention, worst first, one by one."""
    rows = []
    for lock in KitLock.objects.filter(site__in=sites).select_related("site"):
        severity, _ = attention.kitlock_problems(
            lock.initialised_at is None, lock.clock_needs_setting
        )
        rows.append((severity, lock.site.name, lock.name.lower(), 0, lock.pk, lock.name))
    for lock in SmartLock.objects.filter(site__in=sites).select_related("site", "account"):
        state = attention.SmartLockState(
            lock.battery_status,
            lock.gone_at,
            lock.last_synced_at,
            lock.account.key_rejected_at is not None,
        )
        severity, _ = attention.smartlock_problems(state, NOW)
        name = lock.name or lock.lock_id
        rows.append((severity, lock.site.name, name.lower(), 1, lock.pk, name))
    rows = sorted((r for r in rows if r[0]), key=lambda r: (-r[0], *r[1:5]))
    return [(severity, site, name) for severity, site, _, _, _, name in rows]


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("limit", [1, 3, 10, 100])
def test_the_worst_locks_are_those_of_sorting_every_lock_of_every_site(db, seed, limit):
    _estate(seed)
    sites = list(Site.objects.order_by("name"))
    expected = _every_lock_sorted(sites)
    for scope in (sites, EverySite(sites), sites[2:6]):
        health = attention.lock_health(scope, now=NOW, limit=limit)
        shown = [(row.severity, row.site_name, row.name) for row in health.rows]
        wanted = _every_lock_sorted(list(scope))[:limit]
        assert shown == wanted
        assert health.total == len(_every_lock_sorted(list(scope)))
    assert len(expected) == attention.lock_health(sites, now=NOW, limit=limit).total


def test_each_sites_figures_count_its_locks_needing_attention_and_low_batteries(db):
    _estate(7)
    sites = list(Site.objects.order_by("name"))
    health = attention.lock_health(EverySite(sites), now=NOW, limit=3)
    for site, figures in zip(sites, health.by_site, strict=True):
        assert figures.site_id == site.pk
        kit, smart = KitLock.objects.filter(site=site), SmartLock.objects.filter(site=site)
        assert figures.locks == kit.count() + smart.count()
        assert figures.attention == len(_every_lock_sorted([site]))
        low = [lock for lock in smart if lock.battery_low and lock.gone_at is None]
        assert figures.low_battery == len(low)
