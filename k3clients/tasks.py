"""Celery tasks of the K3 app: thin, ids only (never an access key), the same services as pages."""

from __future__ import annotations

import logging

from celery import Task, shared_task
from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings

from codelocks.errors import CodelocksError
from k3clients.models import K3Account, SmartLock, SyncTrigger
from k3clients.sync.plan import sync_plan_now
from k3clients.sync.planner import What
from k3clients.sync.runs import (
    SYNC_MAX_RETRIES,
    sync_item,
    sync_run_create,
    sync_run_execute,
    sync_run_give_up,
    sync_runs_enqueue,
)
from k3clients.sync.sweep import sync_runs_sweep

logger = logging.getLogger("k3clients.sync")

TOOK_TOO_LONG = "it took longer than the time limit of {seconds} s"
UNEXPECTED_ERROR = "an unexpected error ({name}); the details are in the worker's log"


@shared_task(name="k3clients.sync_plan", ignore_result=True)
def sync_plan() -> int:
    """Beat's tick: decide what to sync now within the budget, and enqueue it."""
    return len(sync_plan_now().runs)


@shared_task(bind=True, name="k3clients.sync_run", max_retries=SYNC_MAX_RETRIES, ignore_result=True)
def sync_run(self: Task, run_id: int) -> str:
    """Carry out one recorded run; retry with backoff on transient API failures only."""
    try:
        return sync_run_execute(run_pk=run_id).status
    except CodelocksError as exc:
        # Only retryable errors leave the run: 400, 403, 404 and 429 are recorded in it.
        if self.request.retries >= self.max_retries:
            return sync_run_give_up(run_pk=run_id, error=exc.user_message).status
        countdown = settings.KEYHOUSE_SYNC_RETRY_BACKOFF * 2**self.request.retries
        logger.info("sync run %s: %s; retrying in %.1fs", run_id, type(exc).__name__, countdown)
        raise self.retry(countdown=countdown) from None
    except SoftTimeLimitExceeded:
        error = TOOK_TOO_LONG.format(seconds=settings.CELERY_TASK_SOFT_TIME_LIMIT)
        return sync_run_give_up(run_pk=run_id, error=error).status
    except Exception as exc:
        # Recorded so the page says the run stopped, then raised again for the worker's log.
        sync_run_give_up(run_pk=run_id, error=UNEXPECTED_ERROR.format(name=type(exc).__name__))
        raise


@shared_task(name="k3clients.sync_sweep", ignore_result=True)
def sync_sweep() -> int:
    """Beat's tick: close the runs whose worker vanished and free their accounts' leases."""
    return sync_runs_sweep()


def _enqueue_one(account: K3Account, what: What, lock_pk: int | None) -> int:
    run = sync_run_create(
        account=account, items=[sync_item(what, lock_pk)], trigger=SyncTrigger.PLANNER
    )
    sync_runs_enqueue([run])
    return run.pk


@shared_task(name="k3clients.sync_account_locks", ignore_result=True)
def sync_account_locks(account_id: int) -> int:
    """Sync an account's lock list (every lock's battery status comes with it)."""
    return _enqueue_one(K3Account.objects.get(pk=account_id), What.LOCKS, None)


@shared_task(name="k3clients.sync_lock_clients", ignore_result=True)
def sync_lock_clients(lock_id: int) -> int:
    """Sync one lock's phone users."""
    lock = SmartLock.objects.select_related("account").get(pk=lock_id)
    return _enqueue_one(lock.account, What.CLIENTS, lock.pk)


@shared_task(name="k3clients.sync_lock_audit", ignore_result=True)
def sync_lock_audit(lock_id: int) -> int:
    """Sync one lock's new audit entries."""
    lock = SmartLock.objects.select_related("account").get(pk=lock_id)
    return _enqueue_one(lock.account, What.AUDIT, lock.pk)
