"""The planner's tick: read what is stored, plan within the budget, record and enqueue runs."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from itertools import groupby

from django.db import transaction
from django.db.models import Count, Exists, Max, OuterRef, Q, Sum
from django.utils import timezone

from k3clients.models import AuditEntry, K3Account, SmartLock, SyncRun, SyncTrigger
from k3clients.sync.budget import SyncBudget, sync_budget
from k3clients.sync.planner import AccountFacts, LockFacts, PlannedSync, plan_sync, policy_for
from k3clients.sync.runs import sync_item, sync_run_create, sync_runs_enqueue
from k3clients.sync.sweep import sync_runs_sweep

logger = logging.getLogger("k3clients.sync")

ACTIVITY_WINDOW = timedelta(days=7)
# Queued runs older than this are taken as lost (a worker died) and no longer hold budget.
OUTSTANDING_FOR = timedelta(hours=1)


@dataclass(frozen=True)
class PlanOutcome:
    """What one tick of the planner decided."""

    budget: SyncBudget
    allowed: int
    planned: list[PlannedSync] = field(default_factory=list)
    runs: list[SyncRun] = field(default_factory=list)


def planner_inputs(*, now: datetime) -> tuple[list[AccountFacts], list[LockFacts]]:
    """The accounts whose key works and their present locks, as the planner sees them."""
    accounts = K3Account.objects.filter(key_rejected_at__isnull=True)
    client_changes = AuditEntry.objects.filter(
        lock=OuterRef("pk"),
        entry_type__icontains="client",
        fetched_at__gt=OuterRef("clients_synced_at"),
    )
    locks = (
        SmartLock.objects.present()
        .filter(account__in=accounts)
        .annotate(
            last_activity=Max("audit_entries__date_entered"),
            recent=Count(
                "audit_entries", filter=Q(audit_entries__date_entered__gte=now - ACTIVITY_WINDOW)
            ),
            clients_changed=Exists(client_changes),
        )
    )
    lock_facts = [
        LockFacts(
            lock_pk=lock.pk,
            account_pk=lock.account_id,
            audit_synced_at=lock.audit_synced_at,
            clients_synced_at=lock.clients_synced_at,
            last_activity_at=lock.last_activity,
            entries_per_day=lock.recent / ACTIVITY_WINDOW.days,
            viewed_at=lock.viewed_at,
            clients_changed=lock.clients_changed,
        )
        for lock in locks
    ]
    account_facts = [AccountFacts(a.pk, a.locks_synced_at) for a in accounts]
    return account_facts, lock_facts


def outstanding_calls(*, now: datetime) -> int:
    """Calls planned for runs still queued or running (not yet in the ledger)."""
    pending = SyncRun.objects.unfinished().filter(created_at__gte=now - OUTSTANDING_FOR)
    planned = pending.aggregate(total=Sum("calls_planned"))["total"] or 0
    return max(planned - sum(run.ledger_calls() for run in pending), 0)


def sync_plan_now(*, now: datetime | None = None, enqueue: bool = True) -> PlanOutcome:
    """One planner tick: the budget, the plan, one run per account (enqueued on commit)."""
    now = now or timezone.now()
    # Runs whose worker vanished would otherwise count as outstanding calls.
    sync_runs_sweep(now=now)
    budget = sync_budget(now=now)
    if budget.paused:
        logger.warning("%s", budget.paused)
        return PlanOutcome(budget=budget, allowed=0)
    allowed = max(budget.allowed_now - outstanding_calls(now=now), 0)
    accounts, locks = planner_inputs(now=now)
    policy = policy_for(calls_per_day=budget.per_day, accounts=len(accounts))
    planned = plan_sync(now=now, allowed=allowed, accounts=accounts, locks=locks, policy=policy)
    runs = []
    with transaction.atomic():
        by_account = groupby(
            sorted(planned, key=lambda p: p.account_pk), key=lambda p: p.account_pk
        )
        for account_pk, items in by_account:
            account = K3Account.objects.get(pk=account_pk)
            batch = [sync_item(p.what, p.lock_pk, p.calls) for p in items]
            runs.append(sync_run_create(account=account, items=batch, trigger=SyncTrigger.PLANNER))
        if enqueue:
            sync_runs_enqueue(runs)
    return PlanOutcome(budget=budget, allowed=allowed, planned=planned, runs=runs)
