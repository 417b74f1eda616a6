"""The API operations the sandbox answers: routes and the NetCode/utility handlers."""

from __future__ import annotations

import hmac
import re
from collections.abc import Callable
from dataclasses import dataclass
from zoneinfo import available_timezones

from . import k3_api, netcode
from .http import ApiFailure, Reply, Request
from .k3 import check_lock_id, find_account
from .state import SandboxState

Handler = Callable[[SandboxState, Request, dict[str, str]], Reply]


@dataclass(frozen=True)
class Route:
    """A documented operation: its method, path pattern, name and handler."""

    method: str
    pattern: re.Pattern[str]
    operation: str
    handler: Handler

    @property
    def category(self) -> str:
        """Which usage counter the operation spends."""
        return "netcode" if self.operation == "netcode" else "utility"


def handle_netcode(state: SandboxState, request: Request, params: dict[str, str]) -> Reply:
    """GET /n/1/netcode/{id}: a NetCode for a KitLock or a K3Connect lock."""
    lock_ref = params.get("id", "").strip()
    if not lock_ref:
        raise ApiFailure(404, "Missing required parameter: id")
    start_raw = request.required("start")
    duration_raw = request.required("duration")
    model = netcode.normalise_model(request.required("lockmodel"))
    identifier = request.required("identifier")
    entry = netcode.duration_for(duration_raw, model)
    start = netcode.parse_start(start_raw, entry)
    if model == "K3CONNECT":
        lock_id = check_lock_id(lock_ref)
        find_account(state.accounts, identifier).lock(lock_id)
        timecode = start
    else:
        timecode = netcode.check_kitlock(lock_ref, model, identifier)
        lock_id = identifier
    answer = netcode.netcode_answer(
        lock_ref=lock_ref,
        lock_id=lock_id,
        start=start,
        entry=entry,
        model=model,
        identifier=identifier,
        timecode=timecode,
    )
    return Reply.json(200, answer)


def handle_init(state: SandboxState, request: Request, params: dict[str, str]) -> Reply:
    """GET /u/1/init: an initialisation sequence for KL1060, KL1060C2 or KL1550."""
    model = netcode.normalise_model(request.optional("lockmodel") or "KL1060", netcode.INIT_MODELS)
    zone = request.optional("timezone")
    if zone is not None and zone not in _time_zones():
        raise ApiFailure(400, f"Invalid timezone {zone!r}; use a name such as Europe/London")
    randomid = (request.optional("randomid") or "false").lower()
    if randomid not in ("true", "false"):
        raise ApiFailure(400, "Invalid randomid; allowed values: true, false")
    answer = netcode.init_answer(
        model=model,
        mastercode=request.optional("mastercode"),
        randomid=randomid == "true",
        now=state.clock.now(),
        rng=state.rng,
    )
    return Reply.json(200, answer)


def _time_zones() -> set[str]:
    """The time-zone names the sandbox knows (UTC at least, if the system has none)."""
    return available_timezones() | {"UTC"}


def handle_durations(state: SandboxState, request: Request, params: dict[str, str]) -> Reply:
    """GET /u/1/durations: the duration ids, or the modes with operation=MODES."""
    model = _optional_model(request)
    if _durations_operation(request) == "modes":
        return Reply.json(200, netcode.mode_rows(model))
    return Reply.json(200, netcode.duration_rows(model))


def _durations_operation(request: Request) -> str:
    """`durations` or `modes`, from the operation parameter (default durations)."""
    value = (request.optional("operation") or "DURATIONS").upper()
    if value not in ("DURATIONS", "MODES"):
        raise ApiFailure(400, "Invalid operation; allowed values: DURATIONS, MODES")
    return value.lower()


def _optional_model(request: Request) -> str | None:
    """The optional lockmodel parameter, checked."""
    raw = request.optional("lockmodel")
    return netcode.normalise_model(raw) if raw is not None else None


def handle_duration(state: SandboxState, request: Request, params: dict[str, str]) -> Reply:
    """GET /u/1/duration/{id}: the rules of one duration id."""
    raw_id = params.get("id", "").strip()
    if not raw_id:
        raise ApiFailure(404, "Missing required parameter: id")
    return Reply.json(200, netcode.duration_info(raw_id, _optional_model(request)))


def _route(method: str, pattern: str, operation: str, handler: Handler) -> Route:
    """A route whose pattern matches the whole path."""
    return Route(method, re.compile(f"^{pattern}$"), operation, handler)


_ID = r"(?P<id>[^/]+)"
_K3 = "/u/1/k3connect"
ROUTES = (
    _route("GET", f"/n/1/netcode/{_ID}", "netcode", handle_netcode),
    _route("GET", "/n/1/netcode/?", "netcode", handle_netcode),
    _route("GET", "/u/1/init", "init_sequence", handle_init),
    _route("GET", "/u/1/durations", "durations", handle_durations),
    _route("GET", f"/u/1/duration/{_ID}", "duration", handle_duration),
    _route("GET", "/u/1/duration/?", "duration", handle_duration),
    _route("GET", f"{_K3}/help/spcconfig", "spc_config", k3_api.handle_spc_config),
    _route("GET", f"{_K3}/account", "k3_account", k3_api.handle_account),
    _route("GET", f"{_K3}/?", "k3_locks", k3_api.handle_locks),
    _route("GET", f"{_K3}/{_ID}", "k3_lock", k3_api.handle_lock),
    _route("GET", f"{_K3}/{_ID}/clients", "k3_clients", k3_api.handle_clients),
    _route("GET", f"{_K3}/{_ID}/audit", "k3_audit", k3_api.handle_audit),
    _route("POST", f"{_K3}/{_ID}/client", "create_client", k3_api.handle_create_client),
    _route("PUT", f"{_K3}/{_ID}/client", "update_client", k3_api.handle_update_client),
    _route("PATCH", f"{_K3}/{_ID}/client", "set_client_state", k3_api.handle_client_state),
    _route("DELETE", f"{_K3}/{_ID}/client", "delete_client", k3_api.handle_delete_client),
)


def find_route(request: Request) -> tuple[Route, dict[str, str], str] | None:
    """The route of a request, its path parameters and its operation name."""
    for route in ROUTES:
        if route.method != request.method:
            continue
        found = route.pattern.match(request.path)
        if found:
            operation = route.operation
            if operation == "durations" and _is_modes(request):
                operation = "modes"
            return route, found.groupdict(), operation
    return None


def _is_modes(request: Request) -> bool:
    """Whether a durations call asks for the modes."""
    return request.query.get("operation", "").strip().upper() == "MODES"


def answer(
    state: SandboxState, request: Request, match: tuple[Route, dict[str, str], str] | None
) -> Reply:
    """Answer an API request as the gateway and the service would: auth, quota, operation."""
    if match is None:
        # An unknown resource on the real (API Gateway) service answers this 403.
        return Reply.json(403, {"message": "Missing Authentication Token"})
    route, params, _operation = match
    if not _key_matches(request.headers.get("x-api-key", ""), state.api_key):
        return Reply.json(403, {"message": "Forbidden"})
    with state.lock:
        if not state.spend(route.category):
            return Reply.json(429, {"message": "Limit Exceeded"})
        try:
            return route.handler(state, request, params)
        except ApiFailure as failure:
            return failure.reply()


def _key_matches(given: str, expected: str) -> bool:
    """Compare API keys in constant time."""
    return bool(given) and hmac.compare_digest(given.encode(), expected.encode())
