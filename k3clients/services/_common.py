"""What every K3 service shares: the client, the quota, the account's key and lock storage."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.utils import timezone

from codelocks.errors import InvalidAccessKey
from k3clients.errors import KEY_REJECTED, LOCK_GONE, KeyRejected, LockGone
from k3clients.models import K3Account, SmartLock
from netcodes.api import codelocks_client
from netcodes.models import ApiCategory
from netcodes.quota import quota_guard

if TYPE_CHECKING:
    from codelocks import CodelocksClient
    from codelocks.types import K3Lock

logger = logging.getLogger("k3clients")

AnyUser = AbstractBaseUser | AnonymousUser | None


def api(user: AnyUser, task: str, *, calls: int = 1) -> CodelocksClient:
    """A ledger-writing client, once the month's Utility quota has room for `calls` calls."""
    quota_guard(ApiCategory.UTILITY, calls=calls)
    return codelocks_client(user=user, task=task)


@contextmanager
def key_in_use(account: K3Account) -> Iterator[None]:
    """Turn a refused access key into a clear message and remember the refusal."""
    try:
        yield
    except InvalidAccessKey as exc:
        now = timezone.now()
        K3Account.objects.filter(pk=account.pk).update(key_rejected_at=now)
        account.key_rejected_at = now
        logger.warning("K3 access key …%s refused for %s", account.access_key_last4, account.email)
        raise KeyRejected(KEY_REJECTED.format(email=account.email)) from exc


def lock_fields(remote: K3Lock) -> dict[str, Any]:
    """A lock record from the API as model fields (location only when the API gave one)."""
    fields = {
        "name": remote.lock_name or "",
        "battery_status": remote.battery_status or "",
        "battery_updated": remote.battery_updated,
        "manufacturer": remote.manufacturer or "",
        "model_name": remote.model_name or "",
        "firmware_version": remote.firmware_version or "",
        "time_zone": remote.timezone or "",
        "timezone_offset": remote.timezone_offset or "",
        "dst_start": remote.dst_start or "",
        "dst_end": remote.dst_end or "",
        "dst_time": remote.dst_time or "",
        "pairing_date": remote.pairing_date,
    }
    if remote.lock_location is not None:
        fields["location"] = remote.lock_location
    return fields


def mark_gone(lock: SmartLock) -> LockGone:
    """Mark a lock as no longer on its account; give the error to raise."""
    if lock.gone_at is None:
        lock.gone_at = timezone.now()
        SmartLock.objects.filter(pk=lock.pk).update(gone_at=lock.gone_at)
        logger.info("smart lock %s is no longer on %s", lock.lock_id, lock.account.email)
    return LockGone(LOCK_GONE.format(lock=lock, email=lock.account.email))
