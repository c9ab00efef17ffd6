"""GET /api/v1/search, /api/v1/suggest and /api/v1/openapi.json over the fake corpus.

Runs against every engine the `indexed` fixture offers (see conftest.py).
"""

import json
import re
from collections import Counter

import pytest
from django.contrib.auth.models import Group
from jsonschema import Draft202012Validator
from referencing import Registry
from referencing.jsonschema import DRAFT202012

from directory.roles import PROFESSIONALS_GROUP
from directory.services import ensure_directory_groups
from search import params as search_params
from search import service
from search.documents import SearchDocument
from tests.directory.factories import UserFactory

from .corpus import CORPUS, public_keys

SEARCH = "/api/v1/search"
SUGGEST = "/api/v1/suggest"
OPENAPI = "/api/v1/openapi.json"
CONTRACT_KEYS = {"count", "page", "page_size", "engine", "results", "facets", "did_you_mean", "place"}
# DESIGN.md's contract, plus `matched_lang` (additive: the language the words were found in).
RESULT_KEYS = {"type", "uid", "title", "url", "snippet", "score", "distance_m", "matched_lang"}


@pytest.fixture
def professional(db):
    ensure_directory_groups()
    user = UserFactory(username="sosiaalityontekija")
    user.groups.add(Group.objects.get(name=PROFESSIONALS_GROUP))
    return user


def get(client, path, params=None, status=200):
    response = client.get(path, params or {})
    assert response.status_code == status, (response.status_code, response.content[:500])
    assert response["Content-Type"] == "application/json"
    return response.json()


def keys(body):
    return [f"{r['type']}:{r['uid']}" for r in body["results"]]


def everything(client, **params):
    return get(client, SEARCH, {"page_size": 100, **params})


# --- the OpenAPI document and validating real answers against it -------------


@pytest.fixture
def openapi(client):
    return get(client, OPENAPI)


def validate(document, schema_name, instance):
    """Validate an answer against a component schema of the OpenAPI document."""
    registry = Registry().with_resource("urn:ovi-openapi", DRAFT202012.create_resource(document))
    schema = {"$ref": f"urn:ovi-openapi#/components/schemas/{schema_name}"}
    Draft202012Validator(schema, registry=registry).validate(instance)


def test_openapi_document_has_a_valid_structure(openapi):
    assert openapi["openapi"].startswith("3.1.")
    assert openapi["info"]["title"] and openapi["info"]["version"]
    assert set(openapi["paths"]) == {"/api/v1/search", "/api/v1/suggest", "/api/v1/doors"}
    operation_ids = []
    for path, item in openapi["paths"].items():
        assert set(item) == {"get"}, path
        operation = item["get"]
        operation_ids.append(operation["operationId"])
        assert operation["responses"]["200"]["content"]["application/json"]["schema"]
        for status, response in operation["responses"].items():
            assert re.fullmatch(r"[1-5][0-9][0-9]", status) and response["description"]
        names = [parameter["name"] for parameter in operation["parameters"]]
        assert len(names) == len(set(names)), f"duplicate parameters in {path}"
        for parameter in operation["parameters"]:
            assert parameter["in"] == "query" and parameter["description"] and parameter["schema"]
            Draft202012Validator.check_schema(parameter["schema"])
            # Each documented example must satisfy its own schema.
            Draft202012Validator(parameter["schema"]).validate(parameter["example"])
    assert len(operation_ids) == len(set(operation_ids))
    for _name, schema in openapi["components"]["schemas"].items():
        Draft202012Validator.check_schema(schema)
    # Every $ref points at a component that exists.
    refs = re.findall(r'"\$ref": "#/components/schemas/([^"]+)"', json.dumps(openapi))
    assert refs and set(refs) <= set(openapi["components"]["schemas"])


def documented(openapi, path):
    return {p["name"]: p for p in openapi["paths"][path]["get"]["parameters"]}


