"""The scale seed's big tables: phone users, audit entries, NetCodes, their issues and calls."""

from __future__ import annotations

import hashlib
import random
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

from k3clients.models import AuditEntry, PhoneClient
from locks.crypto import encrypt
from locks.scale.hardware import LockInfo
from locks.scale.names import AUDIT_EVENTS, DOMAINS, FIRST_NAMES, LAST_NAMES
from locks.scale.people import Estate
from locks.scale.writer import next_id, write_rows

HISTORY_DAYS = 3 * 365
WORKDAYS = {
    "0": {"enabled": True, "starts": "08:00", "ends": "18:00", "mon": True, "tue": True,
          "wed": True, "thu": True, "fri": True, "sat": False, "sun": False},
}  # fmt: skip
ALWAYS = {
    "0": {"enabled": True, "starts": "00:00", "ends": "23:59", "mon": True, "tue": True,
          "wed": True, "thu": True, "fri": True, "sat": True, "sun": True},
}  # fmt: skip
STATUSES = ["accepted"] * 8 + ["pending", "suspended"]


def person(rng: random.Random, n: int) -> tuple[str, str]:
    """A name and a unique e-mail address."""
    first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
    email = f"{first.lower()}.{last.lower()}{n}@{rng.choice(DOMAINS)}"
    return f"{first} {last}", email


def skewed_counts(rng: random.Random, total: int, buckets: int) -> list[int]:
    """Split `total` over `buckets` unevenly (a few very busy locks, many quiet ones)."""
    if not buckets:
        return []
    weights = [rng.paretovariate(1.2) for _ in range(buckets)]
    scale = total / sum(weights)
    counts = [int(w * scale) for w in weights]
    for index in range(total - sum(counts)):
        counts[index % buckets] += 1
    return counts


def seed_phone_clients(
    rng: random.Random, count: int, locks: list[LockInfo], estate: Estate
) -> int:
    """Phone users spread unevenly over the smart locks."""
    periods = [WORKDAYS, ALWAYS]
    fields = ["id", "lock", "email", "status", "access_type", "active_periods", "invited_at",
              "synced_at"]  # fmt: skip
    first = next_id(PhoneClient)  # before the COPY: nothing else may run on it meanwhile

    def rows() -> Iterator[tuple[Any, ...]]:
        pk = first
        for lock, n in zip(locks, skewed_counts(rng, count, len(locks)), strict=True):
            for _ in range(n):
                email = person(rng, pk)[1]
                invited = estate.now - timedelta(days=rng.randint(1, HISTORY_DAYS))
                access = "ONE_TIME" if rng.random() < 0.1 else "STANDARD"
                yield (pk, lock.pk, email, rng.choice(STATUSES), access, rng.choice(periods),
                       invited, estate.now - timedelta(hours=6))  # fmt: skip
                pk += 1

    return write_rows(PhoneClient, fields, rows())


def _audit_texts(rng: random.Random) -> list[tuple[str, str]]:
    texts = []
    for weight, kind, text in AUDIT_EVENTS:
        for _ in range(weight):
            texts.append((kind, text.format(person=person(rng, rng.randint(1, 999))[1])))
    return texts


def seed_audit(rng: random.Random, count: int, locks: list[LockInfo], estate: Estate) -> int:
    """Audit entries over three years, a busy few locks holding most of them."""
    texts = _audit_texts(rng)
    fields = ["id", "lock", "audit_entry_id", "date_entered", "entry_type", "entry_text",
              "fetched_at"]  # fmt: skip
    first = next_id(AuditEntry)
    span = HISTORY_DAYS * 86400

    def rows() -> Iterator[tuple[Any, ...]]:
        pk = first
        for lock, n in zip(locks, skewed_counts(rng, count, len(locks)), strict=True):
            seconds = sorted(rng.randrange(span) for _ in range(n))
            for offset in seconds:
                kind, text = rng.choice(texts)
                when = estate.now - timedelta(seconds=span - offset)
                yield pk, lock.pk, 10_000_000 + pk, when, kind, text, when + timedelta(hours=1)
                pk += 1

    return write_rows(AuditEntry, fields, rows())


def code_pool(rng: random.Random, size: int = 256) -> list[str]:
    """Encrypted codes to reuse: Fernet per row would dominate the seed's time."""
    return [encrypt(f"{rng.randint(0, 9_999_999):07d}") for _ in range(size)]


def fingerprint(n: int) -> str:
    """A unique stand-in for the request's HMAC."""
    return hashlib.sha256(f"scale-netcode-{n}".encode()).hexdigest()
