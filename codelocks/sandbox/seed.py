"""Seeded sandbox data: K3 accounts with realistic locks, clients and a stream of audit entries."""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from .k3 import DATE_FORMAT, WEEKDAYS, Account, PhoneClient, SmartLock, battery_timestamp

REGISTERED_USERS = tuple(
    f"{name}@example.com"
    for name in ("alice", "bob", "carol", "dave", "erin", "frank", "grace", "heidi", "ivan", "judy")
)
LOCK_NAMES = (
    "Main entrance",
    "Server room",
    "Store room 2",
    "Staff kitchen",
    "Bike shed",
    "Plant room",
    "Back office",
    "Loading bay",
    "Meeting room 4",
    "Roof access",
)
LOCATIONS = ("ground floor", "first floor", "second floor", "basement", "yard", "annex")
TIMEZONES = (
    "Europe/London",
    "Europe/London",
    "Europe/Dublin",
    "Europe/Paris",
    "America/New_York",
    "Australia/Sydney",
    "Asia/Dubai",
)
FIRMWARE = ("1.2.07", "1.3.02", "1.4.11")
LOW_BATTERY = 12
AUDIT_HISTORY = timedelta(days=14)
AUDIT_MEAN_GAP_HOURS = 3.0
AUDIT_CATCH_UP_LIMIT = 2000


def account_email(index: int) -> str:
    """The seeded e-mail of the n-th account (0-based)."""
    return "facilities@example.com" if index == 0 else f"facilities{index + 1}@example.com"


def seed_account(
    accesskey: str, index: int, seed: int, now: datetime, next_id: Callable[[], int]
) -> Account:
    """A K3 account with 5-8 locks; one lock's battery is low; some locks have clients."""
    rng = random.Random(f"{seed}:{accesskey}")  # noqa: S311 (repeatable for a given --seed)
    account = Account(accesskey, account_email(index), "active")
    names = rng.sample(LOCK_NAMES, rng.randint(5, 8))
    for position, name in enumerate(names):
        lock = _seed_lock(rng, name, position, now)
        _seed_clients(rng, lock, position)
        lock.audit_until = (now - AUDIT_HISTORY).strftime(DATE_FORMAT)
        advance_audit(lock, now, rng, next_id)
        account.locks[lock.lock_id] = lock
    return account


def new_lock_id(rng: random.Random) -> str:
    """A 32-hex id shaped like the vendor's (06050408 + "CNGS" + eight digits, in hex)."""
    digits = "".join(rng.choice("0123456789") for _ in range(8))
    return (bytes([6, 5, 4, 8]) + b"CNGS" + digits.encode()).hex()


def _seed_lock(rng: random.Random, name: str, position: int, now: datetime) -> SmartLock:
    """One lock with plausible battery, firmware, time zone and pairing date."""
    zone = TIMEZONES[position % len(TIMEZONES)]
    offset, dst_start, dst_end, dst_time = zone_facts(zone, now)
    return SmartLock(
        lock_id=new_lock_id(rng),
        name=name,
        model=rng.choice(("CL4510", "CL5510")),
        firmware=rng.choice(FIRMWARE),
        battery=LOW_BATTERY if position == 1 else rng.randint(35, 100),
        battery_updated=battery_timestamp(now, rng.uniform(0.5, 72)),
        timezone=zone,
        timezone_offset=offset,
        dst_start=dst_start,
        dst_end=dst_end,
        dst_time=dst_time,
        pairing_date=battery_timestamp(now, 24 * rng.randint(30, 900)),
        location=f"Building {'ABC'[position % 3]}, {rng.choice(LOCATIONS)}",
    )


