"""Dashboard figures kept in the cache for as long as the rows they were read from are unchanged.

Audit entries, code issues and the usage ledger are only ever added to, so the newest id of each
(an index-only read) tells when a figure must be read again; the key also holds the sites' names
and clocks, so renaming a site drops it. Code lists also change with the clock: each keeps the
moment its first code ends or starts. The time limit covers rows removed with their site and ids
committed out of order.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, TypeVar

from django.core.cache import cache
from django.db import connection

from k3clients.models import AuditEntry
from netcodes.models import ApiCall, NetCodeIssue

if TYPE_CHECKING:
    from collections.abc import Sequence

    from django.db.models import Model

    from locks.models import Site

VERSION_TTL = 600  # seconds
T = TypeVar("T")


@dataclass(frozen=True)
class Versions:
    """The newest id of each append-only table the dashboard reads."""

    issue: int | None
    audit: int | None
    ledger: int | None


def newest_ids(*models: type[Model]) -> tuple[int | None, ...]:
    """The highest primary key of each model's table, in one query."""
    quote = connection.ops.quote_name
    # Table and column names come from the models, never from a request.
    reads = ", ".join(
        f"(SELECT MAX({quote(m._meta.pk.column)}) FROM {quote(m._meta.db_table)})"  # noqa: S608
        for m in models
    )
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {reads}")
        return tuple(cursor.fetchone())


def read_versions() -> Versions:
    """The versions of the code issues, the audit entries and the ledger (one query)."""
    return Versions(*newest_ids(NetCodeIssue, AuditEntry, ApiCall))


def sites_key(sites: Sequence[Site]) -> str:
    """A short key for these sites as they are named and clocked now."""
    shown = repr(sorted((site.pk, site.name, site.time_zone) for site in sites)).encode()
    return hashlib.blake2b(shown, digest_size=12).hexdigest()


def remember(key: str, compute: Callable[[], T], seconds: int = VERSION_TTL) -> T:
    """The cached value under `key`, computed and stored when missing."""
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, seconds)
    return value


def remember_until(key: str, compute: Callable[[], tuple[T, datetime]], now: datetime) -> T:
    """Like `remember`, for a value that `compute` says holds until a moment it returns."""
    hit = cache.get(key)
    if hit is not None and hit[1] <= now < hit[2]:
        return hit[0]
    value, until = compute()
    cache.set(key, (value, now, until), VERSION_TTL)
    return value
