"""Fixtures shared by every test: two sites and the people of each role."""

from __future__ import annotations

import pytest
from django.test import Client

from locks.models import Role
from tests.factories import MembershipFactory, SiteFactory, UserFactory


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
