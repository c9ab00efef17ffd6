from django.db import migrations

FUNDERS = [
    ("municipality", "Kunta", "Kommun", "Municipality"),
    ("wellbeing_county", "Hyvinvointialue", "Välfärdsområde", "Wellbeing services county"),
    ("stm", "Sosiaali- ja terveysministeriö (STM)", "Social- och hälsovårdsministeriet (SHM)", "Ministry of Social Affairs and Health (STM)"),
    ("rrp", "EU:n elpymisväline (RRP)", "EU:s facilitet för återhämtning (RRP)", "EU Recovery and Resilience Facility (RRP)"),
    ("eu_other", "Muu EU-rahoitus", "Annan EU-finansiering", "Other EU funding"),
    ("none", "Ei ulkopuolista rahoitusta", "Ingen extern finansiering", "No external funding"),
    ("other", "Muu rahoittaja", "Annan finansiär", "Other funder"),
]


def create(apps, schema_editor):
    Funder = apps.get_model("models_library", "Funder")
    for order, (code, fi, sv, en) in enumerate(FUNDERS):
        Funder.objects.update_or_create(
            code=code, defaults={"name_fi": fi, "name_sv": sv, "name_en": en, "sort_order": order}
        )


class Migration(migrations.Migration):
    dependencies = [("models_library", "0001_initial")]

    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
