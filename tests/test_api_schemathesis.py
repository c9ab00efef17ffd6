"""Schemathesis over every OpenAPI document Ovi serves, with all its checks.

Ovi serves one OpenAPI document, GET /api/v1/openapi.json (search, suggest and
doors). The HSDS API under /api/hsds/ follows the Open Referral HSDS 3.0
standard and serves no OpenAPI document of its own; its parameters have
property-based tests (tests/directory/test_import_properties.py).

The schema is the one the running app serves (fetched through the WSGI app
when the test starts, not at collection, which has no test database); the
requests go through Django's WSGI handler in process. Every check schemathesis
has runs on every answer: no 5xx, the status codes, content types, headers and
bodies the document promises, schema-valid requests accepted and invalid ones
rejected. Positive and negative cases, a bounded number per operation
(SCHEMATHESIS_EXAMPLES), so this runs in `make test` in well under a minute.
"""

import json
import os

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import CHECKS, load_all_checks
from schemathesis.specs.openapi.checks import positive_data_acceptance

from portal.pathways import MOMENT
from search.openapi import openapi_document
from tests.directory.conftest import scenario  # noqa: F401  (a fixture)
from tests.search.content import rebuild

# OVI_SCHEMATHESIS_EXAMPLES=500 explores further (and at random); the default run is repeatable.
SCHEMATHESIS_EXAMPLES = int(os.environ.get("OVI_SCHEMATHESIS_EXAMPLES", "25"))

pytestmark = pytest.mark.django_db

# The document as the app builds it; the test below checks the served one is the same.
schema = schemathesis.openapi.from_dict(openapi_document())
schema.app = WSGIHandler()

# Values that name database content (a life situation, a postal code, a
# municipality) and the rules that join two parameters (a place for
# sort=distance; a postal code or a municipality for the doors) cannot be stated
# in a static OpenAPI document: a well-formed request may still name a place that
# does not exist. Those answers, and only those, are a documented 400 for a
# schema-valid request; every other 400 to one is a failure, as schemathesis'
# positive_data_acceptance has it.
CONTENT_PARAMETERS = {"postal_code", "serves_municipality", "sort"}
# And a date the `at` pattern cannot rule out (2026-02-30T10:00).
CONTENT_ERROR_CODES = {"unknown_situation", "missing_place", "invalid_at"}


def _content_rejection(response):
    if response.status_code != 400:
        return False
    try:
        body = json.loads(response.content)
    except ValueError:
        return False
    if "errors" in body:
        return set(body["errors"]) <= CONTENT_PARAMETERS
    return body.get("error", {}).get("code") in CONTENT_ERROR_CODES


@schemathesis.check
def positive_data_acceptance_but_content(ctx, response, case):
    """positive_data_acceptance, except for the answers described above."""
    if _content_rejection(response):
        return None
    return positive_data_acceptance(ctx, response, case)


load_all_checks()
ALL_CHECKS = [check for check in CHECKS.get_all() if check is not positive_data_acceptance]
assert len(ALL_CHECKS) == len(CHECKS.get_all()) - 1


@pytest.fixture
def demo_data(scenario):  # noqa: F811
    """A situation, a place with doors (Joensuu, 80160) and an index to search.

    The WSGI handler closes the database connection when a request ends, which
    would close the test's transaction: as Django's test client does, that
    signal handler (and request_started's) is off while the requests run."""
    rebuild()
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    try:
        yield scenario
    finally:
        for signal in (request_started, request_finished):
            signal.connect(close_old_connections)


def test_the_served_document_is_the_one_tested(client):
    assert client.get("/api/v1/openapi.json").json() == openapi_document()


def test_the_documented_at_pattern_is_the_parsers():
    parameters = openapi_document()["paths"]["/api/v1/doors"]["get"]["parameters"]
    documented = next(p for p in parameters if p["name"] == "at")["schema"]["pattern"]
    assert documented == "^" + MOMENT.pattern.replace("\\d", "[0-9]") + "$"
    assert "\\d" not in documented  # ASCII digits only, as the parser (re.ASCII)


@schema.parametrize()
@settings(
    max_examples=SCHEMATHESIS_EXAMPLES,
    deadline=None,
    derandomize="OVI_SCHEMATHESIS_EXAMPLES" not in os.environ,
    suppress_health_check=list(HealthCheck),
)
def test_api_conforms_to_its_openapi_document(case, demo_data):
    case.call_and_validate(checks=ALL_CHECKS)
