"""Hits of the page cache answered before Django (portal.caching.CachedAnswers, portal/wsgi.py).

Driven as gunicorn drives it: a WSGI environ in, status, headers and body out.
"""

import io
import wsgiref.util

import pytest
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections

from portal import caching
from portal.caching import CachedAnswers

pytestmark = pytest.mark.django_db


class CountingDjango:
    """Django's WSGI application, counting the requests that reach it."""

    def __init__(self):
        self.django = WSGIHandler()
        self.calls = 0

    def __call__(self, environ, start_response):
        self.calls += 1
        return self.django(environ, start_response)


@pytest.fixture
def django_app():
    # As Django's test client does: the test's transaction must outlive each request.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield CountingDjango()
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@pytest.fixture
def app(django_app):
    return CachedAnswers(django_app)


def call(application, path="/", method="GET", query="", **extra):
    environ = {
        "REQUEST_METHOD": method,
        "PATH_INFO": path,
        "QUERY_STRING": query,
        "HTTP_HOST": "testserver",
        "wsgi.input": io.BytesIO(b""),
        **extra,
    }
    wsgiref.util.setup_testing_defaults(environ)
    started = {}

    def start_response(status, headers, exc_info=None):
        started["status"], started["headers"] = status, headers

    chunks = application(environ, start_response)
    body = b"".join(chunks)
    if hasattr(chunks, "close"):
        chunks.close()
    return started["status"], dict(started["headers"]), body


def test_a_hit_is_answered_without_django_exactly_as_django_answers_it(app, django_app, site_shell):
    status, headers, body = call(app)
    assert (status, headers["X-Cache"], django_app.calls) == ("200 OK", "miss", 1)

    # A conditional request goes through Django, whose middleware answers it from the cache.
    _, through_django, django_body = call(app, HTTP_IF_NONE_MATCH='"another"')
    assert (through_django["X-Cache"], django_app.calls) == ("hit", 2)

    hit_status, hit_headers, hit_body = call(app)

    assert django_app.calls == 2
    assert hit_status == "200 OK"
    assert hit_body == body == django_body
    assert hit_headers == through_django
    assert hit_headers["Content-Security-Policy"] == headers["Content-Security-Policy"]
    assert "Cookie" in hit_headers["Vary"]


def test_a_query_string_is_part_of_the_key(app, django_app, site_shell):
    call(app, "/haku/", query="q=perhe")
    _, other, _ = call(app, "/haku/", query="q=koulu")
    _, same, _ = call(app, "/haku/", query="q=perhe")

    assert (other["X-Cache"], same["X-Cache"]) == ("miss", "hit")
    assert django_app.calls == 2


def test_a_head_request_gets_the_headers_and_no_body(app, django_app, site_shell):
    _, get_headers, _ = call(app)

    status, headers, body = call(app, method="HEAD")

    assert (status, body, django_app.calls) == ("200 OK", b"", 1)
    assert headers["ETag"] == get_headers["ETag"]
    assert headers["Content-Length"] == get_headers["Content-Length"]


def test_a_visitor_with_a_session_never_gets_the_shared_answer(app, django_app, site_shell, settings):
    call(app)

    _, headers, _ = call(app, HTTP_COOKIE=f"{settings.SESSION_COOKIE_NAME}=abc123")

    assert django_app.calls == 2
    assert headers.get("X-Cache") is None
    assert "private" in headers["Cache-Control"]


def test_an_edit_is_visible_on_the_next_request(app, django_app, site_shell):
    home = site_shell["fi"]
    call(app, home.url)
    assert call(app, home.url)[1]["X-Cache"] == "hit"

    home.title = "Uusi otsikko ennen Djangoa"
    home.save_revision().publish()

    _, headers, body = call(app, home.url)
    assert headers["X-Cache"] == "miss"
    assert "Uusi otsikko ennen Djangoa" in body.decode()


def test_an_answer_ends_with_its_minute(app, django_app, site_shell, monkeypatch):
    now = [1_800_000_040.0]
    monkeypatch.setattr(caching.time, "time", lambda: now[0])
    call(app)
    assert call(app)[1]["X-Cache"] == "hit"

    now[0] += 20  # the next minute: "open now" may have changed

    assert call(app)[1]["X-Cache"] == "miss"
    assert django_app.calls == 2


def test_a_matching_etag_still_gets_not_modified(app, django_app, site_shell):
    etag = call(app)[1]["ETag"]

    status, _, body = call(app, HTTP_IF_NONE_MATCH=etag)

    assert (status, body) == ("304 Not Modified", b"")


def test_an_unknown_host_never_finds_an_answer(app, django_app, site_shell):
    call(app)

    status, _, _ = call(app, HTTP_HOST="evil.example")

    assert status.startswith("400")
    assert django_app.calls == 2


def test_plain_http_is_redirected_when_https_is_required(django_app, site_shell, settings):
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.SECURE_SSL_REDIRECT = True
    app = CachedAnswers(CountingDjango())  # SecurityMiddleware reads the setting when it starts
    call(app, HTTP_X_FORWARDED_PROTO="https")
    assert call(app, HTTP_X_FORWARDED_PROTO="https")[1]["X-Cache"] == "hit"

    status, headers, _ = call(app, HTTP_X_FORWARDED_PROTO="http")

    assert status.startswith("301")
    assert headers["Location"].startswith("https://")


def test_a_proxy_may_keep_a_hit_only_to_the_end_of_its_minute(
    app, django_app, site_shell, settings, monkeypatch
):
    settings.OVI_PROXY_CACHE_SECONDS = 300
    now = [1_800_000_010.0]
    monkeypatch.setattr(caching.time, "time", lambda: now[0])
    call(app)
    now[0] += 30

    _, headers, _ = call(app)

    assert headers["X-Cache"] == "hit"
    assert "s-maxage=20" in headers["Cache-Control"]
    assert list(headers).count("Cache-Control") == 1


def test_without_the_shared_cache_django_answers(app, django_app, site_shell, monkeypatch):
    call(app)

    def unreachable(*args, **kwargs):
        raise ConnectionError("cache server down")

    monkeypatch.setattr(caching, "_read_generation", unreachable)
    status, _, body = call(app)

    assert status == "200 OK"
    assert body
    assert django_app.calls == 2


def test_production_serves_through_the_cache_before_django():
    from portal import wsgi

    assert isinstance(wsgi.application, CachedAnswers)
