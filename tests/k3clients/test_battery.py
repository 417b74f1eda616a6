"""How a smart lock's battery reads on the lock tables and the lock's page."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.template import Context, Template
from django.utils import timezone

from k3clients.models import SmartLock


def _battery(lock: SmartLock, zone: str = "UTC") -> str:
    template = Template("{% load k3clients_tags %}{% battery lock %}")
    with timezone.override(zone):
        return template.render(Context({"lock": lock}))


@pytest.mark.parametrize(
    ("status", "shown"),
    [
        ("85", '<span class="badge text-bg-success">85%</span>'),
        ("85%", '<span class="badge text-bg-success">85%</span>'),
        ("20", '<span class="badge text-bg-danger">20% low</span>'),
        ("Unknown <b>", "Unknown &lt;b&gt;"),
        ("", "—"),
    ],
)
def test_a_percentage_is_a_badge_red_when_low_and_anything_else_reads_as_given(status, shown):
    assert _battery(SmartLock(battery_status=status)) == shown


def test_a_low_battery_says_since_when_on_the_sites_calendar():
    since = datetime(2026, 3, 1, 23, 30, tzinfo=UTC)
    lock = SmartLock(battery_status="12", battery_low_since=since)

    assert _battery(lock, "Asia/Tokyo").endswith(
        '<span class="visually-hidden">low since 2 Mar</span>'
    )
