"""Phone users of a smart lock: list with paging, invite, periods, suspend, restore, delete."""

from __future__ import annotations

import pytest
from django.urls import reverse

from codelocks.sandbox.k3 import PhoneClient as RemoteClient
from codelocks.types import ActivePeriod
from k3clients.models import ClientStatus, PhoneClient
from k3clients.services import lock_clients_refresh
from netcodes.models import ApiCall
from tests.conftest import SANDBOX_ACCESSKEY
from tests.k3clients.conftest import (
    fault,
    free_registered_email,
    period_post,
    sandbox_first_lock,
)
from tests.k3clients.factories import PhoneClientFactory

pytestmark = pytest.mark.django_db


def _invite(client, lock, email, **extra):
    data = period_post(email=email, access_type="STANDARD", message="Welcome to the office.")
    data.update(extra)
    return client.post(reverse("k3_client_invite", args=[lock.pk]), data, follow=True)


def test_the_phone_users_list_shows_status_and_access_type(sandbox, lock, site_staff_client):
    response = site_staff_client.post(
        reverse("k3_lock_clients_refresh", args=[lock.pk]), follow=True
    )

    remote = sandbox_first_lock(sandbox)
    assert "Phone users refreshed: 3 on this lock." in response.text
    for email in remote.clients:
        assert email in response.text
    for label in ("Active", "Invitation pending", "Suspended"):
        assert label in response.text
    assert "Mon-Fri 07:00-19:00" in response.text


def test_every_page_of_phone_users_is_fetched_and_shown_page_by_page(
    sandbox, lock, site_staff_client
):
    remote = sandbox_first_lock(sandbox)
    with sandbox.state.lock:
        for n in range(30):
            email = f"guest{n:02d}@example.com"
            remote.clients[email] = RemoteClient(email, "ONE_TIME", {}, accepted=True)
    ApiCall.objects.all().delete()

    stored = lock_clients_refresh(lock=lock, perpage=10)

    assert len(stored) == 33
    assert ApiCall.objects.filter(operation="k3_clients").count() == 4
    first = site_staff_client.get(reverse("k3_lock_detail", args=[lock.pk]))
    second = site_staff_client.get(reverse("k3_lock_detail", args=[lock.pk]), {"clients": 2})
    assert "Page 1" in first.text
    assert "guest29@example.com" in second.text
    assert "guest29@example.com" not in first.text


def test_a_phone_user_no_longer_on_the_lock_disappears_on_refresh(sandbox, lock):
    lock_clients_refresh(lock=lock)
    remote = sandbox_first_lock(sandbox)
    gone = next(iter(remote.clients))
    with sandbox.state.lock:
        del remote.clients[gone]

    lock_clients_refresh(lock=lock)

    assert not PhoneClient.objects.filter(email=gone).exists()
    assert PhoneClient.objects.filter(lock=lock).count() == 2


def test_staff_invite_a_phone_user_who_shows_as_pending(sandbox, lock, site_staff_client):
    email = free_registered_email(sandbox, lock.lock_id)

    response = _invite(site_staff_client, lock, email)

    assert f"Invitation sent to {email}" in response.text
    assert "Invitation pending" in response.text
    stored = PhoneClient.objects.get(lock=lock, email=email)
    assert stored.status == ClientStatus.PENDING
    remote = sandbox_first_lock(sandbox).clients[email]
    assert remote.access_type == "STANDARD"
    assert remote.active_periods["0"]["starts"] == "00:00"
    assert len(remote.active_periods) == 10


def test_an_unknown_email_is_a_clear_message_and_the_form_is_kept(sandbox, lock, site_staff_client):
    response = _invite(site_staff_client, lock, "stranger@example.org")

    assert "is not a registered K3 Connect user" in response.text
    assert 'value="stranger@example.org"' in response.text
    assert "Welcome to the office." in response.text
    assert not PhoneClient.objects.filter(email="stranger@example.org").exists()


def test_an_api_failure_on_invite_keeps_the_form_and_saves_nothing(
    sandbox, lock, site_staff_client
):
    email = free_registered_email(sandbox, lock.lock_id)
    fault(sandbox, operation="create_client", status=502)

    response = _invite(site_staff_client, lock, email)

    assert response.status_code == 200
    assert "could not reach its own back end" in response.text
    assert f'value="{email}"' in response.text
    assert not PhoneClient.objects.filter(email=email).exists()


def test_a_message_with_other_characters_is_refused_before_sending(
    sandbox, lock, site_staff_client
):
    email = free_registered_email(sandbox, lock.lock_id)
    response = _invite(site_staff_client, lock, email, message="Hi! <b>welcome</b>")
    assert "The message may use only letters, digits, spaces" in response.text
    assert not ApiCall.objects.filter(operation="create_client").exists()


def test_a_message_over_500_characters_is_refused(sandbox, lock, site_staff_client):
    email = free_registered_email(sandbox, lock.lock_id)
    response = _invite(site_staff_client, lock, email, message="a" * 501)
    assert "at most 500 characters" in response.text
    assert not ApiCall.objects.filter(operation="create_client").exists()


