"""Each NetCode issue carries its code's site: one site's history is read by it."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse
from django.utils import timezone

from locks.models import Role
from locks.scale import Sizes, seed_scale
from netcodes.models import ISSUE_SITE_MISMATCH, NetCodeIssue
from tests.dashboard.factories import NetCodeFactory, NetCodeIssueFactory
from tests.factories import MembershipFactory, UserFactory
from tests.netcodes.helpers import post_netcode

pytestmark = pytest.mark.django_db

BEFORE = [("netcodes", "0007_analyze_issue_recipients")]


def _history(client, **params) -> str:
    response = client.get(reverse("netcode_history"), params)
    assert response.status_code == 200
    return response.content.decode()


def _issue_on(site, name: str, days_ago: int) -> NetCodeIssue:
    issue = NetCodeIssueFactory(netcode=NetCodeFactory(site=site), recipient_name=name)
    asked = timezone.now() - timedelta(days=days_ago)
    NetCodeIssue.objects.filter(pk=issue.pk).update(requested_at=asked)
    return issue


def test_a_quiet_sites_history_shows_its_old_codes_behind_a_busy_sites_new_ones(
    site, other_site, site_manager, site_manager_client
):
    MembershipFactory(site=other_site, user=site_manager, role=Role.MANAGER)
    for n in range(30):
        _issue_on(site, f"Busy guest {n}", days_ago=1)
    _issue_on(other_site, "Quiet Quentin", days_ago=400)
    _issue_on(other_site, "Rare Rita", days_ago=300)
    page = _history(site_manager_client, site=other_site.pk)
    assert "Quiet Quentin" in page and "Rare Rita" in page
    assert "Busy guest" not in page
    assert page.index("Rare Rita") < page.index("Quiet Quentin")  # newest first


def test_a_superuser_sees_every_sites_codes_and_a_member_only_their_own(
    site, other_site, site_manager_client
):
    _issue_on(site, "Harbour guest", days_ago=1)
    _issue_on(other_site, "Depot guest", days_ago=1)
    boss = UserFactory(username="root", is_superuser=True)
    site_manager_client.force_login(boss)
    page = _history(site_manager_client)
    assert "Harbour guest" in page and "Depot guest" in page
    member = MembershipFactory(site=site, role=Role.MANAGER).user
    site_manager_client.force_login(member)
    page = _history(site_manager_client)
    assert "Harbour guest" in page and "Depot guest" not in page


def test_a_code_asked_for_and_asked_again_is_filed_under_its_locks_site(
    sandbox, site, kitlock, site_manager_client
):
    post_netcode(site_manager_client, kitlock)
    post_netcode(site_manager_client, kitlock)  # answered from the history
    issues = NetCodeIssue.objects.order_by("pk")
    assert [(i.site_id, i.from_history) for i in issues] == [(site.pk, False), (site.pk, True)]


def test_bulk_codes_are_filed_under_the_site_they_were_asked_on(
    sandbox, site, kitlock, site_manager_client
):
    rows = "lock,start,duration,recipient,email\nPlant room,2026-07-14 10:00,2h,Carla,\n"
    data = {"site": site.pk, "file": SimpleUploadedFile("rows.csv", rows.encode())}
    data.update({"rows-TOTAL_FORMS": "0", "rows-INITIAL_FORMS": "0", "generate": "1"})
    site_manager_client.post(reverse("netcode_bulk"), data)
    issue = NetCodeIssue.objects.get()
    assert issue.batch is not None and issue.site == site == issue.netcode.site


def test_the_scale_seed_files_every_issue_under_its_codes_site():
    seed_scale(Sizes(sites=3, locks=6, phone_users=20, audit=5, netcodes=40), seed=3)
    issues = NetCodeIssue.objects.values_list("site_id", "netcode__site_id")
    assert len(issues) >= 40
    assert all(own == code for own, code in issues)
    assert len({own for own, _ in issues}) > 1


def test_an_issue_filed_under_another_site_than_its_codes_is_refused(site, other_site):
    issue = NetCodeIssueFactory(netcode=NetCodeFactory(site=site))
    issue.full_clean()
    issue.site = other_site
    with pytest.raises(ValidationError) as refused:
        issue.full_clean()
    assert refused.value.message_dict["site"] == [ISSUE_SITE_MISMATCH]


@pytest.mark.django_db(transaction=True)
def test_the_migration_files_existing_issues_under_their_codes_sites(site, other_site):
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    for n, site_pk in enumerate([site.pk, other_site.pk, other_site.pk]):
        code = NetCodeFactory.build(site_id=site_pk)
        fields = {f.attname: getattr(code, f.attname) for f in code._meta.concrete_fields}
        netcode = old.get_model("netcodes", "NetCode").objects.create(**fields)
        old.get_model("netcodes", "NetCodeIssue").objects.create(
            netcode=netcode, recipient_name=f"Guest {n}"
        )
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes("netcodes"))
    filed = NetCodeIssue.objects.values_list("recipient_name", "site_id").order_by("pk")
    assert list(filed) == [
        ("Guest 0", site.pk),
        ("Guest 1", other_site.pk),
        ("Guest 2", other_site.pk),
    ]
