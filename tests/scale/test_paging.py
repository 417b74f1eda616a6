"""Big lists come a page at a time, without counting every row, and keep their filters."""

from __future__ import annotations

import pytest
from django.urls import reverse

from locks.listing import PER_PAGE, lock_page
from tests.factories import MembershipFactory, SiteFactory
from tests.k3clients.factories import SmartLockFactory
from tests.locks.factories import KitLockFactory


def _estate(site, kitlocks: int, smartlocks: int) -> None:
    KitLockFactory.create_batch(kitlocks, site=site)
    account = SmartLockFactory(account__site=site).account
    SmartLockFactory.create_batch(smartlocks - 1, account=account)


def test_the_lock_list_shows_a_page_of_both_kinds_in_name_order(site, site_staff):
    _estate(site, 40, 40)
    first = lock_page(site_staff)
    second = lock_page(site_staff, page=2)
    rows = [*first, *second]
    assert len(first) == PER_PAGE and first.has_next
    assert len(second) == 80 - PER_PAGE and not second.has_next
    assert rows == sorted(rows, key=lambda row: row.name.lower())
    assert {row.kind.split()[0] for row in rows} == {"KitLock", "Smart"}


@pytest.mark.parametrize("per_page", [1, 4, 7, 50])
def test_lock_pages_in_site_order_walk_every_site_without_gaps_or_repeats(
    per_page, site, site_staff
):
    others = [SiteFactory(name=name) for name in ("Annex", "Mill", "Zephyr Yard")]
    for other in others:
        MembershipFactory(site=other, user=site_staff)
    for number, each in enumerate([site, *others]):
        KitLockFactory.create_batch(number + 1, site=each)
        if number % 2:
            account = SmartLockFactory(account__site=each).account
            SmartLockFactory.create_batch(number, account=account)
    whole = list(lock_page(site_staff, per_page=1000))
    walked, number = [], 1
    while True:
        page = lock_page(site_staff, page=number, per_page=per_page)
        walked.extend(page)
        if not page.has_next:
            break
        number += 1

    assert walked == whole
    assert len(whole) == (1 + 2 + 3 + 4) + (1 + 1) + (1 + 3)  # KitLocks, then smart locks
    assert [row.site.name for row in whole] == sorted(row.site.name for row in whole)
    assert len(lock_page(site_staff, page=number + 1, per_page=per_page)) == 0


def test_the_lock_list_pages_keep_the_filters(site, site_staff_client):
    _estate(site, 60, 3)
    page = site_staff_client.get(reverse("kitlock_list"), {"model": "KL1060", "page": 2}).text
    assert "model=KL1060&amp;page=1" in page
    assert "Smart lock CL5510" not in page


def test_the_history_lock_filter_offers_only_the_chosen_sites_locks(
    site, other_site, site_manager, site_manager_client
):
    KitLockFactory(site=site, name="Plant room")
    KitLockFactory(site=other_site, name="Somewhere else")
    everything = site_manager_client.get(reverse("netcode_history")).text
    chosen = site_manager_client.get(reverse("netcode_history"), {"site": site.pk}).text
    assert "Plant room" not in everything
    assert "Plant room" in chosen
    assert "Somewhere else" not in chosen
