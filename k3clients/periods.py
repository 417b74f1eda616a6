"""Active periods of a phone client: the ten rows, presets, the weekly preview, the JSON shape."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from codelocks.types import WEEKDAYS, ActivePeriod

PERIOD_COUNT = 10
PERIOD_KEYS = tuple(str(n) for n in range(PERIOD_COUNT))
WEEKDAY_LABELS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
DAY_MINUTES = 24 * 60

OVERNIGHT_EXPLAINED = (
    "A period runs from its start to its end on the same day, so it must end after it starts. "
    "For a night shift use two periods, e.g. 22:00-23:59 and 00:00-06:00 on the following days."
)

BLANK = ActivePeriod(
    enabled=False, mon=False, tue=False, wed=False, thu=False, fri=False, sat=False, sun=False
)
_WEEKEND_ONLY = {day: day in ("sat", "sun") for day in WEEKDAYS}
PRESETS: dict[str, tuple[str, ActivePeriod]] = {
    "always": ("Always", ActivePeriod()),
    "weekdays": (
        "Weekdays 08:00-18:00",
        ActivePeriod(starts="08:00", ends="18:00", sat=False, sun=False),
    ),
    "weekends": ("Weekends", ActivePeriod(**_WEEKEND_ONLY)),
}


def padded(periods: Iterable[ActivePeriod]) -> list[ActivePeriod]:
    """Exactly ten rows: the given ones first, then disabled blanks."""
    rows = list(periods)[:PERIOD_COUNT]
    return rows + [BLANK] * (PERIOD_COUNT - len(rows))


def preset(name: str) -> list[ActivePeriod]:
    """The ten rows of a named preset (KeyError for an unknown name)."""
    return padded([PRESETS[name][1]])


def from_api(data: Mapping[str, Any] | None) -> list[ActivePeriod]:
    """Ten rows from the API's {"0": {...}} shape; missing keys are disabled blanks."""
    data = data or {}
    rows = []
    for key in PERIOD_KEYS:
        raw = data.get(key)
        rows.append(ActivePeriod.from_api(raw) if isinstance(raw, Mapping) else BLANK)
    return rows


def to_api(periods: Iterable[ActivePeriod]) -> dict[str, dict[str, Any]]:
    """All ten rows in the API's shape (disabled rows too, so an update replaces everything)."""
    return {key: period.to_api() for key, period in zip(PERIOD_KEYS, padded(periods), strict=True)}


def enabled(periods: Iterable[ActivePeriod]) -> list[ActivePeriod]:
    """The rows that let the person in on at least one day."""
    return [p for p in periods if p.enabled and any(getattr(p, day) for day in WEEKDAYS)]


def minutes(hh_mm: str) -> int:
    """Minutes after midnight of an HH:MM time."""
    hours, mins = hh_mm.split(":")
    return int(hours) * 60 + int(mins)


def _end_minute(hh_mm: str) -> int:
    """23:59 means "to the end of the day" on the lock."""
    value = minutes(hh_mm)
    return DAY_MINUTES if value == DAY_MINUTES - 1 else value


@dataclass(frozen=True)
class DayPreview:
    """When the door opens for the person on one weekday."""

    label: str
    windows: tuple[tuple[str, str], ...]
    hours: tuple[str, ...]

    @property
    def summary(self) -> str:
        if not self.windows:
            return "No access"
        if self.windows == (("00:00", "23:59"),):
            return "All day"
        return ", ".join(f"{start}-{end}" for start, end in self.windows)


def _merged(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def _hour_states(spans: list[tuple[int, int]]) -> tuple[str, ...]:
    """Each hour as "open", "part" or "closed"."""
    states = []
    for hour in range(24):
        lo, hi = hour * 60, hour * 60 + 60
        covered = sum(max(0, min(end, hi) - max(start, lo)) for start, end in spans)
        states.append("open" if covered >= 60 else "part" if covered else "closed")
    return tuple(states)


def _clock(minute: int) -> str:
    return "23:59" if minute >= DAY_MINUTES else f"{minute // 60:02d}:{minute % 60:02d}"


def weekly_preview(periods: Iterable[ActivePeriod]) -> list[DayPreview]:
    """The week at a glance: for each weekday the merged windows and a 24-hour strip."""
    rows = [p for p in enabled(periods) if minutes(p.starts) < _end_minute(p.ends)]
    week = []
    for day, label in zip(WEEKDAYS, WEEKDAY_LABELS, strict=True):
        spans = _merged([(minutes(p.starts), _end_minute(p.ends)) for p in rows if getattr(p, day)])
        windows = tuple((_clock(start), _clock(end)) for start, end in spans)
        week.append(DayPreview(label=label, windows=windows, hours=_hour_states(spans)))
    return week


def _day_span(period: ActivePeriod) -> str:
    days = [n for n, day in enumerate(WEEKDAYS) if getattr(period, day)]
    if len(days) == len(WEEKDAYS):
        return "every day"
    if len(days) > 2 and days == list(range(days[0], days[-1] + 1)):
        return f"{WEEKDAY_LABELS[days[0]]}-{WEEKDAY_LABELS[days[-1]]}"
    return " ".join(WEEKDAY_LABELS[n] for n in days)


def describe(periods: Iterable[ActivePeriod]) -> list[str]:
    """The enabled rows in words, e.g. "Mon-Fri 08:00-18:00"."""
    return [f"{_day_span(p)} {p.starts}-{p.ends}" for p in enabled(periods)]
