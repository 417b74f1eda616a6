"""Charts drawn as SVG in Python: every number as text, patterns, legend and table twin."""

from __future__ import annotations

import re

from dashboard.chart_html import chart_html, tenth
from dashboard.charts import bar_chart, cumulative_chart
from dashboard.widgets import battery_chart


def test_coordinates_round_half_up_to_one_decimal_as_the_template_filter_did():
    assert [tenth(0.25), tenth(12.0), tenth(164.0), tenth(3.14159)] == [
        "0.3",
        "12.0",
        "164.0",
        "3.1",
    ]


def test_a_bar_chart_writes_each_value_above_its_bar_and_in_its_table():
    chart = bar_chart(
        "events",
        "Door events",
        [("1 Jul", 4), ("2 Jul", 0), ("3 Jul", 12)],
        description="Per day.",
        columns=("Day", "Door events"),
    )
    html = chart_html(chart)
    assert re.findall(r'class="chart-value" text-anchor="middle">(\d+)<', html) == ["4", "12"]
    assert "<title>2 Jul: 0</title>" in html
    assert '<th scope="row">3 Jul</th><td>12</td>' in html
    assert "chart-legend" not in html  # bars only: the values say it all


def test_only_every_nth_bar_is_labelled_under_the_axis():
    items = [(f"day {n}", n) for n in range(6)]
    chart = bar_chart("k", "T", items, description="d", columns=("a", "b"), label_every=2)
    labels = re.findall(r'class="chart-label" text-anchor="middle">([^<]+)<', chart_html(chart))
    assert labels == ["day 0", "day 2", "day 4"]


def test_low_and_unreported_batteries_are_told_apart_by_pattern_not_only_colour():
    html = chart_html(battery_chart((2, 1, 5, 3)))
    assert 'fill="url(#chart-battery-hatch)"' in html
    assert 'fill="url(#chart-battery-dots)"' in html
    assert html.count('fill="url(') == 2


def test_labels_and_titles_are_escaped():
    chart = bar_chart(
        "k", "<b>Doors</b>", [("<i>x</i>", 1)], description="a & b", columns=("<a>", "b")
    )
    html = chart_html(chart)
    assert "<b>" not in html and "<i>" not in html and "<a>" not in html
    assert "&lt;b&gt;Doors&lt;/b&gt;" in html and "a &amp; b" in html


def test_the_usage_chart_shows_the_running_total_projection_quota_and_budget():
    daily = [(str(day), 10) for day in range(1, 31)]
    chart = cumulative_chart(
        "usage-utility", "Utility", daily, today_index=2, limit=500, projected=300, budget=120
    )
    html = chart_html(chart)
    assert "<title>Used 30</title>" in html and "<title>Projected 300</title>" in html
    assert html.count('class="chart-marker-actual"') == 3
    assert "Quota 500</li>" in html and "Sync budget 120</li>" in html
    assert "running total (solid line, dots)" in html
    assert '<th scope="row">4</th><td>10</td><td></td>' in html  # no running total yet
