"""Failures of the K3 services that a page shows as they are, beside the API's own errors."""

from __future__ import annotations

from codelocks.errors import CodelocksError
from netcodes.quota import QuotaExhausted

LOCK_GONE = (
    "“{lock}” is no longer on the K3 Connect account {email}. It is kept here with its "
    "history, marked as removed; re-add it in the K3 Connect app if that was a mistake."
)
CHANGE_NOT_MADE = (
    "The Codelocks API did not answer, and reading the lock back shows the change was not "
    "made: {what}. Nothing changed; you can try again."
)
CHANGE_UNKNOWN = (
    "The Codelocks API did not answer, and the lock could not be read back to check whether "
    "the change was made ({what}). Refresh the phone users in a moment to see the real state."
)
KEY_REJECTED = (
    "The K3 Connect account {email} no longer accepts the access key Keyhouse holds (it was "
    "changed or revoked in the app). An Admin must replace the key on the account's page; "
    "until then no lock, phone user or NetCode call for it can work."
)
CLIENT_GONE = "{email} is no longer a phone user of “{lock}”; the list has been updated."
SHAPE_REFUSED = (
    "Keyhouse refused to send these active periods because they do not match the API's "
    "schema ({problem}). Nothing was sent."
)


class K3Failure(Exception):
    """A failure a page shows with `user_message`; nothing was saved half-done."""

    def __init__(self, user_message: str) -> None:
        super().__init__(user_message)
        self.user_message = user_message


class KeyRejected(K3Failure):
    """The account's stored access key was refused by the API."""


class ClientGone(K3Failure):
    """The phone user is no longer on the lock."""


class LockGone(K3Failure):
    """The lock is no longer on the account (the API answered 404)."""


class ChangeNotMade(K3Failure):
    """A write timed out and reading back shows it did not happen."""


class ChangeUnknown(K3Failure):
    """A write timed out and reading back failed too."""


class ShapeRefused(K3Failure):
    """The active periods do not match the API's published schema."""


# What a view catches and shows with `exc.user_message`.
USER_FACING_ERRORS = (CodelocksError, QuotaExhausted, K3Failure)
