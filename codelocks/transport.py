"""HTTP plumbing: a session with a default timeout, the retry loop, the hook, log hygiene."""

from __future__ import annotations

import ipaddress
import logging
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal
from urllib.parse import urlsplit

import requests
from urllib3.exceptions import NameResolutionError, NewConnectionError

from .errors import CodelocksError, ConnectionFailure, Timeout, error_for_status
from .parsing import decode_body, parse_with
from .types import CallRecord

logger = logging.getLogger("codelocks")

RETRY_METHODS = frozenset({"GET"})
_SECRET_QUERY = re.compile(r"(?i)\b(accesskey|identifier|mastercode)=[^&\s\"']*")


class TimeoutSession(requests.Session):
    """A requests session that never waits forever: every call gets a finite timeout."""

    def __init__(self, timeout: float) -> None:
        super().__init__()
        self.default_timeout = timeout

    def request(self, method: str | bytes, url: str | bytes, *args: Any, **kwargs: Any) -> Any:
        """Send a request, adding the default timeout when none was given."""
        if kwargs.get("timeout") is None:
            kwargs["timeout"] = self.default_timeout
        return super().request(method, url, *args, **kwargs)


class _RedactQuerySecrets(logging.Filter):
    """Blank access keys and identifiers out of urllib3's request lines."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if _SECRET_QUERY.search(message):
            record.msg = _SECRET_QUERY.sub(lambda m: f"{m.group(1)}=***", message)
            record.args = ()
        return True


def install_log_redaction() -> None:
    """Keep K3 access keys out of urllib3's debug log (it logs full URLs)."""
    pool_logger = logging.getLogger("urllib3.connectionpool")
    if not any(isinstance(f, _RedactQuerySecrets) for f in pool_logger.filters):
        pool_logger.addFilter(_RedactQuerySecrets())


def check_base_url(base_url: str) -> str:
    """Allow https anywhere and plain http only to loopback; give the URL without a final /."""
    parts = urlsplit(str(base_url).strip())
    host = (parts.hostname or "").lower()
    if not host or parts.query or parts.fragment:
        raise ValueError("base_url must look like https://host[:port][/prefix]")
    if parts.scheme == "https":
        return parts.geturl().rstrip("/")
    if parts.scheme == "http" and is_loopback(host):
        return parts.geturl().rstrip("/")
    raise ValueError("base_url must use https:// (plain http is allowed only to loopback)")


