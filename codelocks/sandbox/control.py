"""The /_sandbox/ control endpoints that tests and demos use to steer the sandbox."""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from . import k3
from .faults import rule_from_json
from .http import ApiFailure, Reply, Request
from .seed import LOCATIONS, advance_audit, new_lock_id, zone_facts
from .state import SandboxState

MAX_AUDIT_APPEND = 1_000_000
ControlHandler = Callable[[SandboxState, Any], Any]


def handle_control(state: SandboxState, request: Request) -> Reply:
    """Answer a /_sandbox/ request (no API key, never counted against the quota)."""
    name = request.path.removeprefix("/_sandbox").strip("/") or "state"
    handler = _HANDLERS.get((request.method, name))
    if handler is None:
        return Reply.json(
            404, {"message": f"No control endpoint {request.method} /_sandbox/{name}"}
        )
    try:
        with state.lock:
            return Reply.json(200, handler(state, request.json()))
    except ApiFailure as failure:
        return failure.reply()
    except (KeyError, TypeError, ValueError) as exc:
        return Reply.json(400, {"message": f"Bad control request: {exc}"})


def _state(state: SandboxState, data: Any) -> Any:
    """GET /_sandbox/state: the summary."""
    return state.summary()


def _set_faults(state: SandboxState, data: Any) -> Any:
    """POST /_sandbox/faults: a list of rules (replaces), or {"rules": [...], "append": true}."""
    raw = data.get("rules", []) if isinstance(data, dict) else data
    if isinstance(raw, dict):
        raw = [raw]
    rules = [rule_from_json(item) for item in raw]
    if isinstance(data, dict) and data.get("append"):
        state.faults.extend(rules)
    else:
        state.faults.replace(rules)
    return {"faults": state.faults.describe()}


def _get_faults(state: SandboxState, data: Any) -> Any:
    """GET /_sandbox/faults: the rules and what is left of them."""
    return {"faults": state.faults.describe()}


def _clear_faults(state: SandboxState, data: Any) -> Any:
    """DELETE /_sandbox/faults: no more failures."""
    state.faults.clear()
    return {"faults": []}


def _reset(state: SandboxState, data: Any) -> Any:
    """POST /_sandbox/reset: back to the seeded data, real clock, no faults, zero usage."""
    state.reset()
    return {"reset": True, "now": state.clock.now().isoformat()}


def _clock(state: SandboxState, data: Any) -> Any:
    """POST /_sandbox/clock: {"set": ISO, "frozen": bool}, {"advance": seconds} or {"real": 1}."""
    if data.get("real"):
        state.clock.real()
    if "set" in data:
        moment = datetime.fromisoformat(str(data["set"]).replace("Z", "+00:00"))
        state.clock.set(moment, frozen=bool(data.get("frozen", True)))
    if "advance" in data:
        state.clock.advance(float(data["advance"]))
    return {"now": state.clock.now().isoformat()}


def _now(state: SandboxState, data: Any) -> Any:
    """GET /_sandbox/clock: the sandbox time."""
    return {"now": state.clock.now().isoformat()}


def _find_lock(state: SandboxState, data: Any) -> k3.SmartLock:
    """The lock named by {"lock_id", "accesskey"?}, searching every account if needed."""
    lock_id = str(data["lock_id"]).lower()
    accounts = [state.accounts[data["accesskey"]]] if data.get("accesskey") else []
    for account in accounts or state.accounts.values():
        if lock_id in account.locks:
            return account.locks[lock_id]
    raise ApiFailure(404, "No lock found.")


def _accept(state: SandboxState, data: Any) -> Any:
    """POST /_sandbox/accept: the invited person accepts in the app."""
    lock = _find_lock(state, data)
    client = k3.find_client(lock, str(data["email"]))
    client.accepted = True
    lock.add_audit(state.new_audit_id(), state.clock.now(), "Client accepted", client.email)
    state.changed()
    return client.to_api(lock.lock_id)


def _append_audit(state: SandboxState, data: Any) -> Any:
    """POST /_sandbox/audit: add `count` entries to a lock, one second apart, ending now."""
    lock = _find_lock(state, data)
    count = int(data.get("count", 1))
    if not 1 <= count <= MAX_AUDIT_APPEND:
        raise ValueError(f"count must be 1 to {MAX_AUDIT_APPEND}")
    entry_type = str(data.get("entry_type", "Unlock"))
    text = str(data.get("entry_text", "Unlocked with a NetCode on the keypad"))
    now = state.clock.now()
    advance_audit(lock, now, state.rng, state.new_audit_id)
    first_id = state.next_audit_id
    latest = datetime.fromisoformat(lock.audit[-1][1]).replace(tzinfo=UTC) if lock.audit else now
    start = max(now - timedelta(seconds=count - 1), latest)
    lock.audit.extend(
        [first_id + n, (start + timedelta(seconds=n)).strftime(k3.DATE_FORMAT), entry_type, text]
        for n in range(count)
    )
    state.next_audit_id += count
    state.changed()
    return {"added": count, "first_id": first_id, "last_id": first_id + count - 1}


