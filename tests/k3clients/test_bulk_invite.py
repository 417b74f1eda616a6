"""Inviting the same people to several smart locks at once, with a result per lock."""

from __future__ import annotations

import pytest
from django.urls import reverse

from k3clients.models import PhoneClient, SmartLock
from tests.conftest import SANDBOX_ACCESSKEY
from tests.k3clients.conftest import period_post
from tests.k3clients.factories import SmartLockFactory

pytestmark = pytest.mark.django_db

CLEANER = "heidi@example.com"


def _bulk(client, site, locks, emails=CLEANER, **extra):
    data = period_post(emails=emails, access_type="STANDARD", message="Cleaning rota")
    data.update(extra)
    data["locks"] = [str(lock.pk) for lock in locks]
    return client.post(reverse("k3_bulk_invite", args=[site.pk]), data)


def _without(sandbox, email):
    """The site's locks on which the person is not yet a client."""
    remote = sandbox.state.accounts[SANDBOX_ACCESSKEY].locks
    return [lock for lock in SmartLock.objects.all() if email not in remote[lock.lock_id].clients]


def test_a_cleaner_is_invited_to_every_lock_with_a_result_each(
    sandbox, account, site, site_staff_client
):
    locks = _without(sandbox, CLEANER)

    response = _bulk(site_staff_client, site, locks)

    assert response.text.count("Invited:") == len(locks)
    assert PhoneClient.objects.filter(email=CLEANER).count() == len(locks)
    for lock in locks:
        assert CLEANER in sandbox.state.accounts[SANDBOX_ACCESSKEY].locks[lock.lock_id].clients


def test_a_failing_lock_among_them_does_not_stop_the_others(
    sandbox, account, site, site_staff_client
):
    locks = _without(sandbox, CLEANER)[:3]
    with sandbox.state.lock:
        sandbox.state.accounts[SANDBOX_ACCESSKEY].locks.pop(locks[1].lock_id)

    response = _bulk(site_staff_client, site, locks)

    assert response.text.count("Invited:") == 2
    assert response.text.count("Failed:") == 1
    assert "is no longer on the K3 Connect account" in response.text
    assert set(PhoneClient.objects.filter(email=CLEANER).values_list("lock", flat=True)) == {
        locks[0].pk,
        locks[2].pk,
    }


def test_several_people_to_several_locks(sandbox, account, site, site_staff_client):
    people = ["grace@example.com", "ivan@example.com"]
    locks = [lock for lock in _without(sandbox, people[0]) if lock in _without(sandbox, people[1])]
    response = _bulk(site_staff_client, site, locks[:2], emails="\n".join(people))
    assert response.text.count("Invited:") == 4


def test_an_unknown_person_fails_on_each_lock_with_the_reason(
    sandbox, account, site, site_staff_client
):
    locks = list(SmartLock.objects.all()[:2])
    response = _bulk(site_staff_client, site, locks, emails="nobody@example.org")
    assert response.text.count("is not a registered K3 Connect user") == 2


def test_only_the_sites_own_locks_can_be_chosen(
    sandbox, account, site, other_site, site_staff_client
):
    foreign = SmartLockFactory(account__site=other_site)
    response = _bulk(site_staff_client, site, [foreign])
    assert "Select a valid choice" in response.text
    assert not PhoneClient.objects.exists()


def test_another_sites_bulk_invite_is_404(site_admin_client, other_site):
    assert site_admin_client.get(reverse("k3_bulk_invite", args=[other_site.pk])).status_code == 404
