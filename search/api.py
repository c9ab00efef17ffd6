"""GET /api/v1/search, /api/v1/suggest and /api/v1/openapi.json.

Bad input is a 400 in Ovi's one error shape (search.json_api):
{"error": {"code": "invalid_parameters", "message", "fields": {parameter: [message]}}},
with the same `fields` repeated as the top-level `errors` these two APIs answered
before (messages in English); nothing reaches the engines unchecked. See
docs/search-api.md.
"""

from django.utils import translation
from django.utils.cache import patch_cache_control
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_safe

from . import service
from .json_api import invalid_parameters, json_response
from .openapi import openapi_document
from .params import (
    keep_place_words,
    place_resolver,
    read_search_params,
    read_suggest_params,
    user_is_professional,
)


@csrf_exempt  # read-only: other methods get a 405, not a CSRF 403
@require_safe
def search_api(request):
    professional = user_is_professional(request.user)
    with translation.override("en"):
        params = read_search_params(request.GET, professional=professional, strict=True)
        errors = _messages(params.errors)
    if errors:
        return _errors_response(errors)
    results = keep_place_words(service.search(params.query), params.place)
    place = place_of_search(params.place, results, params.query.language)
    return _json({**results.as_dict(), "place": place}, professional)


def place_of_search(place, results, language):
    """The response's `place` (docs/search-api.md): which place the results serve
    (named in the answer's language), where it came from, and how many results are local."""
    if place is None:
        return None
    with translation.override(language):
        named = place_resolver()(municipality=place["municipality"])
    return {
        "name": str((named or place)["name"]),
        "municipality": place["municipality"],
        "county": place.get("county") or None,
        "source": place.get("source", "parameter"),
        "words": place.get("words") or None,
        "local_results": results.local_count,
    }


@csrf_exempt  # read-only: other methods get a 405, not a CSRF 403
@require_safe
def suggest_api(request):
    professional = user_is_professional(request.user)
    with translation.override("en"):
        text, language, errors = read_suggest_params(request.GET, strict=True)
        errors = _messages(errors)
    if errors:
        return _errors_response(errors)
    return _json(service.suggest(text, language=language, professional=professional), professional)


@csrf_exempt  # read-only: other methods get a 405, not a CSRF 403
@require_safe
def openapi_api(request):
    return json_response(openapi_document())


def _messages(errors):
    return {name: [str(message) for message in messages] for name, messages in errors.items()}


def _errors_response(errors):
    return invalid_parameters(errors, errors=errors)


def _json(body, professional):
    response = json_response(body)
    if professional:
        # Answers with professional-only documents must never sit in a shared cache.
        patch_cache_control(response, private=True)
    return response
