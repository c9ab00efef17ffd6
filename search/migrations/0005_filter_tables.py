"""The database engine's filter tables (search.models: SearchRow, SearchValue,
SearchOpenInterval, SearchPoint), filled from the entries' stored attributes,
so no rebuild is needed."""

from django.db import migrations, models


def fill(apps, schema_editor):
    from search.engines.database.rows import write_filter_rows

    SearchEntry = apps.get_model("ovi_search", "SearchEntry")
    entries = SearchEntry.objects.using(schema_editor.connection.alias).values_list(
        "id", "key", "visibility", "boost", "attributes"
    )
    batch = []
    with schema_editor.connection.cursor() as cursor:
        for entry in entries.iterator(chunk_size=1000):
            batch.append(entry)
            if len(batch) == 1000:
                write_filter_rows(cursor, batch)
                batch = []
        write_filter_rows(cursor, batch)


class Migration(migrations.Migration):

    dependencies = [
        ('ovi_search', '0004_sqlite_fulltext_per_language'),
    ]

    operations = [
        migrations.CreateModel(
            name='SearchPoint',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('entry_id', models.BigIntegerField(db_index=True)),
                ('latitude', models.FloatField()),
                ('longitude', models.FloatField()),
            ],
        ),
        migrations.CreateModel(
            name='SearchRow',
            fields=[
                ('entry_id', models.BigIntegerField(primary_key=True, serialize=False)),
                ('key', models.CharField(max_length=255)),
                ('public', models.BooleanField()),
                ('boost', models.FloatField()),
                ('anywhere', models.BooleanField()),
                ('always_open', models.BooleanField()),
                ('title_fi', models.TextField()),
                ('title_sv', models.TextField()),
                ('title_en', models.TextField()),
            ],
        ),
        migrations.CreateModel(
            name='SearchOpenInterval',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('entry_id', models.BigIntegerField(db_index=True)),
                ('day', models.SmallIntegerField()),
                ('start_minute', models.IntegerField()),
                ('end_minute', models.IntegerField()),
            ],
            options={
                'indexes': [models.Index(fields=['day', 'start_minute', 'end_minute', 'entry_id'], name='ovi_search_open_now')],
            },
        ),
        migrations.CreateModel(
            name='SearchValue',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('entry_id', models.BigIntegerField()),
                ('name', models.CharField(max_length=60)),
                ('value', models.TextField()),
            ],
            options={
                'indexes': [models.Index(fields=['name', 'value', 'entry_id'], name='ovi_search_value_lookup'), models.Index(fields=['entry_id', 'name', 'value'], name='ovi_search_value_entry')],
            },
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
