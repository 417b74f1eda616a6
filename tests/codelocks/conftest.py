"""Fixtures for the codelocks tests: an in-process sandbox on a free port, and clients of it."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
import requests

from codelocks import CallRecord, CodelocksClient
from codelocks.sandbox import SandboxServer

API_KEY = "test-api-key-1"
ACCESSKEY = "2ym1989dzx"


@pytest.fixture(scope="session")
def sandbox_server() -> Iterator[SandboxServer]:
    server = SandboxServer(api_key=API_KEY, plan="business-1", k3_accesskeys=[ACCESSKEY], port=0)
    server.start()
    yield server
    server.stop()


@pytest.fixture
def sandbox(sandbox_server: SandboxServer) -> Iterator[SandboxServer]:
    """The shared sandbox, back to its seeded data, real clock and no faults for each test."""
    sandbox_server.state.reset()
    yield sandbox_server
    sandbox_server.state.faults.clear()


@pytest.fixture
def records() -> list[CallRecord]:
    return []


@pytest.fixture
def sleeps() -> list[float]:
    return []


@pytest.fixture
def client(
    sandbox: SandboxServer, records: list[CallRecord], sleeps: list[float]
) -> CodelocksClient:
    """A client of the sandbox that records every attempt and never really sleeps."""
    return CodelocksClient(
        API_KEY, sandbox.url, timeout=2, on_request=records.append, sleep=sleeps.append
    )


@pytest.fixture
def control(sandbox: SandboxServer) -> Callable[..., Any]:
    """Call a /_sandbox/ endpoint and give its JSON."""

    def call(method: str, name: str, payload: Any = None) -> Any:
        response = requests.request(
            method, f"{sandbox.url}/_sandbox/{name}", json=payload, timeout=5
        )
        assert response.status_code == 200, response.text
        return response.json()

    return call


@pytest.fixture
def api(sandbox: SandboxServer) -> Callable[..., requests.Response]:
    """Call the sandbox API directly (raw HTTP), with the right key unless told otherwise."""

    def call(
        path: str,
        params: dict[str, Any] | None = None,
        *,
        method: str = "GET",
        data: dict[str, Any] | None = None,
        key: str | None = API_KEY,
    ) -> requests.Response:
        headers = {"x-api-key": key} if key is not None else {}
        return requests.request(
            method, sandbox.url + path, params=params, data=data, headers=headers, timeout=5
        )

    return call


@pytest.fixture
def first_lock(sandbox: SandboxServer) -> str:
    """The id of the first seeded lock (it has an accepted, a pending and a suspended client)."""
    return next(iter(sandbox.state.accounts[ACCESSKEY].locks))
