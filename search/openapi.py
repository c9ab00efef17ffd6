"""The OpenAPI 3.1 description of the public JSON API (GET /api/v1/openapi.json).

Written out by hand so every parameter has a description a client can use;
tests/search/test_api.py checks that the documented parameters are exactly
the ones the views accept and that real answers validate against the schemas.

Nothing of the apps is written here. The result types and the facet parameters are
those the registered document sources declare (search.contracts.DocumentType and
Facet); other apps' endpoints under /api/v1/ (the portal's doors) are described by the
apps and registered in search.contracts.API_DESCRIPTIONS, so the API has one document.
It is built when asked, not at import, because the apps register in AppConfig.ready.
"""

from . import contracts, documents
from .params import (
    DEFAULT_PAGE_SIZE,
    FACET_VALUE_PATTERN,
    LANGUAGES,
    MAX_FILTER_VALUES,
    MAX_PAGE,
    MAX_PLACE_LENGTH,
    MAX_QUERY_LENGTH,
    MAX_SUGGEST_LENGTH,
    NEAR_PATTERN,
    all_result_types,
    professional_result_types,
)
from .query import MAX_PAGE_SIZE

API_VERSION = "1.0.0"


def _ref(name):
    return {"$ref": f"#/components/schemas/{name}"}


def _nullable(schema):
    return {"anyOf": [schema, {"type": "null"}]}


def _json_content(schema):
    return {"application/json": {"schema": schema}}


def _lang_parameter(description):
    return {
        "name": "lang",
        "in": "query",
        "description": description,
        "schema": {"type": "string", "enum": list(LANGUAGES), "default": "fi"},
        "example": "fi",
    }


def _facet_parameter(name, description, example, items=None):
    return {
        "name": name,
        "in": "query",
        "description": description + " Repeat the parameter for alternatives (any of them matches); "
        "different facets must all match.",
        "style": "form",
        "explode": True,
        "schema": {
            "type": "array",
            "maxItems": MAX_FILTER_VALUES,
            "items": items or {"type": "string", "pattern": FACET_VALUE_PATTERN},
        },
        "example": example,
    }


def _type_parameter():
    professional = ", ".join(f"`{name}`" for name in professional_result_types())
    description = "Result types (the search page's tabs)."
    if professional:
        description += f" {professional} documents are for professionals only."
    return _facet_parameter("type", description, ["service"], _result_type())


def _result_type():
    return {"type": "string", "enum": list(all_result_types())}


def _facet_parameters():
    """`type`, then each declared facet's parameter, by position."""
    return [
        _type_parameter()
        if facet.name == "type"
        else _facet_parameter(facet.name, facet.description, list(facet.example))
        for facet in documents.facets()
    ]


def search_parameters():
    return [
        {
            "name": "q",
            "in": "query",
            "description": "What to search for, in any form: Finnish inflections and compounds are understood "
            "(perhekeskukseen finds perhekeskus). Empty lists everything the filters allow.",
            "schema": {"type": "string", "maxLength": MAX_QUERY_LENGTH},
            "example": "perhekeskus",
        },
        _lang_parameter(
            "Preferred language: of titles, URLs and facet labels in the answer, and the language whose "
            "matches rank first. Not a filter: the query is matched in every language (see `matched_lang`)."
        ),
        *_facet_parameters(),
        *PLACE_AND_PAGING_PARAMETERS,
    ]


PLACE_AND_PAGING_PARAMETERS = [
    {
        "name": "postal_code",
        "in": "query",
        "description": "Serves my area: only results that serve the postal code's municipality or wellbeing "
        "services county, or the whole country (results not tied to a place, such as operating models, "
        "stay in). Without `near`, distances are measured from the centre of the municipality (approximate). "
        "Wins over `serves_municipality` when both are given. Unknown postal codes are a 400.",
        "schema": {"type": "string", "pattern": "^[0-9]{5}$"},
        "example": "83100",
    },
    {
        "name": "serves_municipality",
        "in": "query",
        "description": "Serves my area by municipality: official code or Finnish or Swedish name. "
        "Otherwise as `postal_code`.",
        "schema": {"type": "string", "maxLength": MAX_PLACE_LENGTH},
        "example": "Liperi",
    },
    {
        "name": "place",
        "in": "query",
        "description": "`off`: do not read a place out of the words of `q` (without it, a municipality or "
        "postal code named in `q` becomes the place the results serve; see `place` in the response).",
        "schema": {"type": "string", "enum": ["off"]},
        "example": "off",
    },
    {
        "name": "near",
        "in": "query",
        "description": "latitude,longitude (WGS84 decimal degrees): distances (`distance_m`) are measured "
        "from here.",
        "schema": {"type": "string", "pattern": NEAR_PATTERN},
        "example": "62.60,29.76",
    },
    {
        "name": "sort",
        "in": "query",
        "description": "`distance` (nearest first) needs `near`, `postal_code` or `serves_municipality`.",
        "schema": {"type": "string", "enum": ["relevance", "distance"], "default": "relevance"},
        "example": "relevance",
    },
    {
        "name": "open_now",
        "in": "query",
        "description": "1: only results open now (Europe/Helsinki time); results without opening hours "
        "are left out.",
        "schema": {"type": "string", "enum": ["1", "0", "true", "false"], "default": "0"},
        "example": "1",
    },
    {
        "name": "page",
        "in": "query",
        "description": f"Page number, from 1 to {MAX_PAGE} (at most {MAX_PAGE} × page_size results can be "
        "paged through; narrow the search to see others).",
        "schema": {"type": "integer", "minimum": 1, "maximum": MAX_PAGE, "default": 1},
        "example": 1,
    },
    {
        "name": "page_size",
        "in": "query",
        "description": "Results per page.",
        "schema": {"type": "integer", "minimum": 1, "maximum": MAX_PAGE_SIZE, "default": DEFAULT_PAGE_SIZE},
        "example": DEFAULT_PAGE_SIZE,
    },
]

