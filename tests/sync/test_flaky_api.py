"""Sync under a flaky API converges to exactly the API's state once the faults stop."""

from __future__ import annotations

import pytest

from codelocks.errors import CodelocksError
from codelocks.sandbox.faults import rule_from_json
from k3clients.models import AuditEntry, PhoneClient
from k3clients.services import lock_audit_fetch, lock_clients_refresh
from tests.conftest import SANDBOX_ACCESSKEY
from tests.sync.conftest import control, remote_audit_ids

pytestmark = pytest.mark.django_db

# About a fifth of the audit and phone-user calls fail (1 - 0.945**4), in the ways that are
# not retried (a broken body, an error inside a 200) and the ways that are (502, a drop).
FLAKY = [
    {"operation": operation, "probability": 0.055, **failure}
    for operation in ("k3_audit", "k3_clients")
    for failure in ({"malformed": True}, {"error200": True}, {"status": 502}, {"drop": True})
]


def _sync_everything(locks, *, max_pages: int) -> int:
    """One round over every lock, as the planner would; give how many calls failed."""
    failures = 0
    for lock in locks:
        for sync in (
            lambda lock=lock: lock_audit_fetch(lock=lock, max_pages=max_pages),
            lambda lock=lock: lock_clients_refresh(lock=lock),
        ):
            try:
                sync()
            except CodelocksError:
                failures += 1
    return failures


def _remote_clients(sandbox, lock_id: str) -> set[tuple[str, str]]:
    with sandbox.state.lock:
        remote = sandbox.state.accounts[SANDBOX_ACCESSKEY].locks[lock_id]
        return {(email, client.status.lower()) for email, client in remote.clients.items()}


def test_a_flaky_api_loses_and_duplicates_no_audit_entry_and_no_phone_user(
    sandbox, account, settings
):
    settings.CODELOCKS_RETRY_BACKOFF = 0
    locks = list(account.locks.order_by("pk"))
    for lock in locks[:3]:
        control(sandbox, "audit", {"lock_id": lock.lock_id, "count": 2500})
    sandbox.state.faults.replace([rule_from_json(rule) for rule in FLAKY])

    failures = sum(_sync_everything(locks, max_pages=2) for _ in range(4))
    for lock in locks[:3]:
        control(sandbox, "audit", {"lock_id": lock.lock_id, "count": 300})

    sandbox.state.faults.clear()
    for _ in range(3):
        _sync_everything(locks, max_pages=50)

    assert failures > 0, "the faults should have hit some calls"
    for lock in locks:
        stored = list(AuditEntry.objects.filter(lock=lock).values_list("audit_entry_id", flat=True))
        assert len(stored) == len(set(stored))
        assert sorted(stored) == sorted(remote_audit_ids(sandbox, lock.lock_id))
        local = set(PhoneClient.objects.filter(lock=lock).values_list("email", "status"))
        assert {email for email, _ in local} == {
            e for e, _ in _remote_clients(sandbox, lock.lock_id)
        }
