"""The one shape of Ovi's JSON answers and errors, for every API (/api/v1/search,
/api/v1/suggest, /api/v1/doors, /api/hsds/).

An error is

    {"error": {"code": "invalid_parameters", "message": "…", "fields": {parameter: [message]}}}

`code` is a stable machine-readable word, `message` English for a developer, and
`fields` (bad parameters only) every problem at once, by parameter. The search and
suggest APIs also repeat `fields` as the top-level `errors` they answered before
this shape was shared (docs/search-api.md), so no client breaks.

It lives in `search` for the reason search.contracts does: `search` imports no app,
and every app may import it (docs/decisions.md, "One JSON error shape").
"""

from django.http import JsonResponse


def json_response(body, status=200):
    """JSON in UTF-8 as it is (ensure_ascii off: Finnish and Swedish stay readable);
    `safe=False` lets a list be the body (suggest)."""
    return JsonResponse(body, status=status, safe=False, json_dumps_params={"ensure_ascii": False})


def json_error(code, message, status, fields=None, **extra):
    """An error answer in the shared shape; `extra` adds top-level keys (kept for
    the clients of an older shape)."""
    error = {"code": code, "message": message}
    if fields is not None:
        error["fields"] = fields
    return json_response({"error": error, **extra}, status=status)


def invalid_parameters(fields, **extra):
    """A 400 for bad parameters: {parameter: [message]}, every problem at once."""
    names = ", ".join(sorted(fields))
    return json_error("invalid_parameters", f"Bad parameters: {names}.", 400, fields=fields, **extra)
