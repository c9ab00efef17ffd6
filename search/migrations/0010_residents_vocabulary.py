"""The residents' vocabulary (search/data/residents_vocabulary.toml) as one-way
synonyms; admins edit them as snippets, and edited rows are left alone."""

from django.db import migrations


def add(apps, schema_editor):
    from search.synonyms import ensure_default_synonyms

    ensure_default_synonyms(apps.get_model("ovi_search", "Synonym"))


def remove(apps, schema_editor):
    from search.synonyms import load_vocabulary

    Synonym = apps.get_model("ovi_search", "Synonym")
    for entry in load_vocabulary():
        Synonym.objects.filter(language=entry.language, term=entry.term, one_way=True).delete()


class Migration(migrations.Migration):
    dependencies = [("ovi_search", "0009_synonym_one_way_source")]

    operations = [migrations.RunPython(add, remove)]
