"""Turn API bodies into the dataclasses of `types`, leniently but never half-filled."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from typing import Any, TypeVar

from .errors import (
    CodelocksError,
    ErrorInResponse,
    InvalidAccessKey,
    MalformedResponse,
    is_invalid_access_key_body,
)
from .types import (
    ActivePeriod,
    AuditEntry,
    ClientPage,
    ClientResult,
    Duration,
    DurationInfo,
    DurationMode,
    DurationRule,
    DurationSpan,
    InitSequence,
    K3Account,
    K3Client,
    K3Lock,
    Mode,
    NetCode,
    SpcConfig,
    StartData,
)

T = TypeVar("T")
_MISSING = object()


class ShapeError(ValueError):
    """A body field is missing or of the wrong type."""


def decode_body(text: str, operation: str, status: int) -> Any:
    """Decode a 2xx body; raise the error it carries, or MalformedResponse if it is not JSON."""
    if is_invalid_access_key_body(text):
        raise InvalidAccessKey(
            f"{operation}: the API answered 'Invalid accesskey'",
            status=status,
            body=text,
            operation=operation,
        )
    try:
        data = json.loads(text)
    except ValueError:
        raise MalformedResponse(
            f"{operation}: the answer is not JSON", status=status, body=text, operation=operation
        ) from None
    reason = _error_inside(data)
    if reason is not None:
        raise ErrorInResponse(
            f"{operation}: the API reported an error ({reason})",
            status=status,
            body=text,
            operation=operation,
        )
    return data


def _error_inside(data: Any) -> str | None:
    """Say why a 200 body is really an error, or None when it is not one."""
    if not isinstance(data, dict):
        return None
    if str(data.get("netcode", "")).upper() == "ERROR":
        return "netcode ERROR"
    if str(data.get("status", "")).lower() == "error":
        return "status error"
    if str(data.get("ActualNetcode", "")).upper() == "ERROR":
        return "ActualNetcode ERROR"
    return None


def parse_with(
    builder: Callable[[Any], T], data: Any, *, operation: str, status: int, body: str
) -> T:
    """Run a builder; any shape problem becomes MalformedResponse."""
    try:
        return builder(data)
    except CodelocksError:
        raise
    except (ShapeError, KeyError, TypeError, ValueError, AttributeError) as exc:
        reason = exc.args[0] if exc.args else type(exc).__name__
        raise MalformedResponse(
            f"{operation}: unexpected answer ({reason})",
            status=status,
            body=body,
            operation=operation,
        ) from None


def _get(data: Mapping[str, Any], *names: str, default: Any = _MISSING) -> Any:
    """The first of several spellings present in an object."""
    if not isinstance(data, Mapping):
        raise ShapeError("expected a JSON object")
    for name in names:
        if name in data:
            return data[name]
    if default is _MISSING:
        raise ShapeError(f"missing field {names[0]!r}")
    return default


def _str(data: Mapping[str, Any], *names: str) -> str:
    """A required text field (numbers are accepted and turned into text)."""
    value = _get(data, *names)
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise ShapeError(f"field {names[0]!r} is not text")
    return str(value)


def _opt_str(data: Mapping[str, Any], *names: str) -> str | None:
    """An optional text field; absent or null gives None."""
    value = _get(data, *names, default=None)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise ShapeError(f"field {names[0]!r} is not text")
    return str(value)


def _int(data: Mapping[str, Any], *names: str) -> int:
    """A required integer field; digit strings are converted."""
    value = _get(data, *names)
    if isinstance(value, bool):
        raise ShapeError(f"field {names[0]!r} is not a number")
    if isinstance(value, int):
        return value
    if isinstance(value, str) and re.fullmatch(r"\s*-?\d+\s*", value):
        return int(value)
    if isinstance(value, float) and value.is_integer():
        return int(value)
    raise ShapeError(f"field {names[0]!r} is not a number")


def _flag(data: Mapping[str, Any], *names: str) -> bool:
    """A required 0/1 (or boolean) field."""
    value = _get(data, *names)
    if isinstance(value, bool):
        return value
    return bool(_int({names[0]: value}, names[0]))


def _list(data: Any, what: str) -> list[Any]:
    """A JSON array, or a ShapeError naming what was expected."""
    if not isinstance(data, list):
        raise ShapeError(f"expected a list of {what}")
    return data


def _models(value: Any) -> tuple[str, ...]:
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


def _lenient_datetime(data: Mapping[str, Any], name: str) -> datetime | None:
    """An undocumented-format date: None when absent or unreadable, never a guess."""
    try:
        return parse_datetime(_get(data, name, default=None), assume_utc=True)
    except (ShapeError, ValueError):
        return None


def netcode(data: Any) -> NetCode:
    """Build a NetCode from its answer."""
    code = _str(data, "ActualNetcode", "ActualNetCode")
    if not code.strip().isdigit():
        raise ShapeError("ActualNetcode is not a number")
    raw_start = _get(data, "Startdata", "StartData", default=None)
    return NetCode(
        actual_netcode=code.strip(),
        start_date=_opt_str(data, "Startdate", "StartDate"),
        duration_hours=_int(data, "DurationHours"),
        duration_days=_int(data, "DurationDays"),
        mode=_str(data, "Mode"),
        sub_mode=_str(data, "SubMode"),
        timecode=_str(data, "Timecode", "TimeCode"),
        result_status=_opt_str(data, "Resultstatus", "ResultStatus"),
        lock_id=_str(data, "LockId", "LockID"),
        expires=parse_datetime(_get(data, "Expires", default=None), assume_utc=False),
        startdata=_start_data(raw_start) if raw_start else None,
    )


def _start_data(data: Any) -> StartData:
    """Build the `Startdata` block."""
    inner = _get(data, "datetime", default=None) or {}
    return StartData(
        datetime_date=_opt_str(inner, "date"),
        datetime_timezone_type=_opt_str(inner, "timezone_type"),
        datetime_timezone=_opt_str(inner, "timezone"),
        original=_opt_str(data, "original"),
        date_ymd=_opt_str(data, "date_ymd"),
        date_dmy=_opt_str(data, "date_dmy"),
        date_mdy=_opt_str(data, "date_mdy"),
        time_his=_opt_str(data, "time_his"),
        time_hi=_opt_str(data, "time_hi"),
        time_h=_opt_str(data, "time_h"),
        timezone=_opt_str(data, "timezone"),
    )


def init_sequence(data: Any) -> InitSequence:
    """Build an InitSequence from its answer."""
    return InitSequence(
        default_mastercode=_str(data, "DefaultMastercode", "DefaultMasterCode"),
        init_seq_format=_str(data, "InitSeqFormat"),
        init_seq_format_desc=_str(data, "InitSeqFormatDesc"),
        init_seq=_str(data, "InitSeq"),
        timecode=_str(data, "TimeCode", "Timecode"),
    )


def durations(data: Any) -> list[Duration]:
    """Build the list of durations."""
    return [
        Duration(
            duration_id=_int(item, "DurationID", "DurationId"),
            mode=_str(item, "Mode"),
            sub_mode=_str(item, "SubMode"),
            duration_days=_int(item, "DurationDays"),
            duration_hours=_int(item, "DurationHours"),
            lock_models=_models(_get(item, "LockModels", default="")),
        )
        for item in _list(data, "durations")
    ]


def modes(data: Any) -> list[Mode]:
    """Build the list of modes."""
    return [
        Mode(
            mode=_str(item, "Mode"),
            sub_mode=_str(item, "SubMode"),
            lock_models=_models(_get(item, "LockModels", default="")),
        )
        for item in _list(data, "modes")
    ]


def duration_info(data: Any) -> DurationInfo:
    """Build the rules of one duration id."""
    return DurationInfo(
        lock_model=_opt_str(data, "LockModel") or "",
        duration_id=_int(data, "DurationID", "DurationId"),
        rules=tuple(
            DurationRule(
                apply_dst=_flag(rule, "ApplyDST"),
                convert_to_utc=_flag(rule, "ConvertToUTC"),
                restricted_start_time=_opt_str(rule, "RestrictedStartTime") or "",
            )
            for rule in _list(_get(data, "Rules", default=[]), "rules")
        ),
        durations=tuple(
            DurationSpan(days=_int(span, "Days"), hours=_int(span, "Hours"))
            for span in _list(_get(data, "Duration"), "durations")
        ),
        modes=tuple(
            DurationMode(name=_str(mode, "Name"), sub_mode=_str(mode, "SubMode"))
            for mode in _list(_get(data, "Mode"), "modes")
        ),
    )


def k3_lock(data: Any) -> K3Lock:
    """Build a K3Lock from one lock record."""
    return K3Lock(
        lock_id=_str(data, "LockId", "LockID"),
        lock_name=_opt_str(data, "LockName"),
        battery_status=_opt_str(data, "BatteryStatus"),
        battery_updated=_lenient_datetime(data, "BatteryUpdated"),
        manufacturer=_opt_str(data, "Manufacturer"),
        model_name=_opt_str(data, "ModelName"),
        firmware_version=_opt_str(data, "FirmwareVersion"),
        timezone=_opt_str(data, "Timezone"),
        timezone_offset=_opt_str(data, "TimezoneOffset"),
        dst_start=_opt_str(data, "DstStart"),
        dst_end=_opt_str(data, "DstEnd"),
        dst_time=_opt_str(data, "DstTime"),
        pairing_date=_lenient_datetime(data, "PairingDate"),
        lock_location=_opt_str(data, "LockLocation"),
    )


def k3_locks(data: Any) -> list[K3Lock]:
    """Build the list of an account's locks."""
    return [k3_lock(item) for item in _list(data, "locks")]


