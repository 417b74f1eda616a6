"""Fill a database with a big, realistic estate quickly: the data the scale benchmarks run on."""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, replace
from functools import cache
from unittest import mock

from django.db import transaction

from dashboard.models import ActivityEvent
from k3clients.models import AuditEntry, K3Account, PhoneClient, SmartLock
from locks import crypto
from locks.models import KitLock, Membership, Site
from locks.scale.hardware import seed_kitlocks, seed_smartlocks
from locks.scale.history import seed_audit, seed_phone_clients
from locks.scale.netcodes import anchor_now, seed_netcodes
from locks.scale.people import MANAGER_USERNAME, SUPERUSER_USERNAME, Estate, seed_people, seed_sites
from locks.scale.writer import analyze, reset_sequences
from netcodes.models import ApiCall, NetCode, NetCodeIssue

__all__ = ["MANAGER_USERNAME", "SUPERUSER_USERNAME", "Sizes", "seed_scale"]

SEEDED_MODELS = [
    Site, Membership, KitLock, K3Account, SmartLock, PhoneClient, AuditEntry, NetCode,
    NetCodeIssue, ApiCall, ActivityEvent,
]  # fmt: skip


@dataclass(frozen=True)
class Sizes:
    """How much of everything to create (the issue's full sizes by default)."""

    sites: int = 200
    locks: int = 10_000
    phone_users: int = 50_000
    audit: int = 1_000_000
    netcodes: int = 200_000

    def scaled(self, factor: float) -> Sizes:
        """The same estate, `factor` times as big (at least one site and one lock)."""
        sizes = {name: max(1, round(value * factor)) for name, value in asdict(self).items()}
        return replace(self, **sizes)


@contextmanager
def _encrypt_once() -> Iterator[None]:
    """Encrypt each repeated secret once and reuse the ciphertext (Fernet is slow per row)."""
    with mock.patch.object(crypto, "encrypt", cache(crypto.encrypt)):
        yield


def seed_scale(
    sizes: Sizes, *, seed: int = 1, report: Callable[[str], None] = lambda line: None
) -> dict[str, float]:
    """Create the estate in one transaction; report each step; give the seconds of each."""
    rng = random.Random(seed)  # noqa: S311 - reproducible fake data, no secrets
    estate = Estate(now=anchor_now())
    timings: dict[str, float] = {}

    def step(name: str, action: Callable[[], object]) -> object:
        began = time.perf_counter()
        result = action()
        timings[name] = time.perf_counter() - began
        shown = len(result) if isinstance(result, list) else result
        shown = "done" if shown is None else shown
        report(f"{name}: {shown} in {timings[name]:.1f} s")
        return result

    kitlock_count = round(sizes.locks * 0.4)
    with _encrypt_once(), transaction.atomic():
        step("sites", lambda: seed_sites(rng, sizes.sites, estate) or len(estate.site_ids))
        step("people", lambda: seed_people(rng, estate))
        kitlocks = step("kitlocks", lambda: seed_kitlocks(rng, kitlock_count, estate))
        smart = step(
            "smartlocks", lambda: seed_smartlocks(rng, sizes.locks - kitlock_count, estate)
        )
        step("phone users", lambda: seed_phone_clients(rng, sizes.phone_users, smart, estate))
        step("audit entries", lambda: seed_audit(rng, sizes.audit, smart, estate))
        locks = [*kitlocks, *smart]
        step("netcodes", lambda: seed_netcodes(rng, sizes.netcodes, locks, estate))
        reset_sequences(SEEDED_MODELS)
    step("analyze", analyze)
    return timings
