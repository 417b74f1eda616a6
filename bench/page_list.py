"""The pages the bench times, on the busiest objects, each with its Django admin counterpart."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count
from django.urls import reverse

from k3clients.models import AuditEntry, SmartLock
from locks.models import KitLock, Role, Site


@dataclass(frozen=True)
class PageSpec:
    """A page of the portal, the admin page a team would use instead (if any), who may open it."""

    label: str
    url: str
    admin_url: str = ""
    manager: bool = True
    cached: bool = False  # keeps figures in the cache: also timed with nothing cached


def _busiest() -> tuple[Site, KitLock, SmartLock]:
    """The Manager's site with the most smart locks, its first KitLock, its busiest smart lock."""
    managed = Site.objects.filter(memberships__role=Role.MANAGER)
    site = (
        managed.annotate(locks=Count("smart_locks")).order_by("-locks", "name").first()
        or managed.first()
    )
    kitlock = KitLock.objects.filter(site=site).order_by("name", "pk").first()
    busiest = (
        AuditEntry.objects.filter(lock__site=site)
        .values("lock")
        .annotate(entries=Count("pk"))
        .order_by("-entries")
        .values_list("lock", flat=True)
        .first()
    )
    smartlock = SmartLock.objects.get(pk=busiest)
    return site, kitlock, smartlock


def _quietest(busiest: Site) -> Site:
    """The Manager's site (other than the busiest) with the fewest NetCodes: the history's worst
    case, as it must look further back through every site's codes to fill a page."""
    managed = Site.objects.filter(memberships__role=Role.MANAGER).exclude(pk=busiest.pk)
    return managed.annotate(codes=Count("netcodes")).order_by("codes", "name").first() or busiest


def page_list() -> list[PageSpec]:
    """The trivial page first, then every list and detail page."""
    site, kitlock, lock = _busiest()
    quiet = _quietest(site)

    def admin(name: str, *args: object, query: str = "") -> str:
        return reverse(f"admin:{name}", args=args) + (f"?{query}" if query else "")

    return [
        PageSpec("trivial", reverse("password_change")),
        PageSpec("home (dashboard of every site)", reverse("home"), cached=True),
        PageSpec("sites", reverse("site_list"), admin("locks_site_changelist")),
        PageSpec(
            "site", reverse("site_detail", args=[site.pk]), admin("locks_site_change", site.pk)
        ),
        PageSpec("site dashboard", reverse("site_dashboard", args=[site.pk]), cached=True),
        PageSpec(
            "members",
            reverse("member_list", args=[site.pk]),
            admin("locks_membership_changelist", query=f"site__id__exact={site.pk}"),
        ),
        PageSpec(
            "activity log",
            reverse("activity_log", args=[site.pk]),
            admin("dashboard_activityevent_changelist", query=f"site__id__exact={site.pk}"),
            manager=False,
        ),
        PageSpec(
            "locks (both kinds)", reverse("kitlock_list"), admin("k3clients_smartlock_changelist")
        ),
        PageSpec("locks, page 20", reverse("kitlock_list") + "?page=20"),
        PageSpec("locks needing attention", reverse("kitlock_list") + "?attention=on"),
        PageSpec(
            "locks, search",
            reverse("kitlock_list") + "?q=gate",
            admin("k3clients_smartlock_changelist", query="q=gate"),
        ),
        PageSpec("KitLock (with its codes)", reverse("kitlock_detail", args=[kitlock.pk])),
        PageSpec("KitLock timeline", reverse("kitlock_timeline", args=[kitlock.pk])),
        PageSpec(
            "smart locks (by site)", reverse("k3_index"), admin("k3clients_smartlock_changelist")
        ),
        PageSpec(
            "K3 account",
            reverse("k3_account_detail", args=[lock.account_id]),
            admin("k3clients_k3account_change", lock.account_id),
        ),
        PageSpec(
            "smart lock (phone users, audit)",
            reverse("k3_lock_detail", args=[lock.pk]),
            admin("k3clients_smartlock_change", lock.pk),
        ),
        PageSpec(
            "phone users (busiest lock, page 2)",
            reverse("k3_lock_detail", args=[lock.pk]) + "?clients=2",
            admin("k3clients_phoneclient_changelist"),
        ),
        PageSpec("smart lock timeline", reverse("smartlock_timeline", args=[lock.pk])),
        PageSpec("NetCode history", reverse("netcode_history")),
        PageSpec("NetCode history, one site", reverse("netcode_history") + f"?site={site.pk}"),
        PageSpec("NetCode history, quiet site", reverse("netcode_history") + f"?site={quiet.pk}"),
        PageSpec("NetCode history, person", reverse("netcode_history") + "?person=grace"),
        PageSpec(
            "audit browser", reverse("audit_browser"), admin("k3clients_auditentry_changelist")
        ),
        PageSpec(
            "audit browser, filtered",
            reverse("audit_browser") + f"?site={site.pk}&entry_type=Sync",
            admin("k3clients_auditentry_changelist", query="entry_type=Sync"),
        ),
        PageSpec("audit browser, search", reverse("audit_browser") + "?q=Bluetooth"),
        PageSpec("audit browser, word in no entry", reverse("audit_browser") + "?q=Zanzibar"),
        PageSpec("usage", reverse("usage"), cached=True),
        PageSpec("sync page", reverse("k3_sync_page", args=[site.pk])),
    ]
