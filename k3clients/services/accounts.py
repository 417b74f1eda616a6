"""Linking K3 Connect accounts and keeping their smart locks up to date."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from codelocks.errors import NotFound
from codelocks.types import K3Account as RemoteAccount
from codelocks.types import K3Lock
from dashboard.activity import activity_record
from dashboard.models import Verb
from k3clients.errors import USER_FACING_ERRORS
from k3clients.models import K3Account, SmartLock
from k3clients.services._common import AnyUser, api, key_in_use, lock_fields, mark_gone
from locks.models import Site

logger = logging.getLogger("k3clients")

ALREADY_LINKED = "The K3 Connect account {email} is already linked to {where}."
KEY_OF_ANOTHER_ACCOUNT = (
    "This access key belongs to the K3 Connect account {found}, not to {expected}. "
    "To use that account, link it as a new account."
)
_LOCK_ID = re.compile(r"^[0-9a-f]{32}$")


@dataclass(frozen=True)
class LocksRefreshed:
    """What refreshing an account's lock list changed."""

    added: int
    updated: int
    gone: int


def _check_not_linked(email: str, site: Site) -> None:
    existing = K3Account.objects.filter(email__iexact=email).select_related("site").first()
    if existing is not None:
        where = site.name if existing.site_id == site.pk else "another site"
        raise ValidationError(ALREADY_LINKED.format(email=existing.email, where=where))


def _create_account(site: Site, access_key: str, remote: RemoteAccount, user: AnyUser) -> K3Account:
    now = timezone.now()
    return K3Account.objects.create(
        site=site,
        access_key=access_key,
        access_key_last4=access_key[-4:],
        email=remote.email,
        status=remote.status,
        linked_by=user if user is not None and user.is_authenticated else None,
        linked_at=now,
        last_checked_at=now,
    )


def k3_account_link(*, site: Site, access_key: str, user: AnyUser) -> K3Account:
    """Check an access key with the account endpoint, store it encrypted, fetch its locks."""
    access_key = access_key.strip()
    remote = api(user, "").k3_account(access_key)
    _check_not_linked(remote.email, site)
    try:
        with transaction.atomic():
            account = _create_account(site, access_key, remote, user)
    except IntegrityError:  # linked by someone else a moment ago
        _check_not_linked(remote.email, site)
        raise
    logger.info("K3 account %s linked to site %s", account.email, site.pk)
    _record(account, user, Verb.ACCOUNT_LINKED)
    try:
        account_locks_refresh(account=account, user=user)
    except USER_FACING_ERRORS as exc:
        # The link stands; the account page offers to fetch the locks again.
        logger.warning("locks of %s not fetched after linking: %s", account.email, type(exc))
    return account


def k3_account_replace_key(*, account: K3Account, access_key: str, user: AnyUser) -> K3Account:
    """Replace a changed access key after checking it opens the same account."""
    access_key = access_key.strip()
    remote = api(user, "").k3_account(access_key)
    if remote.email.lower() != account.email.lower():
        raise ValidationError(
            KEY_OF_ANOTHER_ACCOUNT.format(found=remote.email, expected=account.email)
        )
    now = timezone.now()
    account.access_key = access_key
    account.access_key_last4 = access_key[-4:]
    account.status = remote.status
    account.key_replaced_at = account.last_checked_at = now
    account.key_rejected_at = None
    account.save()
    logger.info("K3 access key of %s replaced (now …%s)", account.email, account.access_key_last4)
    _record(account, user, Verb.ACCOUNT_KEY_REPLACED)
    return account


def k3_account_check(*, account: K3Account, user: AnyUser = None, task: str = "") -> K3Account:
    """Ask the account endpoint whether the stored key still works; store e-mail and status."""
    with key_in_use(account):
        remote = api(user, task).k3_account(account.access_key)
    account.status = remote.status
    account.last_checked_at = timezone.now()
    account.key_rejected_at = None
    account.save(update_fields=["status", "last_checked_at", "key_rejected_at"])
    return account


def _record(account: K3Account, user: AnyUser, verb: Verb) -> None:
    """Log what someone did to an account, by its e-mail (never its access key)."""
    activity_record(
        site=account.site, actor=user, verb=verb, target=account, target_label=account.email
    )


def k3_account_unlink(*, account: K3Account, user: AnyUser = None) -> None:
    """Forget an account: its key, smart locks, phone users and audit history in Keyhouse."""
    logger.info("K3 account %s unlinked from site %s", account.email, account.site_id)
    _record(account, user, Verb.ACCOUNT_UNLINKED)
    account.delete()


def account_locks_refresh(
    *, account: K3Account, user: AnyUser = None, task: str = ""
) -> LocksRefreshed:
    """Fetch the account's lock list and upsert it; locks no longer listed are marked gone."""
    with key_in_use(account):
        remote = api(user, task).k3_locks(account.access_key)
    return _store_locks(account, remote)


@transaction.atomic
def _store_locks(account: K3Account, remote: list[K3Lock]) -> LocksRefreshed:
    now = timezone.now()
    seen: set[str] = set()
    added = updated = 0
    for item in remote:
        lock_id = item.lock_id.strip().lower()
        if not _LOCK_ID.match(lock_id):
            logger.warning("skipped a lock of %s with a malformed id", account.email)
            continue
        seen.add(lock_id)
        fields = {**lock_fields(item), "site": account.site, "gone_at": None, "last_synced_at": now}
        _, created = SmartLock.objects.update_or_create(
            account=account,
            lock_id=lock_id,
            defaults=fields,
            create_defaults={**fields, "first_seen_at": now},
        )
        added, updated = added + created, updated + (not created)
    gone = account.locks.present().exclude(lock_id__in=seen).update(gone_at=now)
    account.locks_synced_at = now
    account.save(update_fields=["locks_synced_at"])
    return LocksRefreshed(added=added, updated=updated, gone=gone)


def lock_refresh(*, lock: SmartLock, user: AnyUser = None, task: str = "") -> SmartLock:
    """Fetch one lock now (with its location) and store every field; a 404 marks it gone."""
    try:
        with key_in_use(lock.account):
            remote = api(user, task).k3_lock(lock.account.access_key, lock.lock_id)
    except NotFound:
        raise mark_gone(lock) from None
    for name, value in lock_fields(remote).items():
        setattr(lock, name, value)
    lock.gone_at = None
    lock.last_synced_at = timezone.now()
    lock.save()
    return lock
