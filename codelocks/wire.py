"""How values go on the wire: query strings, form bodies, dates and active periods."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any
from urllib.parse import quote, urlencode

from .types import ActivePeriod

ActivePeriodsInput = (
    Mapping[str, Any] | Mapping[int, Any] | Sequence[ActivePeriod] | Sequence[Mapping[str, Any]]
)

START_FORMAT = "%Y-%m-%d %H:%M"
MAX_ACTIVE_PERIODS = 10


def encode_query(params: Mapping[str, str]) -> str:
    """Percent-encode like the vendor's curl examples (`%20` for spaces, `:` and `/` kept)."""
    return urlencode(params, quote_via=quote, safe=":/")


def encode_form(fields: Mapping[str, str]) -> str:
    """Encode an application/x-www-form-urlencoded body as curl --data-urlencode does."""
    return urlencode(fields, quote_via=quote, safe="")


def path_segment(value: str, what: str) -> str:
    """Quote one path segment; refuse empty values so no other route is hit by mistake."""
    text = str(value).strip()
    if not text:
        raise ValueError(f"{what} must not be empty")
    return quote(text, safe="")


def format_start(start: datetime) -> str:
    """Format a NetCode start as the lock-clock wall time `yyyy-MM-dd HH:mm` (no conversion)."""
    if not isinstance(start, datetime):
        raise TypeError("start must be a datetime (the wall time on the lock's clock)")
    if start.second or start.microsecond:
        raise ValueError("start must be on a whole minute (the API takes yyyy-MM-dd HH:mm)")
    return start.strftime(START_FORMAT)


def format_bool(value: bool) -> str:
    """The API's spelling of a boolean query value."""
    if not isinstance(value, bool):
        raise TypeError("expected True or False")
    return "true" if value else "false"


def require_int(value: int, what: str, *, minimum: int = 0) -> str:
    """Check an integer parameter and give its text form."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{what} must be an integer")
    if value < minimum:
        raise ValueError(f"{what} must be at least {minimum}")
    return str(value)


def require_choice(value: str, what: str, choices: Sequence[str]) -> str:
    """Check an enumerated parameter (case-insensitive) and give its canonical spelling."""
    text = str(value).strip()
    for choice in choices:
        if text.lower() == choice.lower():
            return choice
    raise ValueError(f"{what} must be one of {', '.join(choices)}")


def encode_active_periods(periods: Any) -> str:
    """Active periods as the JSON string the API takes, with exactly the keys given."""
    if isinstance(periods, str):
        try:
            periods = json.loads(periods)
        except ValueError:
            raise ValueError("active_periods text is not JSON") from None
    if isinstance(periods, Mapping):
        items = [(str(key), value) for key, value in periods.items()]
    elif isinstance(periods, Sequence):
        items = [(str(index), value) for index, value in enumerate(periods)]
    else:
        raise TypeError("active_periods must be a mapping or a sequence of ActivePeriod")
    if not items or len(items) > MAX_ACTIVE_PERIODS:
        raise ValueError(f"give between 1 and {MAX_ACTIVE_PERIODS} active periods")
    payload: dict[str, Any] = {}
    for key, value in items:
        if key not in {str(n) for n in range(MAX_ACTIVE_PERIODS)}:
            raise ValueError(f"active period keys are 0 to 9, got {key!r}")
        if isinstance(value, ActivePeriod):
            payload[key] = value.to_api()
        elif isinstance(value, Mapping):
            payload[key] = dict(value)
        else:
            raise TypeError("each active period must be an ActivePeriod or a JSON object")
    return json.dumps(payload, separators=(",", ":"))
