"""Sync runs get a heartbeat (and the lease they hold) so the sweeper can close the silent ones.

Runs recorded before take their last known time as their heartbeat; the index covers only the
few unfinished runs, which is all the sweeper ever reads.
"""

from __future__ import annotations

from django.db import migrations, models
from django.db.models.functions import Coalesce


def fill_heartbeats(apps, schema_editor) -> None:
    SyncRun = apps.get_model("k3clients", "SyncRun")
    SyncRun.objects.update(heartbeat_at=Coalesce("finished_at", "started_at", "created_at"))


class Migration(migrations.Migration):
    dependencies = [
        ("k3clients", "0006_smartlock_search_indexes"),
    ]

    operations = [
        migrations.AddField(
            model_name="syncrun",
            name="heartbeat_at",
            field=models.DateTimeField(null=True),
        ),
        migrations.RunPython(fill_heartbeats, migrations.RunPython.noop, elidable=True),
        migrations.AlterField(
            model_name="syncrun",
            name="heartbeat_at",
            field=models.DateTimeField(),
        ),
        migrations.AddField(
            model_name="syncrun",
            name="lease_token",
            field=models.CharField(blank=True, max_length=32),
        ),
        migrations.AlterField(
            model_name="syncrun",
            name="status",
            field=models.CharField(
                choices=[
                    ("queued", "Queued"),
                    ("running", "Running"),
                    ("retrying", "Retrying"),
                    ("done", "Done"),
                    ("failed", "Failed"),
                    ("skipped", "Skipped"),
                    ("stopped", "Stopped"),
                ],
                default="queued",
                max_length=16,
            ),
        ),
        migrations.AddIndex(
            model_name="syncrun",
            index=models.Index(
                condition=~models.Q(status__in=("done", "failed", "skipped", "stopped")),
                fields=["heartbeat_at"],
                name="sync_run_unfinished",
            ),
        ),
    ]