def is_loopback(host: str) -> bool:
    """Whether a host name or address is this machine."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


@dataclass(frozen=True)
class Call:
    """What one client method asks of the transport."""

    operation: str
    method: str
    path: str
    query: str = ""
    form: str | None = None
    parse: Callable[[Any], Any] = lambda data: data

    @property
    def category(self) -> Literal["netcode", "utility"]:
        """Which usage counter of the plan the call is billed to."""
        return "netcode" if self.path.startswith("/n/1/netcode") else "utility"


class Transport:
    """Sends calls with retries for GETs, reports every attempt, maps failures to errors."""

    def __init__(
        self,
        *,
        api_key: str,
        base_url: str,
        timeout: float,
        session: requests.Session | None,
        on_request: Callable[[CallRecord], None] | None,
        max_retries: int,
        backoff: float,
        sleep: Callable[[float], None],
    ) -> None:
        self.base_url = base_url
        self.timeout = timeout
        self.session = session if session is not None else TimeoutSession(timeout)
        self.on_request = on_request
        self.max_retries = max_retries
        self.backoff = backoff
        self.sleep = sleep
        self._headers = {"x-api-key": api_key, "Accept": "application/json"}

    def __repr__(self) -> str:
        return f"Transport(base_url={self.base_url!r})"

    def send(self, call: Call) -> Any:
        """Run a call to its parsed result, retrying a GET on transient failures."""
        attempts = 1 + (self.max_retries if call.method in RETRY_METHODS else 0)
        for attempt in range(1, attempts + 1):
            started = time.monotonic()
            result, error, status = self._attempt(call)
            self._report(call, status, time.monotonic() - started, error)
            if error is None:
                return result
            if attempt == attempts or not _worth_retrying(call, error):
                raise error
            delay = self.backoff * (2 ** (attempt - 1))
            logger.warning(
                "codelocks %s attempt %d failed (%s); retrying in %.2fs",
                call.operation,
                attempt,
                type(error).__name__,
                delay,
            )
            self.sleep(delay)
        raise AssertionError("unreachable")  # pragma: no cover

    def _attempt(self, call: Call) -> tuple[Any, CodelocksError | None, int | None]:
        """One HTTP exchange: (result, None, status) or (None, error, status)."""
        response, error = self._exchange(call)
        if response is None:
            return None, error, None
        status, text = response.status_code, response.text
        if not 200 <= status < 300:
            return None, error_for_status(status, body=text, operation=call.operation), status
        try:
            data = decode_body(text, call.operation, status)
            result = parse_with(
                call.parse, data, operation=call.operation, status=status, body=text
            )
        except CodelocksError as exc:
            return None, exc, status
        return result, None, status

    def _exchange(self, call: Call) -> tuple[requests.Response | None, CodelocksError | None]:
        """Send the request; transport failures become errors with no URL in them."""
        url = self.base_url + call.path + (f"?{call.query}" if call.query else "")
        headers = dict(self._headers)
        if call.form is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        failure: str | None = None
        try:
            response = self.session.request(
                call.method, url, data=call.form, headers=headers, timeout=self.timeout
            )
        except requests.exceptions.ConnectTimeout:
            failure = "connect-timeout"
        except requests.exceptions.Timeout:
            failure = "read-timeout"
        except requests.exceptions.RequestException as exc:
            failure = "refused" if _never_connected(exc) else "broken"
        if failure is None:
            return response, None
        return None, _transport_error(call, failure)

    def _report(
        self, call: Call, status: int | None, elapsed: float, error: CodelocksError | None
    ) -> None:
        """Tell the hook about one attempt; a failing hook is logged, never raised."""
        logger.debug("codelocks %s %s -> %s in %.3fs", call.operation, call.method, status, elapsed)
        if self.on_request is None:
            return
        record = CallRecord(
            operation=call.operation,
            category=call.category,
            method=call.method,
            status=status,
            elapsed=elapsed,
            error=type(error).__name__ if error is not None else None,
        )
        try:
            self.on_request(record)
        except Exception:
            logger.warning("codelocks on_request hook failed for %s", call.operation, exc_info=True)


def _never_connected(exc: BaseException) -> bool:
    """Whether a requests failure happened before any byte reached the server."""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if isinstance(current, NewConnectionError | NameResolutionError):
            return True
        nested = current.args[0] if current.args else None
        reason = getattr(current, "reason", None) or (
            nested if isinstance(nested, BaseException) else None
        )
        current = reason or current.__cause__ or current.__context__
    return False


def _transport_error(call: Call, failure: str) -> CodelocksError:
    """The error for a request that got no HTTP answer."""
    is_write = call.method not in RETRY_METHODS
    if failure.endswith("timeout"):
        # A write that timed out is reported as possibly done, so the caller reads back state.
        reached = is_write or failure == "read-timeout"
        return Timeout(
            f"{call.operation}: no answer within the timeout ({failure})",
            operation=call.operation,
            request_may_have_reached_server=reached,
        )
    text = "could not connect" if failure == "refused" else "the connection broke"
    return ConnectionFailure(
        f"{call.operation}: {text}",
        operation=call.operation,
        request_may_have_reached_server=is_write and failure == "broken",
    )


def _worth_retrying(call: Call, error: CodelocksError) -> bool:
    """Retry only GETs, only transient failures, and never a read timeout."""
    if call.method not in RETRY_METHODS or not error.retryable:
        return False
    return not (isinstance(error, Timeout) and error.request_may_have_reached_server)
