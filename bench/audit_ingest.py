"""Ingest a backlog of 100,000 audit entries from the sandbox: entries per second, peak memory."""

from __future__ import annotations

import argparse
import time
import tracemalloc

from bench._django import ACCESSKEY, control, django_setup, sandbox

BACKLOG = 100_000


def ingest(*, measure_memory: bool) -> tuple[int, float, float]:
    """Link the account, append the backlog to one lock, fetch it all; give count, s, peak MiB."""
    from k3clients.models import AuditEntry, SmartLock
    from k3clients.services import k3_account_link, lock_audit_fetch
    from locks.models import Site

    AuditEntry.objects.all().delete()
    Site.objects.all().delete()
    with sandbox() as server:
        site = Site.objects.create(name="Bench House", time_zone="Europe/London")
        account = k3_account_link(site=site, access_key=ACCESSKEY, user=None)
        lock = SmartLock.objects.filter(account=account).first()
        control(server, "audit", {"lock_id": lock.lock_id, "count": BACKLOG})
        if measure_memory:
            tracemalloc.start()
        began = time.perf_counter()
        added = lock_audit_fetch(lock=lock, max_pages=1000)
        elapsed = time.perf_counter() - began
        peak = tracemalloc.get_traced_memory()[1] / 2**20 if measure_memory else 0.0
        tracemalloc.stop()
    return added, elapsed, peak


def main() -> None:
    """Parse the options, ingest twice (speed, then memory), print the figures."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--database-url", help="default: a fresh SQLite file in var/")
    args = parser.parse_args()
    django_setup(args.database_url)
    from django.db import connection

    added, elapsed, _ = ingest(measure_memory=False)
    _, _, peak = ingest(measure_memory=True)
    print(
        f"Audit backlog on {connection.vendor}: {added} entries in {elapsed:.1f} s, "
        f"{added / elapsed:,.0f} entries/s, peak Python memory {peak:.1f} MiB"
    )


if __name__ == "__main__":
    main()
