from django.db import migrations

# The starting vocabulary; editors manage it in the admin afterwards.
TARGET_GROUPS = [
    ("everyone", "Kaikki", "Alla", "Everyone"),
    ("children", "Lapset", "Barn", "Children"),
    ("families_with_children", "Lapsiperheet", "Barnfamiljer", "Families with children"),
    ("young_people", "Nuoret", "Unga", "Young people"),
    ("working_age_adults", "Työikäiset", "Personer i arbetsför ålder", "Working-age adults"),
    ("older_people", "Ikääntyneet", "Äldre personer", "Older people"),
    ("clients_needing_many_services", "Paljon palveluja tarvitsevat", "Personer som behöver många tjänster", "Clients needing many services"),
    ("mental_health_substance_use", "Mielenterveys- ja päihdeasiakkaat", "Klienter inom mentalvård och missbruksvård", "Mental health and substance use clients"),
    ("people_with_disabilities", "Vammaiset henkilöt", "Personer med funktionsnedsättning", "People with disabilities"),
    ("unemployed", "Työttömät", "Arbetslösa", "Unemployed people"),
    ("professionals", "Ammattilaiset", "Yrkespersoner", "Professionals"),
]


def create(apps, schema_editor):
    TargetGroup = apps.get_model("directory", "TargetGroup")
    for order, (slug, fi, sv, en) in enumerate(TARGET_GROUPS):
        TargetGroup.objects.update_or_create(
            slug=slug, defaults={"name_fi": fi, "name_sv": sv, "name_en": en, "sort_order": order}
        )


class Migration(migrations.Migration):
    dependencies = [("directory", "0003_vocabularies")]

    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
