"""Times on a site's clock, written as the pages write them."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.utils import dateformat, timezone

from netcodes import clock

AT = datetime(2026, 3, 29, 0, 30, 5, tzinfo=UTC)  # the night London moves to summer time


@pytest.mark.parametrize("zone", ["Europe/London", "America/New_York", "Asia/Kolkata", "UTC"])
@pytest.mark.parametrize(
    ("options", "django_format"),
    [({}, "j M Y H:i"), ({"year": False}, "j M H:i"), ({"seconds": True}, "j M Y H:i:s")],
)
def test_site_time_writes_what_the_date_filter_writes(zone, options, django_format):
    local = timezone.localtime(AT, clock.zone(zone))

    assert clock.site_time(AT, zone, **options) == dateformat.format(local, django_format)


def test_a_zone_is_loaded_once():
    assert clock.zone("Europe/Lisbon") is clock.zone("Europe/Lisbon")
