"""One low-battery rule: the SQL regex over many locks and the Python reading of one agree."""

from __future__ import annotations

import re

import pytest

from k3clients.models import LOW_BATTERY_PERCENT, LOW_BATTERY_REGEX, battery_is_low, battery_percent

READINGS = [
    "0", "5", "9", "10", "19", "20", "21", "99", "100", "007", "020", "0020", "21%", "20%",
    " 20 % ", "20 %", "%20", "20%%", "", " ", "abc", "12.5", "-5", "\uff15", "1 2", "low", "200",
]  # fmt: skip


@pytest.mark.parametrize("reading", READINGS)
def test_the_sql_rule_and_the_python_rule_call_the_same_readings_low(reading):
    assert battery_is_low(reading) == bool(re.match(LOW_BATTERY_REGEX, reading))


@pytest.mark.parametrize(
    ("reading", "percent"),
    [("85", 85), (" 85% ", 85), ("085", 85), ("85%%", None), ("\uff18\uff15", None), ("", None)],
)
def test_a_reading_is_a_whole_percentage_or_unknown(reading, percent):
    assert battery_percent(reading) == percent


def test_the_threshold_is_the_one_the_regex_writes():
    assert battery_is_low(str(LOW_BATTERY_PERCENT))
    assert not battery_is_low(str(LOW_BATTERY_PERCENT + 1))
