"""SQLite: the one FTS5 table of 0002 becomes one table per language and audience
(and one of autocomplete prefixes), so bm25 normalises by the length of the text
a search reads (search.engines.database.tables, FTS_SCOPES). The new tables are filled
from the stored terms of the entries: no rebuild is needed. PostgreSQL: nothing
changes."""

from django.db import migrations


def forwards(apps, schema_editor):
    from search.engines.database.schema import relayout_sqlite_fulltext

    SearchEntry = apps.get_model("ovi_search", "SearchEntry")
    entries = SearchEntry.objects.using(schema_editor.connection.alias).values_list("id", "terms")
    relayout_sqlite_fulltext(schema_editor, entries.iterator())


class Migration(migrations.Migration):
    dependencies = [("ovi_search", "0003_default_synonyms")]

    # Backwards would need the old layout's code; a rebuild after migrating back
    # to 0003 is simpler than keeping it.
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
