"""The apps' document sources over demo-like data: valid documents, links that
work, facets, places and hours, and no professional-only data in anything
an anonymous user can reach."""

import datetime
import json
from zoneinfo import ZoneInfo

import pytest

from search import service
from search.documents import PROFESSIONAL, PUBLIC, SEARCHABLE_FACETS, sources
from search.engines.base import prepare
from search.models import SearchEntry
from tests.search.content import *  # noqa: F403
from tests.search.content import PRO_ONLY, keys, search

pytestmark = pytest.mark.django_db

HELSINKI = ZoneInfo("Europe/Helsinki")
APP_SOURCES = {
    "directory.service": "service",
    "directory.organisation": "organisation",
    "directory.location": "location",
    "directory.team": "team",
    "directory.contact_person": "contact_person",
    "models_library.operating_model": "operating_model",
    "models_library.development_team": "page",
    "portal.pathway": "pathway",
    "portal.standard_page": "page",
}


def all_documents():
    return {source.name: list(source.iter_documents()) for source in sources() if source.name in APP_SOURCES}


def public_view(document):
    """Everything of a document an anonymous user can be shown."""
    data = document.to_dict()
    data.pop("professional_text")
    return json.dumps(data, ensure_ascii=False)


def test_every_app_source_is_registered_and_gives_valid_documents(content, client):
    documents = all_documents()

    assert set(documents) == set(APP_SOURCES)
    for name, docs in documents.items():
        assert docs, f"{name} gave no documents"
        for document in docs:
            assert document.type == APP_SOURCES[name]
            assert document.key == f"{document.type}:{document.uid}"
            assert document.title.get("fi"), document.key
            prepare(document)  # the analysis accepts it
            for facet in SEARCHABLE_FACETS:
                for value in document.facets.get(facet, []):
                    assert document.facet_label(facet, value, "fi"), (document.key, facet, value)
            # Every link works for the audience the document is for.
            url = document.in_language(document.url, "fi")
            assert url.startswith("/"), document.key
            if document.visibility == PUBLIC:
                assert client.get(url).status_code == 200, (document.key, url)
    # The index has exactly what the sources have.
    indexed = set(SearchEntry.objects.values_list("key", flat=True))
    assert {d.key for docs in documents.values() for d in docs} <= indexed


def test_key_for_matches_the_document_of_every_record(content):
    for source in sources():
        if source.name not in APP_SOURCES:
            continue
        records = source.queryset() if hasattr(source, "queryset") else source.live_pages()
        for record in records:
            document = source.document_for(record)
            assert document is not None and document.key == source.key_for(record), (source.name, record.pk)


def test_public_documents_hold_no_professional_only_data(content):
    for docs in all_documents().values():
        for document in docs:
            if document.visibility == PROFESSIONAL:
                continue
            shown = public_view(document)
            leaked = [name for name, value in PRO_ONLY.items() if value in shown]
            assert not leaked, f"{document.key} shows {leaked}"


@pytest.mark.parametrize("name", sorted(PRO_ONLY))
def test_anonymous_searches_never_show_professional_only_strings(content, name):
    secret = PRO_ONLY[name]
    holders = {
        document.key
        for docs in all_documents().values()
        for document in docs
        if secret in json.dumps(document.to_dict(), ensure_ascii=False)
    }
    assert holders, f"{name} is not in the test data"

    anonymous = search(secret)
    assert secret not in json.dumps([anonymous.results, anonymous.facets], ensure_ascii=False)
    for suggestion in service.suggest(secret[:8]):
        assert f"{suggestion['type']}:{suggestion['uid']}" not in holders
    # Professionals do find them.
    assert holders & set(keys(secret, professional=True))


def test_professional_data_changes_nothing_an_anonymous_user_gets(content):
    """Searching for professional-only strings anonymously gives exactly what it
    gives from an index that has no professional data at all."""
    queries = [*PRO_ONLY.values(), "päihdetyöntekijä Kuopio", "sosiaaliohjaaja", "konsultaatio"]

    def answers():
        # Scores aside: BM25's corpus statistics count every document.
        answers = {}
        for query in queries:
            results = search(query).as_dict()
            for result in results["results"]:
                result.pop("score")
            results["results"].sort(key=lambda result: result["uid"])
            answers[query] = (results, service.suggest(query[:6]), service.suggest(query))
        return answers

    with_professional_data = answers()
    documents = [d for docs in all_documents().values() for d in docs]
    service.delete_documents([d.key for d in documents if d.visibility == PROFESSIONAL])
    for document in documents:
        document.professional_text = {}
    service.index_documents([d for d in documents if d.visibility == PUBLIC])

    assert answers() == with_professional_data


