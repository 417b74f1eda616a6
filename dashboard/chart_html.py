"""A chart of dashboard/charts.py drawn as an SVG figure with its legend and table twin.

Drawn in Python, not in a template: a month of bars is hundreds of tags and numbers, and the
template engine spent more time on them than the pages' queries took.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal

from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe

from dashboard.charts import Bar, Chart

TENTH = Decimal("0.1")
# Bars whose colour alone would not tell them apart are filled with a pattern too.
FILLS = {"chart-bar-low": "hatch", "chart-bar-unknown": "dots"}
PATTERNS = (
    '<defs><pattern id="chart-{key}-hatch" width="6" height="6" patternUnits="userSpaceOnUse" '
    'patternTransform="rotate(45)"><rect width="6" height="6" class="chart-hatch-bg"/>'
    '<line x1="0" y1="0" x2="0" y2="6" class="chart-hatch-line" stroke-width="3"/></pattern>'
    '<pattern id="chart-{key}-dots" width="6" height="6" patternUnits="userSpaceOnUse">'
    '<rect width="6" height="6" class="chart-dots-bg"/>'
    '<circle cx="3" cy="3" r="1.4" class="chart-dots-dot"/></pattern></defs>'
)
LEGEND_ITEM = (
    '<li class="list-inline-item"><span class="legend-swatch legend-{}" aria-hidden="true">'
    "</span> {}</li>"
)
SERIES = (
    ("bar", "calls per day (bars)"),
    ("actual", "running total (solid line, dots)"),
    ("projection", "projection (dashed)"),
)


def tenth(value: float) -> str:
    """A coordinate to one decimal, rounded half up as the `floatformat:1` filter does."""
    return str(Decimal(repr(value)).quantize(TENTH, ROUND_HALF_UP))


def _esc(value: object) -> str:
    return str(conditional_escape(value))


def _ticks(chart: Chart) -> Iterable[str]:
    left, right = chart.plot_left, chart.plot_right
    for tick in chart.ticks:
        y = tenth(tick.y)
        yield (
            f'<line x1="{left}" x2="{right}" y1="{y}" y2="{y}" class="chart-grid"/>'
            f'<text x="{left - 6}" y="{y}" class="chart-tick" text-anchor="end" '
            f'dominant-baseline="middle">{_esc(tick.label)}</text>'
        )


def _bar(chart: Chart, index: int, bar: Bar) -> str:
    label, center, top = _esc(bar.label), tenth(bar.center), tenth(bar.y)
    pattern = FILLS.get(bar.css)
    fill = f' fill="url(#chart-{_esc(chart.key)}-{pattern})"' if pattern else ""
    parts = [
        f'<g class="chart-bar {_esc(bar.css)}"><title>{label}: {bar.value}</title>',
        f'<rect x="{tenth(bar.x)}" y="{top}" width="{tenth(bar.width)}" '
        f'height="{tenth(bar.height)}"{fill}/>',
    ]
    if not chart.lines and bar.value:
        parts.append(
            f'<text x="{center}" y="{top}" dy="-4" class="chart-value" '
            f'text-anchor="middle">{bar.value}</text>'
        )
    if index % chart.label_every == 0:
        parts.append(
            f'<text x="{center}" y="{chart.plot_bottom + 14}" class="chart-label" '
            f'text-anchor="middle">{label}</text>'
        )
    parts.append("</g>")
    return "".join(parts)


def _guides_and_lines(chart: Chart) -> Iterable[str]:
    left, right = chart.plot_left, chart.plot_right
    for guide in chart.guides:
        y = tenth(guide.y)
        yield (
            f'<g class="{_esc(guide.css)}"><line x1="{left}" x2="{right}" y1="{y}" y2="{y}"/>'
            f'<text x="{right + 4}" y="{y}" dominant-baseline="middle" '
            f'class="chart-guide-label">{_esc(guide.label)}</text></g>'
        )
    for points, css, label in chart.lines:
        yield (
            f'<polyline points="{_esc(points)}" class="{_esc(css)}" fill="none">'
            f"<title>{_esc(label)}</title></polyline>"
        )
    for x, y, css in chart.markers:
        yield f'<circle cx="{tenth(x)}" cy="{tenth(y)}" r="2.5" class="{_esc(css)}"/>'


def _svg(chart: Chart) -> str:
    key, title = _esc(chart.key), _esc(chart.title)
    bottom = chart.plot_bottom
    return "".join(
        [
            f'<svg class="chart-svg" viewBox="0 0 {chart.width} {chart.height}" role="img" '
            f'aria-labelledby="chart-{key}-svgtitle chart-{key}-desc" '
            'preserveAspectRatio="xMidYMid meet">',
            f'<title id="chart-{key}-svgtitle">{title}</title>',
            f'<desc id="chart-{key}-desc">{_esc(chart.description)}</desc>',
            PATTERNS.format(key=key),
            *_ticks(chart),
            *(_bar(chart, i, bar) for i, bar in enumerate(chart.bars)),
            *_guides_and_lines(chart),
            f'<line x1="{chart.plot_left}" x2="{chart.plot_right}" y1="{bottom}" '
            f'y2="{bottom}" class="chart-axis"/></svg>',
        ]
    )


def _legend(chart: Chart) -> str:
    if not chart.lines:
        return ""
    items = [LEGEND_ITEM.format(css, text) for css, text in SERIES]
    items += [LEGEND_ITEM.format(_esc(g.css), _esc(g.label)) for g in chart.guides]
    return f'<ul class="chart-legend list-inline small mb-1">{"".join(items)}</ul>'


def _row(row: tuple) -> str:
    cells = [f'<th scope="row">{_esc(row[0])}</th>'] if row else []
    cells += [f"<td>{_esc(cell)}</td>" for cell in row[1:]]
    return f"<tr>{''.join(cells)}</tr>"


def _table(chart: Chart) -> str:
    head = "".join(f'<th scope="col">{_esc(column)}</th>' for column in chart.columns)
    body = "".join(_row(tuple(row)) for row in chart.rows)
    return format_html(
        '<details class="chart-table small"><summary>{} as a table</summary>'
        '<table class="table table-sm mb-0"><thead><tr>{}</tr></thead><tbody>{}</tbody>'
        "</table></details>",
        chart.title,
        mark_safe(head),  # noqa: S308 - every cell was escaped above
        mark_safe(body),  # noqa: S308 - every cell was escaped above
    )


def chart_html(chart: Chart) -> SafeString:
    """The figure: the SVG with its numbers as text, the legend of a line chart, the table."""
    key = _esc(chart.key)
    return mark_safe(  # noqa: S308 - every value from the chart is escaped where it is placed
        f'<figure class="chart" aria-labelledby="chart-{key}-title">'
        f'<figcaption id="chart-{key}-title" class="h6">{_esc(chart.title)}</figcaption>'
        f"{_svg(chart)}{_legend(chart)}{_table(chart)}</figure>"
    )
