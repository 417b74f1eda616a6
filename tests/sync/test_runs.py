"""Sync runs: planned within the budget, one per account at a time, recorded, retried wisely."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from k3clients.models import AuditEntry, K3Account, PhoneClient, SmartLock, SyncRun, SyncStatus
from k3clients.sync.alerts import BATTERY_LOW_SUBJECT
from k3clients.sync.budget import QUOTA_LOW
from k3clients.sync.lease import account_lease_claim
from k3clients.sync.manual import command_runs
from k3clients.sync.plan import sync_plan_now
from k3clients.sync.planner import What
from k3clients.sync.runs import ANOTHER_SYNC_RUNNING, sync_item, sync_run_create, sync_run_execute
from k3clients.tasks import sync_run
from netcodes.models import ApiCall
from tests.k3clients.conftest import fault
from tests.sync.conftest import control

pytestmark = pytest.mark.django_db


def _run(account, *items) -> SyncRun:
    run = sync_run_create(account=account, items=list(items), trigger="command")
    return sync_run_execute(run_pk=run.pk)


def _noon(settings):
    """Far enough into the day that the pace allows a handful of calls."""
    return timezone.now().replace(hour=12, minute=0)


def test_a_planned_run_brings_lock_lists_and_audit_logs_into_the_database(account, settings):
    K3Account.objects.filter(pk=account.pk).update(locks_synced_at=None)
    settings.KEYHOUSE_SYNC_MAX_CALLS_PER_RUN = 50

    outcome = sync_plan_now(now=_noon(settings), enqueue=False)
    for run in outcome.runs:
        sync_run_execute(run_pk=run.pk)

    run = SyncRun.objects.get()
    assert run.status == SyncStatus.DONE
    assert run.items[0]["what"] == What.LOCKS
    assert run.calls_spent == ApiCall.objects.filter(task=run.ledger_tag).count() > 0
    assert run.calls_spent <= outcome.allowed
    assert run.entries_added == AuditEntry.objects.count() > 0


def test_a_second_run_for_an_account_already_syncing_exits_at_once(account):
    account_lease_claim(account_pk=account.pk)
    calls_before = ApiCall.objects.count()

    run = _run(account, sync_item(What.LOCKS))

    assert run.status == SyncStatus.SKIPPED
    assert ANOTHER_SYNC_RUNNING in run.notes
    assert ApiCall.objects.count() == calls_before


def test_the_lease_of_a_killed_run_expires_after_the_task_time_limit(account, settings):
    account_lease_claim(account_pk=account.pk)
    later = timezone.now() + timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT + 61)
    K3Account.objects.filter(pk=account.pk).update(sync_lease_until=later - timedelta(days=1))

    assert _run(account, sync_item(What.LOCKS)).status == SyncStatus.DONE


def test_a_lock_removed_from_the_account_is_marked_gone_and_keeps_its_history(
    sandbox, account, lock
):
    _run(account, sync_item(What.AUDIT, lock.pk))
    control(
        sandbox,
        "locks",
        {"accesskey": account.access_key, "action": "remove", "lock_id": lock.lock_id},
    )

    _run(account, sync_item(What.LOCKS))

    lock.refresh_from_db()
    assert lock.is_gone
    assert lock.audit_entries.exists()


def test_a_phone_user_accepting_in_the_app_shows_up_after_a_sync(sandbox, account, settings):
    lock = account.locks.order_by("pk").first()
    _run(account, sync_item(What.CLIENTS, lock.pk), sync_item(What.AUDIT, lock.pk))
    pending = PhoneClient.objects.get(lock=lock, status="pending")
    control(sandbox, "accept", {"lock_id": lock.lock_id, "email": pending.email})
    _run(account, sync_item(What.AUDIT, lock.pk))  # the acceptance shows in the audit log

    outcome = sync_plan_now(now=_noon(settings), enqueue=False)
    assert (What.CLIENTS, lock.pk) in [(p.what, p.lock_pk) for p in outcome.planned]
    for run in outcome.runs:
        sync_run_execute(run_pk=run.pk)

    pending.refresh_from_db()
    assert pending.status == "accepted"


def test_a_transient_failure_is_retried_and_the_run_completes(sandbox, account, settings):
    settings.KEYHOUSE_SYNC_RETRY_BACKOFF = 0
    fault(sandbox, operation="k3_locks", status=502, count=5)  # the client itself tries 4 times
    run = sync_run_create(account=account, items=[sync_item(What.LOCKS)], trigger="command")

    sync_run.apply(args=[run.pk])

    run.refresh_from_db()
    assert run.status == SyncStatus.DONE
    assert ApiCall.objects.filter(task=run.ledger_tag, operation="k3_locks").count() == 6


@pytest.mark.parametrize("status", [400, 403, 429])
def test_a_permanent_failure_is_not_retried(sandbox, account, settings, status):
    settings.KEYHOUSE_SYNC_RETRY_BACKOFF = 0
    fault(sandbox, operation="k3_locks", status=status)
    run = sync_run_create(account=account, items=[sync_item(What.LOCKS)], trigger="command")

    sync_run.apply(args=[run.pk])

    run.refresh_from_db()
    assert run.status == SyncStatus.FAILED
    assert ApiCall.objects.filter(task=run.ledger_tag).count() == 1


def test_sync_pauses_and_says_so_when_the_quota_runs_low(account, settings):
    now = timezone.now()
    ApiCall.objects.bulk_create(
        ApiCall(
            at=now, category="utility", operation="k3_lock", method="GET", status=200, elapsed_ms=1
        )
        for _ in range(960)
    )

    outcome = sync_plan_now(now=now, enqueue=False)

    assert outcome.runs == []
    assert outcome.budget.paused.startswith(QUOTA_LOW.split("{")[0])


def test_a_low_battery_sends_exactly_one_email_to_managers_and_admins(
    sandbox, account, site_manager, site_staff
):
    lock = account.locks.order_by("pk").first()
    SmartLock.objects.filter(account=account).exclude(pk=lock.pk).update(
        battery_low_since=timezone.now()
    )
    mail.outbox.clear()
    control(sandbox, "battery", {"lock_id": lock.lock_id, "battery": 9})

    _run(account, sync_item(What.LOCKS))
    _run(account, sync_item(What.LOCKS))

    assert len(mail.outbox) == 1
    assert mail.outbox[0].subject == BATTERY_LOW_SUBJECT.format(lock=lock.name, percent=9)
    assert sorted(mail.outbox[0].to) == sorted([site_manager.email, account.linked_by.email])
    lock.refresh_from_db()
    assert lock.battery_low_since is not None


def test_a_recovered_battery_ends_the_episode_and_a_new_low_alerts_again(sandbox, account):
    lock = account.locks.order_by("pk").first()
    SmartLock.objects.filter(account=account).exclude(pk=lock.pk).update(
        battery_low_since=timezone.now()
    )
    control(sandbox, "battery", {"lock_id": lock.lock_id, "battery": 9})
    _run(account, sync_item(What.LOCKS))
    control(sandbox, "battery", {"lock_id": lock.lock_id, "battery": 95})
    _run(account, sync_item(What.LOCKS))
    lock.refresh_from_db()
    assert lock.battery_low_since is None
    mail.outbox.clear()

    control(sandbox, "battery", {"lock_id": lock.lock_id, "battery": 7})
    _run(account, sync_item(What.LOCKS))

    assert len(mail.outbox) == 1


def test_the_command_runs_the_same_syncs_without_celery(account):
    runs = command_runs(account_pk=account.pk, whats=[What.CLIENTS])
    run = sync_run_execute(run_pk=runs[0].pk)

    assert run.status == SyncStatus.DONE
    assert {item["what"] for item in run.items} == {"clients"}
    assert PhoneClient.objects.filter(lock__account=account).exists()