def test_documented_search_parameters_are_exactly_the_accepted_ones(client, openapi, indexed):
    parameters = documented(openapi, SEARCH)
    assert set(parameters) == set(search_params.SEARCH_PARAMETERS)
    for name, parameter in parameters.items():
        example = parameter["example"]
        body = get(client, SEARCH, {name: example})
        validate(openapi, "SearchResponse", body)
    # And one that is not documented is refused.
    assert "fuzzy" in get(client, SEARCH, {"fuzzy": "1"}, status=400)["errors"]


def test_documented_suggest_parameters_are_exactly_the_accepted_ones(client, openapi, indexed):
    parameters = documented(openapi, SUGGEST)
    assert set(parameters) == set(search_params.SUGGEST_PARAMETERS)
    for name, parameter in parameters.items():
        validate(openapi, "Suggestions", get(client, SUGGEST, {name: parameter["example"]}))
    assert "limit" in get(client, SUGGEST, {"q": "perhe", "limit": "3"}, status=400)["errors"]


def test_real_answers_validate_against_the_documented_schemas(client, openapi, indexed, professional):
    validate(openapi, "SearchResponse", get(client, SEARCH, {"q": "perhekeskus", "postal_code": "83100"}))
    nearby = {"q": "neuvola", "type": "service", "sort": "distance", "near": "62.6,29.76", "open_now": "1"}
    validate(openapi, "SearchResponse", get(client, SEARCH, nearby))
    validate(openapi, "Suggestions", get(client, SUGGEST, {"q": "liperin"}))
    validate(openapi, "Errors", get(client, SEARCH, {"page": "0", "lang": "de"}, status=400))
    validate(openapi, "Errors", get(client, SUGGEST, {"lang": "de"}, status=400))
    client.force_login(professional)
    validate(openapi, "SearchResponse", get(client, SEARCH, {"q": "konsultaatio"}))


# --- the contract ------------------------------------------------------------


def test_answer_is_exactly_the_contract(client, indexed):
    body = get(client, SEARCH, {"q": "perhekeskus"})

    assert set(body) == CONTRACT_KEYS
    assert body["engine"] == indexed.engine_name
    assert body["page"] == 1 and body["page_size"] == 20
    assert body["results"], body
    for result in body["results"]:
        assert set(result) == RESULT_KEYS
        assert result["distance_m"] is None  # no place given
    assert "service:perhekeskus-liperi" in keys(body)
    for _name, buckets in body["facets"].items():
        for bucket in buckets:
            assert set(bucket) == {"value", "label", "count"} and bucket["count"] > 0


def test_snippets_mark_matching_words_and_contain_no_other_markup(client, indexed):
    body = get(client, SEARCH, {"q": "perhekeskus"})
    snippet = next(r["snippet"] for r in body["results"] if r["uid"] == "perhekeskus-liperi")

    assert "<mark>" in snippet
    assert not re.findall(r"<(?!/?mark>)", snippet)


def test_language_gives_titles_and_urls_in_that_language(client, indexed):
    body = get(client, SEARCH, {"q": "Liperi", "lang": "sv", "type": "service"})
    result = next(r for r in body["results"] if r["uid"] == "perhekeskus-liperi")

    assert result["title"] == "Familjecentralen i Liperi"
    assert result["url"] == "/sv/service/perhekeskus-liperi/"


def test_paging(client, indexed):
    first = get(client, SEARCH, {"q": "palveluohjaus", "page_size": 4})
    second = get(client, SEARCH, {"q": "palveluohjaus", "page_size": 4, "page": 2})
    beyond = get(client, SEARCH, {"q": "palveluohjaus", "page_size": 4, "page": 50})

    assert first["count"] == second["count"] == beyond["count"] >= 10
    assert len(first["results"]) == len(second["results"]) == 4
    assert not set(keys(first)) & set(keys(second))
    assert second["page"] == 2 and beyond["results"] == []


# --- filters, facets and tabs ------------------------------------------------------------


def expected_counts(facet, documents):
    return Counter(value for document in documents for value in document.facets.get(facet, []))


def public_documents():
    return [document for document in CORPUS if document.visibility == "public"]