def test_professionals_find_professional_only_text(content):
    service_key = f"service:{content['service'].uid}"
    assert service_key in keys(SECRETS["consultation"], professional=True)
    assert f"team:{content['team'].uid}" in keys(SECRETS["team_consultation"], professional=True)
    model_key = f"operating_model:{content['model'].translation_key}"
    assert model_key in keys(PRO_ONLY["model_contact"], professional=True)
    assert model_key not in keys(PRO_ONLY["model_contact"])
    pathway_key = f"pathway:{content['pathway']['fi'].translation_key}"
    assert keys(PRO_ONLY["pathway_notes"], professional=True) == [pathway_key]


def test_contact_people_are_professional_only_documents(content):
    worker = f"contact_person:{content['kuopio_worker'].uid}"

    professional = search("päihdetyöntekijä Kuopio", professional=True).results
    assert worker in [f"{r['type']}:{r['uid']}" for r in professional[:3]]
    # Listed, for professionals, on the page of the service they answer for.
    (found,) = [r for r in professional if r["uid"] == str(content["kuopio_worker"].uid)]
    assert found["url"] == f"/palvelut/palvelu/{content['kuopio_service'].uid}/"

    anonymous = search("päihdetyöntekijä Kuopio")
    assert worker not in keys("päihdetyöntekijä Kuopio")
    assert "contact_person" not in {bucket["value"] for bucket in anonymous.facets["type"]}
    assert worker not in keys("", filters={"type": ["contact_person"]})


def test_the_author_of_a_model_is_public_its_contact_person_is_not(content):
    model_key = f"operating_model:{content['model'].translation_key}"
    assert model_key in keys("Maija Lehtonen")  # the author (tests/models_library/factories.py)


def test_service_document_facets_place_area_and_boost(content):
    document = next(d for d in all_documents()["directory.service"] if d.uid == str(content["service"].uid))

    assert document.facets["municipality"] == ["167"]
    assert document.facet_labels["municipality"]["167"]["fi"] == "Joensuu"
    assert document.facets["county"] == ["14"]
    assert document.facets["topic"] == ["huoli-lapsesta"]
    assert document.locations == [(62.6178, 29.8061)]
    assert document.area.municipalities == ["167"] and not document.area.whole_country
    assert document.boost > 1  # an entry point
    assert document.url["sv"] == f"/sv/tjanster/palvelu/{content['service'].uid}/"

    assert f"service:{content['service'].uid}" in keys("perheiden ovi", serves_municipality="167")
    assert f"service:{content['service'].uid}" not in keys("perheiden ovi", serves_municipality="297")


def test_opening_hours_come_from_the_weekly_rules(content):
    key = f"service:{content['service'].uid}"
    monday_morning = datetime.datetime(2026, 3, 2, 9, 30, tzinfo=HELSINKI)
    sunday = datetime.datetime(2026, 3, 1, 12, 0, tzinfo=HELSINKI)

    # The service keeps its location's hours (Monday to Friday 8-16).
    assert key in keys("perheiden", open_now=True, now=monday_morning)
    assert key not in keys("perheiden", open_now=True, now=sunday)


def test_searches_in_swedish_get_swedish_titles_and_links(content):
    results = search("familjernas dörr", language="sv")
    first = results.results[0]

    assert first["title"] == "Familjernas gemensamma dörr"
    assert first["url"].startswith("/sv/tjanster/")


def test_operating_model_document(content):
    document = all_documents()["models_library.operating_model"][0]

    assert document.title == {
        "fi": "Aluetiimin toimintamalli",
        "sv": "Områdesteamets modell",
        "en": "Area team model",
    }
    assert document.url["fi"] == "/toimintamallit/pohjois-karjala/aluetiimi/"
    assert document.url["sv"].startswith("/sv/")
    assert document.facets["topic"] == ["yhteistyo"]
    assert document.facets["development_stage"] == ["in_use"]
    assert document.facets["municipality"] == ["426"]  # implemented and adopted in Liperi
    assert document.area is None
    # The Swedish text is the translated summary and the Finnish sections the page shows.
    assert document.text["sv"].startswith("Familjen får stöd från ett ställe.")
    assert "Yksi yhteydenotto riittää." in document.text["sv"]


def test_pathway_document_speaks_the_residents_words(content):
    key = f"pathway:{content['pathway']['fi'].translation_key}"

    assert keys("huoli lapsesta")[0] == key
    swedish = search("oro för barn", language="sv").results[0]
    assert swedish["url"].startswith("/sv/var-far-jag-hjalp/")
    assert swedish["title"] == "Oro för ett barn eller familjen"


def test_inactive_services_are_not_documents(content):
    service_ = content["service"]
    service_.status = "inactive"
    service_.save()

    keys_ = {d.key for d in all_documents()["directory.service"]}
    assert f"service:{service_.uid}" not in keys_
