"""The slug fields 0009 replaced with the operating model's uid. A migration of its own,
so that on PostgreSQL the table changes do not share a transaction with 0009's updates."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("directory", "0009_operating_model_uid")]

    operations = [
        migrations.RemoveField(model_name="service", name="operating_model_slug"),
        migrations.RemoveField(model_name="team", name="operating_model_slug"),
    ]
