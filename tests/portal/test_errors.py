"""Unhandled errors: a lost database is a 503 to try again, anything else a 500."""

import logging

import pytest
from django.db import OperationalError
from django.db.backends.base.base import BaseDatabaseWrapper

pytestmark = pytest.mark.django_db


@pytest.fixture
def database_gone(monkeypatch):
    def refuse(self):
        raise OperationalError("connection to server at 127.0.0.1 failed: Connection refused")

    monkeypatch.setattr(BaseDatabaseWrapper, "ensure_connection", refuse)


@pytest.mark.parametrize("path", ["/", "/sv/", "/palvelut/", "/api/v1/doors?situation=x&postal_code=80100"])
def test_pages_and_apis_answer_503_while_the_database_is_unreachable(client, site_shell, database_gone, path):
    client.raise_request_exception = False

    response = client.get(path)

    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert "no-store" in response["Cache-Control"]
    assert "112" in response.content.decode()


def test_a_database_outage_is_logged_in_one_line(client, site_shell, database_gone, caplog):
    client.raise_request_exception = False

    with caplog.at_level(logging.WARNING, logger="django.request"):
        client.get("/palvelut/?q=salainen")

    [record] = [record for record in caplog.records if record.name == "django.request"]
    assert record.levelno == logging.ERROR
    assert record.getMessage() == (
        "Database unavailable, answered 503: /palvelut/: "
        "OperationalError: connection to server at 127.0.0.1 failed: Connection refused"
    )
    assert record.exc_info is None and not record.exc_text


def test_a_503_is_never_kept_in_the_page_cache(client, site_shell, monkeypatch):
    client.raise_request_exception = False
    with monkeypatch.context() as patch:
        patch.setattr(
            BaseDatabaseWrapper,
            "ensure_connection",
            lambda self: (_ for _ in ()).throw(OperationalError("gone")),
        )
        assert client.get("/").status_code == 503

    assert client.get("/").status_code == 200


def test_other_errors_stay_500_and_keep_their_traceback(client, site_shell, monkeypatch, caplog):
    from wagtail.models import Page

    def broken(self, request, *args, **kwargs):
        raise ValueError("a bug")

    monkeypatch.setattr(Page, "serve", broken)
    client.raise_request_exception = False

    with caplog.at_level(logging.WARNING, logger="django.request"):
        response = client.get("/")

    assert response.status_code == 500
    assert "Retry-After" not in response
    [record] = [record for record in caplog.records if record.name == "django.request"]
    assert record.getMessage() == "Internal Server Error: /"
    assert record.exc_info[1].args == ("a bug",)  # the traceback is kept
