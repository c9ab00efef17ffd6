"""The OpenAPI 3.1 description of the public JSON API (GET /api/v1/openapi.json).

Written out by hand so every parameter has a description a client can use;
tests/search/test_api.py checks that the documented parameters are exactly
the ones the views accept and that real answers validate against the schemas.
The doors endpoint lives in portal/views.py; it is described here so the API
has one document.
"""

from .params import (
    ALL_RESULT_TYPES,
    DEFAULT_PAGE_SIZE,
    FACET_VALUE_PATTERN,
    LANGUAGES,
    MAX_FILTER_VALUES,
    MAX_PAGE,
    MAX_PLACE_LENGTH,
    MAX_QUERY_LENGTH,
    MAX_SUGGEST_LENGTH,
    NEAR_PATTERN,
)
from .query import MAX_PAGE_SIZE

# GET /api/v1/doors?at= (portal.pathways.MOMENT; search imports no app, so it is repeated here
# and tests/test_api_schemathesis.py checks the two agree).
AT_PATTERN = (
    r"^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}(:[0-9]{2}(\.[0-9]{1,6})?)?(Z|[+-][0-9]{2}:[0-9]{2})?$"
)

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


SEARCH_PARAMETERS = [
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
    _facet_parameter(
        "type",
        "Result types (the search page's tabs). `contact_person` documents are for professionals only.",
        ["service"],
        {"type": "string", "enum": list(ALL_RESULT_TYPES)},
    ),
    _facet_parameter(
        "sector", "Sectors (facet values from the answer's `facets.sector`).", ["social_services"]
    ),
    _facet_parameter(
        "municipality",
        "Municipalities the result is in, by official three-digit code. For the municipalities a "
        "service serves, use `serves_municipality` or `postal_code`.",
        ["167"],
    ),
    _facet_parameter("county", "Wellbeing services counties the result is in, by code.", ["12"]),
    _facet_parameter("target_group", "Target groups.", ["families"]),
    _facet_parameter("topic", "Topics (operating models).", ["child_welfare"]),
    _facet_parameter("development_stage", "Development stages (operating models).", ["established"]),
    _facet_parameter("language", "Languages the content is in (ISO 639 codes).", ["fi"]),
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

DOORS_PARAMETERS = [
    {
        "name": "situation",
        "in": "query",
        "required": True,
        "description": "The life situation's slug (the door finder's choices).",
        "schema": {"type": "string"},
        "example": "huoli-lapsesta-tai-perheesta",
    },
    {
        "name": "postal_code",
        "in": "query",
        "description": "Where the resident lives. Give this or `municipality`; the postal code wins.",
        "schema": {"type": "string", "pattern": "^[0-9]{5}$"},
        "example": "83100",
    },
    {
        "name": "municipality",
        "in": "query",
        "description": "Municipality by official code or Finnish or Swedish name.",
        "schema": {"type": "string", "maxLength": 100},
        "example": "Liperi",
    },
    _lang_parameter("Language of the answer."),
    {
        "name": "at",
        "in": "query",
        "description": "The moment the doors' open status is for (default: now): ISO 8601, a time without "
        "an offset is Helsinki time. A date that does not exist (2026-02-30) is a 400.",
        "schema": {"type": "string", "pattern": AT_PATTERN},
        "example": "2026-12-05T20:00",
    },
]

CODE_AND_NAME = {
    "type": "object",
    "required": ["code", "name"],
    "properties": {"code": {"type": "string"}, "name": {"type": "string"}},
}

SCHEMAS = {
    "SearchResponse": {
        "type": "object",
        "required": ["count", "page", "page_size", "engine", "results", "facets", "did_you_mean"],
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
        },
    },
    "SearchResult": {
        "type": "object",
        "required": ["type", "uid", "title", "url", "snippet", "score", "distance_m", "matched_lang"],
        "additionalProperties": False,
        "properties": {
            "type": {"type": "string", "enum": list(ALL_RESULT_TYPES)},
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
            "type": {"type": "string", "enum": list(ALL_RESULT_TYPES)},
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
    "DoorsResponse": {
        "type": "object",
        "required": ["situation", "place", "scope", "doors", "next_steps", "pathway_url"],
        "properties": {
            "situation": {
                "type": "object",
                "required": ["slug", "name"],
                "properties": {"slug": {"type": "string"}, "name": {"type": "string"}},
            },
            "place": {
                "type": "object",
                "required": ["postal_code", "municipality", "county"],
                "properties": {
                    "postal_code": _nullable({"type": "string"}),
                    "municipality": CODE_AND_NAME,
                    "county": _nullable(CODE_AND_NAME),
                },
            },
            "scope": {
                "type": "string",
                "enum": ["local", "county", "national", "none"],
                "description": "How near the doors are: in the municipality, in the county, nationwide, "
                "or none found.",
            },
            "doors": {"type": "array", "items": _ref("Service")},
            "next_steps": {
                "type": "object",
                "required": ["operating_model", "steps"],
                "properties": {
                    "operating_model": _nullable(
                        {
                            "type": "object",
                            "required": ["uid", "title", "url"],
                            "properties": {
                                "uid": {"type": "string"},
                                "title": {"type": "string"},
                                "url": {"type": "string"},
                            },
                        }
                    ),
                    "steps": {
                        "type": "array",
                        "items": {
                            "type": "object",
                            "required": ["title", "description", "time"],
                            "properties": {
                                "title": {"type": "string"},
                                "description": {"type": "string"},
                                "time": {"type": "string"},
                                "language": _nullable({"type": "string"}),
                            },
                        },
                    },
                },
            },
            "pathway_url": _nullable({"type": "string"}),
        },
    },
    "Service": {
        "type": "object",
        "description": "A service as the directory shows it. `professional` (contact people, direct "
        "numbers, referral and consultation instructions) is present only for professionals.",
        "required": ["type", "uid", "name", "url", "organisation", "locations", "channels"],
        "properties": {
            "type": {"const": "service"},
            "uid": {"type": "string"},
            "name": {"type": "string"},
            "summary": {"type": "string"},
            "url": _nullable({"type": "string"}),
            "is_entry_point": {"type": "boolean"},
            "status": {"type": "string"},
            "description": {"type": "string"},
            "how_to_access": {"type": "string"},
            "organisation": {
                "type": "object",
                "required": ["uid", "name"],
                "properties": {
                    "uid": {"type": "string"},
                    "name": {"type": "string"},
                    "url": _nullable({"type": "string"}),
                },
            },
            "open_now": _nullable({"type": "boolean"}),
            "locations": {"type": "array", "items": {"type": "object"}},
            "channels": {"type": "array", "items": {"type": "object"}},
            "professional": {"type": "object"},
        },
    },
    "DoorsError": {
        "type": "object",
        "required": ["error"],
        "properties": {
            "error": {
                "type": "object",
                "required": ["code", "message"],
                "properties": {
                    "code": {
                        "type": "string",
                        "enum": [
                            "unknown_language",
                            "unknown_situation",
                            "missing_place",
                            "unknown_postal_code",
                            "unknown_municipality",
                            "invalid_at",
                        ],
                    },
                    "message": {"type": "string"},
                },
            }
        },
    },
}

BAD_REQUEST = {"description": "Bad parameters", "content": _json_content(_ref("Errors"))}


def openapi_document():
    return {
        "openapi": "3.1.0",
        "jsonSchemaDialect": "https://spec.openapis.org/oas/3.1/dialect/base",
        "info": {
            "title": "Ovi API",
            "version": API_VERSION,
            "description": "Search across operating models, services, organisations, teams, locations, "
            "pathways and pages, and the one-door answer for a life situation and a place. "
            "Anonymous callers get public data only; signed-in professionals (session cookie) also get "
            "professional-only documents and text.",
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
                    "parameters": SEARCH_PARAMETERS,
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
            "/api/v1/doors": {
                "get": {
                    "operationId": "doors",
                    "summary": "The resident's doors for a life situation and a place, and what happens next",
                    "parameters": DOORS_PARAMETERS,
                    "responses": {
                        "200": {"description": "The doors", "content": _json_content(_ref("DoorsResponse"))},
                        "400": {
                            "description": "Unknown language or situation, no place given, or a bad `at`",
                            "content": _json_content(_ref("DoorsError")),
                        },
                        "404": {
                            "description": "Unknown postal code or municipality",
                            "content": _json_content(_ref("DoorsError")),
                        },
                    },
                }
            },
        },
        "components": {"schemas": SCHEMAS},
    }
