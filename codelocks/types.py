"""Frozen dataclasses, one per response shape of the Codelocks Connect API."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal

__all__ = [
    "WEEKDAYS",
    "ActivePeriod",
    "AuditEntry",
    "CallRecord",
    "ClientPage",
    "ClientResult",
    "Duration",
    "DurationInfo",
    "DurationMode",
    "DurationRule",
    "DurationSpan",
    "InitSequence",
    "K3Account",
    "K3Client",
    "K3Lock",
    "Mode",
    "NetCode",
    "SpcConfig",
    "StartData",
]

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_HH_MM = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")


@dataclass(frozen=True)
class CallRecord:
    """One HTTP attempt, as reported to the `on_request` hook."""

    operation: str
    category: Literal["netcode", "utility"]
    method: str
    status: int | None
    elapsed: float
    error: str | None


@dataclass(frozen=True)
class StartData:
    """The `Startdata` block of a NetCode answer (the start time broken down)."""

    datetime_date: str | None
    datetime_timezone_type: str | None
    datetime_timezone: str | None
    original: str | None
    date_ymd: str | None
    date_dmy: str | None
    date_mdy: str | None
    time_his: str | None
    time_hi: str | None
    time_h: str | None
    timezone: str | None


@dataclass(frozen=True)
class NetCode:
    """A generated NetCode; `expires` is on the lock's clock (naive), like `start`."""

    actual_netcode: str = field(repr=False)
    start_date: str | None
    duration_hours: int
    duration_days: int
    mode: str
    sub_mode: str
    timecode: str
    result_status: str | None
    lock_id: str
    expires: datetime | None
    startdata: StartData | None


@dataclass(frozen=True)
class InitSequence:
    """A KitLock initialisation sequence, to be keyed in at once (it sets the lock's clock)."""

    default_mastercode: str
    init_seq_format: str
    init_seq_format_desc: str
    init_seq: str = field(repr=False)
    timecode: str

    @property
    def identifier(self) -> str | None:
        """The lock identifier inside `init_seq` (the NetCode `identifier`), if readable."""
        parts = [part.strip() for part in self.init_seq.replace("•", "|").split("|")]
        parts = [part for part in parts if part]
        if len(parts) >= 4 and parts[3].replace(" ", "").isdigit():
            return parts[3].replace(" ", "")
        return None


@dataclass(frozen=True)
class Duration:
    """One NetCode duration id and what it means."""

    duration_id: int
    mode: str
    sub_mode: str
    duration_days: int
    duration_hours: int
    lock_models: tuple[str, ...]


@dataclass(frozen=True)
class Mode:
    """One NetCode mode available for some lock models."""

    mode: str
    sub_mode: str
    lock_models: tuple[str, ...]


@dataclass(frozen=True)
class DurationRule:
    """A rule for NetCodes of one duration id (DST, UTC conversion, allowed start)."""

    apply_dst: bool
    convert_to_utc: bool
    restricted_start_time: str


@dataclass(frozen=True)
class DurationSpan:
    """The length of a duration id."""

    days: int
    hours: int


@dataclass(frozen=True)
class DurationMode:
    """The mode a duration id belongs to."""

    name: str
    sub_mode: str


@dataclass(frozen=True)
class DurationInfo:
    """The rules, length and mode of one duration id for one lock model."""

    lock_model: str
    duration_id: int
    rules: tuple[DurationRule, ...]
    durations: tuple[DurationSpan, ...]
    modes: tuple[DurationMode, ...]


@dataclass(frozen=True)
class K3Lock:
    """A K3Connect smart lock (CL4510/CL5510) on an account."""

    lock_id: str
    lock_name: str | None
    battery_status: str | None
    battery_updated: datetime | None
    manufacturer: str | None
    model_name: str | None
    firmware_version: str | None
    timezone: str | None
    timezone_offset: str | None
    dst_start: str | None
    dst_end: str | None
    dst_time: str | None
    pairing_date: datetime | None
    lock_location: str | None = None

    @property
    def battery_percent(self) -> int | None:
        """The battery level as a number when the API gives one (e.g. "87" or "87%")."""
        text = (self.battery_status or "").strip().rstrip("%").strip()
        return int(text) if text.isdigit() else None


@dataclass(frozen=True)
class K3Account:
    """The K3 Connect account behind an access key."""

    email: str
    status: str


@dataclass(frozen=True)
class ActivePeriod:
    """When a phone client may open a lock: a time window and the weekdays it applies to."""

    enabled: bool = True
    starts: str = "00:00"
    ends: str = "23:59"
    mon: bool = True
    tue: bool = True
    wed: bool = True
    thu: bool = True
    fri: bool = True
    sat: bool = True
    sun: bool = True

    def __post_init__(self) -> None:
        for name in ("starts", "ends"):
            value = getattr(self, name)
            if not isinstance(value, str) or not _HH_MM.match(value):
                raise ValueError(f"ActivePeriod.{name} must be HH:MM, got {value!r}")
        for name in ("enabled", *WEEKDAYS):
            if not isinstance(getattr(self, name), bool):
                raise ValueError(f"ActivePeriod.{name} must be true or false")

    def to_api(self) -> dict[str, Any]:
        """The period in the API's JSON shape."""
        data: dict[str, Any] = {"enabled": self.enabled, "starts": self.starts, "ends": self.ends}
        data.update({day: getattr(self, day) for day in WEEKDAYS})
        return data

    @classmethod
    def from_api(cls, data: Mapping[str, Any]) -> ActivePeriod:
        """Read a period from the API's JSON shape; ValueError when it is not one."""
        if not isinstance(data, Mapping):
            raise ValueError("an active period must be a JSON object")
        try:
            values = {name: data[name] for name in ("enabled", "starts", "ends", *WEEKDAYS)}
        except KeyError as exc:
            raise ValueError(f"active period lacks {exc.args[0]!r}") from None
        for name in ("enabled", *WEEKDAYS):
            values[name] = _as_bool(values[name], name)
        return cls(**values)

    @property
    def weekdays(self) -> str:
        """The 7-day pattern as the lock keypad shows it, Monday first, e.g. "1111100"."""
        return "".join("1" if getattr(self, day) else "0" for day in WEEKDAYS)


@dataclass(frozen=True)
class K3Client:
    """A phone client (or pending invitation) of one lock."""

    email: str
    lock_id: str
    status: str
    access_type: str
    active_periods: dict[str, ActivePeriod]


@dataclass(frozen=True)
class ClientPage:
    """One page of a lock's phone clients; `count` is the total over all pages."""

    count: int
    clients: tuple[K3Client, ...]


@dataclass(frozen=True)
class ClientResult:
    """The answer to creating, changing or deleting a phone client."""

    result: str
    lock_id: str | None
    email: str | None


@dataclass(frozen=True)
class AuditEntry:
    """One audit entry of a lock; `date_entered` is UTC."""

    audit_entry_id: int
    lock_id: str
    date_entered: datetime
    entry_type: str
    entry_text: str


@dataclass(frozen=True)
class SpcConfig:
    """The sample/schema of the active-periods structure; `parsed` is set when it is JSON."""

    activeperiods: str
    parsed: dict[str, Any] | None


def _as_bool(value: Any, name: str) -> bool:
    """Accept JSON booleans and their common spellings (1/0, "true"/"false")."""
    if isinstance(value, bool):
        return value
    if value in (0, 1) and not isinstance(value, float):
        return bool(value)
    if isinstance(value, str) and value.strip().lower() in ("true", "false", "1", "0"):
        return value.strip().lower() in ("true", "1")
    raise ValueError(f"active period field {name!r} must be true or false")
