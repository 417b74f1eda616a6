"""Template tags of the manager's view: a lock's timeline and server-drawn charts."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from django import template
from django.urls import reverse
from django.utils.safestring import SafeString

from dashboard import widget_html
from dashboard.chart_html import chart_html
from dashboard.charts import Chart
from dashboard.timeline import kitlock_sources, merge_timeline, smartlock_sources

if TYPE_CHECKING:
    from dashboard.timeline import TimelinePage
    from dashboard.widgets import Listing

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


@register.simple_tag
def code_items(listing: Listing, show_site: bool) -> SafeString:
    """The items of a code list."""
    return widget_html.code_items(listing, show_site)


@register.simple_tag
def door_items(entries: list) -> SafeString:
    """The items of the latest door events."""
    return widget_html.door_items(entries)


@register.simple_tag
def pending_items(listing: Listing, show_site: bool, now: datetime) -> SafeString:
    """The items of the pending phone invitations."""
    return widget_html.pending_items(listing, show_site, now)


@register.simple_tag
def timeline_items(timeline: TimelinePage, site: Any, lock: Any, timeline_url: str) -> SafeString:
    """A timeline page's events, drawn in Python (fifty items of date filters are slow)."""
    return widget_html.timeline_items(
        timeline, site.time_zone, reverse(timeline_url, args=[lock.pk])
    )
