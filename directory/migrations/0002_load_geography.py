from django.db import migrations


def load(apps, schema_editor):
    from directory.geography import load_geography

    load_geography(apps)


class Migration(migrations.Migration):
    dependencies = [("directory", "0001_geography")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop, elidable=True)]
