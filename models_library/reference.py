"""The fixed list of funders, created by a migration and restored by load_demo."""

FUNDERS = [
    ("municipality", "Kunta", "Kommun", "Municipality"),
    ("wellbeing_county", "Hyvinvointialue", "Välfärdsområde", "Wellbeing services county"),
    (
        "stm",
        "Sosiaali- ja terveysministeriö (STM)",
        "Social- och hälsovårdsministeriet (SHM)",
        "Ministry of Social Affairs and Health (STM)",
    ),
    (
        "rrp",
        "EU:n elpymisväline (RRP)",
        "EU:s facilitet för återhämtning (RRP)",
        "EU Recovery and Resilience Facility (RRP)",
    ),
    ("eu_other", "Muu EU-rahoitus", "Annan EU-finansiering", "Other EU funding"),
    ("none", "Ei ulkopuolista rahoitusta", "Ingen extern finansiering", "No external funding"),
    ("other", "Muu rahoittaja", "Annan finansiär", "Other funder"),
]


def ensure_funders(model=None):
    if model is None:
        from models_library.models import Funder as model  # noqa: PLC0415 migrations import this module and pass their historical model
    for order, (code, fi, sv, en) in enumerate(FUNDERS):
        model.objects.get_or_create(
            code=code, defaults={"name_fi": fi, "name_sv": sv, "name_en": en, "sort_order": order}
        )
