"""Trigram indexes on UPPER(recipient_name) and UPPER(recipient_email), which the history's
"person" filter compares.

A common name is found by walking the newest-first index; a rare one, or one nobody has, made
that walk read every issue (200 ms on 200,000). The indexes find those few issues at once, and
PostgreSQL picks whichever way its statistics say is cheaper. pg_trgm is a trusted extension
(PostgreSQL 13+): the database owner may create it. Other databases are left as they are.
"""

from __future__ import annotations

from django.db import migrations

INDEXES = {
    "netcode_issue_name_trigram": "recipient_name",
    "netcode_issue_email_trigram": "recipient_email",
}


def create(apps, schema_editor) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, column in INDEXES.items():
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON netcodes_netcodeissue "
            f"USING gin (UPPER({column}::text) gin_trgm_ops)"
        )


def drop(apps, schema_editor) -> None:
    if schema_editor.connection.vendor == "postgresql":
        for name in INDEXES:
            schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("netcodes", "0005_netcode_window_indexes")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
