"""A trigram index on UPPER(entry_text), which the audit browser's "text contains" filter compares.

A common word is found by walking the date index (a page in a few hundred rows); a rare word,
or one no entry holds, made that walk read all the entries (200 ms on a million). The index
finds those few entries at once, and PostgreSQL picks whichever way its statistics say is
cheaper. pg_trgm is a trusted extension (PostgreSQL 13+): the database owner may create it.
Other databases are left as they are.
"""

from __future__ import annotations

from django.db import migrations

CREATE = (
    "CREATE INDEX IF NOT EXISTS audit_text_trigram ON k3clients_auditentry "
    "USING gin (UPPER(entry_text) gin_trgm_ops)"
)
DROP = "DROP INDEX IF EXISTS audit_text_trigram"


def create(apps, schema_editor) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        schema_editor.execute(CREATE)


def drop(apps, schema_editor) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("k3clients", "0004_audit_text_statistics")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