def _seed_clients(rng: random.Random, lock: SmartLock, position: int) -> None:
    """A few clients: the first lock always has one accepted, one pending, one suspended."""
    count = 3 if position == 0 else rng.randint(0, 3)
    for number, email in enumerate(rng.sample(REGISTERED_USERS, count)):
        kind = number % 3 if position == 0 else rng.randint(0, 2)
        lock.clients[email] = PhoneClient(
            email=email,
            access_type="STANDARD",
            active_periods={"0": office_hours()},
            accepted=kind != 1,
            suspended=kind == 2,
        )


def office_hours() -> dict[str, object]:
    """A weekday 07:00-19:00 active period."""
    days = {day: day not in ("sat", "sun") for day in WEEKDAYS}
    return {"enabled": True, "starts": "07:00", "ends": "19:00", **days}


def zone_facts(zone: str, now: datetime) -> tuple[str, str, str, str]:
    """(TimezoneOffset, DstStart, DstEnd, DstTime) of a zone in the current year, local times."""
    try:
        tz = ZoneInfo(zone)
    except ZoneInfoNotFoundError:
        return "+00:00", "", "", ""
    offset = now.astimezone(tz).strftime("%z")
    offset_text = f"{offset[:3]}:{offset[3:]}"
    changes = _offset_changes(zone, now.year)
    if len(changes) < 2:
        return offset_text, "", "", ""
    (first, shift), (second, _) = changes[0], changes[1]
    start, end = (first, second) if shift > timedelta(0) else (second, first)
    minutes = int(abs(shift).total_seconds() // 60)
    dst_time = f"{minutes // 60:02d}:{minutes % 60:02d}"
    return offset_text, start.strftime(DATE_FORMAT), end.strftime(DATE_FORMAT), dst_time


@lru_cache(maxsize=64)
def _offset_changes(zone: str, year: int) -> list[tuple[datetime, timedelta]]:
    """The local moments in a year when a zone's offset changes, with the change."""
    tz = ZoneInfo(zone)
    changes = []
    moment = datetime(year, 1, 1, tzinfo=UTC)
    previous = moment.astimezone(tz).utcoffset()
    while moment.year == year:
        moment += timedelta(hours=1)
        current = moment.astimezone(tz).utcoffset()
        if current != previous and current is not None and previous is not None:
            changes.append((moment.astimezone(tz).replace(tzinfo=None), current - previous))
        previous = current
    return changes


def advance_audit(
    lock: SmartLock, now: datetime, rng: random.Random, next_id: Callable[[], int]
) -> int:
    """Add the entries the lock produced since it last synced, up to `now`; give how many."""
    start = _parse(lock.audit_until) if lock.audit_until else now
    moment, added = start, 0
    while added < AUDIT_CATCH_UP_LIMIT:
        moment += timedelta(hours=rng.expovariate(1 / AUDIT_MEAN_GAP_HOURS))
        if moment > now:
            break
        entry_type, text = _random_event(rng, lock)
        lock.add_audit(next_id(), moment, entry_type, text)
        added += 1
    lock.audit_until = now.strftime(DATE_FORMAT)
    return added


def _random_event(rng: random.Random, lock: SmartLock) -> tuple[str, str]:
    """One plausible thing a lock records."""
    people = [c.email for c in lock.clients.values() if c.status == "accepted"]
    roll = rng.random()
    if roll < 0.3:
        return "Unlock", "Unlocked with a NetCode on the keypad"
    if roll < 0.45 and people:
        return "Unlock", f"Unlocked via Bluetooth by {rng.choice(people)}"
    if roll < 0.7:
        return "Lock", "Locked (auto relock)"
    if roll < 0.8:
        return "Code entered", "Invalid code entered on the keypad"
    if roll < 0.88 and lock.battery <= 20:
        return "Battery low", f"Battery low ({lock.battery}%)"
    if roll < 0.94:
        return "Code entered", "PIN code entered (user 3)"
    return "Sync", "Audit synchronised via Bluetooth"


def _parse(text: str) -> datetime:
    """Read a stored DATE_FORMAT text back as UTC."""
    return datetime.fromisoformat(text).replace(tzinfo=UTC)
