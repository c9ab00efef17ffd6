from django.db import migrations


def create(apps, schema_editor):
    from models_library.reference import ensure_funders

    ensure_funders(apps.get_model("models_library", "Funder"))


class Migration(migrations.Migration):
    dependencies = [("models_library", "0001_initial")]

    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
