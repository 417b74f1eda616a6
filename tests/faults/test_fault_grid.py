"""Every API operation the portal uses, under every failure the API gives, as a person sees it."""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from codelocks.sandbox.faults import rule_from_json
from config.celery import app as celery_app
from dashboard.models import ActivityEvent
from k3clients.models import AuditEntry, K3Account, PhoneClient, SmartLock
from locks.models import KitLock
from netcodes.models import NetCode, NetCodeIssue
from tests.faults.conftest import SLOW_ANSWER, Estate
from tests.k3clients.conftest import OTHER_ACCESSKEY, free_registered_email, period_post
from tests.netcodes.helpers import netcode_form_data

pytestmark = pytest.mark.django_db

K3_CALLS = "/k3connect"  # every smart-lock call, as a path_regex
DID_NOT_ANSWER = "did not answer"  # a timeout, or a write whose read-back says what happened
FAULTS: dict[str, tuple[dict[str, Any], tuple[str, ...]]] = {
    "400": ({"status": 400}, ("The Codelocks API refused the data sent",)),
    "403": ({"status": 403}, ("did not accept the API key", "no longer accepts the access key")),
    "404": (
        {"status": 404},
        (
            "could not find what was asked for",
            "is no longer on the K3 Connect account",  # the lock is marked removed
            "is no longer a phone user of",  # the phone user is taken off the list
            "was already removed from",  # what a delete wanted is already so
        ),
    ),
    "429": ({"status": 429}, ("The monthly API quota is used up",)),
    "500": ({"status": 500}, ("had an internal error",)),
    "502": ({"status": 502}, ("could not reach its own back end",)),
    "timeout": ({"delay": SLOW_ANSWER}, (DID_NOT_ANSWER,)),
    "dropped": ({"drop": True}, ("Could not connect to the Codelocks API", DID_NOT_ANSWER)),
    "malformed": ({"malformed": True}, ("could not be understood",)),
    "error in a 200": ({"error200": True}, ("reported an error",)),
}


@dataclass(frozen=True)
class Operation:
    """A page (or task) that calls one API operation, and what the person typed into it."""

    api: str  # the operation's name, or a path_regex for several operations
    act: Callable[[Client, Estate, Any], Any]
    typed: str = ""
    # Faults after which the operation is meant to write something (e.g. a 404 marks a lock gone).
    writes_on: tuple[str, ...] = ()


def _post(url: str, data: dict[str, Any] | None = None) -> Callable[[Client, Estate, Any], Any]:
    return lambda client, estate, sandbox: client.post(url, data or {}, follow=True)


def _link(client: Client, e: Estate, sandbox: Any) -> Any:
    url = reverse("k3_account_link", args=[e.account.site_id])
    return client.post(url, {"access_key": OTHER_ACCESSKEY}, follow=True)


def _replace_key(client: Client, e: Estate, sandbox: Any) -> Any:
    url = reverse("k3_account_replace_key", args=[e.account.pk])
    return client.post(url, {"access_key": e.account.access_key}, follow=True)


def _check(client: Client, e: Estate, sandbox: Any) -> Any:
    return client.post(reverse("k3_account_check", args=[e.account.pk]), follow=True)


def _locks_refresh(client: Client, e: Estate, sandbox: Any) -> Any:
    return client.post(reverse("k3_account_locks_refresh", args=[e.account.pk]), follow=True)


def _lock_post(name: str) -> Callable[[Client, Estate, Any], Any]:
    return lambda client, e, sandbox: client.post(reverse(name, args=[e.smartlock.pk]), follow=True)


def _client_post(name: str) -> Callable[[Client, Estate, Any], Any]:
    return lambda client, e, sandbox: client.post(
        reverse(name, args=[e.accepted_client.pk]), follow=True
    )


def _invite(client: Client, e: Estate, sandbox: Any) -> Any:
    email = free_registered_email(sandbox, e.smartlock.lock_id)
    data = period_post(email=email, access_type="STANDARD", message="Welcome to the grid")
    return client.post(reverse("k3_client_invite", args=[e.smartlock.pk]), data, follow=True)


def _bulk_invite(client: Client, e: Estate, sandbox: Any) -> Any:
    email = free_registered_email(sandbox, e.smartlock.lock_id)
    data = period_post(
        emails=email,
        locks=str(e.smartlock.pk),
        access_type="STANDARD",
        message="Welcome to the grid",
    )
    return client.post(reverse("k3_bulk_invite", args=[e.account.site_id]), data, follow=True)


def _periods(client: Client, e: Estate, sandbox: Any) -> Any:
    data = period_post(**{"periods-0-starts": "07:15", "periods-0-ends": "19:45"})
    return client.post(reverse("k3_client_periods", args=[e.accepted_client.pk]), data, follow=True)


def _initialise(client: Client, e: Estate, sandbox: Any) -> Any:
    data = {"site": e.kitlock.site_id, "model": "KL1060", "name": "Grid onboarding box"}
    return client.post(reverse("kitlock_initialise"), {**data, "master_code": "24681357"})


def _durations(client: Client, e: Estate, sandbox: Any) -> Any:
    return client.get(reverse("netcode_new_kitlock", args=[e.kitlock.pk]))


def _starts(client: Client, e: Estate, sandbox: Any) -> Any:
    url = reverse("netcode_starts_kitlock", args=[e.kitlock.pk])
    return client.get(url, {"duration": "1", "start_date": "2026-07-14"}, HTTP_HX_REQUEST="true")


