"""What to sync now: a pure function of the clock, the allowance and what is stored.

Priorities, highest first: lock lists (one call brings every lock's battery status), phone
users of locks whose audit shows a client change, audit logs of locks people are looking at or
that were recently active, then every other audit log and a slow round of phone users.
Within a tier the stalest goes first; the plan stops at the first item that does not fit, so a
costly item at the top is never starved by cheap ones below it.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

AUDIT_PAGE_SIZE = 1000  # the largest perpage the API takes
NEVER = timedelta(days=365)


class What(StrEnum):
    """What one planned item syncs."""

    LOCKS = "locks"
    CLIENTS = "clients"
    AUDIT = "audit"


@dataclass(frozen=True)
class AccountFacts:
    """What the planner knows of one K3 account."""

    account_pk: int
    locks_synced_at: datetime | None


@dataclass(frozen=True)
class LockFacts:
    """What the planner knows of one smart lock still on its account."""

    lock_pk: int
    account_pk: int
    audit_synced_at: datetime | None = None
    clients_synced_at: datetime | None = None
    last_activity_at: datetime | None = None
    entries_per_day: float = 0.0
    viewed_at: datetime | None = None
    clients_changed: bool = False


@dataclass(frozen=True)
class Policy:
    """How often each kind of sync is worth its call."""

    locks_every: timedelta = timedelta(hours=2)
    viewed_audit_every: timedelta = timedelta(minutes=15)
    active_audit_every: timedelta = timedelta(hours=2)
    audit_every: timedelta = timedelta(hours=6)
    clients_every: timedelta = timedelta(days=30)
    viewed_within: timedelta = timedelta(hours=1)
    active_within: timedelta = timedelta(days=1)
    max_calls_per_item: int = 5


LOCK_LISTS_SHARE = 0.35


def policy_for(*, calls_per_day: float, accounts: int) -> Policy:
    """A policy whose lock-list syncs take about a third of a day's calls (every 1 to 12 h)."""
    if accounts == 0 or calls_per_day <= 0:
        return Policy()
    every = timedelta(days=1) * accounts / (LOCK_LISTS_SHARE * calls_per_day)
    return Policy(locks_every=min(max(every, timedelta(hours=1)), timedelta(hours=12)))


@dataclass(frozen=True)
class PlannedSync:
    """One sync the planner chose, with the calls it may spend."""

    what: What
    account_pk: int
    lock_pk: int | None
    calls: int
    tier: int
    reason: str


def _age(now: datetime, when: datetime | None) -> timedelta:
    return now - when if when is not None else NEVER


def audit_calls(lock: LockFacts, now: datetime, policy: Policy) -> int:
    """Pages an audit sync will likely read: the entries expected since the last one."""
    if lock.audit_synced_at is None:
        return 1  # a longer history goes on at the next sync, from where this one stopped
    days = _age(now, lock.audit_synced_at).total_seconds() / 86400
    expected = lock.entries_per_day * days
    return max(1, min(math.ceil(expected / AUDIT_PAGE_SIZE), policy.max_calls_per_item))


def _candidates(
    now: datetime, accounts: Iterable[AccountFacts], locks: Iterable[LockFacts], policy: Policy
) -> list[tuple[int, timedelta, PlannedSync]]:
    found: list[tuple[int, timedelta, PlannedSync]] = []
    for account in accounts:
        age = _age(now, account.locks_synced_at)
        if age >= policy.locks_every:
            found.append((0, age, PlannedSync(What.LOCKS, account.account_pk, None, 1, 0, "due")))
    for lock in locks:
        found.extend(_lock_candidates(now, lock, policy))
    return found


def _lock_candidates(
    now: datetime, lock: LockFacts, policy: Policy
) -> list[tuple[int, timedelta, PlannedSync]]:
    found: list[tuple[int, timedelta, PlannedSync]] = []

    def add(what: What, tier: int, urgency: timedelta, reason: str) -> None:
        calls = audit_calls(lock, now, policy) if what is What.AUDIT else 1
        found.append(
            (tier, urgency, PlannedSync(what, lock.account_pk, lock.lock_pk, calls, tier, reason))
        )

    clients_age = _age(now, lock.clients_synced_at)
    if lock.clients_changed or lock.clients_synced_at is None:
        add(What.CLIENTS, 1, clients_age, "phone users changed")
    elif clients_age >= policy.clients_every:
        add(What.CLIENTS, 3, clients_age, "weekly round")
    audit_age = _age(now, lock.audit_synced_at)
    viewed = lock.viewed_at is not None and now - lock.viewed_at <= policy.viewed_within
    active = (
        lock.last_activity_at is not None and now - lock.last_activity_at <= policy.active_within
    )
    if viewed and audit_age >= policy.viewed_audit_every:
        add(What.AUDIT, 2, audit_age, "being looked at")
    elif audit_age >= (policy.active_audit_every if active else policy.audit_every):
        # Busier locks weigh more, but every lock's weight grows with its age: none starves.
        weight = 1 + min(lock.entries_per_day, 24) / 8
        add(What.AUDIT, 3, audit_age * weight, "recent activity" if active else "due")
    return found


def plan_sync(
    *,
    now: datetime,
    allowed: int,
    accounts: Iterable[AccountFacts],
    locks: Iterable[LockFacts],
    policy: Policy | None = None,
) -> list[PlannedSync]:
    """The syncs to run now, most useful first, spending at most `allowed` calls in total."""
    policy = policy or Policy()
    candidates = _candidates(now, accounts, locks, policy)
    candidates.sort(key=lambda c: (c[0], -c[1].total_seconds(), c[2].lock_pk or 0))
    planned, left = [], allowed
    for _tier, _urgency, item in candidates:
        if item.calls > left:
            break
        planned.append(item)
        left -= item.calls
    return planned
