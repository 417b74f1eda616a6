"""Re-encrypt every secret at rest under the newest key in FIELD_ENCRYPTION_KEYS.

Every EncryptedTextField of every installed model is found through the app registry, so
columns added later are covered without touching this command. Rows are read and written
with raw SQL in primary-key batches: only the secret columns change, nothing is decrypted
into the ORM, and save() hooks, auto_now fields and signals are not triggered.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from cryptography.fernet import Fernet, InvalidToken
from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection, models, transaction

from locks import crypto

UNREADABLE = "{count} stored secret(s) could not be decrypted with any configured key; left as is."


def encrypted_columns() -> list[tuple[type[models.Model], list[models.Field]]]:
    """Every concrete model with its EncryptedTextField columns."""
    found = []
    for model in apps.get_models():
        meta = model._meta
        if meta.proxy or not meta.managed:
            continue
        fields = [f for f in meta.concrete_fields if isinstance(f, crypto.EncryptedTextField)]
        if fields:
            found.append((model, fields))
    return found


def _renewed(stored: str | None, newest: Fernet) -> tuple[str | None, str]:
    """The value to store instead of `stored` (None: keep it) and what happened to it."""
    if stored in (None, ""):
        return None, "empty"
    if not stored.startswith(crypto.PREFIX):
        return crypto.encrypt(stored), "encrypted"  # plain text that should never have been
    token = stored[len(crypto.PREFIX) :].encode()
    try:
        newest.decrypt(token)
    except InvalidToken:
        pass
    else:
        return None, "current"
    try:
        return crypto.rotate(stored), "rotated"
    except InvalidToken:
        return None, "unreadable"


def rotate_table(
    model: type[models.Model], fields: list[models.Field], *, batch_size: int, dry_run: bool
) -> Counter[str]:
    """Re-encrypt one table's secret columns in primary-key batches; count what happened."""
    quote = connection.ops.quote_name
    table, pk = quote(model._meta.db_table), quote(model._meta.pk.column)
    columns = [quote(f.column) for f in fields]
    select = f"SELECT {pk}, {', '.join(columns)} FROM {table}"  # noqa: S608 - quoted names
    first_batch = f"{select} ORDER BY {pk} LIMIT %s"
    next_batch = f"{select} WHERE {pk} > %s ORDER BY {pk} LIMIT %s"
    newest = Fernet(settings.FIELD_ENCRYPTION_KEYS[0].encode())
    counts: Counter[str] = Counter()
    last = None
    while True:
        with transaction.atomic(), connection.cursor() as cursor:
            if last is None:
                cursor.execute(first_batch, [batch_size])
            else:
                cursor.execute(next_batch, [last, batch_size])
            rows = cursor.fetchall()
            for row_pk, *values in rows:
                changes = {}
                for column, value in zip(columns, values, strict=True):
                    new_value, outcome = _renewed(value, newest)
                    counts[outcome] += 1
                    if new_value is not None:
                        changes[column] = new_value
                if changes and not dry_run:
                    assignments = ", ".join(f"{c} = %s" for c in changes)
                    cursor.execute(
                        f"UPDATE {table} SET {assignments} WHERE {pk} = %s",  # noqa: S608
                        [*changes.values(), row_pk],
                    )
        if len(rows) < batch_size:
            return counts
        last = rows[-1][0]


class Command(BaseCommand):
    help = (
        "Re-encrypt every encrypted column under the first key of FIELD_ENCRYPTION_KEYS. "
        "Run it after putting a new key first; then the old key can be dropped."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--batch-size", type=int, default=500)
        parser.add_argument("--dry-run", action="store_true", help="count, change nothing")

    def handle(self, *args: Any, **options: Any) -> None:
        total: Counter[str] = Counter()
        for model, fields in encrypted_columns():
            counts = rotate_table(
                model, fields, batch_size=options["batch_size"], dry_run=options["dry_run"]
            )
            total += counts
            names = ", ".join(f.name for f in fields)
            self.stdout.write(
                f"{model._meta.label} ({names}): {counts['rotated']} re-encrypted, "
                f"{counts['encrypted']} plain text encrypted, {counts['current']} already "
                f"under the newest key, {counts['unreadable']} unreadable"
            )
        verb = "would re-encrypt" if options["dry_run"] else "re-encrypted"
        self.stdout.write(
            self.style.SUCCESS(
                f"Done: {verb} {total['rotated'] + total['encrypted']} secret(s); "
                f"{total['current']} already under the newest key."
            )
        )
        if total["unreadable"]:
            raise CommandError(UNREADABLE.format(count=total["unreadable"]))
