"""The lock list: KitLocks and smart locks of the user's sites, merged by one UNION query."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db.models import (
    BooleanField,
    Count,
    ExpressionWrapper,
    F,
    Q,
    QuerySet,
    Value,
)
from django.db.models.functions import Coalesce, Lower, NullIf
from django.urls import reverse

from k3clients.models import LOW_BATTERY_REGEX, SmartLock, battery_is_low
from locks.models import KitLock, NetCodeMode, Site
from locks.paging import UncountedPage, page_number

if TYPE_CHECKING:
    from locks.models.sites import AnyUser

SMART_LOCK_MODEL = "K3CONNECT"


@dataclass(frozen=True)
class LockRow:
    """One line of the lock list, whatever kind of lock it is."""

    name: str
    location: str
    site: Site
    kind: str
    url: str
    netcode_mode: str
    # (label, Bootstrap colour) of each thing that needs someone's attention, worst first.
    warnings: tuple[tuple[str, str], ...]
    battery: str = ""

    @property
    def needs_attention(self) -> bool:
        return bool(self.warnings)


KIT, SMART = 0, 1
COLUMNS = (
    "row_site", "row_sort", "row_kind", "row_pk", "row_site_id", "row_name", "row_location",
    "row_model", "row_mode", "row_flag_a", "row_flag_b", "row_battery",
)  # fmt: skip
PER_PAGE = 50


def _flag(condition: Q) -> ExpressionWrapper:
    return ExpressionWrapper(condition, output_field=BooleanField())


def _kitlocks(user: AnyUser, site: Site | None, q: str, model: str, attention: bool) -> QuerySet:
    locks = KitLock.objects.visible_to(user).search(q)
    if model == SMART_LOCK_MODEL:
        locks = locks.none()
    if site is not None:
        locks = locks.filter(site=site)
    if model:
        locks = locks.filter(model=model)
    if attention:
        locks = locks.filter(Q(clock_needs_setting=True) | Q(initialised_at__isnull=True))
    return locks.order_by()


def _kitlock_rows(locks: QuerySet) -> QuerySet:
    return locks.annotate(
        row_site=F("site__name"),
        row_sort=Lower("name"),
        row_kind=Value(KIT),
        row_pk=F("pk"),
        row_site_id=F("site_id"),
        row_name=F("name"),
        row_location=F("location"),
        row_model=F("model"),
        row_mode=F("netcode_mode"),
        row_flag_a=_flag(Q(initialised_at__isnull=True)),
        row_flag_b=F("clock_needs_setting"),
        row_battery=Value(""),
    )


def _smartlocks(user: AnyUser, site: Site | None, q: str, model: str, attention: bool) -> QuerySet:
    locks = SmartLock.objects.visible_to(user)
    if model and model != SMART_LOCK_MODEL:
        locks = locks.none()
    if site is not None:
        locks = locks.filter(site=site)
    if q.strip():
        text = q.strip()
        locks = locks.filter(
            Q(name__icontains=text) | Q(location__icontains=text) | Q(lock_id__startswith=text)
        )
    if attention:
        locks = locks.filter(
            Q(gone_at__isnull=False)
            | Q(account__key_rejected_at__isnull=False)
            | Q(battery_status__regex=LOW_BATTERY_REGEX)
        )
    return locks.order_by()


def _smartlock_rows(locks: QuerySet) -> QuerySet:
    shown_name = Coalesce(NullIf("name", Value("")), "lock_id")
    return locks.annotate(
        row_site=F("site__name"),
        row_sort=Lower(shown_name),
        row_kind=Value(SMART),
        row_pk=F("pk"),
        row_site_id=F("site_id"),
        row_name=shown_name,
        row_location=F("location"),
        row_model=F("model_name"),
        row_mode=Value(NetCodeMode.STANDARD.value),
        row_flag_a=_flag(Q(gone_at__isnull=False)),
        row_flag_b=_flag(Q(account__key_rejected_at__isnull=False)),
        row_battery=F("battery_status"),
    )


def _row(values: tuple[Any, ...]) -> LockRow:
    site_name, _, kind, pk, site_id, name, location, model, mode, flag_a, flag_b, battery = values
    site = Site(pk=site_id, name=site_name)
    warnings: list[tuple[str, str]] = []
    if kind == KIT:
        if flag_a:
            warnings.append(("Initialisation not confirmed", "warning"))
        elif flag_b:
            warnings.append(("Clock needs setting", "danger"))
        return LockRow(name, location, site, f"KitLock {model}", reverse("kitlock_detail",
                       args=[pk]), NetCodeMode(mode).label, tuple(warnings))  # fmt: skip
    if flag_a:
        warnings.append(("No longer on its account", "secondary"))
    if flag_b:
        warnings.append(("Access key refused", "danger"))
    if battery_is_low(battery):
        warnings.append(("Battery low", "danger"))
    kind_label = f"Smart lock {model}".strip()
    url = reverse("k3_lock_detail", args=[pk])
    return LockRow(name, location, site, kind_label, url, "Standard", tuple(warnings), battery)


# The orders people can choose in the lock list; each ends in unique columns for stable pages.
LOCK_SORTS: dict[str, tuple[str, ...]] = {
    "site": ("row_site", "row_sort", "row_kind", "row_pk"),
    "name": ("row_sort", "row_site", "row_kind", "row_pk"),
    "kind": ("row_kind", "row_model", "row_site", "row_sort", "row_pk"),
}


def _per_site(locks: QuerySet) -> QuerySet:
    return locks.values_list("site_id").annotate(rows=Count("pk"))


def _site_window(
    user: AnyUser, kitlocks: QuerySet, smartlocks: QuerySet, start: int, size: int
) -> tuple[list[int], int]:
    """The sites whose locks fill rows start..start+size in site order, and the rows before them.

    Counting each site's locks is cheap; sorting every lock by its site's (collated) name is
    what costs, so the list itself then reads only the locks of the sites on the page.
    """
    counts: Counter[int] = Counter()
    for site_id, rows in _per_site(kitlocks).union(_per_site(smartlocks), all=True):
        counts[site_id] += rows
    skipped, chosen, taken = 0, [], 0
    for site_id in Site.objects.visible_to(user).order_by("name").values_list("pk", flat=True):
        rows = counts[site_id]
        if not chosen and skipped + rows <= start:
            skipped += rows
        elif skipped + taken < start + size:
            chosen.append(site_id)
            taken += rows
        else:
            break
    return chosen, skipped


def lock_page(
    user: AnyUser,
    *,
    site: Site | None = None,
    q: str = "",
    model: str = "",
    attention: bool = False,
    sort: str = "site",
    page: int | str | None = 1,
    per_page: int = PER_PAGE,
) -> UncountedPage:
    """One page of the locks of every kind this user may see, in the chosen order."""
    kitlocks = _kitlocks(user, site, q, model, attention)
    smartlocks = _smartlocks(user, site, q, model, attention)
    number = page if isinstance(page, int) else page_number(page)
    start = (number - 1) * per_page
    sort = sort if sort in LOCK_SORTS else "site"
    # Unfiltered, the cost is sorting every lock by its site's name: pick the page's sites
    # first. Filtered, one pass over the fewer matches is cheaper than a count and a read.
    if sort == "site" and not (site or q.strip() or model or attention):
        sites, skipped = _site_window(user, kitlocks, smartlocks, start, per_page + 1)
        if sites:  # else the page is past the last lock: the query below finds it empty
            kitlocks = kitlocks.filter(site__in=sites)
            smartlocks = smartlocks.filter(site__in=sites)
            start -= skipped
    rows = (
        _kitlock_rows(kitlocks)
        .values_list(*COLUMNS)
        .union(_smartlock_rows(smartlocks).values_list(*COLUMNS), all=True)
    )
    fetched = [
        _row(values) for values in rows.order_by(*LOCK_SORTS[sort])[start : start + per_page + 1]
    ]
    return UncountedPage(fetched[:per_page], number, per_page, has_next=len(fetched) > per_page)


def lock_list(user: AnyUser, **filters: Any) -> list[LockRow]:
    """The first page of `lock_page` as a list."""
    return list(lock_page(user, **filters))
