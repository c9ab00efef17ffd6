"""PostgreSQL: the vectors a search ranks move from columns of ovi_search_pgfts to
a narrow table per language and audience (search.engines.database.tables.pg_vector_table),
kept in the row instead of TOAST. Contents are moved: no rebuild is needed.
SQLite: nothing changes."""

from django.db import migrations


def forwards(apps, schema_editor):
    from search.engines.database.schema import split_pg_fulltext

    split_pg_fulltext(schema_editor)


class Migration(migrations.Migration):
    dependencies = [("ovi_search", "0005_filter_tables")]

    # Backwards would need the old layout's code; a rebuild after migrating back
    # to 0005 is simpler than keeping it.
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
