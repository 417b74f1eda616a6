"""Everything the sandbox remembers, behind one lock: accounts, usage, clock, request log."""

from __future__ import annotations

import json
import os
import random
import tempfile
import threading
from collections import Counter, deque
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from ..plans import PLANS
from .faults import FaultSet
from .k3 import Account, account_from_json, account_to_json
from .seed import REGISTERED_USERS, seed_account

STATE_VERSION = 1
SAVE_DELAY = 0.3
RECENT_REQUESTS = 1000


class Clock:
    """The sandbox's idea of now (UTC): real time, shifted or frozen by the control endpoint."""

    def __init__(self) -> None:
        self._offset = timedelta(0)
        self._frozen: datetime | None = None

    def now(self) -> datetime:
        """The current sandbox time, aware UTC, to the second."""
        moment = self._frozen or datetime.now(UTC) + self._offset
        return moment.replace(microsecond=0)

    def set(self, moment: datetime, *, frozen: bool = True) -> None:
        """Jump to a moment; frozen keeps it there, otherwise time runs on from it."""
        moment = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
        if frozen:
            self._frozen = moment.astimezone(UTC)
        else:
            self._frozen, self._offset = None, moment - datetime.now(UTC)

    def advance(self, seconds: float) -> None:
        """Move time forward (or back, with a negative number)."""
        if self._frozen is not None:
            self._frozen += timedelta(seconds=seconds)
        else:
            self._offset += timedelta(seconds=seconds)

    def real(self) -> None:
        """Go back to the machine's clock."""
        self._offset, self._frozen = timedelta(0), None


