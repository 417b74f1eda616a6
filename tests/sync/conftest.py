"""Fixtures of the sync tests: a linked account on the sandbox and the sandbox controls."""

from __future__ import annotations

from typing import Any

import pytest
import requests

from k3clients import services
from k3clients.models import K3Account, SmartLock
from tests.conftest import SANDBOX_ACCESSKEY


def control(sandbox, name: str, body: Any = None, method: str = "POST") -> Any:
    """Call one of the sandbox's control endpoints over its socket."""
    response = requests.request(method, f"{sandbox.url}/_sandbox/{name}", json=body, timeout=10)
    response.raise_for_status()
    return response.json()


def remote_audit_ids(sandbox, lock_id: str) -> list[int]:
    """Every AuditEntryID the sandbox holds for a lock."""
    with sandbox.state.lock:
        remote = sandbox.state.accounts[SANDBOX_ACCESSKEY].locks[lock_id]
        return [row[0] for row in remote.audit]


@pytest.fixture
def account(sandbox, site, site_admin) -> K3Account:
    """The seeded K3 account linked to the site (its lock list is fetched on linking)."""
    return services.k3_account_link(site=site, access_key=SANDBOX_ACCESSKEY, user=site_admin)


@pytest.fixture
def lock(account) -> SmartLock:
    """The account's first lock."""
    return account.locks.order_by("pk").first()
