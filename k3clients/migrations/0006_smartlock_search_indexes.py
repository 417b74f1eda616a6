"""Indexes for the lock list's search of smart locks on PostgreSQL (see locks 0003).

The search compares UPPER(name) and UPPER(location) with LIKE '%…%' and the lock id by prefix;
trigram and pattern indexes let PostgreSQL OR the few hits instead of upper-casing every lock.
"""

from __future__ import annotations

from django.db import migrations

INDEXES = {
    "smartlock_name_trigram": "gin (UPPER(name::text) gin_trgm_ops)",
    "smartlock_location_trigram": "gin (UPPER(location::text) gin_trgm_ops)",
    "smartlock_lock_id_prefix": "btree (lock_id varchar_pattern_ops)",
}


def create(apps, schema_editor) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        for name, definition in INDEXES.items():
            schema_editor.execute(
                f"CREATE INDEX IF NOT EXISTS {name} ON k3clients_smartlock USING {definition}"
            )
        schema_editor.execute(
            "ANALYZE k3clients_smartlock"
        )  # statistics of the indexed expressions


def drop(apps, schema_editor) -> None:
    if schema_editor.connection.vendor == "postgresql":
        for name in INDEXES:
            schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("k3clients", "0005_audit_text_trigram")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