class SandboxState:
    """The sandbox's data; callers hold `lock` while they read or change it."""

    def __init__(
        self,
        *,
        api_key: str,
        plan: str = "business-1",
        k3_accesskeys: tuple[str, ...] | list[str] = (),
        seed: int = 0,
        state_file: str | os.PathLike[str] | None = None,
    ) -> None:
        if plan not in PLANS:
            raise ValueError(f"plan must be one of {', '.join(PLANS)}")
        self.lock = threading.RLock()
        self.api_key, self.plan, self.seed = api_key, plan, seed
        self.k3_accesskeys = tuple(k3_accesskeys)
        self.clock = Clock()
        self.faults = FaultSet(seed)
        self.state_file: Path | None = None
        self._save_timer: threading.Timer | None = None
        self.generation = 0
        self.interrupt = threading.Event()
        self.reset(keep_clock=True)
        self.state_file = Path(state_file) if state_file else None
        if self.state_file and self.state_file.exists():
            self.load()

    def reset(self, *, keep_clock: bool = False) -> None:
        """Back to the seeded data: usage zero, no faults, the machine's clock."""
        with self.lock:
            # Requests still waiting in a delay fault belong to the old state: wake and drop them.
            self.generation += 1
            self.interrupt.set()
            self.interrupt = threading.Event()
            if not keep_clock:
                self.clock.real()
            self.faults.clear()
            self.rng = random.Random(self.seed)  # noqa: S311 (repeatable for a given --seed)
            self.usage: dict[str, dict[str, int]] = {}
            self.requests: deque[dict[str, Any]] = deque(maxlen=RECENT_REQUESTS)
            self.request_counts: Counter[str] = Counter()
            self.users: set[str] = set(REGISTERED_USERS)
            self.next_audit_id = 1
            self.accounts: dict[str, Account] = {}
            for index, accesskey in enumerate(self.k3_accesskeys):
                self.add_account(accesskey, index)
            self.changed()

    def add_account(self, accesskey: str, index: int) -> Account:
        """Seed one K3 account for an access key."""
        account = seed_account(accesskey, index, self.seed, self.clock.now(), self.new_audit_id)
        self.accounts[accesskey] = account
        self.users.add(account.email)
        return account

    def new_audit_id(self) -> int:
        """The next AuditEntryID (increasing across the whole sandbox)."""
        value = self.next_audit_id
        self.next_audit_id += 1
        return value

    def month(self) -> str:
        """The usage month of the sandbox clock, e.g. 2026-11."""
        return self.clock.now().strftime("%Y-%m")

    def spend(self, category: str) -> bool:
        """Count one call against the plan; False when the month's quota is used up."""
        limits = dict(zip(("netcode", "utility"), PLANS[self.plan], strict=True))
        counters = self.usage.setdefault(self.month(), {"netcode": 0, "utility": 0})
        if counters[category] >= limits[category]:
            return False
        counters[category] += 1
        self.changed()
        return True

    def record(
        self, method: str, path: str, operation: str | None, status: int, fault: str | None
    ) -> None:
        """Remember a request (never its query string, which may hold an access key)."""
        self.request_counts[operation or "unknown"] += 1
        self.requests.append(
            {
                "method": method,
                "path": path,
                "operation": operation,
                "status": status,
                "fault": fault,
            }
        )

    def summary(self) -> dict[str, Any]:
        """What the control endpoint shows: clock, plan, usage, accounts, faults, requests."""
        with self.lock:
            netcode_limit, utility_limit = PLANS[self.plan]
            return {
                "now": self.clock.now().isoformat(),
                "plan": {"name": self.plan, "netcode": netcode_limit, "utility": utility_limit},
                "usage": self.usage,
                "usage_this_month": self.usage.get(self.month(), {"netcode": 0, "utility": 0}),
                "accounts": [_account_summary(a) for a in self.accounts.values()],
                "users": sorted(self.users),
                "faults": self.faults.describe(),
                "request_counts": dict(self.request_counts),
                "recent_requests": list(self.requests)[-50:],
            }

    def changed(self) -> None:
        """Note a change; the state file is written shortly after (debounced)."""
        if self.state_file is None or self._save_timer is not None:
            return
        self._save_timer = threading.Timer(SAVE_DELAY, self.save)
        self._save_timer.daemon = True
        self._save_timer.start()

    def save(self) -> None:
        """Write the state file now (atomically)."""
        if self.state_file is None:
            return
        with self.lock:
            self._save_timer = None
            text = json.dumps(self._to_json())
        self.state_file.parent.mkdir(parents=True, exist_ok=True)
        handle, temp = tempfile.mkstemp(dir=self.state_file.parent, prefix=".sandbox-")
        with os.fdopen(handle, "w") as out:
            out.write(text)
        os.replace(temp, self.state_file)

    def flush(self) -> None:
        """Write any pending change before stopping."""
        timer = self._save_timer
        if timer is not None:
            timer.cancel()
            self.save()

    def load(self) -> None:
        """Read the state file written by an earlier run."""
        data = json.loads(self.state_file.read_text()) if self.state_file else {}
        if data.get("version") != STATE_VERSION:
            return
        with self.lock:
            self.usage = data["usage"]
            self.users = set(data["users"])
            self.next_audit_id = data["next_audit_id"]
            loaded = {a["accesskey"]: account_from_json(a) for a in data["accounts"]}
            self.accounts.update(loaded)

    def _to_json(self) -> dict[str, Any]:
        """The state as JSON (no API key: that comes from the command line)."""
        return {
            "version": STATE_VERSION,
            "usage": self.usage,
            "users": sorted(self.users),
            "next_audit_id": self.next_audit_id,
            "accounts": [account_to_json(a) for a in self.accounts.values()],
        }


def _account_summary(account: Account) -> dict[str, Any]:
    """One account in the state summary."""
    return {
        "accesskey": account.accesskey,
        "email": account.email,
        "status": account.status,
        "locks": [
            {
                "lock_id": lock.lock_id,
                "name": lock.name,
                "model": lock.model,
                "battery": lock.battery,
                "clients": {c.email: c.status for c in lock.clients.values()},
                "audit_entries": len(lock.audit),
                "newest_audit_id": lock.audit[-1][0] if lock.audit else None,
            }
            for lock in account.locks.values()
        ],
    }
