"""Every URL of the portal, with what each actor must get from it."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.urls import URLPattern, URLResolver, get_resolver

from k3clients.models import K3Account, PhoneClient, SyncRun
from locks.models import KitLock, Membership, Site
from netcodes.models import NetCode
from tests.k3clients.conftest import OTHER_ACCESSKEY, free_registered_email, period_post
from tests.netcodes.helpers import netcode_form_data

LOGIN = "login"  # a redirect to the sign-in page
STAFF_UP = frozenset({"staff", "manager", "admin", "superuser"})
MANAGER_UP = frozenset({"manager", "admin", "superuser"})
ADMIN_UP = frozenset({"admin", "superuser"})
SIGNED_IN = frozenset({"staff", "manager", "admin", "outsider", "superuser"})
# Prefixes the matrix leaves out: the admin (tested apart: superusers only) and static files.
SKIPPED_PREFIXES = ("admin/", "static/")

Expect = int | str


@dataclass(frozen=True)
class Case:
    """One request (URL, method, headers, data) and the answer each actor must get."""

    name: str
    expect: dict[str, Expect]
    method: str = "GET"
    args: tuple[str, ...] = ()
    query: str = ""
    htmx: bool = False
    data: Callable[[Any, Any], dict[str, Any]] | None = None
    # What the request may change; it must stay the same unless the actor is in `changed_by`.
    state: Callable[[Any], Any] | None = None
    changed_by: frozenset[str] = field(default_factory=frozenset)

    @property
    def label(self) -> str:
        extras = [self.query] if self.query else []
        extras += ["htmx"] if self.htmx else []
        return " ".join([self.method, self.name, *extras])


def roles(
    staff: Expect,
    manager: Expect | None = None,
    admin: Expect | None = None,
    *,
    outsider: Expect = 404,
    superuser: Expect | None = None,
    anonymous: Expect = LOGIN,
) -> dict[str, Expect]:
    """Answers by role on site A: each role defaults to the one below it."""
    manager = staff if manager is None else manager
    admin = manager if admin is None else admin
    return {
        "anonymous": anonymous,
        "staff": staff,
        "manager": manager,
        "admin": admin,
        "outsider": outsider,
        "superuser": admin if superuser is None else superuser,
    }


def everyone(status: Expect, anonymous: Expect = LOGIN) -> dict[str, Expect]:
    """The same answer for every signed-in actor (pages that list only the user's own sites)."""
    return roles(status, outsider=status, anonymous=anonymous)


PUBLIC = everyone(200, anonymous=200)
GET_ONLY = everyone(405)


def _site_edit(w: Any, sandbox: Any) -> dict[str, str]:
    return {"name": "Harbour House renamed", "time_zone": "Europe/London", "address": "Quay 1"}


def _new_site(w: Any, sandbox: Any) -> dict[str, str]:
    return {"name": "Harbour Annex", "time_zone": "Europe/London", "address": ""}


def _kitlock_init(w: Any, sandbox: Any) -> dict[str, str]:
    return {"site": w.site.pk, "model": "KL1060", "name": "Onboarded", "random_identifier": "on"}


def _kitlock_add(w: Any, sandbox: Any) -> dict[str, str]:
    return {
        "site": w.site.pk,
        "model": "KL1060",
        "timecode": "202011161623",
        "identifier": "921239",
        "clock_zone": "UTC",
        "netcode_mode": "standard",
        "name": "Added by hand",
    }


def _kitlock_edit(w: Any, sandbox: Any) -> dict[str, str]:
    return {"name": "Renamed box", "netcode_mode": "standard", "clock_zone": "UTC"}


def _netcode(w: Any, sandbox: Any) -> dict[str, str]:
    return netcode_form_data()


def _bulk(w: Any, sandbox: Any) -> dict[str, str]:
    rows = "lock,start,duration,recipient,email\nHarbour key box,2026-07-14 10:00,2h,Bulk guest,\n"
    return {"site": w.site.pk, "rows_csv": rows, "generate": "1"}


def _invite(w: Any, sandbox: Any) -> dict[str, str]:
    email = free_registered_email(sandbox, w.smartlock.lock_id)
    return period_post(email=email, access_type="STANDARD", message="Welcome")


def _bulk_invite(w: Any, sandbox: Any) -> dict[str, Any]:
    email = free_registered_email(sandbox, w.smartlock.lock_id)
    return period_post(
        emails=email, locks=str(w.smartlock.pk), access_type="STANDARD", message="Welcome"
    )


def _periods(w: Any, sandbox: Any) -> dict[str, str]:
    return period_post()


def _const(data: dict[str, str]) -> Callable[[Any, Any], dict[str, str]]:
    return lambda w, sandbox: data


def _site_count(w: Any) -> int:
    return Site.objects.count()


def _kitlocks_of_a(w: Any) -> int:
    return KitLock.objects.filter(site=w.site).count()


def _netcodes(w: Any) -> int:
    return NetCode.objects.count()


def _phone_clients(w: Any) -> int:
    return PhoneClient.objects.filter(lock=w.smartlock).count()


def _field(model: type, attr: str, *fields: str) -> Callable[[Any], Any]:
    """The named fields of one World object, read fresh from the database."""
    return lambda w: model.objects.filter(pk=getattr(w, attr).pk).values_list(*fields).first()


CASES: list[Case] = [
    # Project pages and Django's own sign-in pages, which stay reachable signed out.
    Case("home", everyone(200)),
    Case("health", PUBLIC),
    Case("login", PUBLIC),
    Case("login_verify", everyone(LOGIN, anonymous=LOGIN)),
    Case("logout", everyone(405)),
    Case("logout", everyone(302, anonymous=302), method="POST"),
    Case("password_reset", PUBLIC),
    Case("password_reset_done", PUBLIC),
    Case("password_reset_confirm", PUBLIC, args=("uid:MQ", "token:set-password")),
    Case("password_reset_complete", PUBLIC),
    Case("password_change", everyone(200)),
    Case("password_change_done", everyone(200)),
    Case("two_factor", everyone(200)),
    Case("two_factor_enable", everyone(200)),
    Case("two_factor_disable", GET_ONLY),
    Case("two_factor_disable", everyone(302), method="POST", data=_const({"token": "000000"})),
    # Sites and members.
    Case("site_list", everyone(200)),
    Case("site_create", roles(403, 403, 200, outsider=200)),
    Case(
        "site_create",
        roles(403, 403, 302, outsider=302),
        method="POST",
        data=_new_site,
        state=_site_count,
        changed_by=frozenset({"admin", "outsider", "superuser"}),
    ),
    Case("site_detail", roles(200), args=("site",)),
    Case("site_edit", roles(403, 403, 200), args=("site",)),
    Case(
        "site_edit",
        roles(403, 403, 302),
        method="POST",
        args=("site",),
        data=_site_edit,
        state=_field(Site, "site", "name"),
        changed_by=ADMIN_UP,
    ),
    Case("site_switch", roles(405, outsider=405), args=("site",)),
    Case("site_switch", roles(302), method="POST", args=("site",), data=_const({"next": "/"})),
    Case("member_list", roles(200), args=("site",)),
    Case(
        "member_list",
        roles(403, 403, 302),
        method="POST",
        args=("site",),
        data=_const({"email": "new-member@example.com", "role": "staff"}),
        state=lambda w: Membership.objects.filter(site=w.site).count(),
        changed_by=ADMIN_UP,
    ),
    Case("member_change_role", roles(405, outsider=405), args=("site", "target_membership")),
    Case(
        "member_change_role",
        roles(403, 403, 302),
        method="POST",
        args=("site", "target_membership"),
        data=_const({"role": "manager"}),
        state=_field(Membership, "target_membership", "role"),
        changed_by=ADMIN_UP,
    ),
    Case("member_remove", roles(405, outsider=405), args=("site", "target_membership")),
    Case(
        "member_remove",
        roles(403, 403, 302),
        method="POST",
        args=("site", "target_membership"),
        state=_field(Membership, "target_membership", "pk"),
        changed_by=ADMIN_UP,
    ),
    # KitLocks.
    Case("kitlock_list", everyone(200)),
    Case("kitlock_initialise", roles(403, 403, 200, outsider=200)),
    Case(
        "kitlock_initialise",
        roles(403, 403, 302, outsider=200),  # the outsider's form offers only their own site
        method="POST",
        data=_kitlock_init,
        state=_kitlocks_of_a,
        changed_by=ADMIN_UP,
    ),
    Case("kitlock_add", roles(403, 403, 200, outsider=200)),
    Case(
        "kitlock_add",
        roles(403, 403, 302, outsider=200),
        method="POST",
        data=_kitlock_add,
        state=_kitlocks_of_a,
        changed_by=ADMIN_UP,
    ),
    Case("kitlock_detail", roles(200), args=("kitlock",)),
    Case("kitlock_edit", roles(403, 403, 200), args=("kitlock",)),
    Case(
        "kitlock_edit",
        roles(403, 403, 302),
        method="POST",
        args=("kitlock",),
        data=_kitlock_edit,
        state=_field(KitLock, "kitlock", "name"),
        changed_by=ADMIN_UP,
    ),
    Case("kitlock_sequence", roles(403, 403, 200), args=("pending_kitlock",)),
    Case(
        "kitlock_sequence",
        roles(403, 403, 302),
        method="POST",
        args=("pending_kitlock",),
        state=_field(KitLock, "pending_kitlock", "initialised_at"),
        changed_by=ADMIN_UP,
    ),
    Case("kitlock_batteries", roles(405, outsider=405), args=("kitlock",)),
    Case(
        "kitlock_batteries",
        roles(403, 302),
        method="POST",
        args=("kitlock",),
        state=_field(KitLock, "kitlock", "batteries_replaced_at"),
        changed_by=MANAGER_UP,
    ),
    Case("kitlock_clock", roles(403, 200), args=("kitlock",)),
    Case(
        "kitlock_clock",
        roles(403, 302),
        method="POST",
        args=("kitlock",),
        state=_field(KitLock, "kitlock", "clock_set_at"),
        changed_by=MANAGER_UP,
    ),
    # NetCodes: history and its CSV, generation, a code's page, bulk, usage.
    Case("netcode_history", everyone(200)),
    Case("netcode_history", everyone(200), query="export=csv"),
    Case("netcode_new_kitlock", roles(403, 200), args=("kitlock",)),
    Case(
        "netcode_new_kitlock",
        roles(403, 302),
        method="POST",
        args=("kitlock",),
        data=_netcode,
        state=_netcodes,
        changed_by=MANAGER_UP,
    ),
    Case(
        "netcode_starts_kitlock",
        roles(403, 200),
        args=("kitlock",),
        query="duration=1&start_date=2026-07-14",
        htmx=True,
    ),
    Case("netcode_new_smartlock", roles(403, 200), args=("smartlock",)),
    Case(
        "netcode_new_smartlock",
        roles(403, 302),
        method="POST",
        args=("smartlock",),
        data=_netcode,
        state=_netcodes,
        changed_by=MANAGER_UP,
    ),
    Case(
        "netcode_starts_smartlock",
        roles(403, 200),
        args=("smartlock",),
        query="duration=1&start_date=2026-07-14",
        htmx=True,
    ),
    Case("netcode_issue", roles(200), args=("issue",)),
    Case("netcode_reveal", roles(405, outsider=405), args=("issue",)),
    Case("netcode_reveal", roles(403, 200), method="POST", args=("issue",), htmx=True),
    Case("netcode_card", roles(403, 200), args=("issue",)),
    Case("netcode_send", roles(405, outsider=405), args=("issue",)),
    Case(
        "netcode_send",
        roles(403, 302),
        method="POST",
        args=("issue",),
        data=_const({"email": "harbour-guest@example.com"}),
        state=lambda w: type(w.issue).objects.get(pk=w.issue.pk).sent_to,
        changed_by=MANAGER_UP,
    ),
    Case("netcode_bulk", everyone(200)),
    Case(
        "netcode_bulk",
        everyone(200),  # staff and outsiders get the form back: site A is not among its choices
        method="POST",
        data=_bulk,
        state=_netcodes,
        changed_by=MANAGER_UP,
    ),
    Case("netcode_bulk_results", roles(403, 200), args=("batch",)),
    Case("usage", roles(403, 200, outsider=200)),
    Case("usage", roles(403, 200, outsider=200), query="export=csv"),
    # Smart locks: accounts, locks, phone users.
    Case("k3_index", everyone(200)),
    Case("k3_account_link", roles(403, 403, 200), args=("site",)),
    Case(
        "k3_account_link",
        roles(403, 403, 302),
        method="POST",
        args=("site",),
        data=_const({"access_key": OTHER_ACCESSKEY}),
        state=lambda w: K3Account.objects.filter(site=w.site).count(),
        changed_by=ADMIN_UP,
    ),
    Case("k3_bulk_invite", roles(200), args=("site",)),
    Case(
        "k3_bulk_invite",
        roles(200),
        method="POST",
        args=("site",),
        data=_bulk_invite,
        state=_phone_clients,
        changed_by=STAFF_UP,
    ),
    Case("k3_account_detail", roles(200), args=("account",)),
    Case("k3_account_replace_key", roles(403, 403, 200), args=("account",)),
    Case(
        "k3_account_replace_key",
        roles(403, 403, 302),
        method="POST",
        args=("account",),
        data=lambda w, sandbox: {"access_key": w.account.access_key},
        state=_field(K3Account, "account", "key_replaced_at"),
        changed_by=ADMIN_UP,
    ),
    Case("k3_account_check", roles(405, outsider=405), args=("account",)),
    Case("k3_account_check", roles(403, 403, 302), method="POST", args=("account",)),
    Case("k3_account_locks_refresh", roles(405, outsider=405), args=("account",)),
    Case("k3_account_locks_refresh", roles(302), method="POST", args=("account",)),
    Case("k3_account_unlink", roles(403, 403, 200), args=("account",)),
    Case(
        "k3_account_unlink",
        roles(403, 403, 302),
        method="POST",
        args=("account",),
        state=lambda w: K3Account.objects.filter(pk=w.account.pk).exists(),
        changed_by=ADMIN_UP,
    ),
    Case("k3_lock_detail", roles(200), args=("smartlock",)),
    Case("k3_lock_detail", roles(200), args=("smartlock",), query="fragment=clients", htmx=True),
    Case("k3_lock_detail", roles(200), args=("smartlock",), query="fragment=audit", htmx=True),
    Case("k3_lock_refresh", roles(405, outsider=405), args=("smartlock",)),
    Case("k3_lock_refresh", roles(302), method="POST", args=("smartlock",)),
    Case("k3_lock_clients_refresh", roles(405, outsider=405), args=("smartlock",)),
    Case("k3_lock_clients_refresh", roles(302), method="POST", args=("smartlock",)),
    Case("k3_lock_audit_fetch", roles(405, outsider=405), args=("smartlock",)),
    Case("k3_lock_audit_fetch", roles(302), method="POST", args=("smartlock",)),
    Case("k3_client_invite", roles(200), args=("smartlock",)),
    Case(
        "k3_client_invite",
        roles(302),
        method="POST",
        args=("smartlock",),
        data=_invite,
        state=_phone_clients,
        changed_by=STAFF_UP,
    ),
    Case("k3_client_periods", roles(200), args=("accepted_client",)),
    Case(
        "k3_client_periods",
        roles(302),
        method="POST",
        args=("accepted_client",),
        data=_periods,
        state=_field(PhoneClient, "accepted_client", "active_periods"),
        changed_by=STAFF_UP,
    ),
    Case("k3_client_suspend", roles(405, outsider=405), args=("accepted_client",)),
    Case(
        "k3_client_suspend",
        roles(302),
        method="POST",
        args=("accepted_client",),
        state=_field(PhoneClient, "accepted_client", "status"),
        changed_by=STAFF_UP,
    ),
    Case("k3_client_restore", roles(405, outsider=405), args=("suspended_client",)),
    Case(
        "k3_client_restore",
        roles(302),
        method="POST",
        args=("suspended_client",),
        state=_field(PhoneClient, "suspended_client", "status"),
        changed_by=STAFF_UP,
    ),
    Case("k3_client_delete", roles(200), args=("accepted_client",)),
    Case(
        "k3_client_delete",
        roles(302),
        method="POST",
        args=("accepted_client",),
        state=_field(PhoneClient, "accepted_client", "pk"),
        changed_by=STAFF_UP,
    ),
    # Dashboards, the audit browser and its CSV, the activity log, timelines.
    Case("site_dashboard", roles(200), args=("site",)),
    Case("activity_log", roles(403, 403, 200), args=("site",)),
    Case("audit_browser", everyone(200)),
    Case("audit_browser", everyone(200), query="export=csv"),
    Case("kitlock_timeline", roles(200), args=("kitlock",)),
    Case("kitlock_timeline", roles(200), args=("kitlock",), htmx=True),
    Case("smartlock_timeline", roles(200), args=("smartlock",)),
    Case("smartlock_timeline", roles(200), args=("smartlock",), htmx=True),
    # Sync of smart locks.
    Case("k3_sync_page", roles(200), args=("site",)),
    Case("k3_sync_progress", roles(200), args=("site",), htmx=True),
    Case("k3_sync_now", roles(405, outsider=405), args=("site",)),
    Case(
        "k3_sync_now",
        roles(403, 302),
        method="POST",
        args=("site",),
        state=lambda w: SyncRun.objects.count(),
        changed_by=MANAGER_UP,
    ),
]


def url_names() -> Iterator[tuple[str, str]]:
    """Every named URL pattern of the portal outside the skipped prefixes, with its route."""

    def walk(patterns: list, prefix: str, namespace: str) -> Iterator[tuple[str, str]]:
        for pattern in patterns:
            route = prefix + str(pattern.pattern)
            if route.startswith(SKIPPED_PREFIXES):
                continue
            if isinstance(pattern, URLResolver):
                space = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
                yield from walk(pattern.url_patterns, route, space)
            elif isinstance(pattern, URLPattern):
                yield (f"{namespace}{pattern.name}" if pattern.name else route), route

    yield from walk(get_resolver().url_patterns, "", "")
