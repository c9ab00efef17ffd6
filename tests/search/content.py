"""Demo-like content for the source and index update tests: the directory
scenario of tests/directory (every kind of professional-only data, planted as
distinctive strings), an operating model with a professional-only contact
person, and a pathway in Finnish and Swedish with notes for professionals.

Import the fixtures into a test module with
`from tests.search.content import *  # noqa: F403`.
"""

import pytest
from django.db import transaction
from django.test.utils import override_settings

from directory.demo import ensure_directory_pages
from directory.models import ServiceAtLocation
from models_library.demo import ensure_library
from models_library.exchange import import_document
from models_library.models import OperatingModelPage
from portal.demo import demo_key, ensure_page, load_site_shell
from portal.models import PathwayIndexPage, PathwayPage
from search import analysers, indexing, service
from search.query import SearchQuery
from search.synonyms import ensure_default_synonyms
from tests.directory.conftest import SECRETS, scenario
from tests.directory.factories import ContactPersonFactory, LocationFactory, ServiceFactory, municipality
from tests.models_library.factories import document, model_record

__all__ = ["SECRETS", "PRO_ONLY", "content", "content_once", "search", "keys", "rebuild"]

# Professional-only strings beyond the directory scenario's SECRETS.
PRO_ONLY = {
    **SECRETS,
    "model_contact": "Mallikontakti Salamyhkäinen",
    "pathway_notes": "POLUN-AMMATTILAISOHJE-SALAINEN",
    "kuopio_worker": "Päivi Päihdetyöntekijä-Salainen",
}


def search(text="", **options):
    options.setdefault("page_size", 100)
    return service.search(SearchQuery(text=text, **options))


def keys(text="", **options):
    return [f"{r['type']}:{r['uid']}" for r in search(text, **options).results]


def rebuild():
    ensure_default_synonyms()
    analysers.invalidate_synonyms()
    report = indexing.rebuild()
    assert report.documents > 0
    return report


INTROS = {
    "fi": "Kun lapsen arki huolettaa, ota yhteyttä yhteen paikkaan.",
    "sv": "När ett barns vardag oroar dig, kontakta ett ställe.",
}


def add_pathway(homes, situation, titles, notes):
    """A pathway page per language in `titles`, each under its language's door finder."""
    pages = {}
    for code, title in titles.items():
        index = ensure_page(
            homes[code],
            PathwayIndexPage,
            key=demo_key("test-pathways"),
            locale=homes[code].locale,
            title={"fi": "Mistä apua", "sv": "Var får jag hjälp", "en": "Where to get help"}[code],
            slug={"fi": "mista-apua", "sv": "var-far-jag-hjalp", "en": "where-to-get-help"}[code],
            intro="",
        )
        pages[code] = ensure_page(
            index,
            PathwayPage,
            key=demo_key(f"test-pathway:{situation.slug}"),
            locale=homes[code].locale,
            title=title,
            slug=situation.slug if code == "fi" else f"{situation.slug}-{code}",
            life_situation=situation,
            intro=INTROS.get(code, "One place to contact."),
            professional_notes=notes,
            default_steps=[
                {"title": "Kerrot huolesi", "description": "Työntekijä kuuntelee.", "time": "heti"}
            ],
        )
    return pages


def build_content():
    homes = load_site_shell()["homes"]
    ensure_directory_pages(homes)
    ensure_library(homes, ensure_page)
    # The directory tests' scenario, every kind of professional-only data planted in it.
    data = scenario.__wrapped__(None)
    import_document(
        document(
            model_record(
                "aluetiimi",
                title={
                    "fi": "Aluetiimin toimintamalli",
                    "sv": "Områdesteamets modell",
                    "en": "Area team model",
                },
                team="pohjois-karjala",
                contacts=[
                    {
                        "name": PRO_ONLY["model_contact"],
                        "title": {"fi": "kehittäjä"},
                        "organisation": "Liperin kunta",
                    }
                ],
            )
        )
    )
    pathway = add_pathway(
        homes,
        data["situation"],
        {"fi": "Huoli lapsesta tai perheestä", "sv": "Oro för ett barn eller familjen"},
        PRO_ONLY["pathway_notes"],
    )
    # A substance-abuse worker in Kuopio, findable by professionals only.
    kuopio = municipality("297")
    kuopio_service = ServiceFactory(
        name_fi="Päihdepalvelujen matalan kynnyksen vastaanotto, Kuopio",
        areas=[kuopio],
        summary_fi="Apua alkoholin ja huumeiden käytön hallintaan.",
    )
    kuopio_office = LocationFactory(
        organisation=kuopio_service.organisation,
        name_fi="Kuopion sote-keskus",
        postal_code="70100",
        latitude="62.892400",
        longitude="27.678200",
    )
    kuopio_sal = ServiceAtLocation.objects.create(service=kuopio_service, location=kuopio_office)
    worker = ContactPersonFactory(
        organisation=kuopio_service.organisation,
        name=PRO_ONLY["kuopio_worker"],
        title_fi="päihdetyöntekijä",
        role="consulting_expert",
        expertise_fi="alkoholi ja huumeet\nkorvaushoito",
    )
    kuopio_sal.contact_people.set([worker])
    kuopio_sal.save()
    rebuild()
    return {
        **data,
        "homes": homes,
        "model": OperatingModelPage.objects.get(locale__language_code="fi", slug="aluetiimi"),
        "pathway": pathway,
        "kuopio_service": kuopio_service,
        "kuopio_worker": worker,
    }


@pytest.fixture(scope="module")
def content_once(django_db_setup, django_db_blocker):
    """The content, built once for a module and rolled back after it (each test
    still runs in its own savepoint)."""
    with django_db_blocker.unblock(), transaction.atomic(), override_settings(ELASTICSEARCH_URL=""):
        yield build_content()
        transaction.set_rollback(True)


def _fresh(value):
    """The object as the database has it now (a test may have changed the shared one)."""
    if isinstance(value, dict):
        return {key: _fresh(item) for key, item in value.items()}
    if hasattr(value, "_meta") and value.pk is not None:
        return type(value).objects.get(pk=value.pk)
    return value


@pytest.fixture
def content(content_once, db, settings):
    settings.ELASTICSEARCH_URL = ""
    return _fresh(content_once)
