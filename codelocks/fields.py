"""Readers for the fields of API bodies: lenient about spelling and type, never inventing."""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

MISSING = object()


class ShapeError(ValueError):
    """A body field is missing or of the wrong type."""


def field(data: Mapping[str, Any], *names: str, default: Any = MISSING) -> Any:
    """The first of several spellings present in an object."""
    if not isinstance(data, Mapping):
        raise ShapeError("expected a JSON object")
    for name in names:
        if name in data:
            return data[name]
    if default is MISSING:
        raise ShapeError(f"missing field {names[0]!r}")
    return default


def text_field(data: Mapping[str, Any], *names: str) -> str:
    """A required text field (numbers are accepted and turned into text)."""
    value = field(data, *names)
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise ShapeError(f"field {names[0]!r} is not text")
    return str(value)


def optional_text_field(data: Mapping[str, Any], *names: str) -> str | None:
    """An optional text field; absent or null gives None."""
    value = field(data, *names, default=None)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise ShapeError(f"field {names[0]!r} is not text")
    return str(value)


def int_field(data: Mapping[str, Any], *names: str) -> int:
    """A required integer field; digit strings are converted."""
    value = field(data, *names)
    if isinstance(value, bool):
        raise ShapeError(f"field {names[0]!r} is not a number")
    if isinstance(value, int):
        return value
    if isinstance(value, str) and re.fullmatch(r"\s*-?\d+\s*", value):
        return int(value)
    if isinstance(value, float) and value.is_integer():
        return int(value)
    raise ShapeError(f"field {names[0]!r} is not a number")


def flag_field(data: Mapping[str, Any], *names: str) -> bool:
    """A required 0/1 (or boolean) field."""
    value = field(data, *names)
    if isinstance(value, bool):
        return value
    return bool(int_field({names[0]: value}, names[0]))


def list_of(data: Any, what: str) -> list[Any]:
    """A JSON array, or a ShapeError naming what was expected."""
    if not isinstance(data, list):
        raise ShapeError(f"expected a list of {what}")
    return data


def lock_models(value: Any) -> tuple[str, ...]:
    """`LockModels` as a tuple, from "KL1060,KL1550" or a JSON list."""
    if isinstance(value, list):
        return tuple(str(item).strip() for item in value if str(item).strip())
    if isinstance(value, str):
        return tuple(item for item in re.split(r"[\s,;|]+", value) if item)
    raise ShapeError("field 'LockModels' is not text")


def parse_datetime(value: Any, *, assume_utc: bool) -> datetime | None:
    """Read an API date-time; naive text is UTC when `assume_utc`, else left naive."""
    if value in (None, ""):
        return None
    if not isinstance(value, str):
        raise ShapeError("a date is not text")
    text = value.strip().replace("Z", "+00:00").replace("/", "-")
    moment = datetime.fromisoformat(text)
    if moment.tzinfo is None and assume_utc:
        return moment.replace(tzinfo=UTC)
    if moment.tzinfo is not None:
        return moment.astimezone(UTC)
    return moment


def lenient_datetime(data: Mapping[str, Any], name: str) -> datetime | None:
    """An undocumented-format date: None when absent or unreadable, never a guess."""
    try:
        return parse_datetime(field(data, name, default=None), assume_utc=True)
    except (ShapeError, ValueError):
        return None
