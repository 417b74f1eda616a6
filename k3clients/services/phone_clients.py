"""Phone users of smart locks: list, invite, change active periods, suspend, restore, delete."""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from codelocks.errors import CodelocksError, NotFound
from codelocks.types import ActivePeriod, K3Client
from dashboard.activity import activity_record
from dashboard.models import Verb
from k3clients import periods as period_rules
from k3clients.errors import (
    CHANGE_NOT_MADE,
    CHANGE_UNKNOWN,
    CLIENT_GONE,
    SHAPE_REFUSED,
    USER_FACING_ERRORS,
    ChangeNotMade,
    ChangeUnknown,
    ClientGone,
    ShapeRefused,
)
from k3clients.models import AccessType, ClientStatus, PhoneClient, SmartLock
from k3clients.schema import active_periods_schema, schema_problems
from k3clients.services._common import AnyUser, api, key_in_use, mark_gone
from netcodes.models import ApiCategory
from netcodes.quota import quota_guard

logger = logging.getLogger("k3clients")

NO_ENABLED_PERIOD = (
    "A Standard phone user needs at least one enabled period with a weekday ticked, "
    "or they could never open the door."
)
INVITED = "Invitation sent to {email}. They appear as pending until they accept it in the app."
INVITED_AFTER_TIMEOUT = (
    "The Codelocks API did not answer in time, but reading the lock back shows the invitation "
    "to {email} was sent."
)
PERIODS_SAVED = "Active periods of {email} saved."
SUSPENDED = "{email} is suspended; the lock applies it at its next sync."
RESTORED = "{email} is restored; the lock applies it at its next sync."
DELETED = "{email} is removed from “{lock}”; the lock applies it at its next sync."
ALREADY_DELETED = "{email} was already removed from “{lock}”."
CONFIRMED_AFTER_TIMEOUT = " (The API did not answer in time; reading the lock back confirmed it.)"
READ_BACK_PER_PAGE = 100


@dataclass(frozen=True)
class ClientChange:
    """What a phone-user change did, in a sentence the page shows."""

    client: PhoneClient | None
    message: str


def _remote_client(client_api: Any, lock: SmartLock, email: str) -> K3Client | None:
    """Read a lock's clients back, page by page, looking for one e-mail."""
    page, seen = 1, 0
    while True:
        result = client_api.k3_clients(
            lock.account.access_key, lock.lock_id, page=page, perpage=READ_BACK_PER_PAGE
        )
        for remote in result.clients:
            if remote.email.lower() == email.lower():
                return remote
        seen += len(result.clients)
        if not result.clients or seen >= result.count:
            return None
        page += 1


def _lock_still_there(client_api: Any, lock: SmartLock) -> None:
    """After a 404 on a client change, raise LockGone if the lock itself is gone."""
    try:
        client_api.k3_lock(lock.account.access_key, lock.lock_id)
    except NotFound:
        raise mark_gone(lock) from None


def _send_checked(
    *,
    lock: SmartLock,
    email: str,
    user: AnyUser,
    task: str,
    what: str,
    send: Callable[[Any, str], Any],
    applied: Callable[[K3Client | None], bool],
) -> tuple[bool, K3Client | None]:
    """Send a change; when its fate is unknown read the lock back and say what happened.

    Gives (confirmed_by_read_back, the client as read back or None).
    """
    client_api = api(user, task)
    with key_in_use(lock.account):
        try:
            send(client_api, lock.account.access_key)
            return False, None
        except NotFound:
            _lock_still_there(client_api, lock)
            raise
        except CodelocksError as exc:
            if not exc.request_may_have_reached_server:
                raise
            logger.warning("%s on %s timed out; reading the lock back", what, lock.lock_id)
            try:
                remote = _remote_client(client_api, lock, email)
            except CodelocksError:
                raise ChangeUnknown(CHANGE_UNKNOWN.format(what=what)) from exc
            if not applied(remote):
                raise ChangeNotMade(CHANGE_NOT_MADE.format(what=what)) from exc
            return True, remote


def _client_defaults(remote: K3Client) -> dict[str, Any]:
    return {
        "status": remote.status.strip().lower(),
        "access_type": remote.access_type.strip().upper(),
        "active_periods": {key: period.to_api() for key, period in remote.active_periods.items()},
        "synced_at": timezone.now(),
    }


