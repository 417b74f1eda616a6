"""The activity log: who did what, append-only, Admins only, never a secret."""

from __future__ import annotations

import pytest
from django.urls import reverse

from dashboard.activity import activity_record
from dashboard.models import ActivityEvent, AppendOnlyError, Verb
from k3clients import services as k3
from k3clients.periods import preset
from locks.models import Membership
from netcodes.models import NetCodeIssue
from tests.conftest import SANDBOX_ACCESSKEY
from tests.k3clients.conftest import free_registered_email, sandbox_first_lock
from tests.locks.factories import KitLockFactory
from tests.netcodes.helpers import post_netcode


def _log(client, site, **params) -> str:
    response = client.get(reverse("activity_log", args=[site.pk]), params)
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture
def kitlock(site):
    return KitLockFactory(site=site, name="Plant room", master_code="11335577")


def test_a_generated_code_is_logged_with_recipient_lock_and_window_but_never_the_code(
    sandbox, kitlock, site_manager_client, site_admin_client, site
):
    post_netcode(site_manager_client, kitlock, recipient_name="Carla Cleaner")
    issue = NetCodeIssue.objects.get()
    event = ActivityEvent.objects.get(verb=Verb.NETCODE_GENERATED)
    assert event.actor_name == "mo-manager"
    assert event.target_label == "for Carla Cleaner on Plant room"
    assert event.details["starts_at"] == issue.netcode.starts_at.isoformat()
    assert issue.netcode.code not in repr(event.details) + event.target_label
    assert "mo-manager" in _log(site_admin_client, site)


def test_battery_and_clock_care_are_logged_by_the_person_who_did_it(
    kitlock, site_manager_client, site_admin_client, site
):
    site_manager_client.post(reverse("kitlock_batteries", args=[kitlock.pk]))
    site_manager_client.post(reverse("kitlock_clock", args=[kitlock.pk]))
    body = _log(site_admin_client, site)
    assert "mo-manager</td><td>recorded new batteries</td><td>Plant room" in body
    assert "mo-manager</td><td>set a lock&#x27;s clock</td><td>Plant room" in body
    assert "11335577" not in body


def test_member_changes_are_logged_with_the_admin_who_made_them(
    site, site_admin_client, site_staff
):
    membership = Membership.objects.get(user=site_staff)
    site_admin_client.post(
        reverse("member_change_role", args=[site.pk, membership.pk]), {"role": "manager"}
    )
    site_admin_client.post(reverse("member_remove", args=[site.pk, membership.pk]))
    body = _log(site_admin_client, site)
    assert "changed a member&#x27;s role</td><td>sam-staff from Staff to Manager" in body
    assert "removed a member</td><td>sam-staff (Manager)" in body


def test_linking_an_account_and_inviting_a_phone_user_are_logged_without_the_key(
    sandbox, site, site_admin, site_admin_client
):
    account = k3.k3_account_link(site=site, access_key=SANDBOX_ACCESSKEY, user=site_admin)
    lock = account.locks.get(lock_id=sandbox_first_lock(sandbox).lock_id)
    email = free_registered_email(sandbox, lock.lock_id)
    k3.phone_client_invite(
        lock=lock,
        email=email,
        access_type="STANDARD",
        message="Welcome",
        periods=preset("always"),
        user=site_admin,
    )
    body = _log(site_admin_client, site)
    assert f"linked a K3 Connect account</td><td>{account.email}" in body
    assert f"invited a phone user</td><td>{email} on {lock}" in body
    stored = repr(list(ActivityEvent.objects.values()))
    assert SANDBOX_ACCESSKEY not in stored


def test_the_log_refuses_details_that_hold_a_secret(site, site_admin):
    with pytest.raises(ValueError, match="never hold a secret"):
        activity_record(
            site=site,
            actor=site_admin,
            verb=Verb.NETCODE_GENERATED,
            target_label="x",
            details={"window": {"code": "123456"}},
        )


def test_events_cannot_be_changed_or_deleted(site, site_admin):
    event = activity_record(
        site=site, actor=site_admin, verb=Verb.SITE_CREATED, target_label=site.name
    )
    event.target_label = "rewritten"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
    with pytest.raises(AppendOnlyError):
        ActivityEvent.objects.filter(pk=event.pk).update(target_label="rewritten")
    with pytest.raises(AppendOnlyError):
        ActivityEvent.objects.all().delete()
    assert ActivityEvent.objects.get().target_label == site.name


def test_only_admins_see_the_log_and_never_another_sites(
    site, other_site, site_manager_client, site_staff_client, site_admin_client, outsider
):
    activity_record(site=other_site, actor=outsider, verb=Verb.SITE_CREATED, target_label="Depot")
    url = reverse("activity_log", args=[site.pk])
    assert site_manager_client.get(url).status_code == 403
    assert site_staff_client.get(url).status_code == 403
    assert site_admin_client.get(reverse("activity_log", args=[other_site.pk])).status_code == 404
    assert "olga-outsider" not in _log(site_admin_client, site)


def test_the_log_filters_by_what_and_who_and_says_when_nothing_matches(
    site, site_admin, site_admin_client
):
    activity_record(site=site, actor=site_admin, verb=Verb.SITE_CREATED, target_label="Harbour")
    activity_record(site=site, actor=None, verb=Verb.CLOCK_SET, target_label="Plant room")
    body = _log(site_admin_client, site, verb=Verb.CLOCK_SET)
    assert "Plant room" in body and "<td>Harbour</td>" not in body
    assert "<td>Keyhouse</td>" in body  # no person: the portal itself
    assert "Nothing matches these filters" in _log(site_admin_client, site, person="nobody")


def test_an_empty_log_says_what_will_appear_in_it(site, site_admin_client):
    assert "Nothing has been done on this site yet" in _log(site_admin_client, site)