def test_browsing_everything_counts_every_public_document_per_type_tab(client, indexed):
    body = everything(client)
    tabs = {bucket["value"]: bucket["count"] for bucket in body["facets"]["type"]}

    assert body["count"] == len(public_keys())
    assert tabs == dict(expected_counts("type", public_documents()))
    assert sum(tabs.values()) == body["count"]


def test_type_filter_is_repeatable_and_tab_counts_ignore_it(client, indexed):
    body = everything(client, type=["team", "location"])
    tabs = {bucket["value"]: bucket["count"] for bucket in body["facets"]["type"]}

    assert {key.split(":")[0] for key in keys(body)} == {"team", "location"}
    assert body["count"] == tabs["team"] + tabs["location"] == 3
    # The other tabs still say what they would show.
    assert tabs["service"] == expected_counts("type", public_documents())["service"]


def test_facet_filters_and_their_counts(client, indexed):
    body = everything(client, sector="school")

    assert set(keys(body)) == {"service:kuraattori-kuopio", "team:oppilashuolto-liperi"}
    sectors = {bucket["value"]: bucket["count"] for bucket in body["facets"]["sector"]}
    # Disjunctive: the sector facet is counted without its own filter.
    assert sectors == dict(expected_counts("sector", public_documents()))
    municipalities = {bucket["value"]: bucket for bucket in body["facets"]["municipality"]}
    assert {value: b["count"] for value, b in municipalities.items()} == {"297": 1, "426": 1}
    assert municipalities["426"]["label"] == "Liperi"


def test_values_of_one_facet_are_alternatives_and_facets_combine(client, indexed):
    either = everything(client, municipality=["426", "167"], type="team")
    both = everything(client, municipality="426", sector="school")

    assert set(keys(either)) == {"team:aluetiimi-liperi", "team:oppilashuolto-liperi"}
    assert keys(both) == ["team:oppilashuolto-liperi"]


def test_serves_my_area_by_postal_code_or_municipality(client, indexed):
    by_postal_code = everything(client, postal_code="83100")  # Liperi
    by_name = everything(client, serves_municipality="liperi")
    by_code = everything(client, serves_municipality="426")

    found = set(keys(by_postal_code))
    assert found == set(keys(by_name)) == set(keys(by_code))
    assert {
        "service:perhekeskus-liperi",
        "service:kriisipuhelin",
        "operating_model:tyoparimalli",
        "pathway:huoli-lapsesta",
    } <= found
    assert "service:mielenterveys-kuopio" not in found
    assert "service:neuvola-joensuu" not in found


def test_distance_from_a_postal_code_and_sorting_by_it(client, indexed):
    body = everything(client, postal_code="83100", sort="distance", type="service")
    distances = [r["distance_m"] for r in body["results"]]

    assert body["results"][0]["uid"] in {"perhekeskus-liperi", "neuvola-liperi"}
    assert distances[0] < 2000  # measured from the centre of Liperi
    known = [d for d in distances if d is not None]
    assert known == sorted(known) and distances[: len(known)] == known


def test_near_coordinates(client, indexed):
    kuopio = everything(client, near="62.892,27.678", sort="distance", type="service")
    relevance = everything(client, near="62.892,27.678", q="mielenterveys")

    assert kuopio["results"][0]["distance_m"] < 100
    assert kuopio["results"][0]["uid"] in {"mielenterveys-kuopio", "paihdetyo-kuopio", "kuraattori-kuopio"}
    assert all(r["distance_m"] is not None for r in relevance["results"])


def test_open_now_never_includes_places_without_hours(client, indexed):
    body = everything(client, open_now="1")

    assert "service:kriisipuhelin" in keys(body)  # always open
    assert "operating_model:tyoparimalli" not in keys(body)
    assert "service:kuraattori-kuopio" not in keys(body)
    assert everything(client, open_now="0")["count"] == len(public_keys())


def test_did_you_mean(client, indexed):
    body = get(client, SEARCH, {"q": "perhekeskuz"})

    assert body["did_you_mean"] == "perhekeskus"


