"""One exception per failure the Codelocks Connect API can give, chosen in one place."""

from __future__ import annotations

import json
from typing import Any

__all__ = [
    "AuthenticationError",
    "CodelocksError",
    "ConnectionFailure",
    "ErrorInResponse",
    "InvalidAccessKey",
    "InvalidData",
    "MalformedResponse",
    "NotFound",
    "QuotaExceeded",
    "ServerError",
    "ServiceUnavailable",
    "Timeout",
    "UpstreamError",
    "error_for_status",
]

_API_MESSAGE_LIMIT = 300
INVALID_ACCESS_KEY_TEXT = "invalid accesskey"


class CodelocksError(Exception):
    """Base of every failure raised by the client; carries the status and the raw body."""

    retryable: bool = False
    summary: str = "The Codelocks API call failed."
    detail_prefix: str = ""

    def __init__(
        self,
        message: str,
        *,
        status: int | None = None,
        body: str | None = None,
        operation: str | None = None,
        request_may_have_reached_server: bool = False,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.status = status
        self.body = body
        self.operation = operation
        self.api_message = api_message_from_body(body)
        self.request_may_have_reached_server = request_may_have_reached_server

    @property
    def user_message(self) -> str:
        """Plain-English sentence a portal page can show as it is."""
        if self.detail_prefix and self.api_message:
            return f"{self.detail_prefix}: {self.api_message}"
        return self.summary


class InvalidData(CodelocksError):
    """400: the API refused the data sent."""

    summary = "The Codelocks API refused the data sent."
    detail_prefix = "The Codelocks API refused the data sent"


class AuthenticationError(CodelocksError):
    """403: the API key is missing or not accepted."""

    summary = (
        "The Codelocks API did not accept the API key. Check the key configured for the portal."
    )


class InvalidAccessKey(AuthenticationError):
    """The K3 Connect access key is not known (the API answers the text `Invalid accesskey`)."""

    summary = (
        "The K3 Connect access key was not accepted. Copy it again from the User section "
        "of the K3 Connect app."
    )


class NotFound(CodelocksError):
    """404: a required parameter is missing or the lock is unknown."""

    summary = "The Codelocks API could not find what was asked for."
    detail_prefix = "The Codelocks API could not find what was asked for"


class QuotaExceeded(CodelocksError):
    """429: the monthly usage plan is used up."""

    summary = (
        "The monthly API quota is used up. Upgrade the plan or buy a usage bolt-on from "
        "Codelocks, or wait for next month."
    )


class ServerError(CodelocksError):
    """500 (or another unexpected 5xx): the API failed internally."""

    retryable = True
    summary = "The Codelocks API had an internal error. Try again in a moment."


class UpstreamError(CodelocksError):
    """502: the API could not reach the service behind it."""

    retryable = True
    summary = "The Codelocks API could not reach its own back end. Try again in a moment."


class ServiceUnavailable(CodelocksError):
    """503/504: the API is overloaded or its gateway timed out."""

    retryable = True
    summary = "The Codelocks API is unavailable right now. Try again in a few minutes."


class Timeout(CodelocksError):
    """The API did not answer within the configured time."""

    retryable = True

    @property
    def user_message(self) -> str:
        """Plain-English sentence; warns when a change may have been made anyway."""
        if self.request_may_have_reached_server and self.operation_changes_state:
            return (
                "The Codelocks API did not answer in time. The change may have been made "
                "anyway: check the current state before trying again."
            )
        return "The Codelocks API did not answer in time. Try again in a moment."

    @property
    def operation_changes_state(self) -> bool:
        """Whether the timed-out call was a POST/PUT/PATCH/DELETE."""
        return self.operation in _STATE_CHANGING_OPERATIONS


class ConnectionFailure(CodelocksError):
    """The API could not be reached (DNS, refused, reset, dropped connection)."""

    retryable = True
    summary = "Could not connect to the Codelocks API. Check the network and try again."


class MalformedResponse(CodelocksError):
    """The API answered with a body that is not of the documented shape."""

    summary = "The Codelocks API sent an answer that could not be understood."


class ErrorInResponse(CodelocksError):
    """The API answered 200 but the body reports an error."""

    summary = "The Codelocks API reported an error."
    detail_prefix = "The Codelocks API reported an error"


_STATE_CHANGING_OPERATIONS = frozenset(
    {"create_client", "update_client", "set_client_state", "delete_client"}
)

_STATUS_CLASSES: dict[int, type[CodelocksError]] = {
    400: InvalidData,
    403: AuthenticationError,
    404: NotFound,
    429: QuotaExceeded,
    500: ServerError,
    502: UpstreamError,
    503: ServiceUnavailable,
    504: ServiceUnavailable,
}


def error_for_status(
    status: int, *, body: str | None = None, operation: str | None = None
) -> CodelocksError:
    """Build the error that an HTTP status (and its body) stands for."""
    cls = _STATUS_CLASSES.get(status)
    if cls is None:
        cls = ServerError if status >= 500 else CodelocksError
    if cls is AuthenticationError and is_invalid_access_key_body(body):
        cls = InvalidAccessKey
    text = api_message_from_body(body)
    label = operation or "request"
    message = f"{label}: HTTP {status}" + (f": {text}" if text else "")
    return cls(message, status=status, body=body, operation=operation)


def is_invalid_access_key_body(body: str | None) -> bool:
    """Whether a body is the API's plain-text answer to an unknown access key."""
    if not body:
        return False
    text = body.strip().strip('"').strip()
    return text.lower() == INVALID_ACCESS_KEY_TEXT


def api_message_from_body(body: str | None) -> str | None:
    """The human message the API put in a body (`message`, `error` or short plain text)."""
    if not body:
        return None
    try:
        data: Any = json.loads(body)
    except ValueError:
        data = body.strip()
    if isinstance(data, dict):
        for key in ("message", "Message", "error", "errorMessage"):
            value = data.get(key)
            if isinstance(value, str) and value.strip():
                return _shorten(value.strip())
        return None
    if isinstance(data, str) and data and not data.lstrip().startswith("<"):
        return _shorten(data)
    return None


def _shorten(text: str) -> str:
    """Keep an API message to one readable line."""
    text = " ".join(text.split())
    if len(text) > _API_MESSAGE_LIMIT:
        return text[: _API_MESSAGE_LIMIT - 1] + "…"
    return text
