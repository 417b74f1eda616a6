"""A change the API did not answer: the lock is read back and the page says what happened."""

from __future__ import annotations

import pytest
from django.urls import reverse

from codelocks.sandbox.faults import rule_from_json
from k3clients.models import PhoneClient
from k3clients.services import lock_clients_refresh
from tests.k3clients.conftest import fault, free_registered_email, period_post, sandbox_first_lock

pytestmark = pytest.mark.django_db

# The client gives up after 1 s; the sandbox applies the change at 1.5 s; the read-back is
# held until 1.8 s, so it sees the change (a lost answer, not a lost request).
CLIENT_TIMEOUT = 1.0


@pytest.fixture
def short_timeout(settings):
    settings.CODELOCKS_TIMEOUT = CLIENT_TIMEOUT


def _answer_lost(sandbox, operation):
    sandbox.state.faults.replace(
        [
            rule_from_json({"operation": operation, "delay": 1.5, "count": 1}),
            rule_from_json({"operation": "k3_clients", "delay": 0.8, "count": 1}),
        ]
    )


def test_a_timed_out_invite_that_reached_the_lock_is_reported_as_sent(
    sandbox, lock, site_staff_client, short_timeout
):
    email = free_registered_email(sandbox, lock.lock_id)
    _answer_lost(sandbox, "create_client")
    data = period_post(email=email, access_type="STANDARD", message="Welcome")

    response = site_staff_client.post(
        reverse("k3_client_invite", args=[lock.pk]), data, follow=True
    )

    assert "did not answer in time, but reading the lock back shows the invitation" in (
        response.text
    )
    assert PhoneClient.objects.filter(lock=lock, email=email).exists()


def test_a_timed_out_delete_that_reached_the_lock_is_reported_as_done(
    sandbox, lock, site_staff_client, short_timeout
):
    lock_clients_refresh(lock=lock)
    client = PhoneClient.objects.filter(lock=lock).first()
    _answer_lost(sandbox, "delete_client")

    response = site_staff_client.post(reverse("k3_client_delete", args=[client.pk]), follow=True)

    assert f"{client.email} is removed" in response.text
    assert "reading the lock back confirmed it" in response.text
    assert client.email not in sandbox_first_lock(sandbox).clients


def test_a_dropped_delete_that_never_happened_says_nothing_changed(
    sandbox, lock, site_staff_client
):
    lock_clients_refresh(lock=lock)
    client = PhoneClient.objects.filter(lock=lock).first()
    fault(sandbox, operation="delete_client", drop=True, count=1)

    response = site_staff_client.post(reverse("k3_client_delete", args=[client.pk]), follow=True)

    assert "reading the lock back shows the change was not made" in response.text
    assert f"removing {client.email}" in response.text
    assert PhoneClient.objects.filter(pk=client.pk).exists()
    assert client.email in sandbox_first_lock(sandbox).clients


def test_a_dropped_invite_that_never_happened_keeps_the_form(sandbox, lock, site_staff_client):
    email = free_registered_email(sandbox, lock.lock_id)
    fault(sandbox, operation="create_client", drop=True, count=1)
    data = period_post(email=email, access_type="STANDARD", message="Welcome")

    response = site_staff_client.post(reverse("k3_client_invite", args=[lock.pk]), data)

    assert "the change was not made: inviting" in response.text
    assert f'value="{email}"' in response.text
    assert not PhoneClient.objects.filter(email=email).exists()


def test_when_the_read_back_fails_too_the_page_says_the_state_is_unknown(
    sandbox, lock, site_staff_client
):
    lock_clients_refresh(lock=lock)
    client = PhoneClient.objects.filter(lock=lock, status="accepted").first()
    sandbox.state.faults.replace(
        [
            rule_from_json({"operation": "set_client_state", "drop": True}),
            rule_from_json({"operation": "k3_clients", "status": 400}),
        ]
    )

    response = site_staff_client.post(reverse("k3_client_suspend", args=[client.pk]), follow=True)

    assert "could not be read back to check whether the change was made" in response.text
    client.refresh_from_db()
    assert not client.is_suspended
