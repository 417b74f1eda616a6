"""Template tags of the manager's view: a lock's timeline and server-drawn charts."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.safestring import SafeString

from dashboard.chart_html import chart_html
from dashboard.charts import Chart
from dashboard.timeline import kitlock_sources, merge_timeline, smartlock_sources

register = template.Library()


@register.inclusion_tag("dashboard/_timeline.html")
def lock_timeline(lock: Any) -> dict[str, Any]:
    """The newest events of a lock the page already fetched (and checked access to)."""
    smart = lock._meta.model_name == "smartlock"
    sources = smartlock_sources(lock) if smart else kitlock_sources(lock)
    return {
        "lock": lock,
        "site": lock.site,
        "timeline": merge_timeline(sources),
        "timeline_url": "smartlock_timeline" if smart else "kitlock_timeline",
    }


@register.simple_tag
def chart(chart: Chart) -> SafeString:
    """An SVG chart with its numbers as text and a table for screen readers."""
    return chart_html(chart)
