"""Smart locks: every documented field, the refresh, locks that leave the account, scoping."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from k3clients.models import K3CONNECT_MODEL, SmartLock
from k3clients.services import account_locks_refresh
from k3clients.views.locks import NETCODES_SHOWN
from tests.conftest import SANDBOX_ACCESSKEY
from tests.dashboard.factories import NetCodeFactory, NetCodeIssueFactory
from tests.k3clients.conftest import fault, sandbox_first_lock
from tests.k3clients.factories import AuditEntryFactory, SmartLockFactory

pytestmark = pytest.mark.django_db


def test_linking_stores_every_documented_field_of_each_lock(sandbox, account):
    for remote in sandbox.state.accounts[SANDBOX_ACCESSKEY].locks.values():
        stored = SmartLock.objects.get(lock_id=remote.lock_id)
        assert stored.site == account.site
        assert stored.name == remote.name
        assert stored.battery_status == str(remote.battery)
        assert stored.battery_updated is not None
        assert stored.manufacturer == "Codelocks"
        assert stored.model_name == remote.model
        assert stored.firmware_version == remote.firmware
        assert stored.time_zone == remote.timezone
        assert stored.timezone_offset == remote.timezone_offset
        assert stored.dst_start == remote.dst_start
        assert stored.dst_end == remote.dst_end
        assert stored.dst_time == remote.dst_time
        assert stored.pairing_date is not None


def test_the_lock_page_shows_the_lock_and_its_low_battery(sandbox, account, site_staff_client):
    low = SmartLock.objects.get(battery_status="12")
    response = site_staff_client.get(reverse("k3_lock_detail", args=[low.pk]))
    assert response.status_code == 200
    assert low.name in response.text
    assert "12% low" in response.text
    assert low.firmware_version in response.text
    assert low.lock_id in response.text


def test_refreshing_a_lock_fetches_it_now_with_its_location(sandbox, account, site_staff_client):
    lock = SmartLock.objects.get(lock_id=sandbox_first_lock(sandbox).lock_id)
    with sandbox.state.lock:
        sandbox_first_lock(sandbox).battery = 41
    assert lock.location == ""

    response = site_staff_client.post(reverse("k3_lock_refresh", args=[lock.pk]), follow=True)

    lock.refresh_from_db()
    assert "refreshed from the K3 Connect account" in response.text
    assert lock.battery_status == "41"
    assert lock.location == sandbox_first_lock(sandbox).location
    assert lock.location in response.text


def test_a_lock_removed_from_the_account_is_marked_gone_and_kept(
    sandbox, account, site_staff_client
):
    remote = sandbox_first_lock(sandbox)
    lock = SmartLock.objects.get(lock_id=remote.lock_id)
    with sandbox.state.lock:
        del sandbox.state.accounts[SANDBOX_ACCESSKEY].locks[remote.lock_id]

    response = site_staff_client.post(reverse("k3_lock_refresh", args=[lock.pk]), follow=True)

    assert "is no longer on the K3 Connect account" in response.text
    lock.refresh_from_db()
    assert lock.is_gone
    assert "no longer on the account" in response.text


def test_refreshing_the_lock_list_marks_missing_locks_gone_and_brings_them_back(sandbox, account):
    remote = sandbox_first_lock(sandbox)
    with sandbox.state.lock:
        removed = sandbox.state.accounts[SANDBOX_ACCESSKEY].locks.pop(remote.lock_id)

    result = account_locks_refresh(account=account)
    assert result.gone == 1
    assert SmartLock.objects.get(lock_id=remote.lock_id).is_gone

    with sandbox.state.lock:
        sandbox.state.accounts[SANDBOX_ACCESSKEY].locks[remote.lock_id] = removed
    result = account_locks_refresh(account=account)
    assert result.gone == 0
    assert not SmartLock.objects.get(lock_id=remote.lock_id).is_gone


def test_refreshing_twice_changes_nothing_the_second_time(sandbox, account):
    before = list(SmartLock.objects.values_list("pk", "lock_id").order_by("pk"))
    result = account_locks_refresh(account=account)
    assert result.added == 0
    assert list(SmartLock.objects.values_list("pk", "lock_id").order_by("pk")) == before


def test_an_api_failure_on_refresh_is_a_message_not_an_error_page(
    sandbox, account, site_staff_client
):
    lock = SmartLock.objects.get(lock_id=sandbox_first_lock(sandbox).lock_id)
    fault(sandbox, operation="k3_lock", malformed=True)

    response = site_staff_client.post(reverse("k3_lock_refresh", args=[lock.pk]), follow=True)

    assert response.status_code == 200
    assert "could not be understood" in response.text


def test_another_sites_lock_is_404(site_admin_client, other_site):
    lock = SmartLockFactory(account__site=other_site)
    for name in ("k3_lock_detail", "k3_lock_refresh", "k3_client_invite"):
        assert site_admin_client.post(reverse(name, args=[lock.pk])).status_code == 404


def test_visible_to_gives_only_the_users_sites_locks(site_staff, site, other_site):
    mine = SmartLockFactory(account__site=site)
    SmartLockFactory(account__site=other_site)
    assert list(SmartLock.objects.visible_to(site_staff)) == [mine]


def test_a_lock_gives_what_the_netcode_endpoint_needs(site):
    lock = SmartLockFactory(account__site=site, time_zone="Europe/Paris")
    target = lock.netcode_target()
    assert target.lock_ref == lock.lock_id
    assert target.lockmodel == K3CONNECT_MODEL
    assert target.identifier == lock.account.access_key
    assert target.clock_zone == "Europe/Paris"
    assert lock.account.access_key not in repr(target)


def test_a_lock_without_a_known_zone_uses_the_sites_clock(site):
    lock = SmartLockFactory(account__site=site, time_zone="")
    assert lock.clock_zone == site.tz


def test_the_lock_page_loads_its_timeline_when_scrolled_to(site, site_staff_client):
    lock = SmartLockFactory(account__site=site)
    AuditEntryFactory(lock=lock, entry_type="Jammed")
    timeline = reverse("smartlock_timeline", args=[lock.pk])

    page = site_staff_client.get(reverse("k3_lock_detail", args=[lock.pk])).text
    items = site_staff_client.get(timeline, HTTP_HX_REQUEST="true").text

    assert f'hx-get="{timeline}" hx-trigger="revealed"' in page
    assert f'href="{timeline}">Show the timeline</a>' in page
    assert 'class="timeline-item' in items and "Jammed" in items


def test_the_lock_page_shows_its_latest_codes_and_leads_to_every_one(site, site_staff_client):
    lock = SmartLockFactory(account__site=site)
    now = timezone.now()
    for hours in range(NETCODES_SHOWN + 2):
        NetCodeIssueFactory(
            netcode=NetCodeFactory(
                site=site, smartlock=lock, starts_at=now - timedelta(hours=hours)
            ),
            recipient_name=f"Guest {hours:02d}",
        )

    page = site_staff_client.get(reverse("k3_lock_detail", args=[lock.pk])).text

    assert f"Guest {NETCODES_SHOWN - 1:02d}" in page
    assert f"Guest {NETCODES_SHOWN:02d}" not in page
    history = f"{reverse('netcode_history')}?site={site.pk}&amp;lock=smartlock:{lock.pk}"
    assert f'href="{history}">Every NetCode of {lock}</a>' in page
