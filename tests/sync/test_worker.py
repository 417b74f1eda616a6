"""Sync through a real Celery worker and Redis broker (the PostgreSQL + Redis CI variant).

The worker is a subprocess pointed at the test database and the sandbox, so it can be killed
halfway through a run like a real one.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.db import connection

from k3clients.models import AuditEntry, K3Account, SyncRun, SyncStatus
from k3clients.sync.planner import What
from k3clients.sync.runs import sync_item, sync_run_create, sync_runs_enqueue
from k3clients.sync.sweep import stall_limits, sync_runs_sweep
from k3clients.tasks import sync_plan
from netcodes.models import ApiCall
from tests.conftest import SANDBOX_API_KEY
from tests.k3clients.conftest import fault
from tests.sync.conftest import control, remote_audit_ids

BROKER = os.environ.get("CELERY_BROKER_URL", "")
pytestmark = [
    pytest.mark.celery_worker,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        not BROKER.startswith("redis://") or connection.vendor != "postgresql",
        reason="needs CELERY_BROKER_URL=redis://… and DATABASE_URL=postgres://… (CI's second run)",
    ),
]
BASE_DIR = Path(django_settings.BASE_DIR)


def _flush_broker() -> None:
    import redis

    redis.Redis.from_url(BROKER).flushdb()


@contextmanager
def _worker(sandbox, tmp_path: Path, concurrency: int = 1) -> Iterator[subprocess.Popen]:
    """A Celery worker process on the test database, the sandbox and a file mail box."""
    db = connection.settings_dict
    env = {
        **os.environ,
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}",
        "CODELOCKS_API_URL": sandbox.url,
        "CODELOCKS_API_KEY": SANDBOX_API_KEY,
        "EMAIL_URL": f"filemail:///{tmp_path / 'mail'}",
        "KEYHOUSE_SYNC_RETRY_BACKOFF": "0.2",
        "KEYHOUSE_SYNC_MONTHLY_CALLS": "100000",
        "CODELOCKS_PLAN": "enterprise-2",
    }
    command = [
        sys.executable,
        "-m",
        "celery",
        "-A",
        "config",
        "worker",
        "--pool",
        "threads",
        "--concurrency",
        str(concurrency),
        "--without-mingle",
        "--without-gossip",
        "--without-heartbeat",
        "--loglevel",
        "WARNING",
    ]
    _flush_broker()
    process = subprocess.Popen(command, cwd=BASE_DIR, env=env)  # noqa: S603
    try:
        yield process
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
        _flush_broker()


def _wait_for(condition: Callable[[], bool], timeout: float = 20) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.1)
    raise AssertionError("timed out waiting for the worker")


def _finished(*runs: SyncRun) -> bool:
    return all(SyncRun.objects.get(pk=run.pk).is_finished for run in runs)


def _enqueue(account: K3Account, *items) -> SyncRun:
    run = sync_run_create(account=account, items=list(items), trigger="planner")
    sync_runs_enqueue([run])
    return run


def test_a_scheduled_run_syncs_into_the_database(sandbox, account, tmp_path):
    K3Account.objects.filter(pk=account.pk).update(locks_synced_at=None)
    with _worker(sandbox, tmp_path):
        sync_plan.delay()
        _wait_for(lambda: SyncRun.objects.exists() and _finished(*SyncRun.objects.all()))

    run = SyncRun.objects.get()
    assert run.status == SyncStatus.DONE
    assert run.entries_added == AuditEntry.objects.count() > 0


def test_two_concurrent_runs_for_one_account_make_one_set_of_calls(sandbox, account, tmp_path):
    fault(sandbox, operation="k3_locks", delay=1.0)
    with _worker(sandbox, tmp_path, concurrency=2):
        first = _enqueue(account, sync_item(What.LOCKS))
        second = _enqueue(account, sync_item(What.LOCKS))
        _wait_for(lambda: _finished(first, second))

    statuses = sorted(SyncRun.objects.values_list("status", flat=True))
    assert statuses == [SyncStatus.DONE, SyncStatus.SKIPPED]
    assert ApiCall.objects.filter(task__startswith="sync", operation="k3_locks").count() == 1


def test_a_run_killed_halfway_loses_and_duplicates_nothing(sandbox, account, lock, tmp_path):
    control(sandbox, "audit", {"lock_id": lock.lock_id, "count": 6000})
    fault(sandbox, operation="k3_audit", delay=0.7)
    with _worker(sandbox, tmp_path) as worker:
        killed = _enqueue(account, sync_item(What.AUDIT, lock.pk, calls=20))
        _wait_for(lambda: AuditEntry.objects.filter(lock=lock).count() >= 2000)
        worker.send_signal(signal.SIGKILL)
        worker.wait()
    assert AuditEntry.objects.filter(lock=lock).count() < len(
        remote_audit_ids(sandbox, lock.lock_id)
    )
    sandbox.state.faults.clear()
    killed.refresh_from_db()
    assert killed.status == SyncStatus.RUNNING
    assert sync_runs_sweep() == 0  # too soon: it may still be working
    # Once the task's time limit (and the margin) has passed with no word from its worker:
    after = killed.heartbeat_at + stall_limits()[SyncStatus.RUNNING] + timedelta(seconds=1)
    assert sync_runs_sweep(now=after) == 1
    killed.refresh_from_db()
    assert killed.status == SyncStatus.STOPPED
    assert "The worker stopped: no progress since" in killed.errors
    assert K3Account.objects.get(pk=account.pk).sync_lease_token == ""

    with _worker(sandbox, tmp_path):
        again = _enqueue(account, sync_item(What.AUDIT, lock.pk, calls=20))
        _wait_for(lambda: _finished(again))

    stored = list(AuditEntry.objects.filter(lock=lock).values_list("audit_entry_id", flat=True))
    assert sorted(stored) == sorted(remote_audit_ids(sandbox, lock.lock_id))
    assert SyncRun.objects.get(pk=again.pk).status == SyncStatus.DONE


def test_transient_failures_are_retried_and_permanent_ones_are_not(sandbox, account, tmp_path):
    with _worker(sandbox, tmp_path):
        fault(sandbox, operation="k3_locks", status=502, count=5)
        transient = _enqueue(account, sync_item(What.LOCKS))
        _wait_for(lambda: _finished(transient))
        fault(sandbox, operation="k3_locks", status=400)
        permanent = _enqueue(account, sync_item(What.LOCKS))
        _wait_for(lambda: _finished(permanent))

    transient.refresh_from_db()
    permanent.refresh_from_db()
    assert transient.status == SyncStatus.DONE
    assert ApiCall.objects.filter(task=transient.ledger_tag).count() == 6
    assert permanent.status == SyncStatus.FAILED
    assert ApiCall.objects.filter(task=permanent.ledger_tag).count() == 1


def test_a_low_battery_sends_exactly_one_email(sandbox, account, lock, site_manager, tmp_path):
    account.locks.exclude(pk=lock.pk).update(
        battery_low_since="2026-01-01T00:00Z", battery_alerted_at="2026-01-01T00:00Z"
    )
    control(sandbox, "battery", {"lock_id": lock.lock_id, "battery": 9})
    with _worker(sandbox, tmp_path, concurrency=2):
        runs = [_enqueue(account, sync_item(What.LOCKS)) for _ in range(3)]
        _wait_for(lambda: _finished(*runs))

    mails = list((tmp_path / "mail").glob("*.log"))
    assert len(mails) == 1
    assert f"The battery of the smart lock “{lock.name}”" in mails[0].read_text()
