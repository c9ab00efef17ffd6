from django.db import migrations


def create(apps, schema_editor):
    from directory.reference import ensure_target_groups

    ensure_target_groups(apps.get_model("directory", "TargetGroup"))


class Migration(migrations.Migration):
    dependencies = [("directory", "0003_vocabularies")]

    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
