"""The dashboard's widgets: each a small query function over sites already scoped to the user.

Every function runs a fixed number of queries, however many locks or codes there are.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from typing import TYPE_CHECKING

from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Subquery, Sum
from django.db.models.expressions import RawSQL
from django.db.models.functions import TruncDate

from dashboard.attention import BATTERY_BUCKETS, LockHealth, lock_health
from dashboard.audit import PAGE_FIELDS
from dashboard.cached import read_versions, remember, remember_until, sites_key
from dashboard.charts import Chart, bar_chart
from dashboard.scope import EverySite, on_sites, site_ids
from k3clients.models import AuditEntry, ClientStatus, PhoneClient
from locks.models import Membership, Role, Site
from netcodes import clock
from netcodes.models import NetCode, NetCodeIssue, NetCodeState
from netcodes.quota import QuotaStatus, quota_statuses

if TYPE_CHECKING:
    from collections.abc import Sequence

    from locks.models.sites import AnyUser

# A condition on a NetCode's fields, reached from a model through the given prefix.
CodeWindow = Callable[[str], Q]
LIST_LIMIT = 10
INT = IntegerField()
COUNT_CAP = 1000
EVENT_DAYS = 14
# What the code lists draw: not the code itself, which is decrypted on load.
CODE_FIELDS = (
    "recipient_name",
    "netcode__lock_name",
    "netcode__starts_at",
    "netcode__ends_at",
    "netcode__site__name",
    "netcode__site__time_zone",
)
# The latest door events draw what a page of the audit browser draws.
DOOR_FIELDS = PAGE_FIELDS
# What the pending invitations draw (a lock is shown by its name, else its vendor id).
PENDING_FIELDS = (
    "email",
    "invited_at",
    "lock__name",
    "lock__lock_id",
    "lock__site__name",
    "invited_by__username",
)


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
    """The first LIST_LIMIT rows and how many match, counted up to COUNT_CAP (one query).

    A LIMIT lets PostgreSQL count through the indexes it used for the rows; an exact count
    of every match makes it scan the whole table instead. The count rides along with the
    rows as a subquery PostgreSQL runs once.
    """
    sql, params = rows.order_by().values("pk")[:COUNT_CAP].query.sql_with_params()
    # The SQL is Django's own, compiled above; values stay parameters.
    capped = f"SELECT COUNT(*) FROM ({sql}) capped"  # noqa: S608
    counted = RawSQL(capped, params, output_field=INT)  # noqa: S611
    first = list(rows.annotate(listing_total=counted).order_by(*order)[:LIST_LIMIT])
    if len(first) < LIST_LIMIT:
        return Listing(first, len(first))
    total = first[0].listing_total
    return Listing(first, total, capped=total >= COUNT_CAP)


def _today_bounds(site: Site, now: datetime) -> tuple[datetime, datetime]:
    tz = clock.zone(site.time_zone)
    local = now.astimezone(tz).date()
    start = datetime.combine(local, time.min, tzinfo=tz)
    return start, datetime.combine(local + timedelta(days=1), time.min, tzinfo=tz)


def _entries(sites: Sequence[Site]):
    """The audit entries of the sites' smart locks."""
    if isinstance(sites, EverySite):
        return AuditEntry.objects.all()
    return AuditEntry.objects.of_sites(site_ids(sites))


def _issues(sites: Sequence[Site]):
    return (
        NetCodeIssue.objects.filter(
            on_sites(sites, "netcode__site"), netcode__state=NetCodeState.READY
        )
        .select_related("netcode__site")
        .only(*CODE_FIELDS)
    )


def _code_listing(sites: Sequence[Site], window: CodeWindow, order: tuple[str, ...]) -> Listing:
    """The first issues of the ready codes in `window` and how many there are (two queries).

    The count adds up each code's issues through the issue index: counting a join of issues
    to codes makes PostgreSQL hash all of the issues for a few dozen codes.
    """
    # Counted even when the list is short: how many codes start later today depends on the
    # hour, and a page must run the same queries at any hour.
    first = list(_issues(sites).filter(window("netcode__")).order_by(*order)[:LIST_LIMIT])
    codes = NetCode.objects.filter(window(""), on_sites(sites), state=NetCodeState.READY)
    per_code = (
        NetCodeIssue.objects.filter(netcode=OuterRef("pk"))
        .order_by()
        .values("netcode")
        .annotate(n=Count("pk"))
        .values("n")
    )
    capped = codes.order_by().annotate(issue_count=Subquery(per_code))[:COUNT_CAP]
    counted = capped.aggregate(total=Sum("issue_count"), codes=Count("pk"))
    return Listing(first, counted["total"] or 0, capped=counted["codes"] >= COUNT_CAP)


