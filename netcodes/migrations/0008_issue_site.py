"""Each NetCode issue carries its code's site, with an index on (site, newest first).

One site's history used to reach the site through the codes, so for a quiet site PostgreSQL
walked every site's newest issues until a page was full (60-90 ms on 220,000 issues); the index
gives any site's page at once. The column is added empty, filled from the codes in one UPDATE
(a set-based statement: no row travels to Python, whatever the table's size), then made
required and indexed.
"""

from __future__ import annotations

import django.db.models.deletion
from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def backfill_issue_sites(apps, schema_editor) -> None:
    """Copy each issue's site from its NetCode, in one UPDATE with a correlated subquery."""
    if schema_editor is not None and schema_editor.connection.vendor == "postgresql":
        # The new column's foreign key is checked at commit; checked now, no trigger events
        # stay pending, and PostgreSQL lets the later ALTER TABLE on this table run.
        schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    NetCode = apps.get_model("netcodes", "NetCode")
    NetCodeIssue = apps.get_model("netcodes", "NetCodeIssue")
    code_site = NetCode.objects.filter(pk=OuterRef("netcode_id")).values("site_id")[:1]
    NetCodeIssue.objects.filter(site__isnull=True).update(site_id=Subquery(code_site))


class Migration(migrations.Migration):
    dependencies = [
        ("locks", "0001_initial"),
        ("netcodes", "0007_analyze_issue_recipients"),
    ]

    operations = [
        migrations.AddField(
            model_name="netcodeissue",
            name="site",
            field=models.ForeignKey(
                db_index=False,
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="netcode_issues",
                to="locks.site",
            ),
        ),
        migrations.RunPython(backfill_issue_sites, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="netcodeissue",
            name="site",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="netcode_issues",
                to="locks.site",
            ),
        ),
        migrations.AddIndex(
            model_name="netcodeissue",
            index=models.Index(
                fields=["site", "-requested_at", "-id"], name="netcode_issue_site_newest"
            ),
        ),
    ]
