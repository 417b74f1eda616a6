"""The scale seed's sites, people and memberships: the small tables, through the ORM."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password

from locks.models import Membership, Role, Site
from locks.scale.names import BUILDINGS, PLACES, TIME_ZONES

SCALE_PASSWORD = "keyhouse-scale"  # noqa: S105 - seed data for benchmarks, local use only
MANAGER_USERNAME = "scale-manager"
SUPERUSER_USERNAME = "scale-super"
STAFF_PER_SITE = 2


@dataclass
class Estate:
    """What the later seed steps need of the sites and people: ids and names, no ORM objects."""

    now: datetime
    site_ids: list[int] = field(default_factory=list)
    site_zones: dict[int, str] = field(default_factory=dict)
    # Users who ask for codes on each site (its Admin and staff, and the manager).
    site_people: dict[int, list[int]] = field(default_factory=dict)
    usernames: dict[int, str] = field(default_factory=dict)


def _site_name(index: int) -> str:
    place = PLACES[index % len(PLACES)]
    building = BUILDINGS[(index // len(PLACES)) % len(BUILDINGS)]
    rounds = index // (len(PLACES) * len(BUILDINGS))
    return f"{place} {building}" + (f" {rounds + 1}" if rounds else "")


def seed_sites(rng: random.Random, count: int, estate: Estate) -> None:
    """Create `count` sites with plausible names, zones and addresses."""
    sites = [
        Site(
            name=_site_name(index),
            time_zone=rng.choice(TIME_ZONES),
            address=f"{rng.randint(1, 250)} {rng.choice(PLACES)} Road",
        )
        for index in range(count)
    ]
    Site.objects.bulk_create(sites, batch_size=1000)
    for site in Site.objects.order_by("pk").values("pk", "time_zone"):
        estate.site_ids.append(site["pk"])
        estate.site_zones[site["pk"]] = site["time_zone"]


def seed_people(rng: random.Random, estate: Estate) -> None:
    """A superuser, a Manager of every other site, and an Admin and staff for each site."""
    User = get_user_model()
    password = make_password(SCALE_PASSWORD)
    joined = estate.now - timedelta(days=3 * 365)

    def user(username: str, **extra: object) -> object:
        email = f"{username}@example.com"
        return User(username=username, email=email, password=password, date_joined=joined, **extra)

    users = [
        user(SUPERUSER_USERNAME, is_superuser=True, is_staff=True),
        user(MANAGER_USERNAME),
    ]
    for index in range(len(estate.site_ids)):
        users.append(user(f"admin-{index:04d}"))
        users.extend(user(f"staff-{index:04d}-{n}") for n in range(STAFF_PER_SITE))
    User.objects.bulk_create(users, batch_size=1000)
    ids = dict(User.objects.values_list("username", "pk"))
    estate.usernames = {pk: username for username, pk in ids.items()}
    _seed_memberships(estate, ids)


def _seed_memberships(estate: Estate, ids: dict[str, int]) -> None:
    manager = ids[MANAGER_USERNAME]
    memberships = []
    for index, site_id in enumerate(estate.site_ids):
        people = [(ids[f"admin-{index:04d}"], Role.ADMIN)]
        people += [(ids[f"staff-{index:04d}-{n}"], Role.STAFF) for n in range(STAFF_PER_SITE)]
        if index % 2 == 0:
            people.append((manager, Role.MANAGER))
        memberships += [Membership(site_id=site_id, user_id=u, role=r) for u, r in people]
        estate.site_people[site_id] = [user_id for user_id, _ in people]
    Membership.objects.bulk_create(memberships, batch_size=2000)