def test_words_in_another_language_are_found_without_lang(client, indexed):
    # Swedish or English typed without `lang` (a Finnish link, a client that sends none).
    for text, matched in (("skolpsykolog", "sv"), ("familjerådgivning", "sv"), ("family counselling", "en")):
        first = get(client, SEARCH, {"q": text})["results"][0]
        assert (first["url"].startswith("/service/"), first["matched_lang"]) == (True, matched), text
    # `lang` is a preference: a Finnish word on the Swedish side still finds the Finnish text.
    swedish = get(client, SEARCH, {"q": "perhekeskukseen", "lang": "sv"})["results"]
    found = next(result for result in swedish if result["uid"] == "perhekeskus-liperi")
    assert (found["title"], found["matched_lang"]) == ("Familjecentralen i Liperi", "fi")
    suggestions = get(client, SUGGEST, {"q": "skolpsyk"})
    assert [(s["title"], s["lang"], s["matched_lang"]) for s in suggestions] == [
        ("Koulupsykologi", "fi", "sv")
    ]


# --- validation --------------------------------------------------------------------------

BAD_REQUESTS = [
    ({"lang": "de"}, "lang"),
    ({"page": "0"}, "page"),
    ({"page": "two"}, "page"),
    ({"page": "-1"}, "page"),
    ({"page_size": "101"}, "page_size"),
    ({"page_size": "0"}, "page_size"),
    ({"page_size": "1e3"}, "page_size"),
    ({"page": "600", "page_size": "20"}, "page"),
    ({"near": "62.6"}, "near"),
    ({"near": "95,29"}, "near"),
    ({"near": "62,190"}, "near"),
    ({"near": "nan,1"}, "near"),
    ({"near": "1e1,2"}, "near"),
    ({"sort": "nearest"}, "sort"),
    ({"sort": "distance"}, "sort"),
    ({"open_now": "maybe"}, "open_now"),
    ({"type": "person"}, "type"),
    ({"sector": "<script>"}, "sector"),
    ({"municipality": "x" * 101}, "municipality"),
    ({"topic": [f"t{n}" for n in range(51)]}, "topic"),
    ({"postal_code": "831"}, "postal_code"),
    ({"postal_code": "00000"}, "postal_code"),
    ({"serves_municipality": "Atlantis"}, "serves_municipality"),
    ({"q": "x" * 201}, "q"),
    ({"q": ["a", "b"]}, "q"),
    ({"colour": "red"}, "colour"),
]


@pytest.mark.parametrize("params, parameter", BAD_REQUESTS, ids=[str(p) for p, _ in BAD_REQUESTS])
def test_bad_parameters_are_explained_with_a_400(client, db, params, parameter):
    body = get(client, SEARCH, params, status=400)

    # Ovi's one error shape, with the first version's `errors` kept beside it.
    assert set(body) == {"error", "errors"}
    assert body["error"]["code"] == "invalid_parameters" and body["error"]["message"]
    assert body["error"]["fields"] == body["errors"]
    assert parameter in body["errors"]
    assert all(isinstance(m, str) and m for m in body["errors"][parameter])


def test_every_error_is_reported_at_once(client, db):
    body = get(client, SEARCH, {"lang": "de", "page": "x", "near": "a,b", "colour": "red"}, status=400)

    assert set(body["errors"]) == {"lang", "page", "near", "colour"}


def test_odd_input_is_never_a_server_error(client, indexed):
    for q in [
        '"',
        "'",
        "*",
        "AND OR NOT",
        "perhe*",
        "(",
        'title:"x"',
        "\x00",
        "💥",
        "-",
        "NEAR(a b)",
        "a" * 200,
    ]:
        body = get(client, SEARCH, {"q": q})
        assert set(body) == CONTRACT_KEYS
    assert get(client, SUGGEST, {"q": '"*('}) == []


def test_only_get_and_head_are_allowed(client, db):
    assert client.post(SEARCH, {"q": "x"}).status_code == 405
    assert client.post(SUGGEST, {"q": "x"}).status_code == 405
    assert client.head(SEARCH, {"q": "x"}).status_code == 200


