"""The dashboard lists' items drawn in Python: ten rows each of {% url %}, time zones and date
filters took the template engine longer than the figures took to read."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.text import Truncator
from django.utils.timesince import timesince

from config.links import link_for
from netcodes import clock

if TYPE_CHECKING:
    from dashboard.timeline import TimelinePage
    from dashboard.widgets import Listing
    from k3clients.models import AuditEntry


def code_items(listing: Listing, show_site: bool) -> SafeString:
    """The `<li>` of each code issue in a code list."""
    url = link_for("netcode_issue")
    rows = []
    for issue in listing.rows:
        code, zone = issue.netcode, issue.netcode.site.time_zone
        starts, ends = (
            clock.site_time(at, zone, year=False) for at in (code.starts_at, code.ends_at)
        )
        window = f"{starts} \u2013 {ends}"
        site = f" · {code.site.name}" if show_site else ""
        rows.append((url(issue.pk), issue.recipient_name, code.lock_name, window, site))
    return format_html_join(
        "\n",
        '<li class="py-1 border-bottom"><a href="{}">{}</a> · {}\n'
        '<div class="small text-body-secondary">{}{}</div></li>',
        rows,
    )


def door_items(entries: Sequence[AuditEntry]) -> SafeString:
    """The `<li>` of each of the latest door events."""
    url = link_for("k3_lock_detail")
    items = []
    for entry in entries:
        lock, at = entry.lock, entry.date_entered
        text = entry.entry_text and format_html(
            '<div class="small text-body-secondary">{}</div>',
            Truncator(entry.entry_text).chars(90),
        )
        items.append(
            format_html(
                '<li class="py-1 border-bottom"><time datetime="{}" class="text-nowrap">{}</time>'
                ' · <strong>{}</strong> · <a href="{}">{}</a>\n{}</li>',
                at.astimezone(UTC).isoformat(),
                clock.site_time(at, lock.site.time_zone, year=False),
                entry.entry_type,
                url(lock.pk),
                str(lock),
                text or "",
            )
        )
    return SafeString("\n".join(items))


def _invited(client, show_site: bool, now: datetime) -> str:
    if client.invited_at is None:
        when = "invitation date unknown"
    else:
        by = f" by {client.invited_by}" if client.invited_by else ""
        when = f"invited {timesince(client.invited_at, now)} ago{by}"
    return f"{when} · {client.lock.site.name}" if show_site else when


def pending_items(listing: Listing, show_site: bool, now: datetime) -> SafeString:
    """The `<li>` of each pending phone invitation."""
    url = link_for("k3_lock_detail")
    rows = [
        (client.email, url(client.lock.pk), str(client.lock), _invited(client, show_site, now))
        for client in listing.rows
    ]
    return format_html_join(
        "\n",
        '<li class="py-1 border-bottom">{} on <a href="{}">{}</a>\n'
        '<div class="small text-body-secondary">{}</div></li>',
        rows,
    )


def timeline_items(timeline: TimelinePage, zone: str, older_url: str) -> SafeString:
    """The `<li>` of each event of a timeline page on a site's clock, then "Older events"."""
    items = []
    for event in timeline.events:
        title = (
            format_html('<a href="{}">{}</a>', event.url, event.title) if event.url else event.title
        )
        window = event.window and format_html(
            ' <span class="small">· valid {} \u2013 {}</span>',
            clock.site_time(event.window[0], zone, year=False),
            clock.site_time(event.window[1], zone, year=False),
        )
        detail = event.detail and format_html(
            '<div class="small text-body-secondary">{}</div>', event.detail
        )
        items.append(
            format_html(
                '<li class="timeline-item timeline-{}">\n'
                '  <span class="timeline-category badge">{}</span>\n'
                '  <time datetime="{}" class="small text-nowrap">{}</time>\n'
                "  <div>{}{}</div>\n  {}\n</li>",
                event.kind,
                event.category,
                event.at.astimezone(clock.zone(zone)).isoformat(),
                clock.site_time(event.at, zone),
                title,
                window or "",
                detail or "",
            )
        )
    if timeline.older:
        more = f"{older_url}?before={timeline.older.encode()}"
        items.append(
            format_html(
                '<li class="timeline-more"><a class="btn btn-sm btn-outline-secondary" href="{}"'
                ' hx-get="{}" hx-target="closest li" hx-swap="outerHTML">Older events</a></li>',
                more,
                more,
            )
        )
    return SafeString("\n".join(items))