def test_a_revoked_key_on_invite_says_an_admin_must_replace_it(sandbox, lock, site_staff_client):
    email = free_registered_email(sandbox, lock.lock_id)
    with sandbox.state.lock:
        sandbox.state.accounts.pop(SANDBOX_ACCESSKEY)

    response = _invite(site_staff_client, lock, email)

    assert "no longer accepts the access key" in response.text
    assert "An Admin must replace the key" in response.text
    assert f'value="{email}"' in response.text


def test_a_lock_no_longer_on_the_account_is_said_plainly(sandbox, lock, site_staff_client):
    email = free_registered_email(sandbox, lock.lock_id)
    with sandbox.state.lock:
        sandbox.state.accounts[SANDBOX_ACCESSKEY].locks.pop(lock.lock_id)

    response = _invite(site_staff_client, lock, email)

    assert "is no longer on the K3 Connect account" in response.text
    lock.refresh_from_db()
    assert lock.is_gone


def test_editing_active_periods_replaces_them_on_the_lock(sandbox, lock, site_staff_client):
    lock_clients_refresh(lock=lock)
    client = PhoneClient.objects.filter(lock=lock).first()
    periods = [ActivePeriod(starts="09:00", ends="12:30", sat=False, sun=False)]

    response = site_staff_client.post(
        reverse("k3_client_periods", args=[client.pk]), period_post(periods), follow=True
    )

    assert f"Active periods of {client.email} saved." in response.text
    remote = sandbox_first_lock(sandbox).clients[client.email]
    assert remote.active_periods["0"]["starts"] == "09:00"
    assert remote.active_periods["0"]["sat"] is False
    client.refresh_from_db()
    assert client.active_periods["0"]["ends"] == "12:30"


def test_suspending_and_restoring_a_phone_user(sandbox, lock, site_staff_client):
    lock_clients_refresh(lock=lock)
    client = PhoneClient.objects.get(lock=lock, status=ClientStatus.ACCEPTED)
    remote = sandbox_first_lock(sandbox).clients[client.email]

    response = site_staff_client.post(reverse("k3_client_suspend", args=[client.pk]), follow=True)
    assert f"{client.email} is suspended" in response.text
    assert remote.suspended
    client.refresh_from_db()
    assert client.is_suspended

    response = site_staff_client.post(reverse("k3_client_restore", args=[client.pk]), follow=True)
    assert f"{client.email} is restored" in response.text
    assert not remote.suspended


def test_deleting_a_phone_user_needs_a_confirmation(sandbox, lock, site_staff_client):
    lock_clients_refresh(lock=lock)
    client = PhoneClient.objects.filter(lock=lock).first()
    url = reverse("k3_client_delete", args=[client.pk])

    confirm = site_staff_client.get(url)
    assert f"Remove {client.email} from {lock}?" in confirm.text
    assert client.email in sandbox_first_lock(sandbox).clients

    response = site_staff_client.post(url, follow=True)
    assert f"{client.email} is removed" in response.text
    assert client.email not in sandbox_first_lock(sandbox).clients
    assert not PhoneClient.objects.filter(pk=client.pk).exists()


def test_deleting_someone_already_removed_in_the_app_says_so(sandbox, lock, site_staff_client):
    lock_clients_refresh(lock=lock)
    client = PhoneClient.objects.filter(lock=lock).first()
    with sandbox.state.lock:
        del sandbox_first_lock(sandbox).clients[client.email]

    response = site_staff_client.post(reverse("k3_client_delete", args=[client.pk]), follow=True)

    assert f"{client.email} was already removed" in response.text


@pytest.mark.parametrize("name", ["k3_client_periods", "k3_client_delete", "k3_client_suspend"])
def test_another_sites_phone_user_is_404(site_admin_client, other_site, name):
    client = PhoneClientFactory(lock__account__site=other_site)
    assert site_admin_client.post(reverse(name, args=[client.pk])).status_code == 404


def test_managers_manage_phone_users_too(sandbox, lock, site_manager_client):
    email = free_registered_email(sandbox, lock.lock_id)
    response = _invite(site_manager_client, lock, email)
    assert f"Invitation sent to {email}" in response.text


def test_the_phone_users_can_be_sorted_by_status(lock, site_staff_client):
    from django.urls import reverse

    url = reverse("k3_lock_detail", args=[lock.pk])
    site_staff_client.post(reverse("k3_lock_clients_refresh", args=[lock.pk]))
    clients = list(lock.phone_clients.order_by("status", "email"))
    assert len({c.status for c in clients}) > 1
    page = site_staff_client.get(url, {"clients_sort": "status"}).content.decode()
    positions = [page.index(c.email) for c in clients]
    assert positions == sorted(positions)
    assert 'aria-sort="ascending"' in page
    fallback = site_staff_client.get(url, {"clients_sort": "nonsense"})
    assert fallback.status_code == 200
