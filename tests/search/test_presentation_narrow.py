"""The search page on a narrow screen (issue 16): the filter disclosure's count and
when it opens by itself, and result-type tabs that are links only when they lead somewhere."""

from django.http import QueryDict
from django.utils import translation

from search import presentation
from search.params import read_search_params
from search.views import search_page_context


def pairs(query):
    return presentation.page_params(QueryDict(query))


def test_active_filters_count_ticked_values_the_area_and_open_now():
    assert presentation.active_filter_count(pairs("q=neuvola")) == 0
    assert presentation.active_filter_count(pairs("q=neuvola&type=service&sort=distance&page=2")) == 0
    assert (
        presentation.active_filter_count(pairs("q=neuvola&municipality=426&municipality=167&sector=health"))
        == 3
    )
    assert presentation.active_filter_count(pairs("postal_code=80100&open_now=1")) == 2
    assert presentation.active_filter_count(pairs("q=x&open_now=0")) == 0


def test_empty_tabs_are_not_links_but_the_current_tab_always_is():
    facets = {"type": [{"value": "service", "count": 3}, {"value": "team", "count": 0}]}
    with translation.override("en"):
        tabs = {
            str(tab["label"]): tab
            for tab in presentation.tabs(pairs("q=x&type=location"), facets, ["location"])
        }

    assert tabs["Services"]["url"] and tabs["Services"]["count"] == 3
    assert tabs["Teams"]["url"] is None and tabs["Operating models"]["url"] is None
    assert tabs["Locations"]["current"] and tabs["Locations"]["url"]  # current, though empty
    assert tabs["All"]["url"]


class Results:
    count = 0
    results = []
    facets = {}
    did_you_mean = ""


def context_for(query, results=None):
    results = Results() if results is None else results
    params = read_search_params(QueryDict(query), professional=False, language="fi", strict=False)
    return search_page_context(
        QueryDict(query), params, results if params.given and not params.errors else None
    )


def test_the_disclosure_opens_by_itself_only_before_a_search_or_for_a_field_to_correct(db):
    assert context_for("")["filters_open"]  # nothing to show but the filters
    searched = context_for("q=neuvola&municipality=426")
    assert not searched["filters_open"] and searched["active_filter_count"] == 1
    assert context_for("q=neuvola&postal_code=abc")["filters_open"]  # its field needs correcting
