"""K3Connect in the sandbox: accounts, smart locks, phone clients and audit entries."""

from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass, field
from datetime import datetime, timedelta
from typing import Any

from .http import ApiFailure, InvalidAccessKeyFailure

DATE_FORMAT = "%Y-%m-%d %H:%M:%S"
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
ACCESS_TYPES = ("STANDARD", "ONE_TIME")
LOCK_ID_RE = re.compile(r"^[0-9a-fA-F]{32}$")
EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[A-Za-z]{2,}$")
MESSAGE_RE = re.compile(r"^[0-9A-Za-z _,\-.()]*$")
HH_MM_RE = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")
MESSAGE_LIMIT = 500


@dataclass
class PhoneClient:
    """A phone client of a lock; an invitation until the person accepts it."""

    email: str
    access_type: str
    active_periods: dict[str, dict[str, Any]]
    accepted: bool = False
    suspended: bool = False

    @property
    def status(self) -> str:
        """`pending` until accepted, `accepted` after, `suspended` while suspended."""
        if self.suspended:
            return "suspended"
        return "accepted" if self.accepted else "pending"

    def to_api(self, lock_id: str) -> dict[str, Any]:
        """The record as the clients list shows it (periods as a list of one-key objects)."""
        return {
            "email": self.email,
            "lockid": lock_id,
            "status": self.status,
            "accesstype": self.access_type,
            "activeperiods": [{key: value} for key, value in self.active_periods.items()],
        }


@dataclass
class SmartLock:
    """A CL4510/CL5510 smart lock on an account."""

    lock_id: str
    name: str
    model: str
    firmware: str
    battery: int
    battery_updated: str
    timezone: str
    timezone_offset: str
    dst_start: str
    dst_end: str
    dst_time: str
    pairing_date: str
    location: str
    clients: dict[str, PhoneClient] = field(default_factory=dict)
    # [AuditEntryID, DateEntered, EntryType, EntryText], oldest first.
    audit: list[list[Any]] = field(default_factory=list)
    audit_until: str = ""

    def to_api(self, *, detail: bool) -> dict[str, Any]:
        """The lock record; the single-lock answer adds LockLocation."""
        data = {
            "LockId": self.lock_id,
            "LockName": self.name,
            "BatteryStatus": str(self.battery),
            "BatteryUpdated": self.battery_updated,
            "Manufacturer": "Codelocks",
            "ModelName": self.model,
            "FirmwareVersion": self.firmware,
            "Timezone": self.timezone,
            "TimezoneOffset": self.timezone_offset,
            "DstStart": self.dst_start,
            "DstEnd": self.dst_end,
            "DstTime": self.dst_time,
            "PairingDate": self.pairing_date,
            # Undocumented extras the real service sends too; clients must ignore them.
            "ModelDisplay": f"Codelocks {self.model} Smart Lock",
            "UtcBased": "0",
        }
        if detail:
            data["LockLocation"] = self.location
        return data

    def add_audit(self, entry_id: int, when: datetime, entry_type: str, text: str) -> None:
        """Append one audit entry."""
        self.audit.append([entry_id, when.strftime(DATE_FORMAT), entry_type, text])


@dataclass
class Account:
    """A K3 Connect account, reached through its access key."""

    accesskey: str
    email: str
    status: str
    locks: dict[str, SmartLock] = field(default_factory=dict)

    def lock(self, lock_id: str) -> SmartLock:
        """One of the account's locks, or the API's 404."""
        found = self.locks.get(lock_id.lower())
        if found is None:
            raise ApiFailure(404, "No lock found.")
        return found


def account_to_json(account: Account) -> dict[str, Any]:
    """An account as plain JSON for the state file."""
    return asdict(account)


def account_from_json(data: dict[str, Any]) -> Account:
    """An account back from the state file."""
    locks = {}
    for lock_id, raw in data["locks"].items():
        clients = {email: PhoneClient(**c) for email, c in raw.pop("clients").items()}
        locks[lock_id] = SmartLock(**raw, clients=clients)
    return Account(data["accesskey"], data["email"], data["status"], locks)


def find_account(accounts: dict[str, Account], accesskey: str) -> Account:
    """The account of an access key, or the text answer `Invalid accesskey`."""
    account = accounts.get(accesskey)
    if account is None:
        raise InvalidAccessKeyFailure()
    return account


