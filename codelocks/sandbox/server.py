"""The sandbox HTTP server: stdlib ThreadingHTTPServer, usable as a process or in-process."""

from __future__ import annotations

import ipaddress
import logging
import os
import socket
import threading
from collections.abc import Iterable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from .api import answer, find_route
from .control import handle_control
from .faults import FaultRule, rule_from_json
from .http import Reply, Request
from .state import SandboxState

logger = logging.getLogger("codelocks.sandbox")
MAX_BODY = 10 * 1024 * 1024
DEFAULT_ACCESSKEYS = ("2ym1989dzx",)


class _Server(ThreadingHTTPServer):
    """A threading server that knows its sandbox and keeps quiet about closed sockets."""

    daemon_threads = True
    sandbox: SandboxServer

    def handle_error(self, request: Any, client_address: Any) -> None:
        """Log a handler failure briefly; a client that hung up is not news."""
        logger.debug("sandbox connection from %s ended abruptly", client_address, exc_info=True)


class _Server6(_Server):
    """The same on IPv6."""

    address_family = socket.AF_INET6


class _Handler(BaseHTTPRequestHandler):
    """Turns HTTP into Request/Reply and back."""

    server: _Server
    server_version = "CodelocksSandbox/1"

    def do_GET(self) -> None:
        """Answer a GET."""
        self._handle()

    do_POST = do_PUT = do_PATCH = do_DELETE = do_GET

    def _handle(self) -> None:
        """Read the request, let the sandbox answer, write the answer."""
        request = self._read_request()
        sandbox = self.server.sandbox
        reply = sandbox.dispatch(request, self.client_address[0])
        if reply.drop:
            self.close_connection = True
            self.connection.shutdown(socket.SHUT_RDWR)
            return
        self.send_response(reply.status)
        self.send_header("Content-Type", reply.content_type)
        self.send_header("Content-Length", str(len(reply.body)))
        self.end_headers()
        self.wfile.write(reply.body)

    def _read_request(self) -> Request:
        """Decode path, query, headers and a form body."""
        parts = urlsplit(self.path)
        length = min(int(self.headers.get("Content-Length") or 0), MAX_BODY)
        body = self.rfile.read(length) if length else b""
        headers = {key.lower(): value for key, value in self.headers.items()}
        form: dict[str, str] = {}
        if "application/x-www-form-urlencoded" in headers.get("content-type", ""):
            form = _first_values(parse_qsl(body.decode("utf-8", "replace"), keep_blank_values=True))
        return Request(
            method=self.command,
            path=parts.path,
            query=_first_values(parse_qsl(parts.query, keep_blank_values=True)),
            form=form,
            headers=headers,
            body=body,
        )

    def log_message(self, format: str, *args: Any) -> None:
        """Log requests without their query strings (they carry access keys)."""
        logger.info("%s %s", self.command, urlsplit(self.path).path)


def _first_values(pairs: Iterable[tuple[str, str]]) -> dict[str, str]:
    """A parameter given twice counts once, the first time."""
    values: dict[str, str] = {}
    for key, value in pairs:
        values.setdefault(key, value)
    return values


def _is_loopback(host: str) -> bool:
    """Whether a peer address is this machine."""
    try:
        return ipaddress.ip_address(host.split("%")[0]).is_loopback
    except ValueError:
        return False


class SandboxServer:
    """A stand-in Codelocks Connect API on a local port; `state` is open to tests."""

    def __init__(
        self,
        *,
        api_key: str,
        plan: str = "business-1",
        k3_accesskeys: Iterable[str] = DEFAULT_ACCESSKEYS,
        host: str = "127.0.0.1",
        port: int = 0,
        state_file: str | os.PathLike[str] | None = None,
        seed: int = 0,
        faults: Iterable[FaultRule | dict[str, Any]] = (),
    ) -> None:
        if not api_key:
            raise ValueError("api_key must not be empty")
        self.state = SandboxState(
            api_key=api_key,
            plan=plan,
            k3_accesskeys=tuple(k3_accesskeys),
            seed=seed,
            state_file=state_file,
        )
        rules = [r if isinstance(r, FaultRule) else rule_from_json(r) for r in faults]
        self.state.faults.replace(rules)
        server_class = _Server6 if ":" in host else _Server
        self._httpd = server_class((host, port), _Handler)
        self._httpd.sandbox = self
        self._stopping = False
        self._thread: threading.Thread | None = None

    @property
    def host(self) -> str:
        """The address the server listens on."""
        return str(self._httpd.server_address[0])

    @property
    def port(self) -> int:
        """The port the server listens on (the free one chosen when port=0)."""
        return int(self._httpd.server_address[1])

    @property
    def url(self) -> str:
        """The base URL to give CodelocksClient."""
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}"

    def start(self) -> SandboxServer:
        """Serve in a background thread (for tests)."""
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, args=(0.1,), name="codelocks-sandbox", daemon=True
        )
        self._thread.start()
        return self

    def serve_forever(self) -> None:
        """Serve in this thread until stop() (for the command line)."""
        self._httpd.serve_forever()

    def stop(self) -> None:
        """Stop serving, end pending delays and write the state file."""
        self._stopping = True
        self.state.interrupt.set()
        self._httpd.shutdown()
        self._httpd.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
        self.state.flush()

    def __enter__(self) -> SandboxServer:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    def dispatch(self, request: Request, peer: str) -> Reply:
        """Answer one request: control endpoints, scripted faults, then the API itself."""
        if request.path == "/_sandbox" or request.path.startswith("/_sandbox/"):
            if not _is_loopback(peer):
                return Reply.json(403, {"message": "Control endpoints answer loopback only"})
            return handle_control(self.state, request)
        return self._api(request)

    def _api(self, request: Request) -> Reply:
        """Apply any fault rule, then answer as the real API would; log the request."""
        match = find_route(request)
        operation = match[2] if match else None
        rule = self.state.faults.take(request.method, request.path, operation)
        forced = rule.reply(operation) if rule is not None else None
        if rule is not None and rule.action == "delay":
            forced = self._delay(rule.delay)
        reply = forced or answer(self.state, request, match)
        with self.state.lock:
            fault = rule.action if rule is not None else None
            self.state.record(request.method, request.path, operation, reply.status, fault)
        return reply

    def _delay(self, seconds: float) -> Reply | None:
        """Wait as a delay fault says; a reset or stop meanwhile drops the request instead."""
        generation, interrupt = self.state.generation, self.state.interrupt
        interrupt.wait(seconds)
        if self._stopping or generation != self.state.generation:
            return Reply(0, b"", drop=True)
        return None
