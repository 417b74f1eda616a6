"""Linking K3 Connect accounts: good and bad keys, replacing a key, who may do it."""

from __future__ import annotations

import pytest
from django.urls import reverse

from k3clients.models import K3Account, SmartLock
from k3clients.services import ALREADY_LINKED
from netcodes.models import ApiCall
from tests.conftest import SANDBOX_ACCESSKEY
from tests.k3clients.conftest import OTHER_ACCESSKEY, add_sandbox_account, fault, sandbox_account
from tests.k3clients.factories import K3AccountFactory

pytestmark = pytest.mark.django_db


def _link(client, site, key=SANDBOX_ACCESSKEY):
    return client.post(reverse("k3_account_link", args=[site.pk]), {"access_key": key}, follow=True)


def test_an_admin_links_an_account_and_sees_its_email_status_and_locks(
    sandbox, site, site_admin_client
):
    response = _link(site_admin_client, site)

    remote = sandbox_account(sandbox)
    assert response.status_code == 200
    assert "facilities@example.com" in response.text
    assert "active" in response.text
    assert "••••9dzx" in response.text
    for remote_lock in remote.locks.values():
        assert remote_lock.name in response.text
    assert SmartLock.objects.filter(site=site).count() == len(remote.locks)


def test_the_key_is_stored_encrypted_and_never_shown_again(sandbox, site, site_admin_client):
    response = _link(site_admin_client, site)
    account = K3Account.objects.get()

    assert SANDBOX_ACCESSKEY not in response.text
    assert account.access_key == SANDBOX_ACCESSKEY
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT access_key FROM k3clients_k3account")
        (stored,) = cursor.fetchone()
    assert SANDBOX_ACCESSKEY not in stored
    detail = site_admin_client.get(reverse("k3_account_detail", args=[account.pk]))
    assert SANDBOX_ACCESSKEY not in detail.text


def test_a_bad_key_is_refused_with_a_clear_message_and_nothing_is_saved(
    sandbox, site, site_admin_client
):
    response = _link(site_admin_client, site, key="notarealkey1")

    assert response.status_code == 200
    assert "access key was not accepted" in response.text
    assert "User section" in response.text
    assert "notarealkey1" not in response.text
    assert not K3Account.objects.exists()


def test_a_key_with_spaces_or_symbols_is_refused_before_any_call(sandbox, site, site_admin_client):
    response = _link(site_admin_client, site, key="abc def!")

    assert "letters and digits only" in response.text
    assert not ApiCall.objects.exists()


def test_an_api_failure_while_linking_shows_the_reason_and_saves_nothing(
    sandbox, site, site_admin_client
):
    fault(sandbox, operation="k3_account", malformed=True)

    response = _link(site_admin_client, site)

    assert "could not be understood" in response.text
    assert not K3Account.objects.exists()


def test_the_same_account_cannot_be_linked_twice(sandbox, site, site_admin_client, account):
    response = _link(site_admin_client, site)

    expected = ALREADY_LINKED.format(email="facilities@example.com", where=site.name)
    assert expected in response.text
    assert K3Account.objects.count() == 1


def test_an_admin_replaces_a_changed_key(sandbox, site, site_admin_client, account):
    remote = sandbox_account(sandbox)
    with sandbox.state.lock:
        del sandbox.state.accounts[SANDBOX_ACCESSKEY]
        remote.accesskey = "newkey7777"
        sandbox.state.accounts["newkey7777"] = remote
    url = reverse("k3_account_replace_key", args=[account.pk])

    response = site_admin_client.post(url, {"access_key": "newkey7777"}, follow=True)

    assert "ending …7777" in response.text
    account.refresh_from_db()
    assert account.access_key == "newkey7777"
    assert account.access_key_last4 == "7777"


def test_a_key_of_another_account_does_not_replace_the_key(
    sandbox, site, site_admin_client, account
):
    add_sandbox_account(sandbox, OTHER_ACCESSKEY)
    url = reverse("k3_account_replace_key", args=[account.pk])

    response = site_admin_client.post(url, {"access_key": OTHER_ACCESSKEY})

    assert "belongs to the K3 Connect account facilities2@example.com" in response.text
    account.refresh_from_db()
    assert account.access_key == SANDBOX_ACCESSKEY


def test_a_revoked_key_is_flagged_on_the_account_page_until_replaced(
    sandbox, site, site_admin_client, account
):
    with sandbox.state.lock:
        sandbox.state.accounts.pop(SANDBOX_ACCESSKEY)

    response = site_admin_client.post(
        reverse("k3_account_locks_refresh", args=[account.pk]), follow=True
    )

    assert "no longer accepts the access key" in response.text
    assert "Replace the access key" in response.text
    account.refresh_from_db()
    assert account.key_rejected


def test_checking_a_working_key_reports_the_status(sandbox, site, site_admin_client, account):
    response = site_admin_client.post(reverse("k3_account_check", args=[account.pk]), follow=True)

    assert "still works; account status: active" in response.text


def test_unlinking_needs_a_confirmation_and_forgets_the_account(
    sandbox, site, site_admin_client, account
):
    url = reverse("k3_account_unlink", args=[account.pk])
    confirm = site_admin_client.get(url)
    assert "Unlink facilities@example.com?" in confirm.text
    assert K3Account.objects.exists()

    site_admin_client.post(url)

    assert not K3Account.objects.exists()
    assert not SmartLock.objects.exists()


@pytest.mark.parametrize("fixture", ["site_manager_client", "site_staff_client"])
def test_only_admins_link_accounts(request, fixture, sandbox, site):
    client = request.getfixturevalue(fixture)
    assert client.get(reverse("k3_account_link", args=[site.pk])).status_code == 403
    assert _link(client, site).status_code == 403
    assert not K3Account.objects.exists()


@pytest.mark.parametrize(
    "name", ["k3_account_replace_key", "k3_account_unlink", "k3_account_check"]
)
def test_only_admins_replace_check_or_unlink_a_key(site_staff_client, name, site):
    account = K3AccountFactory(site=site)
    assert site_staff_client.post(reverse(name, args=[account.pk])).status_code == 403


def test_staff_see_the_account_page_but_not_the_admin_buttons(site_staff_client, site):
    account = K3AccountFactory(site=site)
    response = site_staff_client.get(reverse("k3_account_detail", args=[account.pk]))
    assert response.status_code == 200
    assert "Replace access key" not in response.text


@pytest.mark.parametrize(
    "name",
    ["k3_account_detail", "k3_account_replace_key", "k3_account_unlink", "k3_account_check"],
)
def test_another_sites_account_is_404(site_admin_client, other_site, name):
    account = K3AccountFactory(site=other_site)
    assert site_admin_client.get(reverse(name, args=[account.pk])).status_code in (404, 405)
    assert site_admin_client.post(reverse(name, args=[account.pk])).status_code == 404


def test_linking_to_another_site_is_404(site_admin_client, other_site):
    assert (
        site_admin_client.get(reverse("k3_account_link", args=[other_site.pk])).status_code == 404
    )


def test_the_overview_shows_only_the_users_sites(site_staff_client, site, other_site):
    mine = K3AccountFactory(site=site, email="mine@example.com")
    K3AccountFactory(site=other_site, email="theirs@example.com")
    response = site_staff_client.get(reverse("k3_index"))
    assert mine.email in response.text
    assert "theirs@example.com" not in response.text
