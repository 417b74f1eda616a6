"""Template tags of the smart-lock pages."""

from __future__ import annotations

from django import template
from django.utils import timezone
from django.utils.dateformat import format as format_date
from django.utils.html import format_html
from django.utils.safestring import SafeString

from k3clients.models import LockCondition

register = template.Library()


@register.simple_tag
def battery(lock: LockCondition) -> SafeString | str:
    """A lock's battery: a green badge, a red "low" one (since when), or the status as given."""
    # A tag, not an include: lock tables draw it on every row.
    percent = lock.battery_percent
    if percent is None:
        return lock.battery_status or "—"
    if lock.battery_low:
        badge = format_html('<span class="badge text-bg-danger">{}% low</span>', percent)
    else:
        badge = format_html('<span class="badge text-bg-success">{}%</span>', percent)
    since = getattr(lock, "battery_low_since", None)
    if since is None:
        return badge
    day = format_date(timezone.localtime(since), "j M")
    return format_html('{} <span class="visually-hidden">low since {}</span>', badge, day)
