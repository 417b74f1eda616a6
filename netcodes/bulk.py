"""Bulk NetCodes: rows read from CSV or a table, checked and priced before any is generated."""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.core.validators import validate_email

from codelocks.errors import CodelocksError
from locks.models import KitLock, Site
from netcodes import clock
from netcodes.durations import durations_for_mode
from netcodes.models import ApiCategory, DurationOption, NetCodeBatch, NetCodeIssue
from netcodes.quota import QuotaExhausted, quota_guard
from netcodes.services import NetCodePlan, netcode_generate, netcode_plan

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser

COLUMNS = ("lock", "start", "duration", "recipient", "email")
MAX_ROWS = 200
NO_ROWS = "There are no rows: upload a CSV file or fill in the table."
TOO_MANY_ROWS = f"At most {MAX_ROWS} rows at a time."
UNKNOWN_LOCK = "No KitLock of this site is called or has the timecode “{value}”."
AMBIGUOUS_LOCK = "Several locks of this site are called “{value}”: use the lock's timecode."
BAD_START = "The start must be YYYY-MM-DD HH:MM on the site's clock, e.g. 2026-05-01 14:00."
BAD_DURATION = "“{value}” is not a duration of this lock; write e.g. 2h, 2 hours, 3d or 3 days."
NO_RECIPIENT = "Say whom the code is for."
BAD_EMAIL = "“{value}” is not an e-mail address."
SAME_AS_ROW = "Same code as row {line}: given again, free."


@dataclass
class BulkRow:
    """One row of a bulk request and what became of it."""

    line: int
    values: dict[str, str]
    lock: KitLock | None = None
    plan: NetCodePlan | None = None
    errors: list[str] = field(default_factory=list)
    duplicate_of: int | None = None
    issue: NetCodeIssue | None = None

    @property
    def valid(self) -> bool:
        return not self.errors and self.plan is not None

    @property
    def free(self) -> bool:
        return self.valid and (self.plan.free or self.duplicate_of is not None)  # type: ignore[union-attr]


def rows_from_csv(text: str) -> list[dict[str, str]]:
    """Rows from CSV text (lock, start, duration, recipient, email); a header row is skipped."""
    rows = []
    for cells in csv.reader(io.StringIO(text.lstrip("\ufeff"))):
        if not any(cell.strip() for cell in cells):
            continue
        if not rows and cells[0].strip().lower() == "lock":
            continue
        cells = [*cells, "", "", "", "", ""][: len(COLUMNS)]
        rows.append(dict(zip(COLUMNS, (c.strip() for c in cells), strict=True)))
    return rows


def rows_to_csv(rows: list[dict[str, str]]) -> str:
    """The rows back as CSV text (to carry them from the preview to the generation)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    for row in rows:
        writer.writerow([row.get(name, "") for name in COLUMNS])
    return out.getvalue()


def _find_lock(site: Site, value: str) -> KitLock:
    locks = list(KitLock.objects.filter(site=site, name__iexact=value)) or list(
        KitLock.objects.filter(site=site, timecode=value)
    )
    if not locks:
        raise ValidationError(UNKNOWN_LOCK.format(value=value))
    if len(locks) > 1:
        raise ValidationError(AMBIGUOUS_LOCK.format(value=value))
    return locks[0]


def _find_duration(options: list[DurationOption], value: str) -> DurationOption:
    found = re.fullmatch(r"(\d+)\s*(h|hours?|d|days?)", value.strip().lower())
    if found:
        amount, unit = int(found.group(1)), found.group(2)[0]
        days, hours = (amount, 0) if unit == "d" else (0, amount)
        for option in options:
            if (option.days, option.hours) == (days, hours):
                return option
    raise ValidationError(BAD_DURATION.format(value=value))


def _parse_start(site: Site, value: str) -> datetime:
    try:
        naive = datetime.strptime(value.strip(), "%Y-%m-%d %H:%M")  # noqa: DTZ007
        return clock.site_datetime(naive.date(), naive.time(), site.tz)
    except ValueError as exc:
        message = str(exc) if "does not exist" in str(exc) else BAD_START
        raise ValidationError(message) from None


def _check_row(row: BulkRow, site: Site, user: AbstractBaseUser | None) -> None:
    """Fill a row's lock and plan, or its errors."""
    values = row.values
    if not values["recipient"]:
        row.errors.append(NO_RECIPIENT)
    if values["email"]:
        try:
            validate_email(values["email"])
        except ValidationError:
            row.errors.append(BAD_EMAIL.format(value=values["email"]))
    try:
        row.lock = _find_lock(site, values["lock"])
        target = row.lock.netcode_target()
        options = durations_for_mode(target.lockmodel, target.netcode_mode, user=user)
        option = _find_duration(options, values["duration"])
        start = _parse_start(site, values["start"])
        row.plan = netcode_plan(target=target, option=option, start=start, user=user)
    except ValidationError as exc:
        row.errors.extend(exc.messages)


def bulk_preview(
    *, site: Site, rows: list[dict[str, str]], user: AbstractBaseUser | None = None
) -> list[BulkRow]:
    """Check every row and price it: stored codes and repeats within the batch are free."""
    if not rows:
        raise ValidationError(NO_ROWS)
    if len(rows) > MAX_ROWS:
        raise ValidationError(TOO_MANY_ROWS)
    checked, seen = [], {}
    for line, values in enumerate(rows, start=1):
        row = BulkRow(line=line, values={k: values.get(k, "").strip() for k in COLUMNS})
        _check_row(row, site, user)
        if row.valid and row.plan is not None:
            first = seen.setdefault(row.plan.fingerprint, line)
            row.duplicate_of = first if first != line else None
        checked.append(row)
    return checked


def bulk_cost(rows: list[BulkRow]) -> int:
    """How many NetCode calls generating the rows will use."""
    return sum(1 for row in rows if row.valid and not row.free)


def netcode_bulk_generate(
    *, site: Site, rows: list[dict[str, str]], user: AbstractBaseUser | None = None
) -> tuple[NetCodeBatch, list[BulkRow]]:
    """Generate the valid rows (bad ones are skipped), refusing if the quota cannot cover them."""
    checked = bulk_preview(site=site, rows=rows, user=user)
    quota_guard(ApiCategory.NETCODE, calls=bulk_cost(checked))
    batch = NetCodeBatch.objects.create(site=site, created_by=user)
    for row in checked:
        if not row.valid or row.plan is None:
            continue
        try:
            row.issue = netcode_generate(
                plan=row.plan,
                recipient_name=row.values["recipient"],
                recipient_email=row.values["email"],
                user=user,
                batch=batch,
            )
        except (CodelocksError, QuotaExhausted) as exc:
            row.errors.append(exc.user_message)
        except ValidationError as exc:
            row.errors.extend(exc.messages)
    return batch, checked