def _netcode(name: str, lock: str) -> Callable[[Client, Estate, Any], Any]:
    def act(client: Client, e: Estate, sandbox: Any) -> Any:
        url = reverse(name, args=[getattr(e, lock).pk])
        return client.post(url, netcode_form_data(recipient_name="Grid Guest"))

    return act


def _bulk_netcodes(client: Client, e: Estate, sandbox: Any) -> Any:
    rows = "lock,start,duration,recipient,email\nPlant room box,2026-07-14 10:00,2h,Grid Guest,\n"
    data = {"site": e.kitlock.site_id, "rows_csv": rows, "generate": "1"}
    return client.post(reverse("netcode_bulk"), data)


def _sync_now(client: Client, e: Estate, sandbox: Any) -> Any:
    """Press "Sync now" and let Celery carry the run out (eagerly, retries and all)."""
    from django.test import TestCase

    url = reverse("k3_sync_now", args=[e.account.site_id])
    eager = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    try:
        with TestCase.captureOnCommitCallbacks(execute=True):
            client.post(url)
    finally:
        celery_app.conf.task_always_eager = eager
    return client.get(reverse("k3_sync_page", args=[e.account.site_id]))


OPERATIONS: dict[str, Operation] = {
    "link an account": Operation("k3_account", _link),
    "check an account's key": Operation("k3_account", _check),
    "replace an account's key": Operation("k3_account", _replace_key),
    "refresh an account's locks": Operation("k3_locks", _locks_refresh),
    "refresh a lock": Operation("k3_lock", _lock_post("k3_lock_refresh"), writes_on=("404",)),
    "refresh phone users": Operation(
        "k3_clients", _lock_post("k3_lock_clients_refresh"), writes_on=("404",)
    ),
    "fetch audit entries": Operation(
        "k3_audit", _lock_post("k3_lock_audit_fetch"), writes_on=("404",)
    ),
    "invite a phone user": Operation("create_client", _invite, typed="Welcome to the grid"),
    "invite to several locks": Operation(
        "create_client", _bulk_invite, typed="Welcome to the grid"
    ),
    "change active periods": Operation(
        "update_client", _periods, typed="19:45", writes_on=("404",)
    ),
    "suspend a phone user": Operation(
        "set_client_state", _client_post("k3_client_suspend"), writes_on=("404",)
    ),
    "delete a phone user": Operation(
        "delete_client", _client_post("k3_client_delete"), writes_on=("404",)
    ),
    "onboard a KitLock": Operation("init_sequence", _initialise, typed="Grid onboarding box"),
    "open the NetCode form": Operation("durations", _durations),
    "fetch a duration's start rules": Operation("duration", _durations),
    "list start times": Operation("durations", _starts),
    "generate a KitLock NetCode": Operation(
        "netcode", _netcode("netcode_new_kitlock", "kitlock"), typed="Grid Guest"
    ),
    "generate a smart-lock NetCode": Operation(
        "netcode", _netcode("netcode_new_smartlock", "smartlock"), typed="Grid Guest"
    ),
    "generate NetCodes in bulk": Operation("netcode", _bulk_netcodes, typed="Grid Guest"),
    "sync now": Operation(K3_CALLS, _sync_now, writes_on=("404",)),
}


def _written() -> dict[str, Any]:
    """Everything an operation could leave half-done (the usage ledger grows by design)."""
    return {
        "kitlocks": list(KitLock.objects.values_list("pk", "name", "initialised_at")),
        "netcodes": NetCode.objects.count(),
        "issues": NetCodeIssue.objects.count(),
        "accounts": list(K3Account.objects.values_list("pk", "key_replaced_at")),
        "locks": list(SmartLock.objects.values_list("pk", "name", "gone_at")),
        "phone users": list(PhoneClient.objects.values_list("pk", "status", "active_periods")),
        "audit": AuditEntry.objects.count(),
        "activity": ActivityEvent.objects.count(),
    }


def _text(response: Any) -> str:
    return html.unescape(response.content.decode())


def _alerts(text: str) -> list[str]:
    """The page's alerts and form errors, to say what the person saw when a test fails."""
    found = re.findall(
        r'class="[^"]*(?:alert|invalid-feedback|errorlist)[^"]*"[^>]*>(.*?)</', text, re.S
    )
    return [" ".join(item.split()) for item in found]


@pytest.mark.parametrize("fault", FAULTS, ids=FAULTS)
@pytest.mark.parametrize("operation", OPERATIONS, ids=OPERATIONS)
def test_a_failing_api_call_is_explained_and_leaves_nothing_half_done(
    operation: str, fault: str, estate: Estate, sandbox, site_admin_client
):
    op, (rule, messages) = OPERATIONS[operation], FAULTS[fault]
    before = _written()
    where = {"path_regex": op.api} if op.api.startswith("/") else {"operation": op.api}
    sandbox.state.faults.replace([rule_from_json({**where, **rule})])

    response = op.act(site_admin_client, estate, sandbox)

    text = _text(response)
    assert response.status_code == 200, text[:3000]
    assert "Traceback" not in text
    assert any(message in text for message in messages), _alerts(text)
    if fault not in op.writes_on:
        assert _written() == before
    if op.typed:
        assert op.typed in text
