"""Server time of every page on a big seeded estate, beside a trivial page and the Django admin.

Seeds the database with `seed_scale` (unless it already holds the same estate), then requests
each page in-process through Django's test client and the real middleware, as a superuser and
as a Manager of every other site: warm-up, then N timed requests; median, p95, SQL queries and
peak Python memory of one request. Each timed request of a page follows one of the trivial page,
and "x trivial" divides the two medians of those same moments, so a busy machine's changing load
does not tilt the ratio. Pages that keep figures in the cache are timed twice: warm, and with
the cache emptied before every request (the first visit after a change). Also NetCode
generation end to end against a sandbox. PostgreSQL when DATABASE_URL is set (full sizes),
else SQLite in var/ at --scale 0.05.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Callable
from typing import Any

from bench._django import API_KEY, BASE_DIR
from bench._measure import Figures, markdown_table, measure

SQLITE_SCALE = 0.05
SQLITE_FILE = BASE_DIR / "var" / "bench_pages.sqlite3"
FLOOR = "trivial page (password change form)"


def django_setup(database_url: str | None) -> None:
    """Settings as in production where it matters to timing (DEBUG off), on the bench database."""
    sys.path.insert(0, str(BASE_DIR))
    os.environ.setdefault("DJANGO_DEBUG", "true")  # dev secrets; DEBUG itself is turned off below
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
    # A big estate's plan: its seeded codes of this month fit the quota with room to spare.
    os.environ["CODELOCKS_PLAN"] = "enterprise-2"
    os.environ["CODELOCKS_API_KEY"] = API_KEY
    os.environ["EMAIL_URL"] = "memorymail://"
    os.environ["LOG_LEVEL"] = "ERROR"
    os.environ["DATABASE_URL"] = database_url or f"sqlite:///{SQLITE_FILE}"
    SQLITE_FILE.parent.mkdir(exist_ok=True)
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    settings.DEBUG = False  # no query log, cached templates: what a server does
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "netcode": 1_000_000}
    call_command("migrate", verbosity=0)


def ensure_seeded(scale: float, *, reseed: bool) -> None:
    """Seed the estate unless the database already holds one of these sizes."""
    from django.core.management import call_command

    from k3clients.models import AuditEntry, PhoneClient
    from locks.models import Site
    from locks.scale import Sizes, seed_scale

    sizes = Sizes().scaled(scale)
    same = (
        Site.objects.count() == sizes.sites
        and PhoneClient.objects.count() == sizes.phone_users
        and AuditEntry.objects.count() == sizes.audit
    )
    if same and not reseed:
        print(f"Using the estate already seeded: {sizes}")
        return
    call_command("flush", interactive=False, verbosity=0)
    print(f"Seeding {sizes}")
    began = time.perf_counter()
    seed_scale(sizes, seed=1, report=lambda line: print(f"  {line}"))
    print(f"  seeded in {time.perf_counter() - began:.0f} s")


def _get(client: Any, url: str) -> Callable[[], Any]:
    return lambda: client.get(url)


def _get_uncached(client: Any, url: str) -> Callable[[], Any]:
    """The page as the first person after a change sees it: every cached figure recomputed."""
    from django.core.cache import cache

    def request() -> Any:
        cache.clear()
        return client.get(url)

    return request


def _row(label: str, ours: Figures, manager: Figures | None, admin: Figures | None):
    def ms(figures: Figures | None) -> str:
        return f"{figures.median_ms:.1f}" if figures else "—"

    floor = ours.beside_median_ms or ours.median_ms
    return [
        label,
        f"{ours.median_ms:.1f}",
        f"{ours.p95_ms:.1f}",
        f"{floor:.1f}",
        f"{ours.median_ms / floor:.1f}x",
        str(ours.queries),
        ms(manager),
        str(manager.queries) if manager else "—",
        ms(admin),
        f"{ours.peak_mib:.1f}",
    ]


def bench_pages(runs: int) -> str:
    """Time every page and its references; give the Markdown table."""
    from django.contrib.auth import get_user_model
    from django.test import Client

    from bench.page_list import page_list
    from locks.scale import MANAGER_USERNAME, SUPERUSER_USERNAME

    users = get_user_model().objects
    superuser, manager = Client(), Client()
    superuser.force_login(users.get(username=SUPERUSER_USERNAME))
    manager.force_login(users.get(username=MANAGER_USERNAME))
    pages = page_list()
    trivial = _get(superuser, pages[0].url)
    rows = [
        _row(
            FLOOR,
            measure(trivial, runs=runs),
            measure(_get(manager, pages[0].url), runs=runs),
            None,
        )
    ]
    for page in pages[1:]:
        ours = measure(_get(superuser, page.url), runs=runs, beside=trivial)
        theirs = measure(_get(manager, page.url), runs=runs) if page.manager else None
        admin = measure(_get(superuser, page.admin_url), runs=runs) if page.admin_url else None
        if ours.status != 200 or (admin and admin.status != 200):
            raise SystemExit(f"{page.label}: answered {ours.status}")
        rows.append(_row(page.label, ours, theirs, admin))
        print(f"  {page.label}: {ours.median_ms:.1f} ms", file=sys.stderr)
        if page.cached:
            cold = measure(_get_uncached(superuser, page.url), runs=runs, beside=trivial)
            cold_manager = measure(_get_uncached(manager, page.url), runs=runs)
            rows.append(_row(f"{page.label}, nothing cached", cold, cold_manager, None))
    header = [
        "page (superuser)", "median ms", "p95 ms", "trivial page beside ms", "x trivial",
        "queries", "Manager median ms", "Manager queries", "admin changelist median ms",
        "peak MiB",
    ]  # fmt: skip
    return markdown_table(header, rows)


def main() -> None:
    """Parse the options, seed if needed, measure, print the tables."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL"))
    parser.add_argument("--scale", type=float, help="default: 1 on PostgreSQL, 0.05 on SQLite")
    parser.add_argument("--runs", type=int, default=20, help="timed requests per page")
    parser.add_argument("--reseed", action="store_true", help="seed even if already seeded")
    args = parser.parse_args()
    django_setup(args.database_url)
    from django.db import connection

    from bench.generation import bench_generation

    scale = args.scale or (1.0 if connection.vendor == "postgresql" else SQLITE_SCALE)
    ensure_seeded(scale, reseed=args.reseed)
    print(f"\nPages on {connection.vendor}, estate at scale {scale}, {args.runs} requests each:\n")
    print(bench_pages(args.runs))
    print()
    print(bench_generation(runs=max(10, args.runs)))


if __name__ == "__main__":
    main()
