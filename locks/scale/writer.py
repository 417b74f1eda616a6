"""Fast row writing for the scale seed: COPY on PostgreSQL, batched executemany elsewhere."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from datetime import datetime
from itertools import islice
from typing import Any

from django.core.management.color import no_style
from django.db import connection
from django.db.models import Model

BATCH = 5_000


def _adapt_sqlite(value: Any) -> Any:
    if isinstance(value, datetime):
        return connection.ops.adapt_datetimefield_value(value)
    if isinstance(value, dict | list):
        return json.dumps(value)
    return value


def _adapt_copy(value: Any) -> Any:
    if isinstance(value, dict | list):
        return json.dumps(value)
    return value


def _columns(model: type[Model], fields: Sequence[str]) -> list[str]:
    """The column names of `fields` ("site" gives "site_id"), quoted."""
    quote = connection.ops.quote_name
    return [quote(model._meta.get_field(name).column) for name in fields]


def _defaults(model: type[Model], fields: Sequence[str]) -> dict[str, Any]:
    """The fields the seed leaves out, with their defaults (so new columns need no seed change)."""
    given = {model._meta.get_field(name).name for name in fields}
    return {
        field.name: field.get_default() if field.has_default() or field.null else ""
        for field in model._meta.concrete_fields
        if field.name not in given and not field.primary_key
    }


def write_rows(model: type[Model], fields: Sequence[str], rows: Iterable[Sequence[Any]]) -> int:
    """Insert raw rows (values already as stored: ciphertexts, explicit ids); return the count."""
    extra = _defaults(model, fields)
    fields = [*fields, *extra]
    rest = tuple(extra.values())
    rows = (tuple(row) + rest for row in rows)
    table = connection.ops.quote_name(model._meta.db_table)
    columns = ", ".join(_columns(model, fields))
    count = 0
    iterator = iter(rows)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            raw = cursor.cursor
            with raw.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in iterator:
                    copy.write_row([_adapt_copy(value) for value in row])
                    count += 1
            return count
        marks = ", ".join(["%s"] * len(fields))
        sql = f"INSERT INTO {table} ({columns}) VALUES ({marks})"  # noqa: S608
        while batch := [tuple(map(_adapt_sqlite, row)) for row in islice(iterator, BATCH)]:
            cursor.executemany(sql, batch)
            count += len(batch)
    return count


def reset_sequences(models: Sequence[type[Model]]) -> None:
    """Move each table's id sequence past the explicit ids the seed wrote (PostgreSQL)."""
    statements = connection.ops.sequence_reset_sql(no_style(), list(models))
    if not statements:
        return
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


def next_id(model: type[Model]) -> int:
    """The first free primary key of a table."""
    last = model.objects.order_by("-pk").values_list("pk", flat=True).first()
    return (last or 0) + 1


def analyze() -> None:
    """Refresh the planner's statistics after a bulk load (and, on PostgreSQL, vacuum).

    VACUUM marks the freshly written pages all-visible, as autovacuum soon would on a live
    database, so index-only scans need not visit the table. It cannot run in a transaction
    (a test's, for one): there statistics alone are refreshed.
    """
    vacuum = connection.vendor == "postgresql" and not connection.in_atomic_block
    with connection.cursor() as cursor:
        cursor.execute("VACUUM (ANALYZE)" if vacuum else "ANALYZE")
