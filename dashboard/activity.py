"""Writing the activity log: one call per thing a person did, with no secret in it."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from django.utils import timezone

from dashboard.models import ActivityEvent, Verb

if TYPE_CHECKING:
    from django.db.models import Model

    from locks.models import Site
    from locks.models.sites import AnyUser

SYSTEM_ACTOR = "Keyhouse"
DETAILS_REFUSED = "Activity details must never hold a secret; refused the key “{key}”."
# Keys that would carry a code, a key or a master code; details with any of them are refused.
SECRET_KEYS = frozenset(
    {
        "code",
        "netcode",
        "actual_netcode",
        "access_key",
        "accesskey",
        "key",
        "master_code",
        "mastercode",
        "sequence",
        "init_seq",
        "pending_sequence",
        "password",
        "token",
        "secret",
    }
)
LOCK_KINDS = {"kitlock": "kitlock", "smartlock": "smartlock"}


def _check_no_secrets(details: Mapping[str, Any]) -> None:
    for key, value in details.items():
        if str(key).lower() in SECRET_KEYS:
            raise ValueError(DETAILS_REFUSED.format(key=key))
        if isinstance(value, Mapping):
            _check_no_secrets(value)


def lock_ref(lock: Model | None) -> tuple[str, int | None]:
    """The (kind, pk) a lock is filed under in the log: "kitlock" or "smartlock"."""
    if lock is None:
        return "", None
    return LOCK_KINDS[lock._meta.model_name], lock.pk


def activity_record(
    *,
    site: Site,
    actor: AnyUser | None,
    verb: Verb,
    target_label: str,
    target: Model | None = None,
    lock: Model | None = None,
    details: Mapping[str, Any] | None = None,
) -> ActivityEvent:
    """Append one event to the site's activity log (who did what to which object)."""
    details = dict(details or {})
    _check_no_secrets(details)
    known = actor is not None and actor.is_authenticated
    lock_kind, lock_pk = lock_ref(lock)
    return ActivityEvent.objects.create(
        site=site,
        actor=actor if known else None,
        actor_name=actor.get_username() if known else SYSTEM_ACTOR,
        verb=verb,
        target_kind=target._meta.model_name if target is not None else "",
        target_id=target.pk if target is not None else None,
        target_label=str(target_label)[:200],
        lock_kind=lock_kind,
        lock_pk=lock_pk,
        details=details,
        created_at=timezone.now(),
    )