def codes_active_now(sites: Sequence[Site], *, now: datetime) -> Listing:
    """Codes whose window is open now, ending soonest first (two queries)."""

    def window(to: str) -> Q:
        return Q(**{f"{to}starts_at__lte": now, f"{to}ends_at__gt": now})

    return _code_listing(sites, window, ("netcode__ends_at", "pk"))


def codes_starting_today(sites: Sequence[Site], *, now: datetime) -> Listing:
    """Codes that start later today, on each site's own clock (two queries)."""
    # Sites on the same clock share today's end: one condition per time zone, not per site.
    # Clocks whose day ends at the same moment share one condition.
    zones_by_end: dict[datetime, list[str]] = {}
    for zone, site in {site.time_zone: site for site in sites}.items():
        zones_by_end.setdefault(_today_bounds(site, now)[1], []).append(zone)

    def window(to: str) -> Q:
        today = Q(pk__in=[])
        for end, zones in zones_by_end.items():
            today |= Q(**{f"{to}site__time_zone__in": zones, f"{to}starts_at__lt": end})
        return today & Q(**{f"{to}starts_at__gt": now})

    return _code_listing(sites, window, ("netcode__starts_at", "pk"))


def pending_invitations(sites: Sequence[Site]) -> Listing:
    """Phone users invited who have not accepted yet, the oldest invitation first."""
    clients = PhoneClient.objects.filter(
        on_sites(sites, "lock__site"), status=ClientStatus.PENDING
    ).select_related("lock__site", "invited_by")
    return _listing(clients.only(*PENDING_FIELDS), ("invited_at", "pk"))


def latest_door_events(sites: Sequence[Site], *, limit: int = LIST_LIMIT) -> list[AuditEntry]:
    """The newest audit entries of the sites' smart locks (one query, down the date index)."""
    entries = _entries(sites).select_related("lock__site").only(*DOOR_FIELDS)
    return list(entries.order_by("-date_entered", "-pk")[:limit])


def may_see_usage(user: AnyUser) -> bool:
    """The API usage is shown to the Managers and Admins of any site, as on the usage page."""
    managers = Membership.objects.filter(user=user, role__in=[Role.ADMIN, Role.MANAGER])
    return user.is_superuser or managers.exists()


def usage_this_month(
    user: AnyUser, *, now: datetime, version: int | None = None, visible: bool | None = None
) -> list[QuotaStatus]:
    """This month's NetCode and Utility calls against the plan, for those who may see them
    (`visible` when the caller knows); with the ledger's newest id as `version`, counted again
    only when a call is recorded."""
    if not (may_see_usage(user) if visible is None else visible):
        return []
    if version is None:
        return quota_statuses(now=now)
    key = f"dashboard:quotas:{now:%Y-%m}:{version}"
    return remember(key, lambda: quota_statuses(now=now))


def battery_chart(bands: Sequence[int]) -> Chart:
    """How many present smart locks report each battery level (no query)."""
    items = [(label, bands[i]) for i, (label, _) in enumerate(BATTERY_BUCKETS)]
    return bar_chart(
        "battery",
        "Battery levels of the smart locks",
        items,
        description="Number of smart locks in each battery band.",
        columns=("Battery", "Locks"),
        css=[css for _, css in BATTERY_BUCKETS],
    )


def _count_events(sites: Sequence[Site], since: datetime, tz: tzinfo) -> dict[date, int]:
    return dict(
        _entries(sites)
        .filter(date_entered__gte=since)
        .annotate(day=TruncDate("date_entered", tzinfo=tz))
        .values("day")
        .annotate(n=Count("pk"))
        .values_list("day", "n")
    )


