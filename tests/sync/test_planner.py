"""The planner: a pure function that chooses what to sync and never plans past its allowance."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

from k3clients.sync.budget import month_bounds, pace
from k3clients.sync.planner import AccountFacts, LockFacts, What, plan_sync

NOW = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)
HOUR = timedelta(hours=1)


def _locks(n: int, **facts) -> list[LockFacts]:
    defaults = {"audit_synced_at": NOW - 7 * HOUR, "clients_synced_at": NOW - 24 * HOUR}
    return [LockFacts(lock_pk=i, account_pk=1, **{**defaults, **facts}) for i in range(1, n + 1)]


def test_lock_lists_come_first_when_the_allowance_is_small():
    account = AccountFacts(account_pk=1, locks_synced_at=NOW - 3 * HOUR)
    plan = plan_sync(now=NOW, allowed=1, accounts=[account], locks=_locks(5))
    assert [(item.what, item.account_pk) for item in plan] == [(What.LOCKS, 1)]


def test_a_lock_someone_is_looking_at_gets_its_audit_before_the_others():
    locks = [
        *_locks(3),
        LockFacts(
            lock_pk=9,
            account_pk=1,
            audit_synced_at=NOW - HOUR,
            clients_synced_at=NOW,
            viewed_at=NOW - 5 * timedelta(minutes=1),
        ),
    ]
    account = AccountFacts(account_pk=1, locks_synced_at=NOW)
    plan = plan_sync(now=NOW, allowed=2, accounts=[account], locks=locks)
    assert plan[0].lock_pk == 9 and plan[0].what is What.AUDIT
    assert plan[0].reason == "being looked at"


def test_a_recently_active_lock_goes_before_a_quiet_one_of_the_same_staleness():
    quiet = LockFacts(
        lock_pk=1, account_pk=1, audit_synced_at=NOW - 7 * HOUR, clients_synced_at=NOW
    )
    busy = LockFacts(
        lock_pk=2,
        account_pk=1,
        audit_synced_at=NOW - 3 * HOUR,
        clients_synced_at=NOW,
        last_activity_at=NOW - HOUR,
        entries_per_day=12,
    )
    plan = plan_sync(now=NOW, allowed=1, accounts=[], locks=[quiet, busy])
    assert [item.lock_pk for item in plan] == [2]


def test_a_phone_user_change_seen_in_the_audit_brings_a_clients_sync():
    changed = LockFacts(
        lock_pk=4, account_pk=1, audit_synced_at=NOW, clients_synced_at=NOW, clients_changed=True
    )
    plan = plan_sync(now=NOW, allowed=5, accounts=[], locks=[changed])
    assert [(item.what, item.lock_pk) for item in plan] == [(What.CLIENTS, 4)]


def test_nothing_fresh_is_synced_again():
    fresh = LockFacts(
        lock_pk=1, account_pk=1, audit_synced_at=NOW - timedelta(minutes=5), clients_synced_at=NOW
    )
    account = AccountFacts(account_pk=1, locks_synced_at=NOW - timedelta(minutes=5))
    assert plan_sync(now=NOW, allowed=100, accounts=[account], locks=[fresh]) == []


def test_a_big_backlog_is_planned_as_several_pages():
    backlog = LockFacts(
        lock_pk=1,
        account_pk=1,
        audit_synced_at=NOW - 10 * 24 * HOUR,
        clients_synced_at=NOW,
        entries_per_day=300,
    )
    plan = plan_sync(now=NOW, allowed=10, accounts=[], locks=[backlog])
    assert plan[0].calls == 3


def test_the_plan_never_exceeds_the_allowance_whatever_the_locks():
    rng = random.Random(7)
    for _ in range(300):
        locks = [
            LockFacts(
                lock_pk=i,
                account_pk=i % 3,
                audit_synced_at=rng.choice([None, NOW - rng.random() * 200 * HOUR]),
                clients_synced_at=rng.choice([None, NOW - rng.random() * 400 * HOUR]),
                last_activity_at=NOW - rng.random() * 48 * HOUR,
                entries_per_day=rng.random() * 5000,
                viewed_at=rng.choice([None, NOW - rng.random() * 2 * HOUR]),
                clients_changed=rng.random() < 0.2,
            )
            for i in range(rng.randint(0, 60))
        ]
        accounts = [AccountFacts(account_pk=a, locks_synced_at=None) for a in range(3)]
        allowed = rng.randint(0, 30)
        plan = plan_sync(now=NOW, allowed=allowed, accounts=accounts, locks=locks)
        assert sum(item.calls for item in plan) <= allowed


def test_the_pace_spreads_what_is_left_over_the_remaining_days():
    _, end = month_bounds(NOW)  # 22 days left including the 10th
    morning = NOW.replace(hour=0, minute=30)
    assert pace(now=morning, left=220, spent_today=0, month_end=end, max_per_run=50) == 0
    assert pace(now=NOW, left=220, spent_today=0, month_end=end, max_per_run=50) == 5
    assert pace(now=NOW, left=215, spent_today=5, month_end=end, max_per_run=50) == 0
    late = NOW.replace(hour=23, minute=59)
    assert pace(now=late, left=220, spent_today=0, month_end=end, max_per_run=4) == 4


def test_a_simulated_month_of_planning_stays_within_the_share():
    share, spent, tick = 700, 0, timedelta(minutes=5)
    start, end = month_bounds(NOW)
    now, day, spent_today = start, start.date(), 0
    accounts = [AccountFacts(account_pk=1, locks_synced_at=None)]
    synced: dict[tuple[str, int], datetime] = {}
    while now < end:
        if now.date() != day:
            day, spent_today = now.date(), 0
        allowed = pace(
            now=now, left=share - spent, spent_today=spent_today, month_end=end, max_per_run=20
        )
        accounts = [AccountFacts(account_pk=1, locks_synced_at=synced.get(("locks", 1)))]
        locks = [
            LockFacts(
                lock_pk=i,
                account_pk=1,
                audit_synced_at=synced.get(("audit", i)),
                clients_synced_at=synced.get(("clients", i)),
                entries_per_day=8,
                last_activity_at=now - HOUR if i % 5 == 0 else None,
            )
            for i in range(50)
        ]
        for item in plan_sync(now=now, allowed=allowed, accounts=accounts, locks=locks):
            synced[(item.what.value, item.lock_pk if item.lock_pk is not None else 1)] = now
            spent += item.calls
            spent_today += item.calls
        now += tick
    assert share - 25 <= spent <= share
