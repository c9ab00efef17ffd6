"""Property-based tests of every public parameter parser (docs/security.md, "Input handling").

Whatever a query string holds, a parser answers with a value or its documented
validation error, never anything else; user text reaches no query syntax
(FTS5, tsquery, Elasticsearch), so no text makes a search fail; the API
answers 200 or a 400 in its one error style.
"""

import datetime

import pytest
from django.core.paginator import Paginator
from django.http import QueryDict
from hypothesis import given
from hypothesis import strategies as st

from directory.geography import normalise_postal_code
from portal.pathways import parse_moment, resolve_place
from search import params as search_params
from search.params import read_search_params, read_suggest_params
from search.query import MAX_PAGE_SIZE, SearchQuery
from tests.properties import OVI, OVI_REQUESTS, numberish, query_dicts, text

pytestmark = pytest.mark.django_db

SEARCH_NAMES = search_params.SEARCH_PARAMETERS
PLACE_PROBLEMS = {"", "unknown_postal_code", "unknown_municipality", "missing_place"}


def assert_errors(errors):
    assert isinstance(errors, dict)
    for name, messages in errors.items():
        assert isinstance(name, str) and messages
        assert all(str(message) for message in messages)


@OVI
@given(query=query_dicts(SEARCH_NAMES), strict=st.booleans(), language=st.sampled_from([None, "fi", "sv"]))
def test_search_parameters_give_a_query_or_errors(query, strict, language):
    parsed = read_search_params(query, professional=False, language=language, strict=strict)
    assert_errors(parsed.errors)
    assert (parsed.query is None) == bool(parsed.errors)
    if parsed.query is not None:
        q = parsed.query
        assert isinstance(q, SearchQuery)
        assert 1 <= q.page <= search_params.MAX_PAGE
        assert 1 <= q.page_size <= MAX_PAGE_SIZE
        assert q.page * q.page_size <= search_params.MAX_RESULT_WINDOW
        assert len(q.text) <= search_params.MAX_QUERY_LENGTH
        if q.near is not None:
            lat, lon = q.near
            assert -90 <= lat <= 90 and -180 <= lon <= 180
        for values in q.filters.values():
            assert all(
                search_params.FACET_VALUE.fullmatch(v) or v in search_params.ALL_RESULT_TYPES for v in values
            )


@OVI
@given(name=st.sampled_from(["page", "page_size"]), value=numberish)
def test_numbers_are_ascii_digits_in_range_or_an_error(name, value):
    query = QueryDict(mutable=True)
    query[name] = value
    parsed = read_search_params(query, professional=False, strict=True)
    if parsed.query is None:
        assert name in parsed.errors
    else:
        assert value.isascii() and value.isdigit() and value == value.strip()
        assert getattr(parsed.query, name) == int(value)


@OVI
@given(query=query_dicts(search_params.SUGGEST_PARAMETERS), strict=st.booleans())
def test_suggest_parameters_give_text_or_errors(query, strict):
    text_value, language, errors = read_suggest_params(query, strict=strict)
    assert_errors(errors)
    assert isinstance(text_value, str)
    if not errors:
        assert language in search_params.LANGUAGES and len(text_value) <= search_params.MAX_SUGGEST_LENGTH


@OVI_REQUESTS
@given(query=query_dicts(SEARCH_NAMES, values=st.one_of(text, st.sampled_from(["1", "20", "service", "fi"]))))
def test_the_search_api_answers_200_or_a_400_with_errors(client, query):
    response = client.get("/api/v1/search?" + query.urlencode())
    assert response.status_code in (200, 400), (query, response.status_code)
    body = response.json()
    if response.status_code == 400:
        assert set(body) == {"error", "errors"} and body["errors"] == body["error"]["fields"]
    else:
        assert {"count", "results", "facets"} <= set(body)


@OVI_REQUESTS
@given(q=text)
def test_any_text_searches_and_suggests_without_error(client, q):
    """No text reaches FTS5 / tsquery syntax: quotes, operators and NUL are just text."""
    for path in ("/api/v1/search", "/api/v1/suggest"):
        response = client.get(path, {"q": q[:100]})
        assert response.status_code == 200, (path, q, response.content[:300])


@OVI
@given(
    value=st.one_of(
        text, st.from_regex(r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}.{0,12}", fullmatch=True)
    )
)
def test_moments_parse_to_an_aware_time_or_an_error(value):
    moment, error = parse_moment(value)
    assert isinstance(error, bool)
    if error:
        assert moment is None
    elif moment is not None:
        assert isinstance(moment, datetime.datetime) and moment.tzinfo is not None


@OVI
@given(value=st.one_of(text, st.from_regex(r" ?[0-9]{5} ?", fullmatch=True)))
def test_postal_codes_are_five_ascii_digits_or_none(value):
    code = normalise_postal_code(value)
    assert code is None or (len(code) == 5 and code.isascii() and code.isdigit())


@OVI_REQUESTS
@given(postal_code=st.one_of(st.just(""), text), municipality=st.one_of(st.just(""), text, st.just("167")))
def test_places_resolve_or_name_the_problem(postal_code, municipality):
    place, problem = resolve_place(postal_code, municipality)
    assert problem in PLACE_PROBLEMS
    assert (place is None) == bool(problem)


@OVI_REQUESTS
@given(
    query=query_dicts(["situation", "postal_code", "municipality", "lang", "at"]),
)
def test_the_doors_api_answers_in_its_error_style(client, query):
    response = client.get("/api/v1/doors?" + query.urlencode())
    assert response.status_code in (200, 400, 404), (query, response.status_code)
    if response.status_code != 200:
        error = response.json()["error"]
        assert set(error) == {"code", "message"} and error["code"] and error["message"]


@OVI
@given(page=st.one_of(st.none(), numberish))
def test_pagination_of_html_lists_falls_back_to_a_real_page(page):
    """The HTML lists (directory, models library) page with Django's get_page:
    any `page=` gives a real page (the first or the last), never an error."""
    shown = Paginator(list(range(45)), 20).get_page(page)
    assert shown.number in (1, 2, 3)


@OVI_REQUESTS
@given(query=query_dicts(["q", "page", "sort", "topic", "stage"]))
def test_the_library_listing_takes_any_parameters(query):
    from models_library.selectors import library_listing

    listing = library_listing(query, page_number=query.get("page"), user=None)
    assert listing.page.number >= 1
