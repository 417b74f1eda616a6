"""NetCodes for K3Connect smart locks go through the same flow as KitLocks."""

from __future__ import annotations

import pytest
from django.core import mail
from django.urls import reverse

from k3clients.models import LOCK_GONE_NO_CODES, SMART_LOCK_KEYING
from locks.listing import lock_list
from netcodes.models import NetCode, NetCodeIssue
from tests.locks.factories import KitLockFactory
from tests.netcodes.helpers import netcode_calls, netcode_form_data

pytestmark = pytest.mark.django_db


def _generate(client, lock, **overrides):
    url = reverse("netcode_new_smartlock", args=[lock.pk])
    return client.post(url, netcode_form_data(**overrides))


def test_a_manager_gets_a_six_digit_code_for_a_smart_lock(sandbox, lock, site_manager_client):
    response = _generate(site_manager_client, lock)
    assert response.status_code == 302, response.content.decode()[:2000]
    netcode = NetCode.objects.get()
    assert netcode.smartlock == lock
    assert netcode.lock_model == "K3CONNECT"
    assert len(netcode.code) == 6 and netcode.code.isdigit()
    page = site_manager_client.get(response.url).content.decode()
    assert netcode.code in page
    assert netcode_calls() == 1


def test_the_access_key_is_never_stored_with_the_code(sandbox, lock, site_manager_client):
    _generate(site_manager_client, lock)
    netcode = NetCode.objects.get()
    stored = " ".join(str(value) for value in vars(netcode).values())
    assert lock.account.access_key not in stored


def test_the_card_tells_people_to_key_in_a_star_first(sandbox, lock, site_manager_client):
    _generate(site_manager_client, lock)
    issue = NetCodeIssue.objects.get()
    card = site_manager_client.get(reverse("netcode_card", args=[issue.pk])).content.decode()
    assert "key in * and then the 6-digit code" in card


def test_the_emailed_code_carries_the_star_instruction(sandbox, lock, site_manager_client):
    _generate(site_manager_client, lock)
    issue = NetCodeIssue.objects.get()
    site_manager_client.post(reverse("netcode_send", args=[issue.pk]), {"email": "g@example.com"})
    assert len(mail.outbox) == 1
    assert SMART_LOCK_KEYING in mail.outbox[0].body.replace("\n", " ")


def test_the_same_request_again_costs_nothing(sandbox, lock, site_manager_client):
    _generate(site_manager_client, lock)
    _generate(site_manager_client, lock)
    assert netcode_calls() == 1
    assert NetCodeIssue.objects.filter(from_history=True).count() == 1


def test_staff_cannot_generate_for_a_smart_lock(sandbox, lock, site_staff_client):
    assert _generate(site_staff_client, lock).status_code == 403
    assert netcode_calls() == 0


def test_a_smart_lock_of_another_site_is_not_found(sandbox, lock, outsider_client):
    assert _generate(outsider_client, lock).status_code == 404


def test_a_lock_gone_from_its_account_gets_no_code(sandbox, lock, site_manager_client):
    lock.gone_at = lock.first_seen_at
    lock.save(update_fields=["gone_at"])
    response = _generate(site_manager_client, lock)
    assert LOCK_GONE_NO_CODES in response.content.decode()
    assert netcode_calls() == 0


def test_the_lock_page_lists_its_codes_and_offers_a_new_one(sandbox, lock, site_manager_client):
    _generate(site_manager_client, lock)
    issue = NetCodeIssue.objects.get()
    page = site_manager_client.get(reverse("k3_lock_detail", args=[lock.pk])).content.decode()
    assert reverse("netcode_new_smartlock", args=[lock.pk]) in page
    assert issue.recipient_name in page


def test_the_history_filters_by_a_smart_lock(sandbox, lock, site, site_manager_client):
    _generate(site_manager_client, lock)
    kitlock = KitLockFactory(site=site, name="Plant room")
    url = reverse("netcode_history")
    mine = site_manager_client.get(url, {"lock": f"smartlock:{lock.pk}"}).content.decode()
    other = site_manager_client.get(url, {"lock": f"kitlock:{kitlock.pk}"}).content.decode()
    assert "Carla Cleaner" in mine
    assert "Carla Cleaner" not in other


def test_the_lock_list_shows_kitlocks_and_smart_locks_together(lock, site, site_staff):
    KitLockFactory(site=site, name="Plant room")
    rows = lock_list(site_staff)
    kinds = {row.kind.split()[0] for row in rows}
    assert kinds == {"KitLock", "Smart"}
    assert rows == sorted(rows, key=lambda row: (row.site.name, row.name.casefold()))


def test_the_lock_list_filters_smart_locks_and_flags_a_low_battery(lock, site, site_staff_client):
    KitLockFactory(site=site, name="Plant room")
    lock.battery_status = "5"
    lock.save(update_fields=["battery_status"])
    page = site_staff_client.get(reverse("kitlock_list"), {"model": "K3CONNECT"}).content.decode()
    assert str(lock) in page
    assert "Plant room" not in page
    assert "Battery low" in page


def test_the_lock_list_hides_another_sites_smart_locks(lock, outsider_client):
    page = outsider_client.get(reverse("kitlock_list")).content.decode()
    assert str(lock) not in page


def test_the_lock_list_sorts_by_name_across_sites_and_kinds(lock, site, other_site, site_staff):
    from locks.models import Membership, Role

    Membership.objects.create(site=other_site, user=site_staff, role=Role.STAFF)
    KitLockFactory(site=other_site, name="Aardvark gate")
    KitLockFactory(site=site, name="Zebra door")
    names = [row.name for row in lock_list(site_staff, sort="name")]
    assert names == sorted(names, key=str.casefold)
    assert names[0] == "Aardvark gate"
    by_site = [row.site.name for row in lock_list(site_staff, sort="site")]
    assert by_site == sorted(by_site)
