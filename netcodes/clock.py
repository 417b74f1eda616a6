"""The one place that converts times between a site's clock and a lock's clock.

The API takes a NetCode's `start` as a wall time, and each duration id comes with rules:
- ConvertToUTC=1: the start is sent in UTC (locks initialised through the API count UTC);
- ConvertToUTC=0: the start is sent on the lock's own clock (its `clock_zone`), which keeps
  no daylight saving time unless ApplyDST=1;
- RestrictedStartTime: "XX:00" (on the hour), "00:00" (at midnight) or another "HH:MM",
  checked on the time that is sent.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from zoneinfo import ZoneInfo

START_FORMAT = "%Y-%m-%d %H:%M"
_STEP = timedelta(minutes=15)  # fine enough for every real UTC offset

NONEXISTENT_TIME = (
    "{time} does not exist on {date} on this site's clock (the clocks go forward); "
    "choose another start."
)
START_NOT_ALLOWED = (
    "{kind} codes must start {rule} on the lock's clock ({zone}). On this site's clock that "
    "is {choices} on {date}."
)
NO_START_ON_DAY = "{kind} codes cannot start on {date} on this site's clock; choose another day."


@dataclass(frozen=True)
class StartRule:
    """The rules of one duration id that decide what is sent as `start`."""

    convert_to_utc: bool = True
    apply_dst: bool = False
    restricted_start_time: str = "XX:00"

    def allows(self, lock_start: datetime) -> bool:
        """Whether a start (on the lock's clock) is one the rule permits."""
        rule = self.restricted_start_time.strip().upper()
        if not rule:
            return lock_start.second == 0
        hour, _, minute = rule.partition(":")
        if minute and int(minute) != lock_start.minute:
            return False
        return hour == "XX" or int(hour) == lock_start.hour

    def describe(self) -> str:
        """The rule in words: "on the hour", "at midnight", "at 06:30"."""
        rule = self.restricted_start_time.strip().upper()
        if rule.startswith("XX"):
            return "on the hour"
        if rule == "00:00":
            return "at midnight"
        return f"at {rule}" if rule else "on a whole minute"


def lock_zone_name(clock_zone: str, rule: StartRule) -> str:
    """The clock the API start is written on, as the pages name it."""
    if rule.convert_to_utc or clock_zone == "UTC":
        return "UTC"
    return clock_zone if rule.apply_dst else f"{clock_zone}, standard time"


@functools.cache
def zone(name: str) -> ZoneInfo:
    """The time zone of this name, loaded once per process.

    ZoneInfo keeps only its last 8 zones for sure: pages over an estate of more zones would
    otherwise read them from disk again on every request.
    """
    return ZoneInfo(name)


MONTHS = ("", "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def site_time(at: datetime, name: str, *, year: bool = True, seconds: bool = False) -> str:
    """`at` on the clock of zone `name` as the date filter's "j M Y H:i" draws it.

    Pages of many rows use it instead of the template filter, which costs a lookup of the
    format and the active time zone per cell.
    """
    local = at.astimezone(zone(name))
    day = f"{local.day} {MONTHS[local.month]}" + (f" {local.year}" if year else "")
    return f"{day} {local:%H:%M:%S}" if seconds else f"{day} {local:%H:%M}"


def _lock_offset(instant: datetime, clock_zone: str, rule: StartRule) -> timedelta:
    """How far the lock's clock is ahead of UTC at `instant`."""
    if rule.convert_to_utc or clock_zone == "UTC":
        return timedelta(0)
    local = instant.astimezone(zone(clock_zone))
    offset = local.utcoffset() or timedelta(0)
    return offset if rule.apply_dst else offset - (local.dst() or timedelta(0))


def to_lock_clock(instant: datetime, clock_zone: str, rule: StartRule) -> datetime:
    """The lock clock's wall time (naive) at an aware instant: what the API takes."""
    utc = instant.astimezone(UTC)
    return (utc + _lock_offset(utc, clock_zone, rule)).replace(tzinfo=None)


def from_lock_clock(wall: datetime, clock_zone: str, rule: StartRule) -> datetime:
    """The aware UTC instant at which the lock's clock shows `wall`."""
    guess = wall.replace(tzinfo=UTC)
    offset = _lock_offset(guess, clock_zone, rule)
    return guess - _lock_offset(guess - offset, clock_zone, rule)


def site_datetime(day: date, at: time, site_tz: tzinfo) -> datetime:
    """An aware datetime from a site's calendar day and wall time; ValueError if it never is."""
    local = datetime.combine(day, at).replace(tzinfo=site_tz)
    round_trip = local.astimezone(UTC).astimezone(site_tz)
    if round_trip.replace(tzinfo=None) != local.replace(tzinfo=None):
        raise ValueError(
            NONEXISTENT_TIME.format(time=at.strftime("%H:%M"), date=day.strftime("%-d %B %Y"))
        )
    return local


def start_choices(day: date, site_tz: tzinfo, clock_zone: str, rule: StartRule) -> list[datetime]:
    """The starts on a site's calendar day that the rule permits (aware, on the site's clock)."""
    begin = datetime.combine(day, time(0)).replace(tzinfo=site_tz).astimezone(UTC)
    end = datetime.combine(day + timedelta(days=1), time(0)).replace(tzinfo=site_tz)
    end = end.astimezone(UTC)
    found, moment = [], begin
    while moment < end:
        if rule.allows(to_lock_clock(moment, clock_zone, rule)):
            found.append(moment.astimezone(site_tz))
        moment += _STEP
    return found


def start_error(
    start: datetime, *, is_day_code: bool, clock_zone: str, rule: StartRule
) -> str | None:
    """Why a start (aware, on the site's clock) is refused, naming the allowed ones; or None."""
    if rule.allows(to_lock_clock(start, clock_zone, rule)):
        return None
    kind = "Day" if is_day_code else "Hour"
    day = start.date()
    choices = start_choices(day, start.tzinfo, clock_zone, rule)  # type: ignore[arg-type]
    if not choices:
        return NO_START_ON_DAY.format(kind=kind, date=day.strftime("%-d %B %Y"))
    shown = ", ".join(c.strftime("%H:%M") for c in choices[:3])
    if len(choices) > 3:
        shown += " … (every hour)" if not is_day_code else ""
    return START_NOT_ALLOWED.format(
        kind=kind,
        rule=rule.describe(),
        zone=lock_zone_name(clock_zone, rule),
        choices=shown,
        date=day.strftime("%-d %B %Y"),
    )


def format_lock_time(wall: datetime) -> str:
    """A lock-clock wall time as the API and the history write it."""
    return wall.strftime(START_FORMAT)
