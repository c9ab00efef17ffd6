"""PostgreSQL: facet values get integer ids (table ovi_search_pgfacet); SearchRow
gets arrays of the ids of an entry's facet values and area places (`facets`,
`areas`, GIN-indexed `facets`), and each vector table a copy of SearchRow's
filter fields, so that a text search is one scan of its vector table instead of
a join with SearchRow and a SearchValue look-up per match
(search.engines.database.schema.add_pg_row_columns; docs/benchmarks.md). Existing
rows are filled in: no rebuild is needed. SQLite: nothing changes."""

from django.db import migrations


def forwards(apps, schema_editor):
    from search.engines.database.schema import add_pg_row_columns

    add_pg_row_columns(schema_editor)


def backwards(apps, schema_editor):
    from search.engines.database.schema import remove_pg_row_columns

    remove_pg_row_columns(schema_editor)


class Migration(migrations.Migration):
    dependencies = [("ovi_search", "0006_postgresql_vector_tables")]

    operations = [migrations.RunPython(forwards, backwards)]
