"""The active-period editor's buttons when JavaScript is off, and its template context."""

from __future__ import annotations

import json
from typing import Any

from django.http import HttpRequest

from codelocks.types import WEEKDAYS, ActivePeriod
from k3clients import periods as period_rules
from k3clients.forms import BasePeriodFormSet, period_formset


def reworked(request: HttpRequest, formset: BasePeriodFormSet) -> BasePeriodFormSet | None:
    """Apply a preset, copy-a-row or preview button to the posted rows; None when saving."""
    preset = request.POST.get("preset")
    if preset in period_rules.PRESETS:
        return period_formset(periods=period_rules.preset(preset))
    copy = request.POST.get("copy", "")
    if copy:
        if not formset.is_valid() or copy not in period_rules.PERIOD_KEYS:
            return formset
        return period_formset(periods=_copied(formset.periods(), int(copy)))
    if "preview" in request.POST:
        formset.is_valid()
        return formset
    return None


def _copied(rows: list[ActivePeriod], source: int) -> list[ActivePeriod]:
    """Copy one row into the first disabled row after it (or before it when none is)."""
    free = [n for n in range(len(rows)) if not rows[n].enabled and n != source]
    later = [n for n in free if n > source]
    target = (later or free or [None])[0]
    if target is not None:
        rows[target] = rows[source]
    return rows


def _shown_periods(formset: BasePeriodFormSet) -> list[ActivePeriod] | None:
    if not formset.is_bound:
        return [
            ActivePeriod(**{key: value for key, value in row.items() if key != "index"})
            for row in formset.initial
        ]
    return formset.periods() if formset.is_valid() else None


def editor_context(formset: BasePeriodFormSet) -> dict[str, Any]:
    """What templates/k3clients/_period_editor.html needs."""
    shown = _shown_periods(formset)
    presets = {
        name: period_rules.to_api(period_rules.preset(name)) for name in period_rules.PRESETS
    }
    return {
        "periods": formset,
        "preview": period_rules.weekly_preview(shown or []),
        "preview_stale": shown is None,
        "preset_choices": [(name, label) for name, (label, _) in period_rules.PRESETS.items()],
        "presets_json": json.dumps(presets),
        "weekdays": list(zip(WEEKDAYS, period_rules.WEEKDAY_LABELS, strict=True)),
    }
