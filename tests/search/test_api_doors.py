"""GET /api/v1/doors as the OpenAPI document describes it, over the demo content.

In its own module: the demo content is loaded once for the module, and the
search tests in test_api.py must not see it.
"""

import pytest
from django.db import transaction

from .test_api import OPENAPI, documented, get, validate


@pytest.fixture
def openapi(client):
    return get(client, OPENAPI)


@pytest.fixture(scope="module")
def demo_content(django_db_setup, django_db_blocker):
    """The demo content for the doors API, loaded once and rolled back after the module."""
    from portal.demo import load_all

    with django_db_blocker.unblock(), transaction.atomic():
        load_all()
        yield
        transaction.set_rollback(True)


def test_doors_answers_validate_and_every_documented_parameter_is_used(client, openapi, demo_content, db):
    parameters = documented(openapi, "/api/v1/doors")
    examples = {name: parameter["example"] for name, parameter in parameters.items()}
    assert set(examples) == {"situation", "postal_code", "municipality", "lang", "at"}

    by_postal_code = get(
        client, "/api/v1/doors", {k: examples[k] for k in ("situation", "postal_code", "lang")}
    )
    validate(openapi, "DoorsResponse", by_postal_code)
    by_municipality = get(
        client, "/api/v1/doors", {k: examples[k] for k in ("situation", "municipality", "lang")}
    )
    validate(openapi, "DoorsResponse", by_municipality)
    # The documented examples name the same place, so they find the same doors.
    assert by_postal_code["place"]["municipality"] == by_municipality["place"]["municipality"]
    assert (
        get(client, "/api/v1/doors", {**examples, "lang": "sv"})["place"]["postal_code"]
        == examples["postal_code"]
    )
    at = get(client, "/api/v1/doors", {k: examples[k] for k in ("situation", "postal_code", "at")})
    validate(openapi, "DoorsResponse", at)
    assert at["at"].startswith(examples["at"])
    bad_at = get(client, "/api/v1/doors", {**examples, "at": "2026-02-30T10:00"}, status=400)
    validate(openapi, "DoorsError", bad_at)

    missing = get(client, "/api/v1/doors", {"situation": examples["situation"]}, status=400)
    validate(openapi, "DoorsError", missing)
    unknown = get(
        client, "/api/v1/doors", {"situation": examples["situation"], "postal_code": "00000"}, status=404
    )
    validate(openapi, "DoorsError", unknown)
