"""The HSDS 3.0 API under /api/hsds/: read-only JSON, public data only, HSDS paging."""

import io
import json

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from directory.models import ServiceChannel

from .conftest import assert_no_secrets
from .factories import ServiceAtLocationFactory, ServiceFactory, TeamFactory
from .test_hsds import rich_directory, schema_errors  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db

PAGE_KEYS = {
    "total_items",
    "total_pages",
    "page_number",
    "size",
    "first_page",
    "last_page",
    "empty",
    "contents",
}
LISTS = ("services", "organizations", "taxonomies", "taxonomy_terms", "service_at_locations")


def get(client, url):
    response = client.get(url)
    assert response["Content-Type"] == "application/json"
    return response.status_code, response.json()


def every_response(client, directory):
    """The text of every list and detail answer about the directory."""
    texts = []
    for name in LISTS:
        status, body = get(client, f"/api/hsds/{name}?per_page=100")
        assert status == 200
        texts.append(json.dumps(body, ensure_ascii=False))
        for item in body["contents"]:
            status, detail = get(client, f"/api/hsds/{name}/{item['id']}")
            assert status == 200, (name, item["id"])
            texts.append(json.dumps(detail, ensure_ascii=False))
    return texts


def test_lists_are_hsds_pages(client, rich_directory):
    for name in LISTS:
        status, body = get(client, f"/api/hsds/{name}")
        assert status == 200
        assert set(body) == PAGE_KEYS, name
        assert body["page_number"] == 1 and body["first_page"]
        assert body["size"] == len(body["contents"]) == min(body["total_items"], 50)


def test_paging_walks_through_every_service_once(client, rich_directory):
    seen = []
    status, first = get(client, "/api/hsds/services?per_page=2")
    assert (first["total_items"], first["total_pages"], first["size"]) == (3, 2, 2)
    assert not first["last_page"]
    seen += [s["id"] for s in first["contents"]]
    status, second = get(client, "/api/hsds/services?per_page=2&page=2")
    assert (second["page_number"], second["size"], second["last_page"], second["first_page"]) == (
        2,
        1,
        True,
        False,
    )
    seen += [s["id"] for s in second["contents"]]
    assert len(set(seen)) == 3
    assert str(rich_directory["service"].uid) in seen

    status, beyond = get(client, "/api/hsds/services?per_page=2&page=9")
    assert status == 200 and beyond["empty"] and beyond["contents"] == []


@pytest.mark.parametrize(
    "query",
    ["page=0", "page=-1", "page=x", "per_page=0", "per_page=101", "per_page=2.5", "organization_id=nope"],
)
def test_bad_paging_parameters_are_a_400(client, rich_directory, query):
    status, body = get(client, f"/api/hsds/services?{query}")
    assert status == 400
    assert body["error"]["code"] == "invalid_parameter"


@pytest.mark.parametrize("name", LISTS)
def test_unknown_ids_are_a_404(client, rich_directory, name):
    for identifier in ("00000000-0000-4000-8000-000000000000", "not-an-id"):
        status, body = get(client, f"/api/hsds/{name}/{identifier}")
        assert status == 404
        assert body["error"]["code"] == "not_found"


def test_services_residents_do_not_see_are_not_served(client, rich_directory):
    defunct = next(s for s in rich_directory["ngo"].services.all() if s.status == "defunct")
    status, _body = get(client, f"/api/hsds/services/{defunct.uid}")
    assert status == 404
    _status, listing = get(client, "/api/hsds/services?per_page=100")
    assert str(defunct.uid) not in {s["id"] for s in listing["contents"]}


def test_answers_validate_against_the_compiled_hsds_schemas(client, rich_directory):
    _status, services = get(client, "/api/hsds/services?per_page=100")
    assert schema_errors("compiled/service.json", services["contents"]) == []
    _status, orgs = get(client, "/api/hsds/organizations?per_page=100")
    assert schema_errors("compiled/organization.json", orgs["contents"]) == []
    _status, entries = get(client, "/api/hsds/service_at_locations?per_page=100")
    assert schema_errors("compiled/service_at_location.json", entries["contents"]) == []
    _status, terms = get(client, "/api/hsds/taxonomy_terms?per_page=100")
    assert schema_errors("taxonomy_term.json", terms["contents"]) == []


def test_api_objects_are_the_export_objects(client, rich_directory, tmp_path):
    call_command("export_hsds", str(tmp_path), stdout=io.StringIO())
    exported = {s["id"]: s for s in json.loads((tmp_path / "services.json").read_text(encoding="utf-8"))}
    uid = str(rich_directory["service"].uid)
    _status, served = get(client, f"/api/hsds/services/{uid}")
    assert served == exported[uid]


def test_service_at_locations_include_channels_as_virtual_locations(client, rich_directory):
    phone = rich_directory["phone"]
    status, entry = get(client, f"/api/hsds/service_at_locations/{phone.uid}")
    assert status == 200
    assert entry["location"]["location_type"] == "virtual"
    assert entry["service"]["id"] == str(phone.service.uid)
    assert entry["phones"][0]["number"] == "0800 000 111"
    _status, listing = get(client, "/api/hsds/service_at_locations?per_page=100")
    public_channels = ServiceChannel.objects.filter(
        service__status__in=["active", "temporarily closed"]
    ).count()
    assert listing["total_items"] == public_channels + 1  # and the one service at a location


def test_organization_filter(client, rich_directory):
    status, body = get(client, f"/api/hsds/services?organization_id={rich_directory['ngo'].uid}")
    assert status == 200
    assert [s["name"] for s in body["contents"]] == ["Valtakunnallinen tukipuhelin"]


def test_no_professional_only_data_for_anonymous_clients(client, rich_directory):
    for text in every_response(client, rich_directory):
        assert_no_secrets(text)


def test_no_professional_only_data_even_for_professionals(client, rich_directory, professional):
    client.force_login(professional)
    for text in every_response(client, rich_directory):
        assert_no_secrets(text)


def test_a_page_of_services_costs_no_queries_per_service_or_location():
    """Each service at its own location, which has another service and a team: a page
    of 6 reads the database as many times as a page of 1 (no query per row)."""
    for _ in range(6):
        sal = ServiceAtLocationFactory()
        ServiceAtLocationFactory(
            location=sal.location, service=ServiceFactory(organisation=sal.service.organisation)
        )
        TeamFactory(organisation=sal.service.organisation, location=sal.location)

    def queries(per_page):
        cache.clear()
        with CaptureQueriesContext(connection) as captured:
            response = Client().get(f"/api/hsds/services?per_page={per_page}")
        assert response.status_code == 200 and len(response.json()["contents"]) == per_page
        assert all(
            entry["location"]["id"] for entry in response.json()["contents"][-1]["service_at_locations"]
        )
        return len(captured.captured_queries)

    assert queries(6) == queries(1)
