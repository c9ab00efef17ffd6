"""Reference vocabularies the directory starts with; editors manage them afterwards.

Kept here (not only in the migration) so load_demo can restore them on a database
whose tables were emptied, as the live-server tests do.
"""

# The starting vocabulary; editors manage it in the admin afterwards.
TARGET_GROUPS = [
    ("everyone", "Kaikki", "Alla", "Everyone"),
    ("children", "Lapset", "Barn", "Children"),
    ("families_with_children", "Lapsiperheet", "Barnfamiljer", "Families with children"),
    ("young_people", "Nuoret", "Unga", "Young people"),
    ("working_age_adults", "Työikäiset", "Personer i arbetsför ålder", "Working-age adults"),
    ("older_people", "Ikääntyneet", "Äldre personer", "Older people"),
    (
        "clients_needing_many_services",
        "Paljon palveluja tarvitsevat",
        "Personer som behöver många tjänster",
        "Clients needing many services",
    ),
    (
        "mental_health_substance_use",
        "Mielenterveys- ja päihdeasiakkaat",
        "Klienter inom mentalvård och missbruksvård",
        "Mental health and substance use clients",
    ),
    (
        "people_with_disabilities",
        "Vammaiset henkilöt",
        "Personer med funktionsnedsättning",
        "People with disabilities",
    ),
    ("unemployed", "Työttömät", "Arbetslösa", "Unemployed people"),
    ("professionals", "Ammattilaiset", "Yrkespersoner", "Professionals"),
]


def ensure_target_groups(model=None):
    if model is None:
        from directory.models import TargetGroup as model  # noqa: PLC0415 migrations import this module and pass their historical model
    for order, (slug, fi, sv, en) in enumerate(TARGET_GROUPS):
        model.objects.get_or_create(
            slug=slug, defaults={"name_fi": fi, "name_sv": sv, "name_en": en, "sort_order": order}
        )
