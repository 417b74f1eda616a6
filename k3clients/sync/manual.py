"""Syncs people and operators ask for: "sync now" on a site's page, and the sync command."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import Count, Q

from k3clients.models import K3Account, SyncRun, SyncTrigger
from k3clients.sync.planner import What
from k3clients.sync.runs import sync_item, sync_run_create, sync_runs_enqueue
from locks.models import Site

NOTHING_TO_SYNC = "{site} has no K3 Connect account whose key works, so there is nothing to sync."
ALREADY_RUNNING = "A sync of {site} is already under way; its progress is shown below."
SYNC_STARTED = "Sync of {site} started: about {calls} Utility call(s)."


def account_sync_items(account: K3Account, whats: list[What] | None = None) -> list[dict]:
    """Everything of one account to sync: its lock list, then each present lock's users/audit."""
    whats = whats or [What.LOCKS, What.AUDIT]
    items = [sync_item(What.LOCKS, None, 1)] if What.LOCKS in whats else []
    for lock in account.locks.present().order_by("pk"):
        items.extend(sync_item(w, lock.pk, 1) for w in (What.CLIENTS, What.AUDIT) if w in whats)
    return items


def site_sync_estimate(site: Site) -> int:
    """Calls "sync now" will spend for a site (its lock lists and each lock's newest audit)."""
    # What account_sync_items plans by default (a lock list, then one audit read per present
    # lock), counted in one query rather than built for every lock.
    totals = K3Account.objects.filter(site=site, key_rejected_at__isnull=True).aggregate(
        accounts=Count("pk", distinct=True),
        locks=Count("locks", filter=Q(locks__gone_at__isnull=True)),
    )
    return totals["accounts"] + totals["locks"]


def site_sync_start(*, site: Site, user: Any) -> list[SyncRun]:
    """Record one manual run per account of the site and enqueue them on commit."""
    accounts = K3Account.objects.filter(site=site, key_rejected_at__isnull=True)
    with transaction.atomic():
        runs = [
            sync_run_create(
                account=account,
                items=account_sync_items(account),
                trigger=SyncTrigger.MANUAL,
                user=user,
            )
            for account in accounts
        ]
        sync_runs_enqueue(runs)
    return runs


def command_runs(*, account_pk: int | None, whats: list[What] | None) -> list[SyncRun]:
    """Record the runs the sync command asked for (one per account), to execute in-process."""
    accounts = K3Account.objects.filter(key_rejected_at__isnull=True)
    if account_pk is not None:
        accounts = K3Account.objects.filter(pk=account_pk)
    return [
        sync_run_create(
            account=account,
            items=account_sync_items(account, whats),
            trigger=SyncTrigger.COMMAND,
        )
        for account in accounts.order_by("pk")
    ]
