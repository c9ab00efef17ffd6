"""The search page (/haku/, /sv/haku/, /en/haku/)."""

from django.template.response import TemplateResponse
from django.utils import translation
from django.views.decorators.http import require_safe

from . import presentation, service
from .params import keep_place_words, read_search_params, user_is_professional
from .query import DISTANCE, RELEVANCE


@require_safe
def search_page(request):
    professional = user_is_professional(request.user)
    params = read_search_params(
        request.GET, professional=professional, language=translation.get_language(), strict=False
    )
    results = (
        keep_place_words(service.search(params.query), params.place)
        if params.given and not params.errors
        else None
    )
    context = search_page_context(request.GET, params, results)
    return TemplateResponse(request, "search/search_page.html", context, status=400 if params.errors else 200)


def search_page_context(query_dict, params, results):
    pairs = presentation.page_params(query_dict)
    context = {
        "form": {**params.values, "filters": params.filters},
        "errors": params.errors,
        "error_list": presentation.error_list(params.errors),
        # The search box keeps the refinements; the filter form keeps the words and the tab.
        # New words may name a place again (`place=off` is for the words it was given with).
        "hidden_in_search_form": [
            (name, value) for name, value in pairs if name not in ("q", "page", "place")
        ],
        "hidden_in_filter_form": [
            (name, value) for name, value in pairs if name in ("q", "type", "near", "page_size", "place")
        ],
        "searched": results is not None,
        "place": params.place,
        "distance_from_place": params.distance_from_place,
        "sorts": [(sort, presentation.SORT_LABELS[sort]) for sort in (RELEVANCE, DISTANCE)],
        "hide_site_search": True,  # the page has its own search box
        "active_filter_count": presentation.active_filter_count(pairs),
        # The filter panel is a disclosure on narrow screens: open when there are no
        # results to show first, or when one of its fields needs correcting.
        "filters_open": results is None
        or any(name in (*presentation.filter_panel_parameters(), "sort") for name in params.errors),
    }
    if results is None:
        return context
    query = params.query
    context.update(
        count=results.count,
        results=presentation.results(results.results),
        tabs=presentation.tabs(pairs, results.facets, params.filters.get("type", [])),
        facet_groups=presentation.facet_groups(
            results.facets, params.filters, _labels_of_chosen(params.filters, query.language)
        ),
        pagination=presentation.pagination(pairs, results.count, query.page, query.page_size),
        first_shown=query.offset + 1 if results.results else 0,
        last_shown=query.offset + len(results.results),
        did_you_mean={"text": results.did_you_mean, "url": presentation.link(pairs, q=results.did_you_mean)}
        if results.did_you_mean
        else None,
        first_page_url=presentation.link(pairs, page=None),
        clear_filters_url=presentation.link([(name, value) for name, value in pairs if name == "q"]),
        has_filters=any(name not in ("q", "page", "page_size") for name, _ in pairs),
        place_chip=_place_chip(pairs, params.place),
        # Nothing in the place itself: the results are what serves it from further away.
        no_local_results=bool(results.count) and results.local_count == 0,
    )
    return context


def _place_chip(pairs, place):
    """The place the results serve, and the link that searches again without it:
    a place read from the words is turned off (`place=off`, the words are then
    searched as text), a place given as a parameter is removed."""
    if place is None:
        return None
    if place.get("source") == "query":
        remove_url = presentation.link(pairs, place="off")
    else:
        remove_url = presentation.link(pairs, postal_code=None, serves_municipality=None)
    return {"name": place["name"], "words": place.get("words") or "", "remove_url": remove_url}


def _labels_of_chosen(filters, language):
    """Labels for chosen facet values, which the page lists even when nothing is left to count for them."""
    pairs = {(name, value) for name, values in filters.items() if name != "type" for value in values}
    return service.database_engine().facet_labels(pairs, language) if pairs else {}