def k3_account(data: Any) -> K3Account:
    """Build the account info (the API wraps it in a one-item list)."""
    if isinstance(data, list):
        if not data:
            raise ShapeError("the account list is empty")
        data = data[0]
    return K3Account(email=_str(data, "email"), status=_str(data, "spccmstatus", "status"))


def active_periods(value: Any) -> dict[str, ActivePeriod]:
    """Read active periods given as {"0": {...}} or as [{"0": {...}}, ...]."""
    if value is None:
        return {}
    if isinstance(value, str):
        value = json.loads(value) if value.strip() else {}
    items = value if isinstance(value, list) else [value]
    periods: dict[str, ActivePeriod] = {}
    for item in items:
        if not isinstance(item, Mapping):
            raise ShapeError("active periods are not JSON objects")
        for key, period in item.items():
            periods[str(key)] = ActivePeriod.from_api(period)
    return periods


def client_page(data: Any) -> ClientPage:
    """Build one page of phone clients."""
    clients = tuple(
        K3Client(
            email=_str(item, "email"),
            lock_id=_str(item, "lockid", "LockId", "lockId"),
            status=_str(item, "status"),
            access_type=_str(item, "accesstype"),
            active_periods=active_periods(_get(item, "activeperiods", default=None)),
        )
        for item in _list(_get(data, "clients"), "clients")
    )
    return ClientPage(count=_int(data, "count"), clients=clients)


