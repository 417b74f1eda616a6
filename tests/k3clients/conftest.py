"""Fixtures of the K3 tests: a linked account on the sandbox and its first smart lock."""

from __future__ import annotations

import pytest

from k3clients import services
from k3clients.models import K3Account, SmartLock
from tests.conftest import SANDBOX_ACCESSKEY

OTHER_ACCESSKEY = "9xq4k7otherkey"


def sandbox_account(sandbox, accesskey: str = SANDBOX_ACCESSKEY):
    """The sandbox's K3 account behind an access key."""
    return sandbox.state.accounts[accesskey]


def sandbox_first_lock(sandbox, accesskey: str = SANDBOX_ACCESSKEY):
    """The seeded lock that always has an accepted, a pending and a suspended client."""
    return next(iter(sandbox_account(sandbox, accesskey).locks.values()))


def add_sandbox_account(sandbox, accesskey: str):
    """Give the sandbox a second K3 account."""
    with sandbox.state.lock:
        return sandbox.state.add_account(accesskey, len(sandbox.state.accounts))


def fault(sandbox, **rule):
    """Make the sandbox fail in one scripted way."""
    from codelocks.sandbox.faults import rule_from_json

    sandbox.state.faults.replace([rule_from_json(rule)])


@pytest.fixture
def account(sandbox, site, site_admin) -> K3Account:
    """The seeded K3 account linked to the site through the portal's own service."""
    return services.k3_account_link(site=site, access_key=SANDBOX_ACCESSKEY, user=site_admin)


@pytest.fixture
def lock(account, sandbox) -> SmartLock:
    """The account's first lock (three seeded phone users: accepted, pending, suspended)."""
    return account.locks.get(lock_id=sandbox_first_lock(sandbox).lock_id)


def period_post(periods=None, **overrides) -> dict[str, str]:
    """The editor's POST data for ten rows, as a browser sends it (unticked boxes absent)."""
    from codelocks.types import WEEKDAYS
    from k3clients.periods import padded, preset

    data = {
        "periods-TOTAL_FORMS": "10",
        "periods-INITIAL_FORMS": "0",
        "periods-MIN_NUM_FORMS": "10",
        "periods-MAX_NUM_FORMS": "10",
    }
    rows = padded(periods) if periods is not None else preset("always")
    for n, period in enumerate(rows):
        data[f"periods-{n}-index"] = str(n)
        data[f"periods-{n}-starts"] = period.starts
        data[f"periods-{n}-ends"] = period.ends
        for name in ("enabled", *WEEKDAYS):
            if getattr(period, name):
                data[f"periods-{n}-{name}"] = "on"
    data.update(overrides)
    return data


def free_registered_email(sandbox, lock_id: str) -> str:
    """A registered K3 Connect user who is not yet a client of the lock."""
    from codelocks.sandbox.seed import REGISTERED_USERS

    remote_lock = next(
        a.locks[lock_id] for a in sandbox.state.accounts.values() if lock_id in a.locks
    )
    return next(email for email in REGISTERED_USERS if email not in remote_lock.clients)
