"""The dashboard's widgets: each a small query function over sites already scoped to the user.

Every function runs a fixed number of queries, however many locks or codes there are.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from typing import TYPE_CHECKING

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import TruncDate
from django.urls import reverse

from dashboard.charts import Chart, bar_chart
from k3clients.models import (
    AuditEntry,
    ClientStatus,
    LockCondition,
    PhoneClient,
    SmartLock,
)
from locks.models import KitLock, Membership, Role, Site
from netcodes.models import ApiCategory, NetCodeIssue, NetCodeState
from netcodes.quota import QuotaStatus, quota_status

if TYPE_CHECKING:
    from collections.abc import Sequence

    from locks.models.sites import AnyUser

STALE_SYNC_AFTER = timedelta(hours=24)
LIST_LIMIT = 10
COUNT_CAP = 1000
EVENT_DAYS = 14
WIDGET_LOCK_FIELDS = (
    "pk",
    "name",
    "lock_id",
    "site_id",
    "battery_status",
    "gone_at",
    "last_synced_at",
    "account__key_rejected_at",
)
BATTERY_BUCKETS = (
    ("Low (20% or less)", "chart-bar-low"),
    ("21 to 50%", "chart-bar-mid"),
    ("51 to 100%", "chart-bar-ok"),
    ("Not reported", "chart-bar-unknown"),
)


@dataclass(frozen=True)
class AttentionRow:
    """A lock that needs someone, with what is wrong, worst first."""

    name: str
    site: Site
    url_name: str
    pk: int
    problems: tuple[str, ...]
    severity: int

    @property
    def url(self) -> str:
        # Reversed only for the few rows drawn, not for each of thousands of locks.
        return reverse(self.url_name, args=[self.pk])


@dataclass(frozen=True, slots=True)
class SmartLockState(LockCondition):
    """What the widgets read of a smart lock: a plain row, not a model with its account."""

    pk: int
    name: str
    site: Site
    battery_status: str
    gone_at: datetime | None
    last_synced_at: datetime | None
    key_rejected: bool


@dataclass(frozen=True)
class Listing:
    """The first rows of a list and how many there are in all."""

    rows: list
    total: int
    capped: bool = False  # the total is a lower bound: counting stopped at COUNT_CAP

    @property
    def more(self) -> int:
        return max(self.total - len(self.rows), 0)

    @property
    def total_label(self) -> str:
        return f"{self.total}+" if self.capped else str(self.total)

    @property
    def more_label(self) -> str:
        return f"{self.more}+" if self.capped else str(self.more)


def _listing(rows: QuerySet, order: tuple[str, ...]) -> Listing:
    """The first LIST_LIMIT rows and how many match, counted up to COUNT_CAP.

    A LIMIT lets PostgreSQL count through the indexes it used for the rows; an exact count
    of every match makes it scan the whole table instead.
    """
    first = list(rows.order_by(*order)[:LIST_LIMIT])
    if len(first) < LIST_LIMIT:
        return Listing(first, len(first))
    total = rows.order_by().values("pk")[:COUNT_CAP].count()  # no sort: only a count
    return Listing(first, total, capped=total >= COUNT_CAP)


def _kitlock_problems(lock: KitLock) -> tuple[int, list[str]]:
    if lock.awaiting_initialisation:
        return 2, ["Initialisation not confirmed"]
    if lock.clock_needs_setting:
        return 3, ["Clock to set: codes will not work"]
    return 0, []


def _smartlock_problems(lock: SmartLockState, now: datetime) -> tuple[int, list[str]]:
    problems, severity = [], 0
    if lock.is_gone:
        problems.append("No longer on its account")
        severity = max(severity, 1)
    if lock.key_rejected:
        problems.append("Access key refused: unreachable")
        severity = max(severity, 3)
    if lock.battery_low:
        problems.append(f"Battery low ({lock.battery_percent}%)")
        severity = max(severity, 3)
    if not lock.is_gone and (
        lock.last_synced_at is None or now - lock.last_synced_at > STALE_SYNC_AFTER
    ):
        problems.append("Not synced in the last 24 hours")
        severity = max(severity, 1)
    return severity, problems


def smart_locks(sites: Sequence[Site]) -> list[SmartLockState]:
    """The smart locks of the sites as plain rows (one query).

    An estate has thousands of locks: model instances with their accounts (whose access key
    is decrypted on load) would cost far more than the page's queries.
    """
    by_pk = {site.pk: site for site in sites}
    rows = SmartLock.objects.filter(site__in=sites).values_list(*WIDGET_LOCK_FIELDS)
    return [
        SmartLockState(pk, name or lock_id, by_pk[site_id], battery, gone, synced, bool(refused))
        for pk, name, lock_id, site_id, battery, gone, synced, refused in rows
    ]


def locks_needing_attention(
    sites: Sequence[Site], smart: Sequence[SmartLockState], *, now: datetime
) -> list[AttentionRow]:
    """KitLocks and smart locks with something wrong, the worst first (one query + `smart`)."""
    rows = []
    kitlocks = KitLock.objects.filter(site__in=sites).select_related("site")
    for lock in kitlocks.filter(Q(clock_needs_setting=True) | Q(initialised_at__isnull=True)):
        severity, problems = _kitlock_problems(lock)
        rows.append(
            AttentionRow(lock.name, lock.site, "kitlock_detail", lock.pk, (*problems,), severity)
        )
    for lock in smart:
        severity, problems = _smartlock_problems(lock, now)
        if problems:
            rows.append(
                AttentionRow(
                    lock.name, lock.site, "k3_lock_detail", lock.pk, (*problems,), severity
                )
            )
    return sorted(rows, key=lambda r: (-r.severity, r.site.name, r.name.casefold()))


def _today_bounds(site: Site, now: datetime) -> tuple[datetime, datetime]:
    local = now.astimezone(site.tz).date()
    start = datetime.combine(local, time.min, tzinfo=site.tz)
    return start, datetime.combine(local + timedelta(days=1), time.min, tzinfo=site.tz)


def _issues(sites: Sequence[Site]):
    return NetCodeIssue.objects.filter(
        netcode__site__in=sites, netcode__state=NetCodeState.READY
    ).select_related("netcode__site", "requested_by")


def codes_active_now(sites: Sequence[Site], *, now: datetime) -> Listing:
    """Codes whose window is open now, ending soonest first (two queries)."""
    issues = _issues(sites).filter(netcode__starts_at__lte=now, netcode__ends_at__gt=now)
    return _listing(issues, ("netcode__ends_at", "pk"))


def codes_starting_today(sites: Sequence[Site], *, now: datetime) -> Listing:
    """Codes that start later today, on each site's own clock (two queries)."""
    # Sites on the same clock share today's end: one condition per time zone, not per site.
    by_zone: dict[str, list[Site]] = {}
    for site in sites:
        by_zone.setdefault(site.time_zone, []).append(site)
    today = Q(pk__in=[])
    for zoned in by_zone.values():
        _, end = _today_bounds(zoned[0], now)
        today |= Q(netcode__site__in=zoned, netcode__starts_at__gt=now, netcode__starts_at__lt=end)
    issues = _issues(sites).filter(today)
    return _listing(issues, ("netcode__starts_at", "pk"))