def _store_client(lock: SmartLock, remote: K3Client, **extra: Any) -> PhoneClient:
    client, _ = PhoneClient.objects.update_or_create(
        lock=lock,
        email=remote.email.strip().lower(),
        defaults={**_client_defaults(remote), **extra},
    )
    return client


def check_periods(periods: Sequence[ActivePeriod], access_type: str) -> dict[str, Any]:
    """The ten rows in the API's shape, once the domain rules and the API's schema allow them."""
    if access_type == AccessType.STANDARD and not period_rules.enabled(periods):
        raise ValidationError(NO_ENABLED_PERIOD)
    payload = period_rules.to_api(periods)
    schema = active_periods_schema()
    problems = schema_problems(payload, schema) if schema else []
    if problems:
        raise ShapeRefused(SHAPE_REFUSED.format(problem="; ".join(problems[:3])))
    return payload


def lock_clients_refresh(
    *, lock: SmartLock, user: AnyUser = None, task: str = "", perpage: int = 50
) -> list[PhoneClient]:
    """Fetch every page of a lock's phone users and upsert them; drop those no longer listed."""
    client_api, remotes, page = api(user, task), [], 1
    with key_in_use(lock.account):
        while True:
            try:
                result = client_api.k3_clients(
                    lock.account.access_key, lock.lock_id, page=page, perpage=perpage
                )
            except NotFound:
                raise mark_gone(lock) from None
            remotes.extend(result.clients)
            if not result.clients or len(remotes) >= result.count:
                break
            page += 1
    return _store_clients(lock, remotes)


@transaction.atomic
def _store_clients(lock: SmartLock, remotes: list[K3Client]) -> list[PhoneClient]:
    stored = [_store_client(lock, remote) for remote in remotes]
    lock.phone_clients.exclude(pk__in=[c.pk for c in stored]).delete()
    lock.clients_synced_at = timezone.now()
    lock.save(update_fields=["clients_synced_at"])
    return stored


def phone_client_invite(
    *,
    lock: SmartLock,
    email: str,
    access_type: str,
    message: str,
    periods: Sequence[ActivePeriod],
    user: AnyUser = None,
    task: str = "",
) -> ClientChange:
    """Invite a registered K3 Connect user to a lock; pending until they accept in the app."""
    email = email.strip().lower()
    payload = check_periods(periods, access_type)
    confirmed, remote = _send_checked(
        lock=lock,
        email=email,
        user=user,
        task=task,
        what=f"inviting {email}",
        send=lambda c, key: c.create_client(
            key, lock.lock_id, email, payload, access_type, message
        ),
        applied=lambda found: found is not None,
    )
    rows = dict(zip(period_rules.PERIOD_KEYS, period_rules.padded(periods), strict=True))
    sent = K3Client(email, lock.lock_id, ClientStatus.PENDING, access_type, rows)
    invited = {"invited_by": user if user and user.is_authenticated else None}
    client = _store_client(lock, remote or sent, invited_at=timezone.now(), **invited)
    logger.info("phone user %s invited to %s", email, lock.lock_id)
    _record(client, user, Verb.PHONE_USER_INVITED)
    text = INVITED_AFTER_TIMEOUT if confirmed else INVITED
    return ClientChange(client=client, message=text.format(email=email))


def _record(client: PhoneClient, user: AnyUser, verb: Verb) -> None:
    """Log a change to a phone user on the lock's timeline and the site's activity log."""
    lock = client.lock
    activity_record(
        site=lock.site,
        actor=user,
        verb=verb,
        target=client if client.pk else None,
        lock=lock,
        target_label=f"{client.email} on {lock}",
        details={"access_type": client.access_type, "periods": client.period_summary},
    )


def _client_missing(client: PhoneClient) -> ClientGone:
    """The phone user is not on the lock any more: forget them here too."""
    client.delete()
    return ClientGone(CLIENT_GONE.format(email=client.email, lock=client.lock))


