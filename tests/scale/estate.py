"""Seeded estates for the scale tests, and the pages every user of one would open."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import connection
from django.db.models import Count
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from k3clients.models import SmartLock
from locks.models import KitLock, Role, Site
from locks.scale import MANAGER_USERNAME, SUPERUSER_USERNAME, Sizes, seed_scale

# Small still fills the dashboard's lists of 10 (which count their rows only when full) and
# has codes this month; large has many times more of everything.
SMALL = Sizes(sites=2, locks=6, phone_users=300, audit=60, netcodes=150)
LARGE = Sizes(sites=12, locks=90, phone_users=3000, audit=1500, netcodes=1000)
USERS = {"manager": MANAGER_USERNAME, "superuser": SUPERUSER_USERNAME}


@dataclass(frozen=True)
class PageVisit:
    """A page to open and what the test checks on it."""

    name: str
    url: str


def seed(sizes: Sizes) -> None:
    """A fresh estate of these sizes (the scale seed, as `make bench` uses it)."""
    seed_scale(sizes, seed=7)


def pages() -> list[PageVisit]:
    """Every list and detail page, on the manager's first site and its busiest locks."""
    site = Site.objects.filter(memberships__role=Role.MANAGER).order_by("name").first()
    kitlock = KitLock.objects.filter(site=site).order_by("name", "pk").first()
    smartlock = (
        SmartLock.objects.filter(site=site)
        .annotate(entries=Count("audit_entries"))
        .order_by("-entries", "pk")
        .first()
    )
    urls = {
        "home (dashboard)": reverse("home"),
        "sites": reverse("site_list"),
        "site": reverse("site_detail", args=[site.pk]),
        "site dashboard": reverse("site_dashboard", args=[site.pk]),
        "activity log": reverse("activity_log", args=[site.pk]),
        "members": reverse("member_list", args=[site.pk]),
        "locks": reverse("kitlock_list"),
        "locks, page 2": reverse("kitlock_list") + "?page=2",
        "locks needing attention": reverse("kitlock_list") + "?attention=on",
        "KitLock": reverse("kitlock_detail", args=[kitlock.pk]),
        "KitLock timeline": reverse("kitlock_timeline", args=[kitlock.pk]),
        "smart locks": reverse("k3_index"),
        "K3 account": reverse("k3_account_detail", args=[smartlock.account_id]),
        "smart lock": reverse("k3_lock_detail", args=[smartlock.pk]),
        "smart lock, audit page 2": reverse("k3_lock_detail", args=[smartlock.pk]) + "?audit=2",
        "smart lock timeline": reverse("smartlock_timeline", args=[smartlock.pk]),
        "NetCode history": reverse("netcode_history"),
        "NetCode history of a site": reverse("netcode_history") + f"?site={site.pk}",
        "audit browser": reverse("audit_browser"),
        "audit search": reverse("audit_browser") + "?q=Bluetooth",
        "usage": reverse("usage"),
        "sync": reverse("k3_sync_page", args=[site.pk]),
    }
    return [PageVisit(name, url) for name, url in urls.items()]


# Admin-only pages refuse a Manager: the refusal's queries are counted all the same.
ADMINS_ONLY = {"activity log"}


def query_counts(role: str) -> dict[str, int]:
    """The number of SQL queries of each page, opened as `role` ("manager" or "superuser")."""
    client = Client()
    client.force_login(get_user_model().objects.get(username=USERS[role]))
    counts = {}
    for page in pages():
        with CaptureQueriesContext(connection) as captured:
            response = client.get(page.url)
        expected = 403 if role == "manager" and page.name in ADMINS_ONLY else 200
        assert response.status_code == expected, f"{page.name} ({page.url})"
        counts[page.name] = len(captured)
    return counts


def wipe() -> None:
    """Remove the estate (inside the test's transaction) so another can be seeded."""
    from django.core.management import call_command

    if connection.vendor == "postgresql":
        # Deferred foreign-key checks still pending in the transaction would block TRUNCATE.
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    call_command("flush", interactive=False, verbosity=0, inhibit_post_migrate=True)