def pending_invitations(sites: Sequence[Site]) -> Listing:
    """Phone users invited who have not accepted yet, the oldest invitation first."""
    clients = PhoneClient.objects.filter(
        lock__site__in=sites, status=ClientStatus.PENDING
    ).select_related("lock__site", "invited_by")
    return _listing(clients, ("invited_at", "pk"))


def latest_door_events(sites: Sequence[Site], *, limit: int = LIST_LIMIT) -> list[AuditEntry]:
    """The newest audit entries of the sites' smart locks (one query, down the date index)."""
    entries = AuditEntry.objects.of_sites(sites).select_related("lock__site")
    return list(entries.order_by("-date_entered", "-pk")[:limit])


def may_see_usage(user: AnyUser) -> bool:
    """The API usage is shown to the Managers and Admins of any site, as on the usage page."""
    managers = Membership.objects.filter(user=user, role__in=[Role.ADMIN, Role.MANAGER])
    return user.is_superuser or managers.exists()


def usage_this_month(user: AnyUser, *, now: datetime) -> list[QuotaStatus]:
    """This month's NetCode and Utility calls against the plan, for those who may see them."""
    if not may_see_usage(user):
        return []
    return [quota_status(c, now=now) for c in (ApiCategory.NETCODE, ApiCategory.UTILITY)]


def battery_chart(smart: Sequence[SmartLockState]) -> Chart:
    """How many present smart locks report each battery level (no query)."""
    counts: Counter[int] = Counter()
    for lock in smart:
        if lock.is_gone:
            continue
        percent = lock.battery_percent
        if percent is None:
            counts[3] += 1
        else:
            counts[0 if percent <= 20 else 1 if percent <= 50 else 2] += 1
    items = [(label, counts[i]) for i, (label, _) in enumerate(BATTERY_BUCKETS)]
    return bar_chart(
        "battery",
        "Battery levels of the smart locks",
        items,
        description="Number of smart locks in each battery band.",
        columns=("Battery", "Locks"),
        css=[css for _, css in BATTERY_BUCKETS],
    )


def events_per_day(sites: Sequence[Site], *, now: datetime, days: int = EVENT_DAYS) -> Chart:
    """Door events per day over the last `days` days, on one site's clock or UTC (one query)."""
    tz = sites[0].tz if len(sites) == 1 else UTC
    first = now.astimezone(tz).date() - timedelta(days=days - 1)
    since = datetime.combine(first, time.min, tzinfo=tz)
    counts = dict(
        AuditEntry.objects.of_sites(sites)
        .filter(date_entered__gte=since)
        .annotate(day=TruncDate("date_entered", tzinfo=tz))
        .values("day")
        .annotate(n=Count("pk"))
        .values_list("day", "n")
    )
    items = [
        (f"{d:%-d %b}", counts.get(d, 0)) for d in (first + timedelta(days=i) for i in range(days))
    ]
    zone = "the site's clock" if len(sites) == 1 else "UTC"
    return bar_chart(
        "events",
        f"Door events per day, last {days} days",
        items,
        description=f"Audit entries recorded per day ({zone}).",
        columns=("Day", "Door events"),
        label_every=2,
    )


def dashboard_context(user: AnyUser, sites: Sequence[Site], *, now: datetime) -> dict:
    """Every widget of the dashboard for these sites (a bounded number of queries)."""
    smart = smart_locks(sites)
    attention = locks_needing_attention(sites, smart, now=now)
    return {
        # Only the worst few are drawn: thousands of rows would make the page slow to send.
        "attention": Listing(attention[:LIST_LIMIT], len(attention)),
        "active_now": codes_active_now(sites, now=now),
        "starting_today": codes_starting_today(sites, now=now),
        "pending": pending_invitations(sites),
        "door_events": latest_door_events(sites),
        "quotas": usage_this_month(user, now=now),
        "battery_chart": battery_chart(smart),
        "events_chart": events_per_day(sites, now=now),
        "has_smart_locks": bool(smart),
        "now": now,
    }
