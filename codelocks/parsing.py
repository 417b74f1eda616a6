"""Turn API bodies into the dataclasses of `types`, leniently but never half-filled."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from typing import Any, TypeVar

from .errors import (
    CodelocksError,
    ErrorInResponse,
    InvalidAccessKey,
    MalformedResponse,
    is_invalid_access_key_body,
)
from .fields import (
    ShapeError,
    field,
    flag_field,
    int_field,
    lenient_datetime,
    list_of,
    lock_models,
    optional_text_field,
    parse_datetime,
    text_field,
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


def netcode(data: Any) -> NetCode:
    """Build a NetCode from its answer."""
    code = text_field(data, "ActualNetcode", "ActualNetCode")
    if not code.strip().isdigit():
        raise ShapeError("ActualNetcode is not a number")
    raw_start = field(data, "Startdata", "StartData", default=None)
    return NetCode(
        actual_netcode=code.strip(),
        start_date=optional_text_field(data, "Startdate", "StartDate"),
        duration_hours=int_field(data, "DurationHours"),
        duration_days=int_field(data, "DurationDays"),
        mode=text_field(data, "Mode"),
        sub_mode=text_field(data, "SubMode"),
        timecode=text_field(data, "Timecode", "TimeCode"),
        result_status=optional_text_field(data, "Resultstatus", "ResultStatus"),
        lock_id=text_field(data, "LockId", "LockID"),
        expires=parse_datetime(field(data, "Expires", default=None), assume_utc=False),
        startdata=_start_data(raw_start) if raw_start else None,
    )


def _start_data(data: Any) -> StartData:
    """Build the `Startdata` block."""
    inner = field(data, "datetime", default=None) or {}
    return StartData(
        datetime_date=optional_text_field(inner, "date"),
        datetime_timezone_type=optional_text_field(inner, "timezone_type"),
        datetime_timezone=optional_text_field(inner, "timezone"),
        original=optional_text_field(data, "original"),
        date_ymd=optional_text_field(data, "date_ymd"),
        date_dmy=optional_text_field(data, "date_dmy"),
        date_mdy=optional_text_field(data, "date_mdy"),
        time_his=optional_text_field(data, "time_his"),
        time_hi=optional_text_field(data, "time_hi"),
        time_h=optional_text_field(data, "time_h"),
        timezone=optional_text_field(data, "timezone"),
    )


def init_sequence(data: Any) -> InitSequence:
    """Build an InitSequence from its answer."""
    return InitSequence(
        default_mastercode=text_field(data, "DefaultMastercode", "DefaultMasterCode"),
        init_seq_format=text_field(data, "InitSeqFormat"),
        init_seq_format_desc=text_field(data, "InitSeqFormatDesc"),
        init_seq=text_field(data, "InitSeq"),
        timecode=text_field(data, "TimeCode", "Timecode"),
    )


def durations(data: Any) -> list[Duration]:
    """Build the list of durations."""
    return [
        Duration(
            duration_id=int_field(item, "DurationID", "DurationId"),
            mode=text_field(item, "Mode"),
            sub_mode=text_field(item, "SubMode"),
            duration_days=int_field(item, "DurationDays"),
            duration_hours=int_field(item, "DurationHours"),
            lock_models=lock_models(field(item, "LockModels", default="")),
        )
        for item in list_of(data, "durations")
    ]


def modes(data: Any) -> list[Mode]:
    """Build the list of modes."""
    return [
        Mode(
            mode=text_field(item, "Mode"),
            sub_mode=text_field(item, "SubMode"),
            lock_models=lock_models(field(item, "LockModels", default="")),
        )
        for item in list_of(data, "modes")
    ]


def duration_info(data: Any) -> DurationInfo:
    """Build the rules of one duration id."""
    return DurationInfo(
        lock_model=optional_text_field(data, "LockModel") or "",
        duration_id=int_field(data, "DurationID", "DurationId"),
        rules=tuple(
            DurationRule(
                apply_dst=flag_field(rule, "ApplyDST"),
                convert_to_utc=flag_field(rule, "ConvertToUTC"),
                restricted_start_time=optional_text_field(rule, "RestrictedStartTime") or "",
            )
            for rule in list_of(field(data, "Rules", default=[]), "rules")
        ),
        durations=tuple(
            DurationSpan(days=int_field(span, "Days"), hours=int_field(span, "Hours"))
            for span in list_of(field(data, "Duration"), "durations")
        ),
        modes=tuple(
            DurationMode(name=text_field(mode, "Name"), sub_mode=text_field(mode, "SubMode"))
            for mode in list_of(field(data, "Mode"), "modes")
        ),
    )


def k3_lock(data: Any) -> K3Lock:
    """Build a K3Lock from one lock record."""
    return K3Lock(
        lock_id=text_field(data, "LockId", "LockID"),
        lock_name=optional_text_field(data, "LockName"),
        battery_status=optional_text_field(data, "BatteryStatus"),
        battery_updated=lenient_datetime(data, "BatteryUpdated"),
        manufacturer=optional_text_field(data, "Manufacturer"),
        model_name=optional_text_field(data, "ModelName"),
        firmware_version=optional_text_field(data, "FirmwareVersion"),
        timezone=optional_text_field(data, "Timezone"),
        timezone_offset=optional_text_field(data, "TimezoneOffset"),
        dst_start=optional_text_field(data, "DstStart"),
        dst_end=optional_text_field(data, "DstEnd"),
        dst_time=optional_text_field(data, "DstTime"),
        pairing_date=lenient_datetime(data, "PairingDate"),
        lock_location=optional_text_field(data, "LockLocation"),
    )


def k3_locks(data: Any) -> list[K3Lock]:
    """Build the list of an account's locks."""
    return [k3_lock(item) for item in list_of(data, "locks")]


