"""Fixtures shared by every test: two sites and the people of each role."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.test import Client

from codelocks.sandbox import SandboxServer
from locks.models import Role
from tests.factories import MembershipFactory, SiteFactory, UserFactory


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Each test starts with an empty cache: no rate-limit counts carried over from another."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Test users sign in many times; production's slow PBKDF2 proves nothing here."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


SANDBOX_API_KEY = "portal-test-api-key"
SANDBOX_ACCESSKEY = "2ym1989dzx"


@pytest.fixture(scope="session")
def sandbox_server() -> Iterator[SandboxServer]:
    """One Codelocks sandbox on a free loopback port for the whole test run."""
    server = SandboxServer(
        api_key=SANDBOX_API_KEY, plan="business-1", k3_accesskeys=[SANDBOX_ACCESSKEY], port=0
    )
    server.start()
    yield server
    server.stop()


@pytest.fixture
def sandbox(sandbox_server, settings) -> Iterator[SandboxServer]:
    """The sandbox, freshly seeded with no faults, and the portal's settings pointing at it."""
    sandbox_server.state.reset()
    settings.CODELOCKS_API_URL = sandbox_server.url
    settings.CODELOCKS_API_KEY = SANDBOX_API_KEY
    settings.CODELOCKS_PLAN = "business-1"
    yield sandbox_server
    sandbox_server.state.faults.clear()


@pytest.fixture
def site(db):
    return SiteFactory(name="Harbour House", time_zone="Europe/London")


@pytest.fixture
def other_site(db):
    return SiteFactory(name="Riverside Depot", time_zone="America/New_York")


def _member(site, role, username):
    return MembershipFactory(site=site, role=role, user=UserFactory(username=username)).user


@pytest.fixture
def site_admin(site):
    return _member(site, Role.ADMIN, "alice-admin")


@pytest.fixture
def site_manager(site):
    return _member(site, Role.MANAGER, "mo-manager")


@pytest.fixture
def site_staff(site):
    return _member(site, Role.STAFF, "sam-staff")


@pytest.fixture
def outsider(other_site):
    """A member of the other site only."""
    return _member(other_site, Role.ADMIN, "olga-outsider")


def _client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def site_admin_client(site_admin):
    return _client_for(site_admin)


@pytest.fixture
def site_manager_client(site_manager):
    return _client_for(site_manager)


@pytest.fixture
def site_staff_client(site_staff):
    return _client_for(site_staff)


@pytest.fixture
def outsider_client(outsider):
    return _client_for(outsider)
