"""The scale seed's NetCode history: codes, who asked for them, and the ledger's calls."""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from dashboard.models import ActivityEvent, Verb
from locks.scale.hardware import LockInfo
from locks.scale.history import HISTORY_DAYS, code_pool, fingerprint, person
from locks.scale.names import DAY_DURATIONS, DURATIONS, NOTES
from locks.scale.people import Estate
from locks.scale.writer import next_id, write_rows
from netcodes.models import ApiCall, NetCode, NetCodeIssue

NETCODE_FIELDS = [
    "id", "site", "kitlock", "smartlock", "fingerprint", "lock_name", "lock_location",
    "lock_model", "lock_ref", "clock_zone", "mode", "duration_id", "duration_label",
    "starts_at", "ends_at", "lock_start", "lock_end", "code", "state", "claimed_at",
    "created_by", "created_at",
]  # fmt: skip
ISSUE_FIELDS = [
    "id", "netcode", "site", "requested_by", "requested_at", "recipient_name", "recipient_email",
    "note", "from_history", "sent_to", "sent_at",
]  # fmt: skip
CALL_FIELDS = ["id", "at", "category", "operation", "method", "status", "elapsed_ms", "user",
               "task", "error"]  # fmt: skip
EVENT_FIELDS = ["id", "site", "actor", "actor_name", "verb", "target_kind", "target_id",
                "target_label", "lock_kind", "lock_pk", "details", "created_at"]  # fmt: skip
REPEAT_SHARE = 0.1


def _window(rng: random.Random, estate: Estate, zone: str) -> tuple[Any, ...]:
    """Start and end in UTC and on the lock's clock, a duration, and when it was asked."""
    duration_id, label, hours = rng.choice(DAY_DURATIONS if rng.random() < 0.3 else DURATIONS)
    asked = estate.now - timedelta(minutes=rng.randrange(HISTORY_DAYS * 1440))
    start = (asked + timedelta(hours=rng.randint(0, 72))).replace(minute=0, second=0)
    wall = start.astimezone(ZoneInfo(zone)).replace(tzinfo=None)
    end_wall = wall + timedelta(hours=hours)
    return duration_id, label, start, start + timedelta(hours=hours), wall, end_wall, asked


def _netcode_rows(
    rng: random.Random,
    first: int,
    count: int,
    locks: list[LockInfo],
    estate: Estate,
    asked: list,
    codes: list[str],
) -> Iterator[tuple[Any, ...]]:
    for pk in range(first, first + count):
        lock = rng.choice(locks)
        is_kitlock = lock.model.startswith("KL")
        duration_id, label, start, end, wall, end_wall, at = _window(rng, estate, lock.clock_zone)
        user = rng.choice(estate.site_people[lock.site_id])
        kind = "kitlock" if is_kitlock else "smartlock"
        asked.append((pk, at, user, lock.site_id, kind, lock.pk, lock.name))
        yield (
            pk, lock.site_id, lock.pk if is_kitlock else None, None if is_kitlock else lock.pk,
            fingerprint(pk), lock.name, lock.location, lock.model if is_kitlock else "K3CONNECT",
            lock.ref, lock.clock_zone, "standard", duration_id, label, start, end,
            f"{wall:%Y-%m-%d %H:%M}", f"{end_wall:%Y-%m-%d %H:%M}", rng.choice(codes), "ready",
            at, user, at,
        )  # fmt: skip


def _issue_rows(
    rng: random.Random, asked: list, pk: int, events: list
) -> Iterator[tuple[Any, ...]]:
    for netcode_id, at, user, *lock in asked:
        site_id = lock[0]  # lock: site id, kind, lock id, lock name (for the activity log)
        repeats = [(at, False)]
        if rng.random() < REPEAT_SHARE:
            repeats.append((at + timedelta(minutes=rng.randint(5, 600)), True))
        for when, from_history in repeats:
            name, email = person(rng, pk)
            events.append((pk, when, user, name, from_history, *lock))
            sent = email if rng.random() < 0.4 else ""
            yield (pk, netcode_id, site_id, user, when, name, email, rng.choice(NOTES),
                   from_history, sent, when if sent else None)  # fmt: skip
            pk += 1


def _call_rows(rng: random.Random, asked: list, pk: int) -> Iterator[tuple[Any, ...]]:
    for _, at, user, *_lock in asked:
        yield pk, at, "netcode", "netcode", "GET", 200, rng.randint(80, 900), user, "", ""
        pk += 1


def seed_netcodes(
    rng: random.Random, count: int, locks: list[LockInfo], estate: Estate
) -> tuple[int, int, int, int]:
    """NetCodes over three years, one issue each (a tenth asked twice), their calls and log."""
    if not locks:
        return 0, 0, 0, 0
    asked: list[tuple[int, datetime, int]] = []
    # Ids and ciphertexts first: no other query may run on the connection during a COPY.
    pool, first = code_pool(rng), next_id(NetCode)
    rows = _netcode_rows(rng, first, count, locks, estate, asked, pool)
    codes = write_rows(NetCode, NETCODE_FIELDS, rows)
    events: list[tuple[Any, ...]] = []
    issue_rows = _issue_rows(rng, asked, next_id(NetCodeIssue), events)
    issues = write_rows(NetCodeIssue, ISSUE_FIELDS, issue_rows)
    calls = write_rows(ApiCall, CALL_FIELDS, _call_rows(rng, asked, next_id(ApiCall)))
    del asked[:]
    rows = _event_rows(events, next_id(ActivityEvent), estate)
    logged = write_rows(ActivityEvent, EVENT_FIELDS, rows)
    return codes, issues, calls, logged


def _event_rows(events: list, pk: int, estate: Estate) -> Iterator[tuple[Any, ...]]:
    """The activity log's "generated a NetCode" line of each issue (no code in it)."""
    for issue_pk, when, user, name, from_history, site_id, kind, lock_pk, lock_name in events:
        label = f"for {name} on {lock_name}"
        details = {"recipient": name, "from_history": from_history}
        yield (pk, site_id, user, estate.usernames[user], Verb.NETCODE_GENERATED.value,
               "netcodeissue", issue_pk, label, kind, lock_pk, details, when)  # fmt: skip
        pk += 1


def anchor_now() -> datetime:
    """The seed's "now": the current hour, so this month's usage has data."""
    return datetime.now(tz=UTC).replace(minute=0, second=0, microsecond=0)