def client_result(data: Any) -> ClientResult:
    """Build the answer of a client change."""
    return ClientResult(
        result=_str(data, "result"),
        lock_id=_opt_str(data, "lockid", "LockId"),
        email=_opt_str(data, "email"),
    )


def audit_entries(data: Any) -> list[AuditEntry]:
    """Build a page of audit entries."""
    entries = []
    for item in _list(data, "audit entries"):
        date_entered = parse_datetime(_str(item, "DateEntered"), assume_utc=True)
        if date_entered is None:
            raise ShapeError("DateEntered is empty")
        entries.append(
            AuditEntry(
                audit_entry_id=_int(item, "AuditEntryID", "AuditEntryId"),
                lock_id=_str(item, "LockID", "LockId"),
                date_entered=date_entered,
                entry_type=_str(item, "EntryType"),
                entry_text=_opt_str(item, "EntryText") or "",
            )
        )
    return entries


def spc_config(data: Any) -> SpcConfig:
    """Build the active-periods sample/schema answer."""
    value = _get(data, "activeperiods")
    if isinstance(value, dict):
        return SpcConfig(activeperiods=json.dumps(value), parsed=value)
    if not isinstance(value, str):
        raise ShapeError("field 'activeperiods' is not text")
    try:
        parsed = json.loads(value)
    except ValueError:
        parsed = None
    return SpcConfig(activeperiods=value, parsed=parsed if isinstance(parsed, dict) else None)
