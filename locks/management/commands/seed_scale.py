"""Fill the database with a big estate for the scale benchmarks (bulk inserts, COPY on PG)."""

from __future__ import annotations

import time
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser

from locks.models import Site
from locks.scale import MANAGER_USERNAME, SUPERUSER_USERNAME, Sizes, seed_scale
from locks.scale.people import SCALE_PASSWORD

ALREADY_SEEDED = "The database already has sites: pass --reset to empty it first (every table)."


class Command(BaseCommand):
    help = (
        "Create sites, users, KitLocks, smart locks, phone users, audit entries and NetCodes "
        "at scale (deterministic for a given --seed)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        full = Sizes()
        parser.add_argument("--sites", type=int, default=full.sites)
        parser.add_argument("--locks", type=int, default=full.locks)
        parser.add_argument("--phone-users", type=int, default=full.phone_users)
        parser.add_argument("--audit", type=int, default=full.audit)
        parser.add_argument("--netcodes", type=int, default=full.netcodes)
        parser.add_argument(
            "--scale", type=float, default=1.0, help="Multiply every size, e.g. 0.05 for a try."
        )
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument(
            "--reset", action="store_true", help="Empty every table first (manage.py flush)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["reset"]:
            call_command("flush", interactive=False, verbosity=0)
        elif Site.objects.exists():
            raise CommandError(ALREADY_SEEDED)
        sizes = Sizes(
            sites=options["sites"],
            locks=options["locks"],
            phone_users=options["phone_users"],
            audit=options["audit"],
            netcodes=options["netcodes"],
        ).scaled(options["scale"])
        self.stdout.write(f"Seeding {sizes}")
        began = time.perf_counter()
        seed_scale(sizes, seed=options["seed"], report=self.stdout.write)
        self.stdout.write(
            self.style.SUCCESS(
                f"Seeded in {time.perf_counter() - began:.1f} s. Sign in as {SUPERUSER_USERNAME} "
                f"(superuser) or {MANAGER_USERNAME} (Manager of every other site), "
                f"password {SCALE_PASSWORD!r}."
            )
        )