SUGGEST_PARAMETERS = [
    {
        "name": "q",
        "in": "query",
        "description": "What the user has typed so far; the last word may be partial. Fewer than two "
        "characters give an empty list.",
        "schema": {"type": "string", "maxLength": MAX_SUGGEST_LENGTH},
        "example": "perhek",
    },
    _lang_parameter(
        "Language of the titles and URLs; titles in it are suggested first, then titles in the other languages."
    ),
]

# The schemas without the result types (schemas() adds them).
SCHEMAS = {
    "SearchResponse": {
        "type": "object",
        "required": ["count", "page", "page_size", "engine", "results", "facets", "did_you_mean", "place"],
        "additionalProperties": False,
        "properties": {
            "count": {"type": "integer", "minimum": 0, "description": "Results in all pages."},
            "page": {"type": "integer", "minimum": 1},
            "page_size": {"type": "integer", "minimum": 1, "maximum": MAX_PAGE_SIZE},
            "engine": {
                "type": "string",
                "enum": ["database", "elasticsearch"],
                "description": "The engine that answered (the database when Elasticsearch is unavailable).",
            },
            "results": {"type": "array", "items": _ref("SearchResult")},
            "facets": {
                "type": "object",
                "description": "Counts per facet value. Each facet is counted with the other facets' "
                "filters but not its own, so the counts say what choosing a value would give.",
                "propertyNames": {"pattern": "^[a-z][a-z0-9_]*$"},
                "additionalProperties": {"type": "array", "items": _ref("FacetValue")},
            },
            "did_you_mean": {
                **_nullable({"type": "string"}),
                "description": "A corrected query when this one found little or had a typo.",
            },
            "place": {
                **_nullable(_ref("SearchPlace")),
                "description": 'The place the search serves ("serves my area"): given as `postal_code` or '
                "`serves_municipality`, or named in `q`. Null when there is none.",
            },
        },
    },
    "SearchPlace": {
        "type": "object",
        "required": ["name", "municipality", "county", "source", "words", "local_results"],
        "additionalProperties": False,
        "properties": {
            "name": {"type": "string", "description": "The municipality's name in the requested language."},
            "municipality": {"type": "string", "description": "Official municipality code."},
            "county": {**_nullable({"type": "string"}), "description": "Wellbeing services county code."},
            "source": {
                "type": "string",
                "enum": ["parameter", "query"],
                "description": "`query`: read from the words of `q` (a municipality's name in any inflected "
                "form, in Finnish or Swedish, a demonym such as kuopiolaisille, or a postal code); those words "
                "were not matched as text. `place=off` turns this off. `parameter`: `postal_code` or "
                "`serves_municipality`, which win over words in `q`.",
            },
            "words": {
                **_nullable({"type": "string"}),
                "description": "The words of `q` that named the place, as typed (null for `parameter`).",
            },
            "local_results": {
                **_nullable({"type": "integer", "minimum": 0}),
                "description": "How many results are in or serve the municipality itself. Results are ordered "
                "local, then the county's, then nationwide ones (relevance within each). 0: nothing local; the "
                "results are what serves the place from further away. Null when sorted by distance or filtered "
                "by `municipality` or `county`.",
            },
        },
    },
    "SearchResult": {
        "type": "object",
        "required": ["type", "uid", "title", "url", "snippet", "score", "distance_m", "matched_lang"],
        "additionalProperties": False,
        "properties": {
            "type": {"type": "string"},  # schemas() adds the declared types as an enum
            "uid": {"type": "string"},
            "title": {"type": "string"},
            "url": {"type": "string", "description": "Path of the result's page in the requested language."},
            "snippet": {
                "type": "string",
                "description": "HTML: text escaped, matching words in <mark> (no other markup).",
            },
            "score": {"type": "number"},
            "distance_m": {
                **_nullable({"type": "integer", "minimum": 0}),
                "description": "Metres to the nearest location, when a place was given and the result "
                "has one.",
            },
            "matched_lang": {
                **_nullable({"type": "string", "enum": list(LANGUAGES)}),
                "description": "The language of the text the query matched (the title and URL are in "
                "`lang` all the same): another language than `lang` when the words were found in a "
                "translation, or in the Finnish text of a document not translated into `lang`. Null when "
                "no text was matched (no words, or a title similar to the words).",
            },
        },
    },
    "FacetValue": {
        "type": "object",
        "required": ["value", "label", "count"],
        "additionalProperties": False,
        "properties": {
            "value": {"type": "string", "description": "Give this as the facet's parameter."},
            "label": {"type": "string"},
            "count": {"type": "integer", "minimum": 1},
        },
    },
    "Suggestions": {"type": "array", "items": _ref("Suggestion")},
    "Suggestion": {
        "type": "object",
        "required": ["title", "type", "uid", "url", "lang", "matched_lang"],
        "additionalProperties": False,
        "properties": {
            "title": {"type": "string"},
            "type": {"type": "string"},  # schemas() adds the declared types as an enum
            "uid": {"type": "string"},
            "url": {"type": "string"},
            "lang": {
                "type": "string",
                "enum": list(LANGUAGES),
                "description": "The language the title is in: `lang` when the document has a title in it, "
                "else the language it falls back to (Finnish first).",
            },
            "matched_lang": {
                "type": "string",
                "enum": list(LANGUAGES),
                "description": "The language of the title that starts like `q` (it may differ from the "
                "title given, which is in `lang`).",
            },
        },
    },
    "Errors": {
        "type": "object",
        "description": "Bad parameters of search or suggest: Ovi's error shape, with `fields` repeated as "
        "`errors` for the clients of the first version.",
        "required": ["error", "errors"],
        "additionalProperties": False,
        "properties": {
            "error": {
                "type": "object",
                "required": ["code", "message", "fields"],
                "properties": {
                    "code": {"type": "string", "enum": ["invalid_parameters"]},
                    "message": {"type": "string"},
                    "fields": _ref("FieldMessages"),
                },
            },
            "errors": _ref("FieldMessages"),
        },
    },
    "FieldMessages": {
        "type": "object",
        "description": "Messages (English) by parameter name.",
        "additionalProperties": {"type": "array", "items": {"type": "string"}, "minItems": 1},
    },
}

