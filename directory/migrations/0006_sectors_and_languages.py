from django.db import migrations


def load(apps, schema_editor):
    from directory.vocabulary_data import load_vocabularies

    load_vocabularies(apps)


class Migration(migrations.Migration):
    dependencies = [("directory", "0005_actors")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop, elidable=True)]
