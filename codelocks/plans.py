"""The Codelocks Connect API usage plans: monthly NetCode and Utility call quotas."""

from __future__ import annotations

from typing import NamedTuple


class Plan(NamedTuple):
    """Calls a month that one API key may make, per category."""

    netcode: int
    utility: int


# From the vendor's document, written as the portal's CODELOCKS_PLAN values.
PLANS: dict[str, Plan] = {
    "business-1": Plan(100, 1000),
    "business-2": Plan(315, 1000),
    "pro-1": Plan(613, 2000),
    "pro-2": Plan(1250, 2000),
    "pro-3": Plan(2417, 2000),
    "enterprise-1": Plan(6000, 3000),
    "enterprise-2": Plan(12000, 3000),
}