def k3_account(data: Any) -> K3Account:
    """Build the account info (the API wraps it in a one-item list)."""
    if isinstance(data, list):
        if not data:
            raise ShapeError("the account list is empty")
        data = data[0]
    return K3Account(
        email=text_field(data, "email"), status=text_field(data, "spccmstatus", "status")
    )


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
            email=text_field(item, "email"),
            lock_id=text_field(item, "lockid", "LockId", "lockId"),
            status=text_field(item, "status"),
            access_type=text_field(item, "accesstype"),
            active_periods=active_periods(field(item, "activeperiods", default=None)),
        )
        for item in list_of(field(data, "clients"), "clients")
    )
    return ClientPage(count=int_field(data, "count"), clients=clients)


def client_result(data: Any) -> ClientResult:
    """Build the answer of a client change."""
    return ClientResult(
        result=text_field(data, "result"),
        lock_id=optional_text_field(data, "lockid", "LockId"),
        email=optional_text_field(data, "email"),
    )


def audit_entries(data: Any) -> list[AuditEntry]:
    """Build a page of audit entries."""
    entries = []
    for item in list_of(data, "audit entries"):
        date_entered = parse_datetime(text_field(item, "DateEntered"), assume_utc=True)
        if date_entered is None:
            raise ShapeError("DateEntered is empty")
        entries.append(
            AuditEntry(
                audit_entry_id=int_field(item, "AuditEntryID", "AuditEntryId"),
                lock_id=text_field(item, "LockID", "LockId"),
                date_entered=date_entered,
                entry_type=text_field(item, "EntryType"),
                entry_text=optional_text_field(item, "EntryText") or "",
            )
        )
    return entries


def spc_config(data: Any) -> SpcConfig:
    """Build the active-periods sample/schema answer."""
    value = field(data, "activeperiods")
    if isinstance(value, dict):
        return SpcConfig(activeperiods=json.dumps(value), parsed=value)
    if not isinstance(value, str):
        raise ShapeError("field 'activeperiods' is not text")
    try:
        parsed = json.loads(value)
    except ValueError:
        parsed = None
    return SpcConfig(activeperiods=value, parsed=parsed if isinstance(parsed, dict) else None)
