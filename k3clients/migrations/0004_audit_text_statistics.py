"""Statistics on UPPER(entry_text), which the audit browser's "text contains" filter compares.

Without them PostgreSQL guesses that almost no entry matches a word, scans and sorts the whole
table, when walking the date index would find a page in a few hundred rows. Other databases and
PostgreSQL before 14 (no statistics on expressions) are left as they are.
"""

from __future__ import annotations

from django.db import migrations

CREATE = (
    "CREATE STATISTICS IF NOT EXISTS audit_text_upper ON (UPPER(entry_text)) "
    "FROM k3clients_auditentry"
)
DROP = "DROP STATISTICS IF EXISTS audit_text_upper"


def _has_expression_statistics(schema_editor) -> bool:
    connection = schema_editor.connection
    return connection.vendor == "postgresql" and connection.pg_version >= 140000


def create(apps, schema_editor) -> None:
    if _has_expression_statistics(schema_editor):
        schema_editor.execute(CREATE)
        schema_editor.execute("ANALYZE k3clients_auditentry")


def drop(apps, schema_editor) -> None:
    if _has_expression_statistics(schema_editor):
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("k3clients", "0003_audit_entry_indexes")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
