"""The sync page of a site: runs, budget, freshness, and "sync now" with live progress."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from k3clients.models import SyncRun, SyncStatus
from k3clients.sync.manual import SYNC_STARTED, account_sync_items, site_sync_estimate
from k3clients.sync.runs import sync_run_execute
from k3clients.sync.views import LOCKS_PER_PAGE
from tests.k3clients.factories import K3AccountFactory, SmartLockFactory

pytestmark = pytest.mark.django_db


def test_staff_see_the_budget_and_the_freshness_of_each_lock(account, site_staff_client):
    page = site_staff_client.get(reverse("k3_sync_page", args=[account.site_id]))

    assert page.status_code == 200
    text = page.content.decode()
    assert "Sync's share this month" in text and "700 calls" in text
    assert str(account.locks.order_by("name").first()) in text
    assert "Sync now" not in text


def test_a_site_of_someone_else_answers_404(account, outsider_client):
    assert outsider_client.get(reverse("k3_sync_page", args=[account.site_id])).status_code == 404
    url = reverse("k3_sync_now", args=[account.site_id])
    assert outsider_client.post(url).status_code == 404


def test_staff_may_not_press_sync_now(account, site_staff_client):
    response = site_staff_client.post(reverse("k3_sync_now", args=[account.site_id]))
    assert response.status_code == 403
    assert not SyncRun.objects.exists()


def test_sync_now_shows_progress_until_the_run_ends(account, site_manager_client):
    response = site_manager_client.post(reverse("k3_sync_now", args=[account.site_id]), follow=True)
    run = SyncRun.objects.get()
    assert (
        SYNC_STARTED.format(site=account.site, calls=run.calls_planned) in response.content.decode()
    )
    progress = reverse("k3_sync_progress", args=[account.site_id])
    assert f'hx-get="{progress}"' in response.content.decode()

    sync_run_execute(run_pk=run.pk)
    fragment = site_manager_client.get(progress, HTTP_HX_REQUEST="true").content.decode()

    run.refresh_from_db()
    assert run.status == SyncStatus.DONE
    assert "hx-get" not in fragment
    assert "Done" in fragment


def test_the_freshness_table_comes_a_page_at_a_time_and_sums_up_the_whole_site(
    site, site_staff_client
):
    account = K3AccountFactory(site=site)
    never_read = SmartLockFactory.create_batch(LOCKS_PER_PAGE + 2, account=account)
    SmartLockFactory(account=account, name="Old gate", gone_at=timezone.now())
    url = reverse("k3_sync_page", args=[site.pk])

    first = site_staff_client.get(url).text
    second = site_staff_client.get(url, {"page": 2}).text

    assert f"{LOCKS_PER_PAGE + 3} smart locks, 1 of them no longer on the account" in first
    assert f"for {len(never_read)} locks never read" in first
    assert first.count('href="/smart-locks/locks/') == LOCKS_PER_PAGE
    assert "page=2" in first
    assert second.count('href="/smart-locks/locks/') == 3
    assert "Old gate" in second


def test_the_stalest_audit_comes_first_when_asked(site, site_staff_client):
    account = K3AccountFactory(site=site)
    now = timezone.now()
    SmartLockFactory(account=account, name="Atrium", audit_synced_at=now - timedelta(minutes=5))
    SmartLockFactory(account=account, name="Boiler room", audit_synced_at=now - timedelta(days=3))
    url = reverse("k3_sync_page", args=[site.pk])

    by_name = site_staff_client.get(url).text
    stalest = site_staff_client.get(url, {"order": "stale"}).text

    assert by_name.index("Atrium") < by_name.index("Boiler room")
    assert stalest.index("Boiler room") < stalest.index("Atrium")
    assert "3 days ago" in stalest and "5 minutes ago" in stalest
    assert "oldest 3 days ago" in stalest


def test_the_estimate_is_what_sync_now_plans(site, account):
    other = K3AccountFactory(site=site)
    SmartLockFactory.create_batch(2, account=other)
    SmartLockFactory(account=other, gone_at=timezone.now())
    K3AccountFactory(site=site, key_rejected_at=timezone.now())
    SmartLockFactory(account__site=site, account__key_rejected_at=timezone.now())

    planned = sum(len(account_sync_items(a)) for a in (account, other))

    assert site_sync_estimate(site) == planned


def test_each_run_shows_how_many_of_its_items_are_done(site, site_staff_client):
    account = K3AccountFactory(site=site)
    items = [{"what": "audit", "lock": n, "calls": 1} for n in range(7)]
    SyncRun.objects.create(
        site=site,
        account=account,
        trigger="planner",
        status=SyncStatus.FAILED,
        created_at=timezone.now(),
        items=items,
        items_done=4,
    )

    page = site_staff_client.get(reverse("k3_sync_page", args=[site.pk])).text

    assert "<td>4/7</td>" in page
