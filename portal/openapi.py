"""The doors endpoint (GET /api/v1/doors, portal.views) in Ovi's one OpenAPI document.

`search.openapi` writes the document and imports no app, so the portal describes its own
endpoint and registers the description (search.contracts.API_DESCRIPTIONS, in
PortalConfig.ready); the directory's `Service` is described here, where it is answered.
"""

from portal.pathways import MOMENT
from search import openapi

# GET /api/v1/doors?at=: the moments portal.pathways reads, as a JSON Schema pattern.
AT_PATTERN = "^" + MOMENT.pattern.replace("\\d", "[0-9]") + "$"

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
    openapi.lang_parameter("Language of the answer."),
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


class DoorsApi:
    """The doors endpoint's part of the OpenAPI document (search.contracts.ApiDescription)."""

    name = "portal.doors"
    summary = "the one-door answer for a life situation and a place"

    def paths(self):
        return {
            "/api/v1/doors": {
                "get": {
                    "operationId": "doors",
                    "summary": "The resident's doors for a life situation and a place, and what happens next",
                    "parameters": DOORS_PARAMETERS,
                    "responses": {
                        "200": {
                            "description": "The doors",
                            "content": openapi.json_content(openapi.ref("DoorsResponse")),
                        },
                        "400": {
                            "description": "Unknown language or situation, no place given, or a bad `at`",
                            "content": openapi.json_content(openapi.ref("DoorsError")),
                        },
                        "404": {
                            "description": "Unknown postal code or municipality",
                            "content": openapi.json_content(openapi.ref("DoorsError")),
                        },
                    },
                }
            },
        }

    def schemas(self):
        return {
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
                            "postal_code": openapi.nullable({"type": "string"}),
                            "municipality": CODE_AND_NAME,
                            "county": openapi.nullable(CODE_AND_NAME),
                        },
                    },
                    "scope": {
                        "type": "string",
                        "enum": ["local", "county", "national", "none"],
                        "description": "How near the doors are: in the municipality, in the county, nationwide, "
                        "or none found.",
                    },
                    "doors": {"type": "array", "items": openapi.ref("Service")},
                    "next_steps": {
                        "type": "object",
                        "required": ["operating_model", "steps"],
                        "properties": {
                            "operating_model": openapi.nullable(
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
                                        "language": openapi.nullable({"type": "string"}),
                                    },
                                },
                            },
                        },
                    },
                    "pathway_url": openapi.nullable({"type": "string"}),
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
                    "url": openapi.nullable({"type": "string"}),
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
                            "url": openapi.nullable({"type": "string"}),
                        },
                    },
                    "open_now": openapi.nullable({"type": "boolean"}),
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
