"""Chart geometry for server-drawn SVG: bars and lines with their numbers and a table twin.

dashboard/chart_html.py draws these with presentation attributes and CSS classes (the CSP
refuses style attributes). Series differ by pattern, dash and marker shape as well as colour,
and every value is also written as text.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

WIDTH = 640
HEIGHT = 220
LEFT = 44
RIGHT = 112
TOP = 16
BOTTOM = 36


def nice_ceiling(value: float) -> int:
    """A round number at or above `value` for an axis top: 1, 2 or 5 times a power of ten."""
    if value <= 0:
        return 1
    power = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 5, 10):
        if value <= step * power:
            return int(step * power)
    return int(10 * power)


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    label: str
    value: int
    css: str = ""

    @property
    def center(self) -> float:
        return self.x + self.width / 2


@dataclass(frozen=True)
class Guide:
    """A labelled horizontal line (a quota, a budget)."""

    y: float
    label: str
    css: str


@dataclass(frozen=True)
class Tick:
    y: float
    label: str


@dataclass(frozen=True)
class Chart:
    """Everything a chart template draws, with the rows of its table alternative."""

    key: str
    title: str
    description: str
    columns: tuple[str, ...]
    rows: list[tuple]
    bars: list[Bar] = field(default_factory=list)
    ticks: list[Tick] = field(default_factory=list)
    guides: list[Guide] = field(default_factory=list)
    lines: list[tuple[str, str, str]] = field(default_factory=list)  # (points, css, label)
    markers: list[tuple[float, float, str]] = field(default_factory=list)
    width: int = WIDTH
    height: int = HEIGHT
    label_every: int = 1

    @property
    def plot_bottom(self) -> int:
        return self.height - BOTTOM

    @property
    def plot_left(self) -> int:
        return LEFT

    @property
    def plot_right(self) -> int:
        return self.width - RIGHT

    @property
    def empty(self) -> bool:
        return not any(bar.value for bar in self.bars)


def _scale(top: int, height: int) -> float:
    return (height - TOP - BOTTOM) / top


def _ticks(top: int, height: int) -> list[Tick]:
    scale = _scale(top, height)
    return [Tick(y=height - BOTTOM - v * scale, label=str(v)) for v in (0, top // 2, top)]


def bar_chart(
    key: str,
    title: str,
    items: Sequence[tuple[str, int]],
    *,
    description: str,
    columns: tuple[str, str],
    css: Sequence[str] = (),
    label_every: int = 1,
) -> Chart:
    """Vertical bars, one per (label, value), with the value written above each bar."""
    top = nice_ceiling(max((v for _, v in items), default=0))
    scale = _scale(top, HEIGHT)
    slot = (WIDTH - LEFT - RIGHT) / max(len(items), 1)
    bars = [
        Bar(
            x=LEFT + i * slot + slot * 0.15,
            y=HEIGHT - BOTTOM - value * scale,
            width=slot * 0.7,
            height=value * scale,
            label=label,
            value=value,
            css=css[i] if i < len(css) else "",
        )
        for i, (label, value) in enumerate(items)
    ]
    return Chart(
        key=key,
        title=title,
        description=description,
        columns=columns,
        rows=list(items),
        bars=bars,
        ticks=_ticks(top, HEIGHT),
        label_every=label_every,
    )


def _points(values: Sequence[tuple[float, float]]) -> str:
    return " ".join(f"{x:.1f},{y:.1f}" for x, y in values)


def cumulative_chart(
    key: str,
    title: str,
    daily: Sequence[tuple[str, int]],
    *,
    today_index: int,
    limit: int,
    projected: int,
    budget: int | None = None,
) -> Chart:
    """Calls per day (bars), their running total (line, round markers), the quota, the
    budget and the projection to the month's end (dashed) on one axis."""
    running, total = [], 0
    for _, value in daily[: today_index + 1]:
        total += value
        running.append(total)
    top = nice_ceiling(max([limit, projected, budget or 0, *running, 1]))
    scale = _scale(top, HEIGHT)
    slot = (WIDTH - LEFT - RIGHT) / max(len(daily), 1)

    def y(value: float) -> float:
        return HEIGHT - BOTTOM - value * scale

    def x(index: int) -> float:
        return LEFT + index * slot + slot / 2

    bars = [
        Bar(LEFT + i * slot + slot * 0.2, y(v), slot * 0.6, v * scale, label, v, "chart-bar-day")
        for i, (label, v) in enumerate(daily)
    ]
    actual = [(x(i), y(v)) for i, v in enumerate(running)]
    lines = [(_points(actual), "chart-line-actual", f"Used {total}")]
    if actual:
        end = (x(len(daily) - 1), y(projected))
        lines.append(
            (_points([actual[-1], end]), "chart-line-projection", f"Projected {projected}")
        )
    guides = [Guide(y(limit), f"Quota {limit}", "chart-guide-quota")]
    if budget is not None:
        guides.append(Guide(y(budget), f"Sync budget {budget}", "chart-guide-budget"))
    rows = [
        (label, v, running[i] if i < len(running) else "") for i, (label, v) in enumerate(daily)
    ]
    return Chart(
        key=key,
        title=title,
        description=f"{total} calls so far against a quota of {limit}; {projected} projected.",
        columns=("Day", "Calls", "Running total"),
        rows=rows,
        bars=bars,
        ticks=_ticks(top, HEIGHT),
        guides=guides,
        lines=lines,
        markers=[(px, py, "chart-marker-actual") for px, py in actual],
        label_every=5,
    )
