"""Every page does the same number of SQL queries on a small and a large estate (no N+1)."""

from __future__ import annotations

import pytest

from tests.scale.estate import LARGE, SMALL, query_counts, seed, wipe

# Far below what any page did before its queries were bounded (one per row of a list).
MOST_QUERIES_PER_PAGE = 30


@pytest.fixture
def counts_small_and_large(db) -> dict[str, tuple[dict[str, int], dict[str, int]]]:
    """Query counts of every page for both roles, on a small estate and then a large one."""
    seed(SMALL)
    small = {role: query_counts(role) for role in ("manager", "superuser")}
    wipe()
    seed(LARGE)
    large = {role: query_counts(role) for role in ("manager", "superuser")}
    return {role: (small[role], large[role]) for role in small}


def _differences(small: dict[str, int], large: dict[str, int]) -> dict[str, tuple[int, int]]:
    return {name: (small[name], large[name]) for name in small if small[name] != large[name]}


def test_no_page_does_more_queries_for_a_manager_of_a_bigger_estate(counts_small_and_large):
    small, large = counts_small_and_large["manager"]
    assert _differences(small, large) == {}


def test_no_page_does_more_queries_for_a_superuser_of_a_bigger_estate(counts_small_and_large):
    small, large = counts_small_and_large["superuser"]
    assert _differences(small, large) == {}


@pytest.mark.parametrize("role", ["manager", "superuser"])
def test_every_page_needs_only_a_few_queries(counts_small_and_large, role):
    _, large = counts_small_and_large[role]
    heavy = {name: count for name, count in large.items() if count > MOST_QUERIES_PER_PAGE}
    assert heavy == {}
