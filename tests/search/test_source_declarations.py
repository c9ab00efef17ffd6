"""Search sources describe themselves (issue 14): a source's declared document types and
facets are what search accepts, counts, labels and documents in its OpenAPI, so a new
type or facet touches only the app that has it. Here a fake app adds both, in the test."""

import pytest
from bs4 import BeautifulSoup
from django.http import QueryDict
from django.utils import translation

from search import contracts, documents, indexing, openapi, params, presentation
from search.contracts import DOCUMENT_SOURCES, ContractError, DocumentType, Facet
from search.documents import SearchDocument

EVENT = DocumentType("event", "Event", "Events", position=65)
ACCESSIBILITY = Facet(
    "accessibility",
    "Accessibility",
    position=45,
    searchable=True,
    description="How the place can be reached.",
    example=("step_free",),
)


class EventDocuments:
    """A new app's source: a new result type with a new facet, and a facet search knows."""

    name = "tests.events"
    document_types = (EVENT,)
    facets = (ACCESSIBILITY,)

    def iter_documents(self):
        for uid, title, access in (("e1", "Perhekahvila", "step_free"), ("e2", "Vertaisryhmä", "stairs")):
            yield SearchDocument(
                type="event",
                uid=uid,
                title={"fi": title},
                url=f"/events/{uid}/",
                text={"fi": "Tapahtuma perheille"},
                facets={"accessibility": [access]},
                facet_labels={"accessibility": {access: {"fi": f"Esteetön {access}", "en": access.title()}}},
            )

    def document_for(self, obj):
        return None

    def key_for(self, obj):
        return f"event:{obj}"


def test_declared_type_and_facet_are_search_parameters():
    query = QueryDict("type=event&accessibility=step_free")
    refused = params.read_search_params(query, professional=False)
    assert set(refused.errors) == {"type", "accessibility"}

    with contracts.registered(DOCUMENT_SOURCES, EventDocuments()):
        read = params.read_search_params(query, professional=False)
        assert read.errors == {}
        assert read.filters == {"type": ["event"], "accessibility": ["step_free"]}
        assert "accessibility" in read.query.facets  # counted
        assert "accessibility" in documents.searchable_facets()  # its labels are indexed as text
        assert params.result_types().index("event") == params.result_types().index("pathway") + 1

    assert "accessibility" not in params.filter_facets() and "event" not in params.all_result_types()


def test_declared_type_and_facet_are_in_the_openapi_document():
    with contracts.registered(DOCUMENT_SOURCES, EventDocuments()):
        document = openapi.openapi_document()
    parameters = {p["name"]: p for p in document["paths"]["/api/v1/search"]["get"]["parameters"]}
    names = list(parameters)
    assert names.index("county") < names.index("accessibility") < names.index("target_group")
    assert parameters["accessibility"]["description"].startswith("How the place can be reached.")
    assert parameters["accessibility"]["example"] == ["step_free"]
    assert "event" in parameters["type"]["schema"]["items"]["enum"]
    for schema in ("SearchResult", "Suggestion"):
        assert "event" in document["components"]["schemas"][schema]["properties"]["type"]["enum"]
    assert "pathways, events and pages" in document["info"]["description"]
    # Without the source the document is as before.
    assert "accessibility" not in {p["name"] for p in openapi.search_parameters()}


def test_declared_type_and_facet_are_labelled_on_the_page():
    with contracts.registered(DOCUMENT_SOURCES, EventDocuments()), translation.override("en"):
        counted = {
            "type": [{"value": "event", "label": "event", "count": 2}],
            "accessibility": [{"value": "step_free", "label": "Step_Free", "count": 1}],
        }
        groups = presentation.facet_groups(counted, {"accessibility": ["step_free"]})
        tabs = presentation.tabs([], counted, [])
        summary = presentation.error_list({"accessibility": ["Bad"]})
        labels = presentation.type_labels()
        tab_labels = [str(tab["label"]) for tab in tabs]
    assert [(g["name"], g["legend"]) for g in groups] == [("accessibility", "Accessibility")]
    assert groups[0]["options"][0]["checked"]
    event_tab = next(tab for tab in tabs if tab["label"] == "Events")
    assert event_tab["count"] == 2 and event_tab["url"] == "?type=event"
    assert tab_labels.index("Events") == tab_labels.index("Pages") - 1
    assert summary[0]["label"] == "Accessibility"
    assert labels["event"] == "Event"


def test_a_source_that_declares_a_known_facet_differently_is_refused():
    class Clash(EventDocuments):
        name = "tests.clash"
        facets = (Facet("municipality", "Kunta", position=1),)

    with pytest.raises(ContractError):
        documents.register(Clash())
    assert "tests.clash" not in [source.name for source in documents.sources()]


def test_a_source_without_its_declarations_is_refused():
    class Undeclared:
        name = "tests.undeclared"

        def iter_documents(self):
            return []

        def document_for(self, obj):
            return None

        def key_for(self, obj):
            return ""

    with pytest.raises(ContractError, match="document_types"):
        documents.register(Undeclared())


def test_an_indexed_source_is_filtered_counted_and_labelled(client, indexed):
    with contracts.registered(DOCUMENT_SOURCES, EventDocuments()):
        indexing.rebuild()
        answer = client.get("/api/v1/search", {"accessibility": "step_free", "lang": "en"}).json()
        # The facet's labels are searchable text.
        found = client.get("/api/v1/search", {"q": "esteetön", "type": "event"}).json()
        with translation.override("en"):
            html = BeautifulSoup(client.get("/en/haku/", {"type": "event"}).content, "html.parser")
    indexing.rebuild()

    assert [(r["type"], r["uid"]) for r in answer["results"]] == [("event", "e1")]
    # Counted without its own filter, so each value says what choosing it would give.
    assert sorted(answer["facets"]["accessibility"], key=lambda bucket: bucket["value"]) == [
        {"value": "stairs", "label": "Stairs", "count": 1},
        {"value": "step_free", "label": "Step_Free", "count": 1},
    ]
    assert {r["uid"] for r in found["results"]} == {"e1", "e2"}
    legends = [legend.get_text(strip=True) for legend in html.select("fieldset legend")]
    assert "Accessibility" in legends
    assert "Events" in html.get_text()


def test_registered_restores_a_replaced_source():
    original = documents.get_source("portal.pathway")

    class Pathways(EventDocuments):
        name = "portal.pathway"
        document_types = original.document_types
        facets = original.facets

    with contracts.registered(DOCUMENT_SOURCES, Pathways()) as replacement:
        assert documents.get_source("portal.pathway") is replacement
    assert documents.get_source("portal.pathway") is original


def test_the_doors_endpoint_is_described_by_the_portal():
    document = openapi.openapi_document()
    assert "/api/v1/doors" in document["paths"] and "DoorsResponse" in document["components"]["schemas"]
    with contracts.registered(contracts.API_DESCRIPTIONS, _NoDoors()):
        document = openapi.openapi_document()
    assert (
        "/api/v1/doors" not in document["paths"] and "DoorsResponse" not in document["components"]["schemas"]
    )
    assert "one-door" not in document["info"]["description"]


class _NoDoors:
    """Stands in for the portal's description: the same name, no endpoints."""

    name = "portal.doors"
    summary = "nothing else"

    def paths(self):
        return {}

    def schemas(self):
        return {}
