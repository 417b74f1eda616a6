"""NetCode rules of the sandbox: lock models, the duration table, codes and init sequences."""

from __future__ import annotations

import hashlib
import hmac
import random
import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from .http import ApiFailure

KITLOCK_MODELS = ("KL1060", "KL1060C2", "KL1060G3", "KL1550")
ALL_MODELS = (*KITLOCK_MODELS, "K3CONNECT")
INIT_MODELS = ("KL1060", "KL1060C2", "KL1550")
# The vendor does not say whether a KL1550 code has 6 or 7 digits; the sandbox picks 6.
CODE_LENGTHS = {"KL1060": 6, "KL1060C2": 7, "KL1060G3": 7, "KL1550": 6, "K3CONNECT": 6}
DEFAULT_MASTERCODES = {"KL1060": "11335577", "KL1060C2": "11335577", "KL1550": "11223344"}
DEFAULT_IDENTIFIER = "123456"
START_FORMAT = "%Y-%m-%d %H:%M"
_SECRET = b"keyhouse-sandbox-netcode-v1"
_START_RE = re.compile(r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$")
_MODE, _SUB_MODE = "standard", "alltime"


@dataclass(frozen=True)
class DurationEntry:
    """One row of the duration table."""

    duration_id: int
    days: int
    hours: int
    models: tuple[str, ...]

    @property
    def is_day_code(self) -> bool:
        """Whether codes of this duration start at midnight."""
        return self.days > 0

    @property
    def length(self) -> timedelta:
        """How long a code of this duration lasts."""
        return timedelta(days=self.days, hours=self.hours)


def _duration_table() -> dict[int, DurationEntry]:
    """Standard mode: ids 0-11 are 1-12 hours, ids 12-18 are 1-7 days (not on KL1060G3)."""
    no_g3 = tuple(model for model in ALL_MODELS if model != "KL1060G3")
    table = {n: DurationEntry(n, 0, n + 1, ALL_MODELS) for n in range(12)}
    table.update({n: DurationEntry(n, n - 11, 0, no_g3) for n in range(12, 19)})
    return table


DURATIONS = _duration_table()


def normalise_model(value: str | None, allowed: tuple[str, ...] = ALL_MODELS) -> str:
    """A lock model in upper case, or a 400 naming the allowed values."""
    model = (value or "").strip().upper()
    if model not in allowed:
        raise ApiFailure(400, f"Invalid lockmodel. Allowed values: {', '.join(allowed)}")
    return model


def duration_for(raw: str, model: str | None) -> DurationEntry:
    """The duration entry of an id, checked against the lock model."""
    if not raw.strip().isdigit() or int(raw) not in DURATIONS:
        raise ApiFailure(400, f"Invalid duration id {raw!r}; see the durations endpoint")
    entry = DURATIONS[int(raw)]
    if model is not None and model not in entry.models:
        raise ApiFailure(400, f"Duration id {entry.duration_id} is not available for {model}")
    return entry


def duration_rows(model: str | None) -> list[dict[str, Any]]:
    """The durations endpoint's answer."""
    return [
        {
            "DurationID": entry.duration_id,
            "Mode": _MODE,
            "SubMode": _SUB_MODE,
            "DurationDays": entry.days,
            "DurationHours": entry.hours,
            "LockModels": ",".join(entry.models),
        }
        for entry in DURATIONS.values()
        if model is None or model in entry.models
    ]


def mode_rows(model: str | None) -> list[dict[str, Any]]:
    """The modes answer: one row per mode/sub-mode, with the models that have it."""
    models = [m for m in ALL_MODELS if model is None or m == model]
    return [{"Mode": _MODE, "SubMode": _SUB_MODE, "LockModels": ",".join(models)}]


def duration_info(raw_id: str, model: str | None) -> dict[str, Any]:
    """The duration/{id} answer; hour codes start on any hour, day codes at midnight."""
    entry = duration_for(raw_id, model)
    restricted = "00:00" if entry.is_day_code else "XX:00"
    return {
        "LockModel": model or "",
        "DurationID": entry.duration_id,
        "Rules": [{"ApplyDST": 0, "ConvertToUTC": 1, "RestrictedStartTime": restricted}],
        "Duration": [{"Days": entry.days, "Hours": entry.hours}],
        "Mode": [{"Name": _MODE, "SubMode": _SUB_MODE}],
    }


def parse_start(raw: str, entry: DurationEntry) -> datetime:
    """Read `start` (yyyy-MM-dd HH:mm) and apply the on-the-hour / midnight rule."""
    if not _START_RE.match(raw):
        raise ApiFailure(400, "Invalid start; the format is yyyy-MM-dd HH:mm")
    try:
        start = datetime.fromisoformat(raw)
    except ValueError:
        raise ApiFailure(400, "Invalid start; not a real date and time") from None
    if entry.is_day_code and (start.hour or start.minute):
        raise ApiFailure(400, "Day-length NetCodes must start at midnight (00:00)")
    if start.minute:
        raise ApiFailure(400, "Hour-length NetCodes must start on the hour (HH:00)")
    return start


def check_kitlock(lock_ref: str, model: str, identifier: str) -> datetime:
    """Check a KitLock's init timecode (the path id) and identifier; give the timecode."""
    try:
        found = re.fullmatch(r"(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})", lock_ref)
        if not found:
            raise ValueError
        year, month, day, hour, minute = found.groups()
        timecode = datetime.fromisoformat(f"{year}-{month}-{day} {hour}:{minute}")
    except ValueError:
        raise ApiFailure(
            400, "Invalid id; it is the initialisation timecode YYYYMMddhhmm (4-digit year)"
        ) from None
    pattern = r"[1-9]\d{2}\d{3}" if model == "KL1060C2" else r"\d{6}"
    if not re.fullmatch(pattern, identifier):
        if model == "KL1060C2":
            raise ApiFailure(
                400,
                "Invalid identifier; KL1060C2 takes a group id (3 digits, not 0xx) "
                "followed by a member id (3 digits)",
            )
        raise ApiFailure(400, "Invalid identifier; it is the six-digit lock identifier")
    return timecode


def netcode_digits(lock_ref: str, start: str, duration: int, model: str, identifier: str) -> str:
    """The code for a set of parameters: same parameters, same code."""
    message = "|".join((lock_ref.lower(), start, str(duration), model, identifier))
    digest = hmac.new(_SECRET, message.encode(), hashlib.sha256).digest()
    length = CODE_LENGTHS[model]
    span = 9 * 10 ** (length - 1)
    return str(10 ** (length - 1) + int.from_bytes(digest, "big") % span)


def netcode_answer(
    *,
    lock_ref: str,
    lock_id: str,
    start: datetime,
    entry: DurationEntry,
    model: str,
    identifier: str,
    timecode: datetime,
) -> dict[str, Any]:
    """The NetCode answer, with the fields the vendor documents."""
    start_text = start.strftime(START_FORMAT)
    code = netcode_digits(lock_ref, start_text, entry.duration_id, model, identifier)
    return {
        "Startdate": start_text,
        "DurationHours": entry.hours,
        "DurationDays": entry.days,
        "Mode": _MODE,
        "SubMode": _SUB_MODE,
        "Timecode": timecode.strftime("%Y/%m/%d/%H:%M"),
        "ActualNetcode": code,
        "Resultstatus": "success",
        "LockId": lock_id,
        "Expires": (start + entry.length).strftime("%Y-%m-%d %H:%M:%S"),
        "Startdata": _start_data(start),
    }


def _start_data(start: datetime) -> dict[str, Any]:
    """The PHP-style broken-down start time of a NetCode answer."""
    return {
        "datetime": {
            "date": start.strftime("%Y-%m-%d %H:%M:%S.000000"),
            "timezone_type": "3",
            "timezone": "UTC",
        },
        "original": start.strftime(START_FORMAT),
        "date_ymd": start.strftime("%Y-%m-%d"),
        "date_dmy": start.strftime("%d-%m-%Y"),
        "date_mdy": start.strftime("%m-%d-%Y"),
        "time_his": start.strftime("%H:%M:%S"),
        "time_hi": start.strftime("%H:%M"),
        "time_h": start.strftime("%H"),
        "timezone": "UTC",
    }


def init_answer(
    *, model: str, mastercode: str | None, randomid: bool, now: datetime, rng: random.Random
) -> dict[str, Any]:
    """The init answer: a keypad sequence that sets the lock's clock to `now` (UTC)."""
    default = DEFAULT_MASTERCODES[model]
    master = mastercode or default
    if not re.fullmatch(r"\d{8}", master):
        raise ApiFailure(400, "Invalid mastercode; master codes are 8 digits")
    identifier = DEFAULT_IDENTIFIER
    if randomid:
        identifier = str(rng.randint(100000, 999999))
    keypad_time = now.strftime("%y%m%d%H%M")
    id_label = "GROUPID MEMBERID" if model == "KL1060C2" else "LOCKID"
    return {
        "DefaultMastercode": default,
        "InitSeqFormat": f"#MASTERCODE • 20 • YYMMDDhhmm • {id_label} ••",
        "InitSeqFormatDesc": (
            "Press #, key the master code, press •, key 20, press •, key the date and time "
            f"(UTC) as YYMMDDhhmm, press •, key the {id_label.lower()}, press • twice"
        ),
        "InitSeq": f"#{master} • 20 • {keypad_time} • {identifier} ••",
        "TimeCode": now.strftime("%Y%m%d%H%M"),
    }
