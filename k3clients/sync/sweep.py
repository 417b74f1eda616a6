"""Runs whose worker vanished (killed, out of memory, a deploy): closed with a reason, lease freed.

A worker writes its run at the start, after each item and before a retry, and each write moves
the run's heartbeat on. No attempt outlives the task's hard time limit, so an unfinished run
silent for longer than that (plus the wait before a retry, plus a margin) has no worker left.
Closing is a conditional UPDATE on the heartbeat the sweeper read, so two sweepers at once, or
a worker writing at the same moment, never close a run twice or close a run that moved on.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from k3clients.models import SyncRun, SyncStatus
from k3clients.sync.lease import LEASE_MARGIN_SECONDS, account_lease_release
from k3clients.sync.runs import SYNC_MAX_RETRIES

logger = logging.getLogger("k3clients.sync")

WORKER_STOPPED = "The worker stopped: no progress since {since}."
NEVER_STARTED = "No worker took it: queued at {since} and never started."
# A queued run waits behind others; after this long its message is taken as lost.
QUEUED_LOST_AFTER = timedelta(hours=1)


def stall_limits() -> dict[str, timedelta]:
    """How long each unfinished status may stay silent before its run is taken as stopped."""
    running = timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT + LEASE_MARGIN_SECONDS)
    longest_backoff = settings.KEYHOUSE_SYNC_RETRY_BACKOFF * 2 ** (SYNC_MAX_RETRIES - 1)
    return {
        SyncStatus.RUNNING: running,
        SyncStatus.RETRYING: running + timedelta(seconds=longest_backoff),
        SyncStatus.QUEUED: max(QUEUED_LOST_AFTER, running),
    }


def run_is_stalled(run: SyncRun, now: datetime) -> bool:
    """Whether an already loaded run has been silent for longer than its status allows."""
    limit = stall_limits().get(run.status)
    return limit is not None and run.heartbeat_at < now - limit


def stalled_runs(runs: QuerySet[SyncRun], now: datetime) -> QuerySet[SyncRun]:
    """The unfinished runs among these that have been silent for too long."""
    silent = Q()
    for status, limit in stall_limits().items():
        silent |= Q(status=status, heartbeat_at__lt=now - limit)
    return runs.unfinished().filter(silent)


def stall_reason(run: SyncRun, now: datetime) -> str:
    """The line the run's errors get: what stopped and since when, on the site's clock."""
    zone = run.site.tz
    last = timezone.localtime(run.heartbeat_at, zone)
    since = last.strftime("%H:%M")
    if last.date() != timezone.localtime(now, zone).date():
        since = f"{last.day} {last:%b} {since}"
    template = NEVER_STARTED if run.status == SyncStatus.QUEUED else WORKER_STOPPED
    return template.format(since=since)


def stalled_run_close(*, run: SyncRun, now: datetime) -> bool:
    """Close one stalled run and free its lease, unless it changed since it was read."""
    calls = run.ledger_calls()
    errors = f"{run.errors}\n{stall_reason(run, now)}".strip()
    with transaction.atomic():
        closed = SyncRun.objects.filter(
            pk=run.pk, status=run.status, heartbeat_at=run.heartbeat_at
        ).update(
            status=SyncStatus.STOPPED,
            finished_at=now,
            heartbeat_at=now,
            calls_spent=calls,
            errors=errors,
        )
        if closed and run.lease_token:
            account_lease_release(account_pk=run.account_id, token=run.lease_token)
    if closed:
        logger.warning("sync run %s closed: %s", run.pk, errors.splitlines()[-1])
    return bool(closed)


def sync_runs_sweep(*, runs: QuerySet[SyncRun] | None = None, now: datetime | None = None) -> int:
    """Close the stalled runs (all, or among `runs`); give how many this call closed."""
    now = now or timezone.now()
    base = SyncRun.objects.all() if runs is None else runs
    found = stalled_runs(base, now).select_related("site").defer("items", "notes")
    return sum(stalled_run_close(run=run, now=now) for run in found)