def phone_client_update_periods(
    *, client: PhoneClient, periods: Sequence[ActivePeriod], user: AnyUser = None, task: str = ""
) -> ClientChange:
    """Replace a phone user's active periods."""
    payload = check_periods(periods, client.access_type)
    lock = client.lock
    try:
        confirmed, _ = _send_checked(
            lock=lock,
            email=client.email,
            user=user,
            task=task,
            what=f"changing the active periods of {client.email}",
            send=lambda c, key: c.update_client(key, lock.lock_id, client.email, payload),
            applied=lambda found: found is not None and _periods_of(found) == payload,
        )
    except NotFound:
        raise _client_missing(client) from None
    client.active_periods = payload
    client.save(update_fields=["active_periods"])
    _record(client, user, Verb.PHONE_USER_CHANGED)
    text = PERIODS_SAVED + (CONFIRMED_AFTER_TIMEOUT if confirmed else "")
    return ClientChange(client=client, message=text.format(email=client.email))


def _periods_of(remote: K3Client) -> dict[str, Any]:
    return period_rules.to_api(period_rules.from_api(_client_defaults(remote)["active_periods"]))


def phone_client_set_state(
    *, client: PhoneClient, action: str, user: AnyUser = None, task: str = ""
) -> ClientChange:
    """Suspend (action SUSPEND) or restore (RESTORE) a phone user."""
    action = action.upper()
    if action not in ("SUSPEND", "RESTORE"):
        raise ValueError("action must be SUSPEND or RESTORE")
    suspend = action == "SUSPEND"
    lock = client.lock
    try:
        confirmed, remote = _send_checked(
            lock=lock,
            email=client.email,
            user=user,
            task=task,
            what=f"{'suspending' if suspend else 'restoring'} {client.email}",
            send=lambda c, key: c.set_client_state(key, lock.lock_id, client.email, action),
            applied=lambda found: (
                found is not None and (found.status.lower() == ClientStatus.SUSPENDED) == suspend
            ),
        )
    except NotFound:
        raise _client_missing(client) from None
    if remote is not None:
        client = _store_client(lock, remote)
    else:
        client.status = ClientStatus.SUSPENDED if suspend else ClientStatus.ACCEPTED
        client.save(update_fields=["status"])
    _record(client, user, Verb.PHONE_USER_SUSPENDED if suspend else Verb.PHONE_USER_RESTORED)
    text = (SUSPENDED if suspend else RESTORED) + (CONFIRMED_AFTER_TIMEOUT if confirmed else "")
    return ClientChange(client=client, message=text.format(email=client.email))


def phone_client_delete(
    *, client: PhoneClient, user: AnyUser = None, task: str = ""
) -> ClientChange:
    """Remove a phone user from a lock (or withdraw a pending invitation)."""
    lock = client.lock
    try:
        confirmed, _ = _send_checked(
            lock=lock,
            email=client.email,
            user=user,
            task=task,
            what=f"removing {client.email}",
            send=lambda c, key: c.delete_client(key, lock.lock_id, client.email),
            applied=lambda found: found is None,
        )
        text = DELETED + (CONFIRMED_AFTER_TIMEOUT if confirmed else "")
    except NotFound:
        text = ALREADY_DELETED
    _record(client, user, Verb.PHONE_USER_REMOVED)
    client.delete()
    logger.info("phone user %s removed from %s", client.email, lock.lock_id)
    return ClientChange(client=None, message=text.format(email=client.email, lock=lock))


@dataclass(frozen=True)
class InviteOutcome:
    """The result of one invitation of a multi-lock invite."""

    lock: SmartLock
    email: str
    ok: bool
    message: str


def phone_clients_invite_many(
    *,
    locks: Sequence[SmartLock],
    emails: Sequence[str],
    access_type: str,
    message: str,
    periods: Sequence[ActivePeriod],
    user: AnyUser = None,
) -> list[InviteOutcome]:
    """Invite the same people to several locks; each lock's result stands on its own."""
    check_periods(periods, access_type)
    quota_guard(ApiCategory.UTILITY, calls=len(locks) * len(emails))
    outcomes = []
    for lock in locks:
        for email in emails:
            try:
                change = phone_client_invite(
                    lock=lock,
                    email=email,
                    access_type=access_type,
                    message=message,
                    periods=periods,
                    user=user,
                )
            except (*USER_FACING_ERRORS, ValidationError) as exc:
                text = getattr(exc, "user_message", None) or " ".join(exc.messages)
                outcomes.append(InviteOutcome(lock, email, ok=False, message=text))
            else:
                outcomes.append(InviteOutcome(lock, email, ok=True, message=change.message))
    return outcomes
