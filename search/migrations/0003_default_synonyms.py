"""Domain synonyms a new site starts with; admins edit them as snippets."""

from django.db import migrations


def add(apps, schema_editor):
    from search.synonyms import ensure_default_synonyms

    ensure_default_synonyms(apps.get_model("ovi_search", "Synonym"))


def remove(apps, schema_editor):
    from search.synonyms import DEFAULT_SYNONYMS

    Synonym = apps.get_model("ovi_search", "Synonym")
    for language, term, _synonyms in DEFAULT_SYNONYMS:
        Synonym.objects.filter(language=language, term=term).delete()


class Migration(migrations.Migration):
    dependencies = [("ovi_search", "0002_fulltext_tables")]

    operations = [migrations.RunPython(add, remove)]
