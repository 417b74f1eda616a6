"""A simulated month of sync for a Business 1 plan with 50 smart locks, on a fake clock.

Every 5 simulated minutes the planner runs (as beat would) and its runs are carried out in
this process against the sandbox. Prints the Utility calls spent against the budget and the
worst and median staleness of battery status and audit logs, sampled every hour per lock.
"""

from __future__ import annotations

import argparse
import random
import statistics
import time
from datetime import UTC, datetime, timedelta

from bench._django import ACCESSKEY, control, django_setup, frozen_clock, sandbox

LOCKS = 50
TICK = timedelta(minutes=5)


def _hours(delta: timedelta) -> float:
    return delta.total_seconds() / 3600


def simulate(start: datetime) -> dict[str, float]:
    """Run the month; give the figures."""
    from k3clients.models import SmartLock
    from k3clients.services import k3_account_link
    from k3clients.sync.budget import month_bounds, sync_budget
    from k3clients.sync.plan import sync_plan_now
    from k3clients.sync.runs import sync_run_execute
    from locks.models import Site

    rng = random.Random(1)  # noqa: S311
    battery_ages, audit_ages = [], []
    _, end = month_bounds(start)
    with sandbox() as server, frozen_clock(server, start) as set_clock:
        seeded = len(server.state.accounts[ACCESSKEY].locks)
        for n in range(LOCKS - seeded):
            lock_id = f"{0xBE7C40000 + n:032x}"  # explicit: the sandbox's own ids would repeat
            control(
                server,
                "locks",
                {"accesskey": ACCESSKEY, "name": f"Door {n + 1}", "lock_id": lock_id},
            )
        site = Site.objects.create(name="Bench House", time_zone="Europe/London")
        account = k3_account_link(site=site, access_key=ACCESSKEY, user=None)
        assert account.locks.count() == LOCKS  # noqa: S101
        now, ticks = start, 0
        while now < end:
            set_clock(now)
            if rng.random() < 0.02:  # someone opens a lock's page now and then
                lock = rng.choice(list(SmartLock.objects.filter(account=account)))
                SmartLock.objects.filter(pk=lock.pk).update(viewed_at=now)
            for run in sync_plan_now(now=now, enqueue=False).runs:
                sync_run_execute(run_pk=run.pk)
            if ticks % 12 == 0 and now > start + timedelta(days=1):
                account.refresh_from_db()
                for lock in SmartLock.objects.filter(account=account):
                    battery_ages.append(_hours(now - (lock.last_synced_at or start)))
                    audit_ages.append(_hours(now - (lock.audit_synced_at or start)))
            now, ticks = now + TICK, ticks + 1
        budget = sync_budget(now=end - timedelta(seconds=1))
        usage = server.state.usage.get(start.strftime("%Y-%m"), {})
    return {
        "budget": budget.share,
        "spent_by_sync": budget.spent,
        "sandbox_utility_calls": usage.get("utility", 0),
        "battery_worst_h": max(battery_ages),
        "battery_median_h": statistics.median(battery_ages),
        "audit_worst_h": max(audit_ages),
        "audit_median_h": statistics.median(audit_ages),
    }


def main() -> None:
    """Parse the options, run the month, print the figures."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--database-url", help="default: a fresh SQLite file in var/")
    parser.add_argument("--month", default="2026-03", help="YYYY-MM to simulate")
    args = parser.parse_args()
    django_setup(args.database_url)
    start = datetime.strptime(args.month, "%Y-%m").replace(tzinfo=UTC)
    began = time.perf_counter()
    figures = simulate(start)
    print(f"Simulated month {args.month}: Business 1, {LOCKS} smart locks, planner every 5 min")
    print(
        f"  Utility calls spent by sync: {figures['spent_by_sync']} of a budget of "
        f"{figures['budget']} (sandbox counted {figures['sandbox_utility_calls']} in all, "
        "linking included)"
    )
    print(
        f"  battery status staleness: median {figures['battery_median_h']:.1f} h, "
        f"worst {figures['battery_worst_h']:.1f} h"
    )
    print(
        f"  audit log staleness:      median {figures['audit_median_h']:.1f} h, "
        f"worst {figures['audit_worst_h']:.1f} h"
    )
    print(f"  ({time.perf_counter() - began:.0f} s of real time)")
    if figures["spent_by_sync"] > figures["budget"]:
        raise SystemExit("the sync spent more than its budget")


if __name__ == "__main__":
    main()
