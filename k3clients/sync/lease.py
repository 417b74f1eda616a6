"""One sync per K3 account at a time: a lease row claimed with a conditional UPDATE.

The claim is a single UPDATE … WHERE the lease is free or expired, so two workers on any
machine (SQLite or PostgreSQL) can never both get it. The lease outlives the task's hard time
limit, so a worker killed mid-run frees its account at the latest when the lease expires (the
sweeper, sweep.py, frees it as it closes the run).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from k3clients.models import K3Account

LEASE_MARGIN_SECONDS = 60


def lease_duration() -> timedelta:
    """How long a claimed lease holds: longer than any task may run."""
    return timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT + LEASE_MARGIN_SECONDS)


def account_lease_claim(*, account_pk: int) -> str | None:
    """Claim the account's sync lease; give its token, or None if another sync holds it."""
    now, token = timezone.now(), uuid.uuid4().hex
    claimed = (
        K3Account.objects.filter(pk=account_pk)
        .filter(Q(sync_lease_until__isnull=True) | Q(sync_lease_until__lte=now))
        .update(sync_lease_until=now + lease_duration(), sync_lease_token=token)
    )
    return token if claimed else None


def account_lease_release(*, account_pk: int, token: str) -> None:
    """Give the lease back (only if it is still ours: it may have expired and been re-claimed)."""
    K3Account.objects.filter(pk=account_pk, sync_lease_token=token).update(
        sync_lease_until=None, sync_lease_token=""
    )


@contextmanager
def account_lease(*, account_pk: int) -> Iterator[str | None]:
    """Hold the account's sync lease for the block; yields its token, None if another has it."""
    token = account_lease_claim(account_pk=account_pk)
    try:
        yield token
    finally:
        if token is not None:
            account_lease_release(account_pk=account_pk, token=token)
