"""The K3Connect operations of the sandbox: locks, account, phone clients, audit, spcconfig."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from . import k3
from .http import ApiFailure, Reply, Request
from .seed import advance_audit

if TYPE_CHECKING:
    from .state import SandboxState


def _lock(state: SandboxState, request: Request, params: dict[str, str], source: str) -> Any:
    """The lock a request names, checked in the order the API checks."""
    accesskey = request.required("accesskey", source=source)
    lock_id = k3.check_lock_id(params.get("id", ""))
    return k3.find_account(state.accounts, accesskey).lock(lock_id)


def handle_locks(state: SandboxState, request: Request, params: dict[str, str]) -> Reply:
    """GET /u/1/k3connect: every lock of the account."""
    account = k3.find_account(state.accounts, request.required("accesskey"))
    return Reply.json(200, [lock.to_api(detail=False) for lock in account.locks.values()])


def handle_account(state: SandboxState, request: Request, params: dict[str, str]) -> Reply:
    """GET /u/1/k3connect/account: the account's e-mail and status."""
    account = k3.find_account(state.accounts, request.required("accesskey"))
    return Reply.json(200, [{"email": account.email, "spccmstatus": account.status}])


def handle_lock(state: SandboxState, request: Request, params: dict[str, str]) -> Reply:
    """GET /u/1/k3connect/{id}: one lock, with its location."""
    return Reply.json(200, _lock(state, request, params, "query").to_api(detail=True))


def handle_clients(state: SandboxState, request: Request, params: dict[str, str]) -> Reply:
    """GET /u/1/k3connect/{id}/clients: one page of phone clients."""
    page = k3.positive_int(request.required("page"), "page", maximum=100000)
    perpage = k3.positive_int(request.required("perpage"), "perpage")
    lock = _lock(state, request, params, "query")
    return Reply.json(200, k3.clients_page(lock, page, perpage))


def handle_audit(state: SandboxState, request: Request, params: dict[str, str]) -> Reply:
    """GET /u/1/k3connect/{id}/audit: one page of audit entries (the lock syncs first)."""
    page = k3.positive_int(request.required("page"), "page", maximum=10**9)
    perpage = k3.positive_int(request.required("perpage"), "perpage")
    order = request.required("pageorder").lower()
    if order not in ("ascending", "descending"):
        raise ApiFailure(400, "Invalid pageorder; allowed values: ascending, descending")
    lock = _lock(state, request, params, "query")
    if advance_audit(lock, state.clock.now(), state.rng, state.new_audit_id):
        state.changed()
    return Reply.json(200, k3.audit_page(lock, page, perpage, order))


def handle_create_client(state: SandboxState, request: Request, params: dict[str, str]) -> Reply:
    """POST /u/1/k3connect/{id}/client: invite a registered user; pending until accepted."""
    fields = {
        name: request.required(name, source="form")
        for name in ("accesskey", "clientemail", "activeperiods", "accesstype", "message")
    }
    lock_id = k3.check_lock_id(params.get("id", ""))
    email = k3.check_email(fields["clientemail"])
    periods = k3.check_active_periods(fields["activeperiods"])
    access_type = k3.check_access_type(fields["accesstype"])
    k3.check_message(fields["message"])
    lock = k3.find_account(state.accounts, fields["accesskey"]).lock(lock_id)
    if email not in state.users:
        raise ApiFailure(
            400, f"{email} is not a registered K3 Connect user; ask them to install the app first"
        )
    if email in lock.clients:
        raise ApiFailure(400, f"{email} is already a client of this lock")
    lock.clients[email] = k3.PhoneClient(email, access_type, periods)
    _audit(state, lock, "Client added", f"Invitation sent to {email}")
    return Reply.json(200, {"result": "success"})


def handle_update_client(state: SandboxState, request: Request, params: dict[str, str]) -> Reply:
    """PUT /u/1/k3connect/{id}/client: replace a client's active periods."""
    lock, email = _client_request(state, request, params, extra=("activeperiods",))
    periods = k3.check_active_periods(request.form["activeperiods"])
    k3.find_client(lock, email).active_periods = periods
    _audit(state, lock, "Client updated", f"Active periods changed for {email}")
    return _client_result(lock, email)


def handle_client_state(state: SandboxState, request: Request, params: dict[str, str]) -> Reply:
    """PATCH /u/1/k3connect/{id}/client: SUSPEND or RESTORE a client."""
    lock, email = _client_request(state, request, params, extra=("action",))
    action = request.form["action"].strip().upper()
    if action not in ("SUSPEND", "RESTORE"):
        raise ApiFailure(400, "Invalid action; allowed values: SUSPEND, RESTORE")
    k3.find_client(lock, email).suspended = action == "SUSPEND"
    entry = "Client suspended" if action == "SUSPEND" else "Client restored"
    _audit(state, lock, entry, f"{entry} {email}")
    return _client_result(lock, email)


def handle_delete_client(state: SandboxState, request: Request, params: dict[str, str]) -> Reply:
    """DELETE /u/1/k3connect/{id}/client: remove a client (or withdraw an invitation)."""
    lock, email = _client_request(state, request, params, extra=())
    k3.find_client(lock, email)
    del lock.clients[email]
    _audit(state, lock, "Client removed", f"Client removed {email}")
    return _client_result(lock, email)


def _client_request(
    state: SandboxState, request: Request, params: dict[str, str], *, extra: tuple[str, ...]
) -> tuple[k3.SmartLock, str]:
    """Check the fields every client change needs; give the lock and the e-mail."""
    for name in ("accesskey", "clientemail", *extra):
        request.required(name, source="form")
    email = k3.check_email(request.form["clientemail"].strip())
    return _lock(state, request, params, "form"), email


def _client_result(lock: k3.SmartLock, email: str) -> Reply:
    """The answer of a client change."""
    return Reply.json(200, {"result": "success", "lockid": lock.lock_id, "email": email})


def _audit(state: SandboxState, lock: k3.SmartLock, entry_type: str, text: str) -> None:
    """Record a change in the lock's audit trail and mark the state changed."""
    advance_audit(lock, state.clock.now(), state.rng, state.new_audit_id)
    lock.add_audit(state.new_audit_id(), state.clock.now(), entry_type, text)
    state.changed()


def handle_spc_config(state: SandboxState, request: Request, params: dict[str, str]) -> Reply:
    """GET /u/1/k3connect/help/spcconfig: sample and schema of the active periods, as text."""
    period_schema = {
        "type": "object",
        "required": ["enabled", "starts", "ends", *k3.WEEKDAYS],
        "properties": {
            "enabled": {"type": "boolean"},
            "starts": {"type": "string", "pattern": "^([01][0-9]|2[0-3]):[0-5][0-9]$"},
            "ends": {"type": "string", "pattern": "^([01][0-9]|2[0-3]):[0-5][0-9]$"},
            **{day: {"type": "boolean"} for day in k3.WEEKDAYS},
        },
    }
    schema = {
        "type": "object",
        "patternProperties": {"^[0-9]$": period_schema},
        "additionalProperties": False,
        "maxProperties": 10,
    }
    sample = {
        "0": {
            "enabled": True,
            "starts": "00:00",
            "ends": "23:59",
            **dict.fromkeys(k3.WEEKDAYS, True),
        }
    }
    text = json.dumps({"sample": sample, "schema": schema})
    return Reply.json(200, {"activeperiods": text})
