from django.db import migrations, models
from django.db.models import Max


def keep_one_row_per_key(apps, schema_editor):
    """Queued Elasticsearch updates, one per key (the newest): a replay sends a
    key's current entry, so the others only repeat it."""
    PendingIndexUpdate = apps.get_model("ovi_search", "PendingIndexUpdate")
    newest = (
        PendingIndexUpdate.objects.values("key").annotate(newest=Max("id")).values_list("newest", flat=True)
    )
    PendingIndexUpdate.objects.exclude(id__in=list(newest)).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("ovi_search", "0007_postgresql_filter_columns"),
    ]

    operations = [
        migrations.RunPython(keep_one_row_per_key, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="pendingindexupdate",
            name="key",
            field=models.CharField(max_length=255, unique=True),
        ),
        migrations.CreateModel(
            name="WorkerHeartbeat",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("worker_id", models.CharField(max_length=64, unique=True)),
                ("hostname", models.CharField(blank=True, max_length=255)),
                ("pid", models.IntegerField(null=True)),
                ("started", models.DateTimeField()),
                ("last_seen", models.DateTimeField(db_index=True)),
            ],
            options={
                "verbose_name": "task worker heartbeat",
                "verbose_name_plural": "task worker heartbeats",
            },
        ),
    ]
