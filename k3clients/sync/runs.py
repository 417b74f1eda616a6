"""Sync runs: a list of syncs for one account, carried out under the account's lease."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

from django.db import transaction
from django.utils import timezone

from codelocks.errors import AuthenticationError, CodelocksError, QuotaExceeded
from k3clients.errors import K3Failure, KeyRejected
from k3clients.models import K3Account, SmartLock, SyncRun, SyncStatus, SyncTrigger
from k3clients.services import account_locks_refresh, lock_audit_fetch, lock_clients_refresh
from k3clients.sync.alerts import battery_alerts_check
from k3clients.sync.lease import account_lease
from k3clients.sync.planner import What
from netcodes.quota import QuotaExhausted

logger = logging.getLogger("k3clients.sync")

ANOTHER_SYNC_RUNNING = "Another sync of this account was running, so this one stopped at once."
RUN_STOPPED = "Stopped: {error}"
SYNC_MAX_RETRIES = 4  # retries of a run after a transient API failure
CLIENTS_PER_PAGE = 1000  # the largest perpage the API takes: one call for any lock
# Failures after which the rest of a run cannot work either.
STOPS_THE_RUN = (KeyRejected, AuthenticationError, QuotaExceeded, QuotaExhausted)


class RunClosed(Exception):
    """The run was closed (by the sweeper) while this worker was still writing to it."""


def sync_item(what: What | str, lock_pk: int | None = None, calls: int = 1) -> dict[str, Any]:
    """One entry of a run's list, as stored in its JSON."""
    return {"what": str(What(what)), "lock": lock_pk, "calls": calls}


def sync_run_create(
    *,
    account: K3Account,
    items: Sequence[dict[str, Any]],
    trigger: SyncTrigger,
    user: Any = None,
) -> SyncRun:
    """Record a run to carry out; the caller enqueues it (on commit) or executes it."""
    now = timezone.now()
    return SyncRun.objects.create(
        site_id=account.site_id,
        account=account,
        trigger=trigger,
        created_at=now,
        heartbeat_at=now,
        requested_by=user if user is not None and user.is_authenticated else None,
        items=list(items),
        calls_planned=sum(item["calls"] for item in items),
    )


def _do_item(run: SyncRun, item: dict[str, Any]) -> str:
    """Carry out one sync; give a line for the run's notes."""
    tag, account = run.ledger_tag, run.account
    if item["what"] == What.LOCKS:
        changed = account_locks_refresh(account=account, task=tag)
        alerts = battery_alerts_check(account=account)
        run.locks_gone += changed.gone
        return f"lock list: {changed.added} new, {changed.updated} updated, {changed.gone} gone" + (
            f", {alerts} battery alert(s) sent" if alerts else ""
        )
    lock = SmartLock.objects.select_related("account", "site").get(pk=item["lock"])
    if item["what"] == What.CLIENTS:
        clients = lock_clients_refresh(lock=lock, task=tag, perpage=CLIENTS_PER_PAGE)
        return f"{lock}: {len(clients)} phone user(s)"
    added = lock_audit_fetch(lock=lock, task=tag, max_pages=item["calls"])
    run.entries_added += added
    return f"{lock}: {added} new audit entries"


def _save(run: SyncRun) -> None:
    """Write the run and move its heartbeat on, unless it was closed meanwhile (RunClosed)."""
    run.heartbeat_at = timezone.now()
    fields = {
        f.attname: getattr(run, f.attname)
        for f in SyncRun._meta.concrete_fields
        if not f.primary_key
    }
    # One conditional UPDATE: a worker that outlived its time limit must not reopen a run the
    # sweeper has closed (and whose lease may already be another run's).
    if not SyncRun.objects.filter(pk=run.pk).unfinished().update(**fields):
        raise RunClosed(run.pk)


def _finish(run: SyncRun, status: SyncStatus) -> SyncRun:
    run.status = status
    run.finished_at = timezone.now()
    run.calls_spent = run.ledger_calls()
    _save(run)
    return run


def _run_items(run: SyncRun) -> SyncRun:
    """Carry out the items not done yet; a transient failure is raised for a retry."""
    for index in range(run.items_done, len(run.items)):
        item = run.items[index]
        try:
            run.add_note(_do_item(run, item))
        except CodelocksError as exc:
            if exc.retryable:
                run.add_error(f"{item['what']}: {exc.user_message} (will retry)")
                run.status = SyncStatus.RETRYING
                run.calls_spent = run.ledger_calls()
                _save(run)
                raise
            run.add_error(f"{item['what']}: {exc.user_message}")
            if isinstance(exc, STOPS_THE_RUN):
                return _finish(run, SyncStatus.FAILED)
        except (K3Failure, QuotaExhausted) as exc:
            run.add_error(f"{item['what']}: {exc.user_message}")
            if isinstance(exc, STOPS_THE_RUN):
                return _finish(run, SyncStatus.FAILED)
        run.items_done = index + 1
        run.calls_spent = run.ledger_calls()
        _save(run)
    return _finish(run, SyncStatus.FAILED if run.errors and not run.notes else SyncStatus.DONE)


def _execute(run: SyncRun) -> SyncRun:
    with account_lease(account_pk=run.account_id) as token:
        if token is None and run.status == SyncStatus.RUNNING:
            # Its task came back after its worker was killed, and that dead attempt still holds
            # the lease: the sweeper closes the run once it has been silent long enough.
            logger.warning("sync run %s: came back while its dead attempt holds the lease", run.pk)
            return run
        if token is None:
            run.add_note(ANOTHER_SYNC_RUNNING)
            return _finish(run, SyncStatus.SKIPPED)
        run.status = SyncStatus.RUNNING
        run.started_at = run.started_at or timezone.now()
        run.lease_token = token
        _save(run)
        return _run_items(run)


def sync_run_execute(*, run_pk: int) -> SyncRun:
    """Carry out a run unless another sync of its account is running (then it stops at once)."""
    run = SyncRun.objects.select_related("account", "site").get(pk=run_pk)
    if run.is_finished:
        return run
    try:
        return _execute(run)
    except RunClosed:
        logger.warning("sync run %s was closed as stalled while its worker still ran", run.pk)
        return SyncRun.objects.select_related("account", "site").get(pk=run_pk)


def sync_run_give_up(*, run_pk: int, error: str) -> SyncRun:
    """Mark a run failed after its last retry (or an error no retry mends)."""
    run = SyncRun.objects.get(pk=run_pk)
    run.add_error(RUN_STOPPED.format(error=error))
    try:
        return _finish(run, SyncStatus.FAILED)
    except RunClosed:
        return SyncRun.objects.get(pk=run_pk)


def sync_runs_enqueue(runs: Sequence[SyncRun]) -> None:
    """Send the runs to Celery once the transaction that created them commits."""
    from k3clients.tasks import sync_run

    for run in runs:
        transaction.on_commit(lambda pk=run.pk: sync_run.delay(pk))
