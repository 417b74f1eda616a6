"""Load the demo data `make run` starts with: two sites, their KitLocks, admin/manager/staff."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import transaction

from locks.kitlock_services import kitlock_add
from locks.models import KitLock, Membership, Role, Site

DEMO_PASSWORD = "keyhouse-demo"  # noqa: S105 - documented demo password, local use only

SITES = [
    ("Harbour House", "Europe/London", "1 Quay Street, Bristol BS1 4DJ"),
    ("Riverside Depot", "America/New_York", "200 River Road, Hoboken NJ 07030"),
]
# (username, e-mail, [(site name, role)])
PEOPLE = [
    (
        "admin",
        "admin@example.com",
        [("Harbour House", Role.ADMIN), ("Riverside Depot", Role.ADMIN)],
    ),
    ("manager", "manager@example.com", [("Harbour House", Role.MANAGER)]),
    ("staff", "staff@example.com", [("Riverside Depot", Role.STAFF)]),
]

# KitLocks already initialised (added by hand, so no API call): (site, name, location, model,
# timecode, identifier). K3Connect locks come from linking the sandbox's account (README).
KITLOCKS = [
    ("Harbour House", "Front door", "Ground floor lobby", "KL1060", "202601051000", "451254"),
    ("Harbour House", "Plant room", "Basement", "KL1060C2", "202601051015", "123456"),
    ("Riverside Depot", "Loading bay", "Gate 2", "KL1550", "202602011400", "765432"),
]


class Command(BaseCommand):
    help = "Create the demo sites and users (idempotent; passwords reset to the demo password)."

    @transaction.atomic
    def handle(self, *args: Any, **options: Any) -> None:
        sites = {}
        for name, tz, address in SITES:
            sites[name], _ = Site.objects.update_or_create(
                name=name, defaults={"time_zone": tz, "address": address}
            )
        User = get_user_model()
        for username, email, roles in PEOPLE:
            user, _ = User.objects.update_or_create(username=username, defaults={"email": email})
            user.set_password(DEMO_PASSWORD)
            user.save()
            for site_name, role in roles:
                Membership.objects.update_or_create(
                    site=sites[site_name], user=user, defaults={"role": role}
                )
        for site_name, name, location, model, timecode, identifier in KITLOCKS:
            if not KitLock.objects.filter(site=sites[site_name], name=name).exists():
                kitlock_add(
                    site=sites[site_name],
                    model=model,
                    timecode=timecode,
                    identifier=identifier,
                    name=name,
                    location=location,
                )
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo data ready: users admin, manager, staff (password {DEMO_PASSWORD!r})."
            )
        )
