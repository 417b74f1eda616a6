"""Statistics on the NetCode issues' new site column, once 0008 has filled it.

Until ANALYZE reads the column, PostgreSQL knows nothing of how the issues spread over the
sites and guesses when it plans a history filtered by site or scoped to a person's sites.
Autovacuum gets there eventually; a server with it turned off never does. Other databases are
left as they are.
"""

from __future__ import annotations

from django.db import migrations


def analyze(apps, schema_editor) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ANALYZE netcodes_netcodeissue")


class Migration(migrations.Migration):
    dependencies = [("netcodes", "0008_issue_site")]

    operations = [migrations.RunPython(analyze, migrations.RunPython.noop, elidable=True)]
