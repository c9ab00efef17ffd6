"""Views of the door finder and the pathway pages, and GET /api/v1/doors."""

import re
from urllib.parse import urlencode

from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.templatetags.static import static
from django.utils import translation
from django.utils.translation import gettext
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET
from wagtail.models import Locale

from directory.geography import POSTAL_CODE_PATTERN
from directory.models import DirectoryIndexPage, LifeSituation
from directory.presenters import network_map_data, represent_service
from directory.serializers import serialize_service, to_json
from directory.visibility import can_see_professional_data
from models_library import privacy
from portal.caching import memoized
from portal.models import PathwayPage
from portal.pathways import find_doors, parse_moment
from search.json_api import json_error, json_response
from search.localization import DEFAULT_LANGUAGE, LANGUAGE_CODES

PLACE_PARAMETERS = ("postal_code", "municipality")
SLUG = re.compile(r"[-a-zA-Z0-9_]{1,100}")


def _place_query(params):
    return {
        name: params.get(name, "").strip()[:100] for name in PLACE_PARAMETERS if params.get(name, "").strip()
    }


def pathways_in_active_language(user=None):
    """Live pathways of the active language that `user` may see (models_library.privacy)."""
    return privacy.visible(
        PathwayPage.objects.live().filter(locale=Locale.get_active()), user
    ).select_related("life_situation")


def door_finder(request, index_page):
    """Step 1 and 2: choose the situation and give the place. Sends the resident to
    the pathway page with the place in its address, so the result can be shared."""
    pathways = list(pathways_in_active_language(request.user).child_of(index_page).order_by("path"))
    chosen = request.GET.get("situation", "")
    place = _place_query(request.GET)
    pathway = next((p for p in pathways if p.life_situation.slug == chosen), None)
    errors = {}
    # change=1: the resident came back from a result to change it; show the form filled in.
    changing = request.GET.get("change") == "1"
    if request.GET and not changing:
        if pathway is None:
            errors["situation"] = True
        if not place:
            errors["place"] = True
    if request.GET and not errors and not changing:
        return HttpResponseRedirect(f"{pathway.get_url(request)}?{urlencode(place)}")
    return TemplateResponse(
        request,
        "portal/pathway_index_page.html",
        {
            "page": index_page,
            "self": index_page,
            "pathways": pathways,
            "chosen": chosen,
            "place": place,
            "errors": errors,
            "error_list": _door_finder_error_list(errors),
        },
        status=400 if errors else 200,
    )


def _door_finder_error_list(errors):
    """The error summary's items (portal/includes/error_summary.html): the field to go to
    and the message, the same words as next to the field."""
    items = []
    if errors.get("situation"):
        items.append(
            {"field_id": "situation-0", "messages": [gettext("Choose what your situation is about.")]}
        )
    if errors.get("place"):
        items.append(
            {"field_id": "postal-code", "messages": [gettext("Give your postal code or municipality.")]}
        )
    return items


def directory_url_builder(request):
    """(kind, uid) -> URL of a directory record's page in the active language. The
    routes only change with the pages, so they are worked out once per content
    generation (portal.caching.memoized), language and host: three queries fewer for
    every door finder answer."""

    def build():
        directory = DirectoryIndexPage.objects.live().filter(locale=Locale.get_active()).first()
        return directory.url_builder(request) if directory else _no_directory_url

    return memoized(("directory_url_builder", translation.get_language(), request.get_host()), build)


def _no_directory_url(kind, uid):
    return None


def _with_status(data, status):
    """A door's represented data with its open status at the answer's moment."""
    data["open_status"] = {
        "state": status.state,
        "is_open": status.is_open,
        "closes_at": status.closes_at,
        "opens_at": status.opens_at,
        "reason": status.reason,
    }
    return data


def _organiser_data(org, url_for):
    """The public contact of the organisation that organises the services of an area."""
    if org is None:
        return None
    return {
        "uid": org.uid,
        "name": org.name,
        "url": url_for("organisation", org.uid),
        "phone": org.phone,
        "address": org.address,
        "website": org.website,
        "email": org.email,
    }


def represent_answer(answer, user, url_for, represent=represent_service):
    """The doors of a DoorAnswer as the page and the API show them (directory.visibility
    decides what `user` sees), each with its open status at answer.at."""

    def door(service, status):
        data = represent(
            service, user, url_for=url_for, at=answer.at, operating_models=answer.operating_models
        )
        return _with_status(data, status)

    return {
        "doors": [door(s, answer.status_of(s)) for s in answer.doors],
        "more_doors": [door(s, answer.status_of(s)) for s in answer.more_doors],
        "after_hours": [door(s, status) for s, status in answer.after_hours],
        "organisers": {kind: _organiser_data(org, url_for) for kind, org in answer.organisers.items()},
    }


def pathway_context(request, page):
    place_query = _place_query(request.GET)
    at, at_error = parse_moment(request.GET.get("at"))
    context = {"place_query": place_query, "answer": None, "at_error": at_error}
    if not place_query:
        return context
    answer = find_doors(page.life_situation, pathway=page, user=request.user, at=at, **place_query)
    url_for = directory_url_builder(request)
    professional = can_see_professional_data(request.user)
    represented = represent_answer(answer, request.user, url_for)
    change_query = {"situation": page.life_situation.slug, **place_query, "change": "1"}
    index = page.get_parent()
    context.update(
        answer=answer,
        doors=represented["doors"],
        more_doors=represented["more_doors"],
        after_hours=represented["after_hours"],
        organisers=represented["organisers"],
        asked_at=at,  # None: now
        change_place_url=f"{index.url}?{urlencode(change_query)}" if index and index.url else None,
        is_professional=professional,
    )
    if answer.problem:
        # The place form on the page shows the problem next to the field it is about,
        # and the error summary (portal/includes/error_summary.html) links to that field.
        field_id = "municipality" if answer.problem == "unknown_municipality" else "postal-code"
        context.update(
            error_field=field_id, error_list=[{"field_id": field_id, "messages": [answer.problem_message]}]
        )
    if professional and answer.place is not None:
        context["network"] = network_map_data(answer.place.municipality, request.user, url_for=url_for)
        context["roles"] = list(answer.model.roles.all()) if answer.model else []
    return context


