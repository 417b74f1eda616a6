"""A site A with one object of every kind the portal's URLs name, a site B, and six actors."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.test import Client

from k3clients import services as k3_services
from k3clients.models import ClientStatus, K3Account, PhoneClient, SmartLock
from locks.models import KitLock, Membership, Role, Site
from netcodes.models import NetCodeBatch, NetCodeIssue
from tests.conftest import SANDBOX_ACCESSKEY
from tests.dashboard.factories import NetCodeFactory, NetCodeIssueFactory
from tests.factories import MembershipFactory, UserFactory
from tests.k3clients.conftest import OTHER_ACCESSKEY, add_sandbox_account, sandbox_first_lock
from tests.k3clients.factories import AuditEntryFactory
from tests.locks.factories import KitLockFactory

ACTORS = ("anonymous", "staff", "manager", "admin", "outsider", "superuser")
# Words only site A's pages contain: an outsider's page showing one has leaked site A.
SITE_A_MARKERS = ("Harbour House", "Harbour key box", "Harbour Guest", "harbour-guest@")


@dataclass
class World:
    """Site A's objects, by the names the permission matrix uses for URL arguments."""

    site: Site
    other_site: Site
    kitlock: KitLock
    pending_kitlock: KitLock
    account: K3Account
    smartlock: SmartLock
    accepted_client: PhoneClient
    suspended_client: PhoneClient
    issue: NetCodeIssue
    batch: NetCodeBatch
    target_membership: Membership

    def pk(self, name: str) -> int:
        """The primary key of one of the objects above."""
        return getattr(self, name).pk


@pytest.fixture
def world(sandbox, site, other_site, site_admin, site_manager, site_staff, outsider) -> World:
    """Site A's objects, the smart-lock ones linked and fetched through the sandbox."""
    add_sandbox_account(sandbox, OTHER_ACCESSKEY)
    account = k3_services.k3_account_link(site=site, access_key=SANDBOX_ACCESSKEY, user=site_admin)
    smartlock = account.locks.get(lock_id=sandbox_first_lock(sandbox).lock_id)
    k3_services.lock_clients_refresh(lock=smartlock)
    AuditEntryFactory(lock=smartlock, entry_text="Unlocked by Harbour Guest")
    kitlock = KitLockFactory(site=site, name="Harbour key box", location="Harbour yard")
    batch = NetCodeBatch.objects.create(site=site, created_by=site_manager)
    netcode = NetCodeFactory(site=site, kitlock=kitlock, code="4417203")
    issue = NetCodeIssueFactory(
        netcode=netcode,
        batch=batch,
        recipient_name="Harbour Guest",
        recipient_email="harbour-guest@example.com",
        requested_by=site_manager,
    )
    target = MembershipFactory(site=site, role=Role.STAFF, user=UserFactory(username="tim-target"))
    return World(
        site=site,
        other_site=other_site,
        kitlock=kitlock,
        pending_kitlock=KitLockFactory(site=site, name="Harbour new box", initialised_at=None),
        account=account,
        smartlock=smartlock,
        accepted_client=smartlock.phone_clients.get(status=ClientStatus.ACCEPTED),
        suspended_client=smartlock.phone_clients.get(status=ClientStatus.SUSPENDED),
        issue=issue,
        batch=batch,
        target_membership=target,
    )


@pytest.fixture
def actor_client(request, world, site_staff, site_manager, site_admin, outsider) -> Client:
    """A test client signed in as the actor named by the test's `actor` parameter."""
    users = {
        "staff": site_staff,
        "manager": site_manager,
        "admin": site_admin,
        "outsider": outsider,
        "superuser": UserFactory(username="root", is_superuser=True, is_staff=True),
    }
    client = Client()
    actor = request.getfixturevalue("actor")
    if actor != "anonymous":
        client.force_login(users[actor])
    return client
