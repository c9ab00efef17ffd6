"""Starting vocabularies of the directory: sectors and languages.

Kept here (not only in the migration) so the demo loader can restore them on a
database whose tables were emptied, as the live-server tests do; the target groups
live in directory.reference for the same reason.
"""

from django.apps import apps as global_apps

from directory.reference import ensure_target_groups

# Directory admins manage these in the admin afterwards; loading never removes anything.
SECTORS = [
    ("social_services", "Sosiaalipalvelut", "Socialtjänster", "Social services"),
    ("health_care", "Terveydenhuolto", "Hälso- och sjukvård", "Health care"),
    ("school_pupil_welfare", "Koulu ja oppilashuolto", "Skola och elevhälsa", "School and pupil welfare"),
    ("early_childhood_education", "Varhaiskasvatus", "Småbarnspedagogik", "Early childhood education"),
    ("youth_services", "Nuorisopalvelut", "Ungdomstjänster", "Youth services"),
    ("employment_services", "Työllisyyspalvelut", "Sysselsättningstjänster", "Employment services"),
    (
        "ngo_third_sector",
        "Järjestöt ja kolmas sektori",
        "Organisationer och tredje sektorn",
        "NGOs and the third sector",
    ),
    ("parish", "Seurakunnat", "Församlingar", "Parishes"),
    ("older_people_services", "Ikääntyneiden palvelut", "Äldreomsorg", "Services for older people"),
    ("disability_services", "Vammaispalvelut", "Handikappservice", "Disability services"),
    ("housing", "Asuminen", "Boende", "Housing"),
    ("police_and_safety", "Poliisi ja turvallisuus", "Polis och säkerhet", "Police and safety"),
    ("culture_and_leisure", "Kulttuuri ja vapaa-aika", "Kultur och fritid", "Culture and leisure"),
]

# ISO 639-1 codes, ISO 639-3 where there is no two-letter code (Sami languages, sign languages).
LANGUAGES = [
    ("fi", "Suomi", "Finska", "Finnish"),
    ("sv", "Ruotsi", "Svenska", "Swedish"),
    ("en", "Englanti", "Engelska", "English"),
    ("se", "Pohjoissaame", "Nordsamiska", "Northern Sami"),
    ("smn", "Inarinsaame", "Enaresamiska", "Inari Sami"),
    ("sms", "Koltansaame", "Skoltsamiska", "Skolt Sami"),
    ("fse", "Suomalainen viittomakieli", "Finskt teckenspråk", "Finnish Sign Language"),
    (
        "fss",
        "Suomenruotsalainen viittomakieli",
        "Finlandssvenskt teckenspråk",
        "Finland-Swedish Sign Language",
    ),
    ("ru", "Venäjä", "Ryska", "Russian"),
    ("et", "Viro", "Estniska", "Estonian"),
    ("uk", "Ukraina", "Ukrainska", "Ukrainian"),
    ("ar", "Arabia", "Arabiska", "Arabic"),
    ("so", "Somali", "Somaliska", "Somali"),
    ("fa", "Persia", "Persiska", "Persian"),
    ("ku", "Kurdi", "Kurdiska", "Kurdish"),
]


def _ensure(model, key, rows):
    # get_or_create: an admin's later edits to a term survive reloading.
    for order, (value, fi, sv, en) in enumerate(rows):
        model.objects.get_or_create(
            **{key: value}, defaults={"name_fi": fi, "name_sv": sv, "name_en": en, "sort_order": order}
        )


def load_vocabularies(apps=None):
    """Create the starting vocabularies that are missing; usable from a migration via `apps`."""
    if apps is None:
        apps = global_apps
    get = lambda name: apps.get_model("directory", name)  # noqa: E731
    ensure_target_groups(get("TargetGroup"))
    _ensure(get("Sector"), "slug", SECTORS)
    _ensure(get("Language"), "code", LANGUAGES)
