"""The full-text side tables of the database engine: an FTS5 virtual table on
SQLite, tsvector columns with GIN indexes (and pg_trgm) on PostgreSQL.
Their layout lives in search.engines.database."""

from django.db import migrations


def create(apps, schema_editor):
    from search.engines.database.schema import create_fulltext_tables

    create_fulltext_tables(schema_editor)


def drop(apps, schema_editor):
    from search.engines.database.schema import drop_fulltext_tables

    drop_fulltext_tables(schema_editor)


class Migration(migrations.Migration):
    dependencies = [("ovi_search", "0001_initial")]

    operations = [migrations.RunPython(create, drop)]