BAD_REQUEST = {"description": "Bad parameters", "content": _json_content(_ref("Errors"))}


def schemas():
    """SCHEMAS with the declared result types as the enum of the results' and suggestions' `type`."""
    result = dict(SCHEMAS)
    for name in ("SearchResult", "Suggestion"):
        schema = SCHEMAS[name]
        result[name] = {**schema, "properties": {**schema["properties"], "type": _result_type()}}
    return result


def _described_types():
    names = [t.described_as for t in documents.document_types() if not t.professional_only]
    return ", ".join(names[:-1]) + " and " + names[-1] if len(names) > 1 else "".join(names)


def _description():
    parts = [f"Search across {_described_types()}"]
    parts += [f"and {api.summary}" for api in contracts.members(contracts.API_DESCRIPTIONS)]
    return (
        ", ".join(parts) + ". Anonymous callers get public data only; signed-in professionals "
        "(session cookie) also get professional-only documents and text."
    )


# For the apps' descriptions of their endpoints (search.contracts.ApiDescription).
ref, nullable, json_content, lang_parameter = _ref, _nullable, _json_content, _lang_parameter


def openapi_document():
    others = contracts.members(contracts.API_DESCRIPTIONS)
    return {
        "openapi": "3.1.0",
        "jsonSchemaDialect": "https://spec.openapis.org/oas/3.1/dialect/base",
        "info": {
            "title": "Ovi API",
            "version": API_VERSION,
            "description": _description(),
        },
        "servers": [{"url": "/"}],
        "paths": {
            "/api/v1/search": {
                "get": {
                    "operationId": "search",
                    "summary": "Search everything",
                    "description": "Unknown parameters, repeated single parameters and bad values are a 400, and so are "
                    "empty values and spaces around values (except in `q` and `serves_municipality`): leave "
                    "a parameter out instead.",
                    "parameters": search_parameters(),
                    "responses": {
                        "200": {"description": "Results", "content": _json_content(_ref("SearchResponse"))},
                        "400": BAD_REQUEST,
                    },
                }
            },
            "/api/v1/suggest": {
                "get": {
                    "operationId": "suggest",
                    "summary": "Autocomplete: documents whose titles start like the query",
                    "parameters": SUGGEST_PARAMETERS,
                    "responses": {
                        "200": {
                            "description": "At most 8 suggestions",
                            "content": _json_content(_ref("Suggestions")),
                        },
                        "400": BAD_REQUEST,
                    },
                }
            },
            **{path: item for api in others for path, item in api.paths().items()},
        },
        "components": {
            "schemas": {**schemas(), **{n: v for api in others for n, v in api.schemas().items()}}
        },
    }
