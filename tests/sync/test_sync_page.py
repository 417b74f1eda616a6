"""The sync page of a site: runs, budget, freshness, and "sync now" with live progress."""

from __future__ import annotations

import pytest
from django.urls import reverse

from k3clients.models import SyncRun, SyncStatus
from k3clients.sync.manual import SYNC_STARTED
from k3clients.sync.runs import sync_run_execute

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