def clients_page(lock: SmartLock, page: int, perpage: int) -> dict[str, Any]:
    """One page of a lock's clients; `count` is the total."""
    everyone = list(lock.clients.values())
    chosen = everyone[(page - 1) * perpage : page * perpage]
    return {"count": len(everyone), "clients": [c.to_api(lock.lock_id) for c in chosen]}


def audit_page(lock: SmartLock, page: int, perpage: int, order: str) -> list[dict[str, Any]]:
    """One page of a lock's audit entries, newest first when `order` is descending."""
    total = len(lock.audit)
    first, last = (page - 1) * perpage, page * perpage
    if order == "descending":
        rows = lock.audit[max(total - last, 0) : max(total - first, 0)][::-1]
    else:
        rows = lock.audit[first:last]
    return [
        {
            "AuditEntryID": row[0],
            "LockID": lock.lock_id,
            "DateEntered": row[1],
            "EntryType": row[2],
            "EntryText": row[3],
        }
        for row in rows
    ]


def positive_int(raw: str, name: str, *, maximum: int = 1000) -> int:
    """A page or perpage value, or a 400."""
    if not raw.isdigit() or not 1 <= int(raw) <= maximum:
        raise ApiFailure(400, f"Invalid {name}; give a whole number from 1 to {maximum}")
    return int(raw)


def check_lock_id(raw: str) -> str:
    """A 32-hex lock id in lower case, or a 400."""
    if not LOCK_ID_RE.match(raw):
        raise ApiFailure(400, "Invalid lock id; K3Connect lock ids are 32 hexadecimal characters")
    return raw.lower()


def check_email(raw: str) -> str:
    """A syntactically valid e-mail address in lower case, or a 400."""
    if not EMAIL_RE.match(raw):
        raise ApiFailure(400, f"Invalid clientemail {raw!r}")
    return raw.lower()


def check_message(raw: str) -> str:
    """The invitation message: at most 500 characters of 0-9 A-Z a-z space _,-.()."""
    if len(raw) > MESSAGE_LIMIT:
        raise ApiFailure(400, f"Invalid message; at most {MESSAGE_LIMIT} characters")
    if not MESSAGE_RE.match(raw):
        raise ApiFailure(
            400, "Invalid message; only letters, digits, spaces and _ , - . ( ) are allowed"
        )
    return raw


def check_access_type(raw: str) -> str:
    """STANDARD or ONE_TIME, or a 400."""
    value = raw.strip().upper()
    if value not in ACCESS_TYPES:
        raise ApiFailure(400, "Invalid accesstype; allowed values: STANDARD, ONE_TIME")
    return value


def check_active_periods(raw: str) -> dict[str, dict[str, Any]]:
    """Parse and check the JSON active periods (keys "0"-"9", each a full period)."""
    try:
        data = json.loads(raw)
    except ValueError:
        raise ApiFailure(400, "Invalid activeperiods; not JSON") from None
    if not isinstance(data, dict) or not 1 <= len(data) <= 10:
        raise ApiFailure(400, "Invalid activeperiods; give an object of 1 to 10 periods")
    periods = {}
    for key, period in data.items():
        if key not in {str(n) for n in range(10)}:
            raise ApiFailure(400, f"Invalid activeperiods; key {key!r} is not 0-9")
        periods[key] = _check_period(key, period)
    return dict(sorted(periods.items(), key=lambda item: int(item[0])))


def _check_period(key: str, period: Any) -> dict[str, Any]:
    """One active period, or a 400 saying what is wrong with it."""
    if not isinstance(period, dict):
        raise ApiFailure(400, f"Invalid activeperiods; period {key} is not an object")
    for name in ("starts", "ends"):
        if not isinstance(period.get(name), str) or not HH_MM_RE.match(period[name]):
            raise ApiFailure(400, f"Invalid activeperiods; period {key} {name} is not HH:MM")
    for name in ("enabled", *WEEKDAYS):
        if not isinstance(period.get(name), bool):
            raise ApiFailure(400, f"Invalid activeperiods; period {key} {name} is not a boolean")
    return {name: period[name] for name in ("enabled", "starts", "ends", *WEEKDAYS)}


def find_client(lock: SmartLock, email: str) -> PhoneClient:
    """A client of a lock, or the API's 404."""
    client = lock.clients.get(email.lower())
    if client is None:
        raise ApiFailure(404, f"No client {email} on this lock")
    return client


def battery_timestamp(now: datetime, hours_ago: float = 0) -> str:
    """A BatteryUpdated / PairingDate value."""
    return (now - timedelta(hours=hours_ago)).strftime(DATE_FORMAT)
