"""Indexes for the lock list's search on PostgreSQL: trigrams for "contains", patterns for prefixes.

The search compares UPPER(name), UPPER(location) and UPPER(notes) with LIKE '%…%', the timecode
by prefix and the identifier exactly. Without an index for every one of those, PostgreSQL reads
every lock and upper-cases three columns of each (6 ms on 4,000 KitLocks and 6,000 smart locks);
with them it ORs the few index hits (under 1 ms). pg_trgm is a trusted extension (PostgreSQL
13+). Other databases are left as they are.
"""

from __future__ import annotations

from django.db import migrations

INDEXES = {
    "kitlock_name_trigram": "gin (UPPER(name::text) gin_trgm_ops)",
    "kitlock_location_trigram": "gin (UPPER(location::text) gin_trgm_ops)",
    "kitlock_notes_trigram": "gin (UPPER(notes) gin_trgm_ops)",
    "kitlock_timecode_prefix": "btree (timecode varchar_pattern_ops)",
    "kitlock_identifier": "btree (identifier)",
}


def create(apps, schema_editor) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        for name, definition in INDEXES.items():
            schema_editor.execute(
                f"CREATE INDEX IF NOT EXISTS {name} ON locks_kitlock USING {definition}"
            )
        schema_editor.execute("ANALYZE locks_kitlock")  # statistics of the indexed expressions


def drop(apps, schema_editor) -> None:
    if schema_editor.connection.vendor == "postgresql":
        for name in INDEXES:
            schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("locks", "0002_kitlock")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
