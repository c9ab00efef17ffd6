"""Property-based tests of the HSDS API's query parsing (directory/api.py;
docs/security.md, "Input handling"): `page` and `per_page` are ASCII whole numbers
in range and ids are UUIDs, or the answer is a 400 in the APIs' error style."""

import pytest
from django.test import RequestFactory
from hypothesis import given
from hypothesis import strategies as st

from directory import api
from tests.properties import OVI, OVI_REQUESTS, numberish, query_dicts

pytestmark = pytest.mark.django_db

LISTS = ["services", "organizations", "taxonomies", "taxonomy_terms", "service_at_locations"]


@OVI
@given(value=numberish, maximum=st.sampled_from([None, api.MAX_PAGE_SIZE]))
def test_whole_numbers_are_ascii_digits_in_range_or_bad_parameter(value, maximum):
    request = RequestFactory().get("/api/hsds/services", {"page": value})
    try:
        number = api._whole_number(request, "page", 1, maximum)
    except api.BadParameter as error:
        assert "page" in str(error)
    else:
        assert value == "" or (value.isascii() and value.isdigit() and number == int(value))
        assert number >= 1 and (maximum is None or number <= maximum)


@OVI_REQUESTS
@given(endpoint=st.sampled_from(LISTS), query=query_dicts(["page", "per_page", "organization_id"]))
def test_lists_answer_a_page_or_a_400(client, endpoint, query):
    response = client.get(f"/api/hsds/{endpoint}?" + query.urlencode())
    assert response.status_code in (200, 400), (endpoint, query, response.status_code)
    body = response.json()
    if response.status_code == 400:
        assert body["error"]["code"] == "invalid_parameter" and body["error"]["message"]
    else:
        assert 0 <= body["size"] <= api.MAX_PAGE_SIZE and body["page_number"] >= 1


@OVI_REQUESTS
@given(endpoint=st.sampled_from(["services", "organizations"]), identifier=st.text(max_size=40))
def test_details_of_any_id_are_a_404_not_an_error(client, endpoint, identifier):
    from urllib.parse import quote

    response = client.get(f"/api/hsds/{endpoint}/" + quote(identifier, safe=""))
    assert response.status_code in (200, 301, 404), (identifier, response.status_code)
