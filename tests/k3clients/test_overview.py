"""The smart-lock overview: one line a site, paged and searchable, that leads to the locks."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from k3clients.views.accounts import SITES_PER_PAGE
from tests.factories import MembershipFactory, SiteFactory
from tests.k3clients.factories import K3AccountFactory, SmartLockFactory

pytestmark = pytest.mark.django_db


def _overview(client, **query: object) -> str:
    """The page's own content, after the navigation (whose site picker names every site)."""
    return client.get(reverse("k3_index"), query).text.split("<h1", 1)[1]


def test_each_site_shows_its_lock_count_linking_to_all_its_smart_locks(site, site_staff_client):
    account = K3AccountFactory(site=site)
    SmartLockFactory.create_batch(25, account=account)

    page = site_staff_client.get(reverse("k3_index")).text

    assert f'href="/locks/?site={site.pk}&amp;model=K3CONNECT">25 smart locks</a>' in page
    assert account.email in page
    assert "/smart-locks/locks/" not in page


def test_locks_needing_attention_are_counted_and_said_why(site, site_staff_client):
    account = K3AccountFactory(site=site)
    SmartLockFactory.create_batch(3, account=account)
    SmartLockFactory(account=account, battery_status="15%")
    SmartLockFactory(account=account, gone_at=timezone.now() - timedelta(days=1))

    page = site_staff_client.get(reverse("k3_index")).text

    attention = f"/locks/?site={site.pk}&amp;model=K3CONNECT&amp;attention=on"
    assert f'href="{attention}">2 locks</a>' in page
    assert "1 low battery" in page
    assert "1 no longer on the account" in page


def test_a_site_whose_key_was_refused_shows_it_and_counts_its_locks(site, site_staff_client):
    account = K3AccountFactory(site=site, key_rejected_at=timezone.now())
    SmartLockFactory.create_batch(2, account=account)

    page = site_staff_client.get(reverse("k3_index")).text

    assert "key refused" in page
    assert '&amp;attention=on">2 locks</a>' in page


def test_a_site_without_an_account_invites_its_admin_to_link_one(site, site_admin_client):
    page = site_admin_client.get(reverse("k3_index")).text

    assert "none linked" in page
    assert reverse("k3_account_link", args=[site.pk]) in page
    assert reverse("k3_sync_page", args=[site.pk]) not in page


def test_staff_are_not_offered_to_link_an_account(site, site_staff_client):
    page = site_staff_client.get(reverse("k3_index")).text

    assert reverse("k3_account_link", args=[site.pk]) not in page


def test_many_sites_come_a_page_at_a_time_in_name_order(site, site_staff, site_staff_client):
    for number in range(SITES_PER_PAGE + 5):
        MembershipFactory(site=SiteFactory(name=f"Depot {number:03d}"), user=site_staff)

    first = _overview(site_staff_client)
    second = _overview(site_staff_client, page=2)

    assert "Depot 000" in first and f"Depot {SITES_PER_PAGE - 1:03d}" in first
    assert f"Depot {SITES_PER_PAGE:03d}" not in first
    assert f"Depot {SITES_PER_PAGE:03d}" in second
    assert "page=2" in first


def test_the_site_search_keeps_to_matching_sites_and_pages(site, site_staff, site_staff_client):
    MembershipFactory(site=SiteFactory(name="Riverside Depot"), user=site_staff)

    page = _overview(site_staff_client, q="depot")
    nothing = _overview(site_staff_client, q="nowhere")

    assert "Riverside Depot" in page
    assert site.name not in page
    assert "No site matches “nowhere”" in nothing
