"""CodelocksClient: one method per documented operation of the Codelocks Connect API."""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from datetime import datetime
from typing import Any

import requests

from . import parsing
from .transport import Call, Transport, check_base_url, install_log_redaction
from .types import (
    AuditEntry,
    CallRecord,
    ClientPage,
    ClientResult,
    Duration,
    DurationInfo,
    InitSequence,
    K3Account,
    K3Lock,
    Mode,
    NetCode,
    SpcConfig,
)
from .wire import (
    ActivePeriodsInput,
    encode_active_periods,
    encode_form,
    encode_query,
    format_bool,
    format_start,
    path_segment,
    require_choice,
    require_int,
)

DEFAULT_BASE_URL = "https://api-connect.codelocks.io"
ACCESS_TYPES = ("STANDARD", "ONE_TIME")
CLIENT_ACTIONS = ("SUSPEND", "RESTORE")
PAGE_ORDERS = ("ascending", "descending")


class CodelocksClient:
    """A typed client of the Codelocks Connect API (v1); knows nothing of the portal."""

    def __init__(
        self,
        api_key: str,
        base_url: str = DEFAULT_BASE_URL,
        timeout: float = 10,
        *,
        on_request: Callable[[CallRecord], None] | None = None,
        max_retries: int = 3,
        backoff: float = 0.5,
        session: requests.Session | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        if not isinstance(api_key, str) or not api_key.strip():
            raise ValueError("api_key must be a non-empty string")
        if not isinstance(timeout, int | float) or not 0 < timeout < math.inf:
            raise ValueError("timeout must be a finite number of seconds above 0")
        if isinstance(max_retries, bool) or not isinstance(max_retries, int) or max_retries < 0:
            raise ValueError("max_retries must be an integer of 0 or more")
        if backoff < 0:
            raise ValueError("backoff must not be negative")
        install_log_redaction()
        self._transport = Transport(
            api_key=api_key.strip(),
            base_url=check_base_url(base_url),
            timeout=float(timeout),
            session=session,
            on_request=on_request,
            max_retries=max_retries,
            backoff=float(backoff),
            sleep=sleep,
        )

    def __repr__(self) -> str:
        return f"CodelocksClient(base_url={self.base_url!r})"

    @property
    def base_url(self) -> str:
        """The API root this client talks to."""
        return self._transport.base_url

    def _get(
        self, operation: str, path: str, params: dict[str, str], parse: Callable[[Any], Any]
    ) -> Any:
        """Send a GET with the query written as the vendor's examples write it."""
        call = Call(operation, "GET", path, query=encode_query(params), parse=parse)
        return self._transport.send(call)

    def _write(self, operation: str, method: str, path: str, form: dict[str, str]) -> ClientResult:
        """Send a POST/PUT/PATCH/DELETE with a form body; never retried."""
        call = Call(operation, method, path, form=encode_form(form), parse=parsing.client_result)
        return self._transport.send(call)

    def netcode(
        self, lock_ref: str, start: datetime, duration: int, lockmodel: str, identifier: str
    ) -> NetCode:
        """Generate a NetCode; `start` is the wall time on the lock's clock."""
        params = {
            "start": format_start(start),
            "duration": require_int(duration, "duration"),
            "lockmodel": str(lockmodel).strip(),
            "identifier": str(identifier).strip(),
        }
        path = f"/n/1/netcode/{path_segment(lock_ref, 'lock_ref')}"
        return self._get("netcode", path, params, parsing.netcode)

    def init_sequence(
        self,
        lockmodel: str | None = None,
        mastercode: str | None = None,
        timezone: str | None = None,
        randomid: bool | None = None,
    ) -> InitSequence:
        """Get a KitLock initialisation sequence (KL1060, KL1060C2, KL1550)."""
        params: dict[str, str] = {}
        if lockmodel is not None:
            params["lockmodel"] = str(lockmodel).strip()
        if mastercode is not None:
            params["mastercode"] = str(mastercode).strip()
        if timezone is not None:
            params["timezone"] = str(timezone).strip()
        if randomid is not None:
            params["randomid"] = format_bool(randomid)
        return self._get("init_sequence", "/u/1/init", params, parsing.init_sequence)

    def durations(self, lockmodel: str | None = None) -> list[Duration]:
        """List the NetCode duration ids (for one lock model, or all)."""
        params = _with_model({"operation": "DURATIONS"}, lockmodel)
        return self._get("durations", "/u/1/durations", params, parsing.durations)

    def modes(self, lockmodel: str | None = None) -> list[Mode]:
        """List the NetCode modes (for one lock model, or all)."""
        params = _with_model({"operation": "MODES"}, lockmodel)
        return self._get("modes", "/u/1/durations", params, parsing.modes)

    def duration(self, duration_id: int, lockmodel: str | None = None) -> DurationInfo:
        """Get the rules, length and mode of one duration id."""
        path = f"/u/1/duration/{require_int(duration_id, 'duration_id')}"
        return self._get("duration", path, _with_model({}, lockmodel), parsing.duration_info)

    def k3_locks(self, accesskey: str) -> list[K3Lock]:
        """List the smart locks of the K3 Connect account behind an access key."""
        params = {"accesskey": _key(accesskey)}
        return self._get("k3_locks", "/u/1/k3connect", params, parsing.k3_locks)

    def k3_lock(self, accesskey: str, lock_id: str) -> K3Lock:
        """Get one smart lock of the account."""
        path = f"/u/1/k3connect/{path_segment(lock_id, 'lock_id')}"
        return self._get("k3_lock", path, {"accesskey": _key(accesskey)}, parsing.k3_lock)

    def k3_account(self, accesskey: str) -> K3Account:
        """Get the e-mail and status of the account behind an access key."""
        params = {"accesskey": _key(accesskey)}
        return self._get("k3_account", "/u/1/k3connect/account", params, parsing.k3_account)

    def k3_clients(
        self, accesskey: str, lock_id: str, page: int = 1, perpage: int = 50
    ) -> ClientPage:
        """Get one page of a lock's phone clients."""
        params = {
            "accesskey": _key(accesskey),
            "page": require_int(page, "page", minimum=1),
            "perpage": require_int(perpage, "perpage", minimum=1),
        }
        path = f"/u/1/k3connect/{path_segment(lock_id, 'lock_id')}/clients"
        return self._get("k3_clients", path, params, parsing.client_page)

    def create_client(
        self,
        accesskey: str,
        lock_id: str,
        email: str,
        active_periods: ActivePeriodsInput,
        accesstype: str,
        message: str,
    ) -> ClientResult:
        """Invite a registered K3 Connect user to become a phone client of a lock."""
        form = {
            "accesskey": _key(accesskey),
            "clientemail": str(email).strip(),
            "activeperiods": encode_active_periods(active_periods),
            "accesstype": require_choice(accesstype, "accesstype", ACCESS_TYPES),
            "message": str(message),
        }
        return self._write("create_client", "POST", _client_path(lock_id), form)

    def update_client(
        self, accesskey: str, lock_id: str, email: str, active_periods: ActivePeriodsInput
    ) -> ClientResult:
        """Replace the active periods of a phone client."""
        form = {
            "accesskey": _key(accesskey),
            "clientemail": str(email).strip(),
            "activeperiods": encode_active_periods(active_periods),
        }
        return self._write("update_client", "PUT", _client_path(lock_id), form)

    def set_client_state(
        self, accesskey: str, lock_id: str, email: str, action: str
    ) -> ClientResult:
        """Suspend or restore a phone client (action SUSPEND or RESTORE)."""
        form = {
            "accesskey": _key(accesskey),
            "clientemail": str(email).strip(),
            "action": require_choice(action, "action", CLIENT_ACTIONS),
        }
        return self._write("set_client_state", "PATCH", _client_path(lock_id), form)

    def delete_client(self, accesskey: str, lock_id: str, email: str) -> ClientResult:
        """Remove a phone client from a lock."""
        form = {"accesskey": _key(accesskey), "clientemail": str(email).strip()}
        return self._write("delete_client", "DELETE", _client_path(lock_id), form)

    def k3_audit(
        self,
        accesskey: str,
        lock_id: str,
        page: int = 1,
        perpage: int = 50,
        pageorder: str = "descending",
    ) -> list[AuditEntry]:
        """Get one page of a lock's audit entries."""
        params = {
            "accesskey": _key(accesskey),
            "page": require_int(page, "page", minimum=1),
            "perpage": require_int(perpage, "perpage", minimum=1),
            "pageorder": require_choice(pageorder, "pageorder", PAGE_ORDERS),
        }
        path = f"/u/1/k3connect/{path_segment(lock_id, 'lock_id')}/audit"
        return self._get("k3_audit", path, params, parsing.audit_entries)

    def spc_config(self) -> SpcConfig:
        """Get the sample JSON and schema of the active-periods structure."""
        path = "/u/1/k3connect/help/spcconfig"
        return self._get("spc_config", path, {}, parsing.spc_config)


def _with_model(params: dict[str, str], lockmodel: str | None) -> dict[str, str]:
    """Add the optional lockmodel parameter."""
    if lockmodel is not None:
        params["lockmodel"] = str(lockmodel).strip()
    return params


def _key(accesskey: str) -> str:
    """Check an access key is given (its value is never shown anywhere)."""
    if not isinstance(accesskey, str) or not accesskey.strip():
        raise ValueError("accesskey must be a non-empty string")
    return accesskey.strip()


def _client_path(lock_id: str) -> str:
    """The path of the phone-client operations of a lock."""
    return f"/u/1/k3connect/{path_segment(lock_id, 'lock_id')}/client"
