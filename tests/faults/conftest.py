"""Fixtures of the fault grid: site A's objects on the sandbox, a short timeout, no retry waits."""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass

import pytest

from k3clients import services as k3_services
from k3clients.models import ClientStatus, K3Account, PhoneClient, SmartLock
from locks.models import KitLock
from tests.conftest import SANDBOX_ACCESSKEY
from tests.k3clients.conftest import OTHER_ACCESSKEY, add_sandbox_account, sandbox_first_lock
from tests.locks.factories import KitLockFactory

CLIENT_TIMEOUT = 0.5
# The sandbox waits this long before answering a "timeout" request (then carries it out).
SLOW_ANSWER = 0.8


@dataclass
class Estate:
    """What the operations of the grid act on."""

    kitlock: KitLock
    account: K3Account
    smartlock: SmartLock
    accepted_client: PhoneClient


@pytest.fixture
def estate(sandbox, site, site_admin, settings) -> Iterator[Estate]:
    """A linked account with its first lock's phone users fetched, and a KitLock."""
    settings.CODELOCKS_RETRY_BACKOFF = 0
    settings.KEYHOUSE_SYNC_RETRY_BACKOFF = 0
    add_sandbox_account(sandbox, OTHER_ACCESSKEY)
    account = k3_services.k3_account_link(site=site, access_key=SANDBOX_ACCESSKEY, user=site_admin)
    smartlock = account.locks.get(lock_id=sandbox_first_lock(sandbox).lock_id)
    k3_services.lock_clients_refresh(lock=smartlock)
    settings.CODELOCKS_TIMEOUT = CLIENT_TIMEOUT
    yield Estate(
        kitlock=KitLockFactory(site=site, name="Plant room box", location="Basement"),
        account=account,
        smartlock=smartlock,
        accepted_client=smartlock.phone_clients.get(status=ClientStatus.ACCEPTED),
    )
    if any(rule["action"] == "delay" for rule in sandbox.state.faults.describe()):
        # Let the sandbox finish the slow requests before the next test resets it.
        sandbox.state.faults.clear()
        time.sleep(SLOW_ANSWER - CLIENT_TIMEOUT + 0.15)
