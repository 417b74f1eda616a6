"""The daily refresh of the cached durations."""

from __future__ import annotations

import pytest

from netcodes.models import DurationOption
from netcodes.tasks import refresh_durations

pytestmark = pytest.mark.django_db


def test_the_daily_refresh_fetches_the_models_in_use_only(sandbox, kitlock):
    assert refresh_durations() == ["KL1060"]
    assert DurationOption.objects.filter(lock_model="KL1060").count() == 19
    assert sandbox.state.request_counts["durations"] == 1


def test_the_daily_refresh_leaves_the_utility_reserve_alone(sandbox, kitlock, settings):
    settings.CODELOCKS_UTILITY_RESERVE = 1.0
    assert refresh_durations() == []
    assert sandbox.state.request_counts["durations"] == 0