def events_per_day(
    sites: Sequence[Site], *, now: datetime, days: int = EVENT_DAYS, version: str = ""
) -> Chart:
    """Door events per day over the last `days` days, on one site's clock or UTC (one query).

    With a `version` naming the newest audit entry, the count is kept until an entry arrives:
    counting a fortnight of an estate's entries takes longer than the rest of the page.
    """
    tz = sites[0].tz if len(sites) == 1 else UTC
    first = now.astimezone(tz).date() - timedelta(days=days - 1)
    since = datetime.combine(first, time.min, tzinfo=tz)
    if not version:
        counts = _count_events(sites, since, tz)
    else:
        key = f"dashboard:events:{version}:{since.isoformat()}"
        counts = remember(key, lambda: _count_events(sites, since, tz))
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


def _codes_until(sites: Sequence[Site], now: datetime) -> tuple[tuple[Listing, Listing], datetime]:
    """Both code lists, and the moment they stop holding: a code in them ends or starts, or a
    site's day ends."""
    active = codes_active_now(sites, now=now)
    later = codes_starting_today(sites, now=now)
    zones = {site.time_zone: site for site in sites}
    moments = [_today_bounds(site, now)[1] for site in zones.values()]
    if active.rows:  # the list runs by end: its first code ends soonest
        moments.append(active.rows[0].netcode.ends_at)
    if later.rows:  # and this one by start
        moments.append(later.rows[0].netcode.starts_at)
    return (active, later), min(moments)


def cached_codes(sites: Sequence[Site], *, now: datetime, version: str) -> tuple:
    """(codes active now, codes starting later today), read again when a code is issued or
    the clock passes a code's start or end."""
    key = f"dashboard:codes:{version}"
    return remember_until(key, lambda: _codes_until(sites, now), now)


def cached_door_events(sites: Sequence[Site], *, version: str) -> list[AuditEntry]:
    """`latest_door_events`, read again when an audit entry arrives."""
    return remember(f"dashboard:doors:{version}", lambda: latest_door_events(sites))


def cached_health(
    sites: Sequence[Site], *, now: datetime, seconds: int, scope: str
) -> tuple[LockHealth, Listing]:
    """`lock_health` and the pending invitations, counted at most `seconds` ago (the page
    says when): the sync changes both, and no newest id tells when."""
    key = f"dashboard:health:{scope}"
    return remember(
        key,
        lambda: (lock_health(sites, now=now, limit=LIST_LIMIT), pending_invitations(sites)),
        seconds,
    )


def dashboard_context(
    user: AnyUser,
    sites: Sequence[Site],
    *,
    now: datetime,
    health_ttl: int = 0,
    page: str = "site",
    usage_visible: bool | None = None,
) -> dict:
    """Every widget of the dashboard for these sites (a bounded number of queries).

    Figures of append-only rows are cached until a row arrives. With `health_ttl`, the locks'
    counts and the pending invitations may be that many seconds old: across an estate they
    take longer than the rest of the page, and they change with the sync anyway.
    """
    versions = read_versions()
    # Each page keeps its own figures: its queries do not depend on which page was seen first.
    scope = f"{page}:{sites_key(sites)}"
    if health_ttl:
        health, pending = cached_health(sites, now=now, seconds=health_ttl, scope=scope)
    else:
        health = lock_health(sites, now=now, limit=LIST_LIMIT)
        pending = pending_invitations(sites)
    active, later = cached_codes(sites, now=now, version=f"{scope}:{versions.issue}")
    return {
        # Only the worst few are drawn: thousands of rows would make the page slow to send.
        "attention": Listing(health.rows, health.total),
        "sites_locks": health.by_site,
        "health_counted_at": health.counted_at if health_ttl else None,
        "active_now": active,
        "starting_today": later,
        "pending": pending,
        "door_events": cached_door_events(sites, version=f"{scope}:{versions.audit}"),
        "quotas": usage_this_month(user, now=now, version=versions.ledger, visible=usage_visible),
        "battery_chart": battery_chart(health.battery_bands),
        "events_chart": events_per_day(sites, now=now, version=f"{scope}:{versions.audit}"),
        "has_smart_locks": bool(health.smart_locks),
        "now": now,
    }
