"""Views of the door finder and the pathway pages, and GET /api/v1/doors."""

from urllib.parse import urlencode

from django.http import HttpResponseRedirect, JsonResponse
from django.template.response import TemplateResponse
from django.utils import translation
from django.views.decorators.http import require_GET
from wagtail.models import Locale

from directory.models import DirectoryIndexPage, LifeSituation
from directory.serializers import serialize_service, to_json
from directory.visibility import can_see_professional_data, network_map_data, represent_service
from models_library import privacy
from portal.models import PathwayPage
from portal.pathways import find_doors

PLACE_PARAMETERS = ("postal_code", "municipality")


def _place_query(params):
    return {name: params.get(name, "").strip()[:100] for name in PLACE_PARAMETERS if params.get(name, "").strip()}


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
    if request.GET:
        if pathway is None:
            errors["situation"] = True
        if not place:
            errors["place"] = True
    if request.GET and not errors:
        return HttpResponseRedirect(f"{pathway.get_url(request)}?{urlencode(place)}")
    return TemplateResponse(
        request,
        "portal/pathway_index_page.html",
        {"page": index_page, "self": index_page, "pathways": pathways, "chosen": chosen,
         "place": place, "errors": errors},
        status=400 if errors else 200,
    )


def directory_url_builder(request):
    directory = DirectoryIndexPage.objects.live().filter(locale=Locale.get_active()).first()
    return directory.url_builder(request) if directory else (lambda kind, uid: None)


def pathway_context(request, page):
    place_query = _place_query(request.GET)
    context = {"place_query": place_query, "answer": None}
    if not place_query:
        return context
    answer = find_doors(
        page.life_situation, default_steps=page.default_steps.all(), user=request.user, **place_query
    )
    url_for = directory_url_builder(request)
    professional = can_see_professional_data(request.user)
    context.update(
        answer=answer,
        doors=[represent_service(door, request.user, url_for=url_for) for door in answer.doors],
        is_professional=professional,
    )
    if professional and answer.place is not None:
        context["network"] = network_map_data(answer.place.municipality, request.user, url_for=url_for)
        context["roles"] = list(answer.model.roles.all()) if answer.model else []
    return context


@require_GET
def doors_api(request):
    """GET /api/v1/doors?situation=<slug>&postal_code=<5 digits> (or municipality=<code or name>)&lang=fi|sv|en"""
    language = request.GET.get("lang", "fi")
    if language not in ("fi", "sv", "en"):
        return _api_error("unknown_language", "lang must be fi, sv or en.", 400)
    with translation.override(language):
        situation = LifeSituation.objects.filter(slug=request.GET.get("situation", "")).first()
        if situation is None:
            return _api_error(
                "unknown_situation",
                "Give situation as one of: " + ", ".join(LifeSituation.objects.values_list("slug", flat=True)),
                400,
            )
        pathway = privacy.visible(
            PathwayPage.objects.live().filter(life_situation=situation, locale__language_code=language),
            request.user,
        ).first()
        answer = find_doors(
            situation,
            default_steps=pathway.default_steps.all() if pathway else (),
            user=request.user,
            **_place_query(request.GET),
        )
        if answer.problem:
            return _api_error(answer.problem, str(answer.problem_message), 400 if answer.problem == "missing_place" else 404)
        url_for = directory_url_builder(request)
        place = answer.place
        body = {
            "situation": {"slug": situation.slug, "name": situation.name},
            "place": {
                "postal_code": place.postal_code.code if place.postal_code else None,
                "municipality": {"code": place.municipality.code, "name": place.municipality.name},
                "county": {"code": place.county.code, "name": place.county.name} if place.county else None,
            },
            "scope": answer.scope,
            "doors": [serialize_service(door, request.user, url_for=url_for) for door in answer.doors],
            "next_steps": {
                "operating_model": {
                    "uid": str(answer.model.translation_key),
                    "title": answer.model.title,
                    "url": request.build_absolute_uri(answer.model.url),
                } if answer.model else None,
                "steps": answer.steps,
            },
            "pathway_url": request.build_absolute_uri(
                f"{pathway.url}?{urlencode(_place_query(request.GET))}"
            ) if pathway else None,
        }
    return JsonResponse(to_json(body), json_dumps_params={"ensure_ascii": False})


def _api_error(code, message, status):
    return JsonResponse({"error": {"code": code, "message": message}}, status=status)
