"""Onboarding KitLocks through the API or by hand, the lock list and clock care."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from codelocks.sandbox.faults import rule_from_json
from locks.kitlock_forms import G3_BY_HAND
from locks.kitlock_views import NETCODES_SHOWN
from locks.models import KitLock
from locks.models.kitlocks import (
    IDENTIFIER_C2,
    IDENTIFIER_SIX_DIGITS,
    TIMECODE_FORMAT,
    TIMECODE_NOT_A_DATE,
)
from tests.dashboard.factories import NetCodeFactory, NetCodeIssueFactory
from tests.locks.factories import KitLockFactory

pytestmark = pytest.mark.django_db


def _wizard(client, site, **overrides):
    data = {"site": site.pk, "model": "KL1060", "name": "Bike store", "location": "Yard",
            "notes": "", "master_code": "24681357", "random_identifier": "on"}  # fmt: skip
    data.update(overrides)
    return client.post(reverse("kitlock_initialise"), data)


@pytest.mark.parametrize("model", ["KL1060", "KL1060C2", "KL1550"])
def test_an_admin_onboards_a_kitlock_and_keys_in_its_sequence(
    sandbox, site, site_admin_client, model
):
    response = _wizard(site_admin_client, site, model=model)
    lock = KitLock.objects.get()
    assert response.url == reverse("kitlock_sequence", args=[lock.pk])
    page = site_admin_client.get(response.url).content.decode()
    assert "Key this in on the lock now" in page
    assert f"#24681357 • 20 • {lock.timecode[2:]} • {lock.identifier} ••" in page
    assert (lock.model, lock.clock_zone, lock.master_code) == (model, "UTC", "24681357")
    assert lock.awaiting_initialisation
    site_admin_client.post(response.url)
    lock.refresh_from_db()
    assert lock.initialised_at is not None
    assert lock.clock_set_at is not None
    assert lock.pending_sequence == ""


def test_the_master_code_is_encrypted_at_rest(sandbox, site, site_admin_client):
    _wizard(site_admin_client, site)
    with connection.cursor() as cursor:
        cursor.execute("SELECT master_code FROM locks_kitlock")
        (stored,) = cursor.fetchone()
    assert "24681357" not in stored


def test_a_g3_is_sent_to_the_add_by_hand_form(sandbox, site, site_admin_client):
    page = _wizard(site_admin_client, site, model="KL1060G3").content.decode()
    assert G3_BY_HAND in page
    assert KitLock.objects.count() == 0


def test_an_api_failure_during_onboarding_saves_nothing(sandbox, site, site_admin_client):
    sandbox.state.faults.replace([rule_from_json({"operation": "init_sequence", "status": 400})])
    page = _wizard(site_admin_client, site, name="Kept name").content.decode()
    assert "The Codelocks API refused the data sent" in page
    assert "Kept name" in page
    assert KitLock.objects.count() == 0


def test_managers_and_staff_cannot_onboard(sandbox, site, site_manager_client, site_staff_client):
    assert site_manager_client.get(reverse("kitlock_initialise")).status_code == 403
    assert site_staff_client.get(reverse("kitlock_add")).status_code == 403


def test_an_admin_cannot_onboard_onto_another_site(sandbox, site, other_site, site_admin_client):
    page = _wizard(site_admin_client, other_site).content.decode()
    assert "Select a valid choice" in page
    assert KitLock.objects.count() == 0


def _by_hand(client, site, **overrides):
    data = {"site": site.pk, "model": "KL1060G3", "timecode": "202011161623",
            "identifier": "451254", "clock_zone": "UTC", "netcode_mode": "standard",
            "name": "Gate", "location": "", "notes": "", "master_code": ""}  # fmt: skip
    data.update(overrides)
    return client.post(reverse("kitlock_add"), data)


def test_an_initialised_kitlock_is_added_by_hand(site, site_admin_client):
    response = _by_hand(site_admin_client, site)
    lock = KitLock.objects.get()
    assert response.url == reverse("kitlock_detail", args=[lock.pk])
    assert (lock.model, lock.timecode, lock.identifier) == ("KL1060G3", "202011161623", "451254")
    assert lock.initialised_at.isoformat() == "2020-11-16T16:23:00+00:00"


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"timecode": "2020111616"}, TIMECODE_FORMAT),
        ({"timecode": "202013161623"}, TIMECODE_NOT_A_DATE.format(value="202013161623")),
        ({"identifier": "45125"}, IDENTIFIER_SIX_DIGITS),
        ({"model": "KL1060C2", "identifier": "051254"}, IDENTIFIER_C2),
        ({"master_code": "1234"}, "A master code is exactly 8 digits"),
    ],
)
def test_each_mistake_in_a_lock_added_by_hand_has_its_message(
    site, site_admin_client, overrides, message
):
    page = _by_hand(site_admin_client, site, **overrides).content.decode()
    assert message in page.replace("&#x27;", "'")
    assert KitLock.objects.count() == 0


def test_the_same_lock_cannot_be_added_twice(site, site_admin_client):
    _by_hand(site_admin_client, site)
    page = _by_hand(site_admin_client, site).content.decode()
    assert "already has a KL1060G3 lock with timecode 202011161623" in page


def test_the_lock_list_searches_and_filters(site, other_site, site_staff_client):
    KitLockFactory(site=site, name="Bike store", model="KL1550")
    KitLockFactory(site=site, name="Boiler room", model="KL1060")
    KitLockFactory(site=other_site, name="Bike shed")
    url = reverse("kitlock_list")
    page = site_staff_client.get(url).content.decode()
    assert "Bike store" in page and "Boiler room" in page
    assert "Bike shed" not in page
    found = site_staff_client.get(url, {"q": "bike"}).content.decode()
    assert "Bike store" in found and "Boiler room" not in found
    kl1550 = site_staff_client.get(url, {"model": "KL1550"}).content.decode()
    assert "Boiler room" not in kl1550


def test_staff_see_a_lock_but_a_lock_of_another_site_is_not_found(
    site, other_site, site_staff_client
):
    mine, theirs = KitLockFactory(site=site), KitLockFactory(site=other_site)
    assert site_staff_client.get(reverse("kitlock_detail", args=[mine.pk])).status_code == 200
    assert site_staff_client.get(reverse("kitlock_detail", args=[theirs.pk])).status_code == 404


def test_batteries_replaced_asks_for_the_clock_to_be_set_again(
    site, site_admin_client, site_manager_client
):
    lock = KitLockFactory(site=site, master_code="24681357")
    site_manager_client.post(reverse("kitlock_batteries", args=[lock.pk]))
    lock.refresh_from_db()
    assert lock.clock_needs_setting
    detail = site_manager_client.get(reverse("kitlock_detail", args=[lock.pk])).content.decode()
    assert "its clock has not been set since" in detail
    clock_page = site_admin_client.get(reverse("kitlock_clock", args=[lock.pk])).content.decode()
    assert "#24681357 • 20 • " in clock_page
    manager_page = site_manager_client.get(reverse("kitlock_clock", args=[lock.pk])).content
    assert b"24681357" not in manager_page
    site_manager_client.post(reverse("kitlock_clock", args=[lock.pk]))
    lock.refresh_from_db()
    assert not lock.clock_needs_setting
    assert lock.clock_set_at > lock.batteries_replaced_at


def test_an_admin_records_the_lock_netcode_mode(site, site_admin_client):
    lock = KitLockFactory(site=site)
    data = {"name": lock.name, "location": "", "notes": "", "netcode_mode": "rental",
            "clock_zone": "UTC"}  # fmt: skip
    site_admin_client.post(reverse("kitlock_edit", args=[lock.pk]), data)
    lock.refresh_from_db()
    assert lock.get_netcode_mode_display() == "Rental"


def test_the_lock_page_shows_its_latest_codes_and_leads_to_every_one(site, site_staff_client):
    lock = KitLockFactory(site=site)
    now = timezone.now()
    for hours in range(NETCODES_SHOWN + 2):
        NetCodeIssueFactory(
            netcode=NetCodeFactory(site=site, kitlock=lock, starts_at=now - timedelta(hours=hours)),
            recipient_name=f"Guest {hours:02d}",
        )

    page = site_staff_client.get(reverse("kitlock_detail", args=[lock.pk])).text
    codes = page.partition(">NetCodes</h2>")[2].partition('id="timeline-heading"')[0]

    assert f"Guest {NETCODES_SHOWN - 1:02d}" in codes
    assert f"Guest {NETCODES_SHOWN:02d}" not in codes
    history = f"{reverse('netcode_history')}?site={site.pk}&amp;lock=kitlock:{lock.pk}"
    assert f'href="{history}">Every NetCode of {lock.name}</a>' in page
    assert page.count('class="timeline-item') == NETCODES_SHOWN + 2  # every code on the timeline
