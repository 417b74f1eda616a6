"""The sites a dashboard reads, and the condition that keeps rows to them.

A superuser's dashboard covers every site: `site IN (every id)` changes no figure, yet it
makes PostgreSQL probe an index once per site (or per lock) instead of scanning one range,
and Django and the driver handle hundreds of ids in every query.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Q

if TYPE_CHECKING:
    from collections.abc import Sequence

    from locks.models import Site


class EverySite(list):
    """Every site there is: rows need no site condition to be among them."""


def site_ids(sites: Sequence[Site]) -> list[int]:
    """The sites' ids (Django reads a model's pk per instance in every filter it builds)."""
    return [site.pk for site in sites]


def on_sites(sites: Sequence[Site], path: str = "site") -> Q:
    """Rows whose `path` leads to one of `sites`; no condition at all for every site."""
    if isinstance(sites, EverySite):
        return Q()
    return Q(**{f"{path}__in": site_ids(sites)})
