"""Fixtures of the NetCode tests: KitLocks on both sites and a fast-failing API client."""

from __future__ import annotations

import pytest

from tests.locks.factories import KitLockFactory


@pytest.fixture(autouse=True)
def _no_retry_waits(settings):
    """Retried calls do not wait between attempts, so fault tests stay fast."""
    settings.CODELOCKS_RETRY_BACKOFF = 0


@pytest.fixture
def kitlock(site):
    return KitLockFactory(site=site, name="Plant room", location="Basement")


@pytest.fixture
def other_kitlock(other_site):
    return KitLockFactory(site=other_site, name="Depot gate")
