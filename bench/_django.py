"""Bench set-up: Django on a throw-away database, an in-process sandbox, a frozen clock."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Any
from unittest import mock

import requests

BASE_DIR = Path(__file__).resolve().parent.parent
API_KEY = "bench-api-key"
ACCESSKEY = "benchkey01"


def django_setup(database_url: str | None) -> None:
    """Point Django at the bench database (fresh) and load it."""
    sys.path.insert(0, str(BASE_DIR))
    os.environ.setdefault("DJANGO_DEBUG", "true")
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
    os.environ["CODELOCKS_PLAN"] = "business-1"
    os.environ["CODELOCKS_API_KEY"] = API_KEY
    os.environ["EMAIL_URL"] = "memorymail://"
    os.environ["LOG_LEVEL"] = "ERROR"
    os.environ["DATABASE_URL"] = database_url or f"sqlite:///{BASE_DIR / 'var' / 'bench.sqlite3'}"
    if not database_url:
        (BASE_DIR / "var").mkdir(exist_ok=True)
        (BASE_DIR / "var" / "bench.sqlite3").unlink(missing_ok=True)
    import django

    django.setup()
    from django.core.management import call_command

    if database_url:
        call_command("flush", interactive=False, verbosity=0)
    call_command("migrate", verbosity=0)


@contextmanager
def sandbox() -> Iterator[Any]:
    """A sandbox on a free loopback port, with the portal's settings pointed at it."""
    from django.conf import settings

    from codelocks.sandbox import SandboxServer

    server = SandboxServer(api_key=API_KEY, plan="business-1", k3_accesskeys=[ACCESSKEY], port=0)
    server.start()
    settings.CODELOCKS_API_URL = server.url
    try:
        yield server
    finally:
        server.stop()


def control(server: Any, name: str, body: Any) -> Any:
    """A sandbox control call over its socket."""
    response = requests.post(f"{server.url}/_sandbox/{name}", json=body, timeout=30)
    response.raise_for_status()
    return response.json()


@contextmanager
def frozen_clock(server: Any, start: datetime) -> Iterator[Any]:
    """One fake clock for the sandbox and the portal; `set(moment)` moves both."""
    current = {"now": start}

    def set_clock(moment: datetime) -> None:
        current["now"] = moment
        with server.state.lock:
            server.state.clock.set(moment, frozen=True)

    set_clock(start)
    with mock.patch("django.utils.timezone.now", lambda: current["now"]):
        yield set_clock