def test_answers_vary_by_who_asks(client, db):
    assert "Cookie" in client.get(SEARCH, {"q": "x"})["Vary"]
    assert "Cookie" in client.get(SUGGEST, {"q": "xy"})["Vary"]


# --- who sees what -------------------------------------------------------------------------


def test_anonymous_callers_never_see_professional_documents_or_text(client, indexed):
    everything_public = everything(client)
    consultation = get(client, SEARCH, {"q": "erityiskonsultaatio"})
    backdoor = get(client, SEARCH, {"q": "takaovinumero"})

    assert "service:konsultaatio" not in keys(everything_public)
    assert consultation["count"] == 0 and backdoor["count"] == 0
    assert "takaovinumero" not in str(everything_public)
    counted = {b["value"]: b["count"] for b in everything_public["facets"]["type"]}
    assert counted["service"] == expected_counts("type", public_documents())["service"]
    assert all(s["uid"] != "konsultaatio" for s in get(client, SUGGEST, {"q": "erityis"}))


def test_signed_in_users_who_are_not_professionals_see_public_data_only(client, indexed, db):
    client.force_login(UserFactory(username="asukas"))

    assert get(client, SEARCH, {"q": "erityiskonsultaatio"})["count"] == 0


def test_professionals_see_professional_documents_and_text(client, indexed, professional):
    client.force_login(professional)
    consultation = get(client, SEARCH, {"q": "erityiskonsultaatio"})
    response = client.get(SEARCH, {"q": "takaovinumero"})
    backdoor = response.json()

    assert keys(consultation) == ["service:konsultaatio"]
    assert keys(backdoor) == ["service:paihdetyo-kuopio"]
    assert "<mark>takaovinumero</mark>" in backdoor["results"][0]["snippet"]
    assert "private" in response["Cache-Control"]
    assert any(s["uid"] == "konsultaatio" for s in get(client, SUGGEST, {"q": "erityis"}))


# --- suggest ---------------------------------------------------------------------------------


def test_suggest_lists_titles_for_a_prefix(client, indexed):
    suggestions = get(client, SUGGEST, {"q": "liperin perhe"})

    assert suggestions[0] == {
        "title": "Liperin perhekeskus",
        "type": "service",
        "uid": "perhekeskus-liperi",
        "url": "/service/perhekeskus-liperi/",
        "lang": "fi",
        "matched_lang": "fi",
    }
    swedish = get(client, SUGGEST, {"q": "familjec", "lang": "sv"})
    assert swedish and swedish[0]["title"] == "Familjecentralen i Liperi"
    assert swedish[0]["lang"] == "sv"
    # No Swedish title: the Finnish one, which says it is Finnish (the page marks it).
    fallback = get(client, SUGGEST, {"q": "aikuisten mielen", "lang": "sv"})
    assert [(s["title"], s["lang"]) for s in fallback] == [("Aikuisten mielenterveyspalvelut", "fi")]
    assert get(client, SUGGEST, {"q": "l"}) == [] and get(client, SUGGEST) == []


@pytest.mark.parametrize(
    "params, parameter",
    [
        ({"lang": "ru"}, "lang"),
        ({"q": "x" * 101}, "q"),
        ({"q": ["a", "b"]}, "q"),
        ({"type": "service"}, "type"),
    ],
)
def test_suggest_validates_like_search(client, db, params, parameter):
    assert parameter in get(client, SUGGEST, params, status=400)["errors"]


def test_a_document_added_later_is_found(client, indexed):
    service.index_documents(
        [
            SearchDocument(
                type="page",
                uid="saavutettavuus",
                title={"fi": "Saavutettavuusseloste"},
                url={"fi": "/saavutettavuus/"},
                text={"fi": "Sivuston saavutettavuus."},
            )
        ]
    )

    assert "page:saavutettavuus" in keys(get(client, SEARCH, {"q": "saavutettavuusseloste"}))