def _battery(state: SandboxState, data: Any) -> Any:
    """POST /_sandbox/battery: {"lock_id", "battery": 0-100}; low levels add an audit entry."""
    lock = _find_lock(state, data)
    level = int(data["battery"])
    if not 0 <= level <= 100:
        raise ValueError("battery must be 0 to 100")
    lock.battery = level
    lock.battery_updated = k3.battery_timestamp(state.clock.now())
    if level <= 20:
        lock.add_audit(
            state.new_audit_id(), state.clock.now(), "Battery low", f"Battery low ({level}%)"
        )
    state.changed()
    return lock.to_api(detail=True)


def _users(state: SandboxState, data: Any) -> Any:
    """POST /_sandbox/users: {"emails": [...]} become registered K3 Connect users."""
    emails = data.get("emails") or [data["email"]]
    state.users.update(k3.check_email(str(email).strip()) for email in emails)
    state.changed()
    return {"users": sorted(state.users)}


def _remove_users(state: SandboxState, data: Any) -> Any:
    """DELETE /_sandbox/users: {"emails": [...]} are no longer registered."""
    state.users.difference_update(str(e).lower() for e in data.get("emails") or [data["email"]])
    state.changed()
    return {"users": sorted(state.users)}


def _locks(state: SandboxState, data: Any) -> Any:
    """POST /_sandbox/locks: {"accesskey", "action": "add"|"remove", "lock_id"?, "name"?, ...}."""
    account = state.accounts[data["accesskey"]]
    if data.get("action", "add") == "remove":
        lock = account.lock(str(data["lock_id"]))
        del account.locks[lock.lock_id]
        state.changed()
        return {"removed": lock.lock_id}
    lock = _new_lock(state, data)
    account.locks[lock.lock_id] = lock
    state.changed()
    return lock.to_api(detail=True)


def _new_lock(state: SandboxState, data: Any) -> k3.SmartLock:
    """A fresh lock from the control request (defaults for what it leaves out)."""
    rng = random.Random(f"{state.seed}:{state.next_audit_id}:{len(state.accounts)}")  # noqa: S311
    now = state.clock.now()
    zone = str(data.get("timezone", "Europe/London"))
    offset, dst_start, dst_end, dst_time = zone_facts(zone, now)
    lock_id = k3.check_lock_id(str(data["lock_id"])) if data.get("lock_id") else new_lock_id(rng)
    return k3.SmartLock(
        lock_id=lock_id,
        name=str(data.get("name", "New lock")),
        model=str(data.get("model", "CL5510")),
        firmware=str(data.get("firmware", "1.4.11")),
        battery=int(data.get("battery", 100)),
        battery_updated=k3.battery_timestamp(now),
        timezone=zone,
        timezone_offset=offset,
        dst_start=dst_start,
        dst_end=dst_end,
        dst_time=dst_time,
        pairing_date=k3.battery_timestamp(now),
        location=str(data.get("location", f"Building A, {LOCATIONS[0]}")),
        audit_until=now.strftime(k3.DATE_FORMAT),
    )


def _accounts(state: SandboxState, data: Any) -> Any:
    """POST /_sandbox/accounts: {"accesskey"} gets a seeded K3 account."""
    accesskey = str(data["accesskey"]).strip()
    if not accesskey:
        raise ValueError("accesskey must not be empty")
    account = state.accounts.get(accesskey) or state.add_account(accesskey, len(state.accounts))
    state.changed()
    return {"email": account.email, "locks": list(account.locks)}


def _usage(state: SandboxState, data: Any) -> Any:
    """POST /_sandbox/usage: set this month's counters, e.g. {"netcode": 99}."""
    counters = state.usage.setdefault(state.month(), {"netcode": 0, "utility": 0})
    for category in ("netcode", "utility"):
        if category in data:
            counters[category] = int(data[category])
    state.changed()
    return {"usage_this_month": counters}


_HANDLERS: dict[tuple[str, str], ControlHandler] = {
    ("GET", "state"): _state,
    ("GET", "faults"): _get_faults,
    ("POST", "faults"): _set_faults,
    ("DELETE", "faults"): _clear_faults,
    ("POST", "reset"): _reset,
    ("GET", "clock"): _now,
    ("POST", "clock"): _clock,
    ("POST", "accept"): _accept,
    ("POST", "audit"): _append_audit,
    ("POST", "battery"): _battery,
    ("POST", "users"): _users,
    ("DELETE", "users"): _remove_users,
    ("POST", "locks"): _locks,
    ("POST", "accounts"): _accounts,
    ("POST", "usage"): _usage,
}