def _one_of(codes):
    """ "fi, sv or en" """
    return f"{', '.join(codes[:-1])} or {codes[-1]}" if len(codes) > 1 else codes[0]


@csrf_exempt  # read-only: other methods get a 405, not a CSRF 403
@require_GET
def doors_api(request):
    """GET /api/v1/doors?situation=<slug>&postal_code=<5 digits> (or municipality=<code or name>)&lang=fi|sv|en"""
    language = request.GET.get("lang", DEFAULT_LANGUAGE)
    if language not in LANGUAGE_CODES:
        return _api_error("unknown_language", f"lang must be {_one_of(LANGUAGE_CODES)}.", 400)
    raw_at = request.GET.get("at")
    at, at_error = parse_moment(raw_at)
    # The API takes values as its OpenAPI document states them (docs/security.md, "Input
    # handling"): no empty value and no spaces around one.
    if at_error or (raw_at is not None and (raw_at == "" or raw_at != raw_at.strip())):
        return _api_error(
            "invalid_at",
            "at must be an ISO 8601 date and time, e.g. 2026-12-05T20:00 (Helsinki time) "
            "or 2026-12-05T18:00Z.",
            400,
        )
    postal_code = request.GET.get("postal_code")
    if postal_code is not None and not POSTAL_CODE_PATTERN.fullmatch(postal_code):
        return _api_error("unknown_postal_code", "Give postal_code as five digits, or leave it out.", 404)
    with translation.override(language):
        slug = request.GET.get("situation", "")

        def situation_and_pathway():
            situation = LifeSituation.objects.filter(slug=slug).first()
            pathway = (
                privacy.visible(
                    PathwayPage.objects.live().filter(
                        life_situation=situation, locale__language_code=language
                    ),
                    request.user,
                ).first()
                if situation
                else None
            )
            return situation, pathway

        # A slug is ASCII letters, digits and hyphens: anything else (a NUL byte, which
        # PostgreSQL refuses in text) is unknown without asking the database.
        if not SLUG.fullmatch(slug):
            situation, pathway = None, None
        elif request.user.is_authenticated:  # which pathways one sees depends on one's rights
            situation, pathway = situation_and_pathway()
        else:
            situation, pathway = memoized(
                ("doors_situation", slug, language), situation_and_pathway, shared=True
            )
        if situation is None:
            return _api_error(
                "unknown_situation",
                "Give situation as one of: "
                + ", ".join(LifeSituation.objects.values_list("slug", flat=True)),
                400,
            )
        answer = find_doors(
            situation,
            pathway=pathway,
            user=request.user,
            at=at,
            **_place_query(request.GET),
        )
        if answer.problem:
            return _api_error(
                answer.problem, str(answer.problem_message), 400 if answer.problem == "missing_place" else 404
            )
        url_for = directory_url_builder(request)
        represented = represent_answer(answer, request.user, url_for, represent=_serialize)
        pathway_query = {**_place_query(request.GET), **({"at": request.GET["at"]} if at else {})}
        place = answer.place
        body = {
            "situation": {"slug": situation.slug, "name": situation.name},
            "place": {
                "postal_code": place.postal_code.code if place.postal_code else None,
                "municipality": {"code": place.municipality.code, "name": place.municipality.name},
                "county": {"code": place.county.code, "name": place.county.name} if place.county else None,
            },
            "at": answer.at,
            "scope": answer.scope,
            "doors": represented["doors"],
            "door_open": answer.door_open,
            # Added in issue 13; the fields above keep their meaning.
            "more_doors": {"scope": answer.more_scope, "doors": represented["more_doors"]}
            if answer.more_doors
            else None,
            "after_hours": None
            if answer.door_open
            else {
                "services": represented["after_hours"],
                "emergency_number": "112",
                "may_be_acute": situation.may_be_acute,
            },
            "responsible_organisations": represented["organisers"] if not answer.doors else None,
            "next_steps": {
                "operating_model": {
                    "uid": str(answer.model.translation_key),
                    "title": answer.model.title,
                    "url": request.build_absolute_uri(answer.model.url),
                }
                if answer.model
                else None,
                "steps": answer.steps,
            },
            "pathway_url": request.build_absolute_uri(f"{pathway.url}?{urlencode(pathway_query)}")
            if pathway
            else None,
        }
    return json_response(to_json(body))


def _serialize(service, user, *, url_for, at, operating_models=None):
    return serialize_service(service, user, url_for=url_for, at=at, operating_models=operating_models)


def _api_error(code, message, status):
    return json_error(code, message, status)


@require_GET
def favicon(request):
    """/favicon.ico: a redirect to the static icon. Resolved per request, because in
    production static() names the hashed file of whitenoise's manifest."""

    response = HttpResponseRedirect(static("portal/img/favicon.ico"))
    response["Cache-Control"] = "public, max-age=86400"
    return response
