"""The shared cache of anonymous answers (portal/caching.py), through the test client."""

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth.models import Group
from wagtail.models import Page, PageViewRestriction

from directory.demo import ensure_directory_pages
from directory.roles import PROFESSIONALS_GROUP
from directory.services import ensure_directory_groups
from portal import caching
from tests.directory.factories import ServiceFactory, UserFactory, municipality

pytestmark = pytest.mark.django_db


@pytest.fixture
def service(site_shell):
    ensure_directory_pages(site_shell)
    return ServiceFactory(
        name_fi="Perheiden yhteinen ovi",
        name_sv="Familjernas gemensamma dörr",
        name_en="One door for families",
        referral_instructions_fi="LÄHETE-OHJE-SALAINEN",
        areas=[municipality("167")],
    )


@pytest.fixture
def professional(db):
    ensure_directory_groups()
    user = UserFactory(username="ammattilainen")
    user.groups.add(Group.objects.get(name=PROFESSIONALS_GROUP))
    return user


def service_url(service, base="/palvelut/"):
    return f"{base}palvelu/{service.uid}/"


def title(response):
    return BeautifulSoup(response.content, "html.parser").title.get_text()


def test_an_anonymous_page_is_answered_from_the_cache_the_second_time(client, site_shell):
    first = client.get("/")
    second = client.get("/")

    assert first.status_code == second.status_code == 200
    assert (first["X-Cache"], second["X-Cache"]) == ("miss", "hit")
    assert second.content == first.content
    assert second["ETag"] == first["ETag"]
    cache_control = {part.strip() for part in second["Cache-Control"].split(",")}
    assert {"public", "max-age=0", "must-revalidate"} <= cache_control
    assert "Cookie" in second["Vary"]
    # The security headers are stored with the answer.
    assert second["Content-Security-Policy"] == first["Content-Security-Policy"]


def test_a_matching_etag_is_answered_not_modified(client, site_shell):
    etag = client.get("/")["ETag"]

    again = client.get("/", HTTP_IF_NONE_MATCH=etag)

    assert again.status_code == 304
    assert again.content == b""
    assert again["ETag"] == etag


def test_a_published_page_change_is_visible_on_the_next_request(client, site_shell):
    home = site_shell["fi"]
    client.get(home.url)
    assert client.get(home.url)["X-Cache"] == "hit"

    home.title = "Uusi etusivun otsikko"
    home.save_revision().publish()

    response = client.get(home.url)
    assert response["X-Cache"] == "miss"
    assert "Uusi etusivun otsikko" in response.content.decode()


def test_a_change_right_after_the_first_answer_of_an_empty_cache_is_visible(client, site_shell):
    """The first request after the cache was emptied creates the content generation;
    a write in the same transaction (no commit yet) must still leave its answer behind."""
    from django.core.cache import cache

    home = site_shell["fi"]
    cache.clear()
    assert client.get(home.url)["X-Cache"] == "miss"

    home.title = "Otsikko heti tyhjennyksen jälkeen"
    home.save_revision().publish()

    response = client.get(home.url)
    assert response["X-Cache"] == "miss"
    assert "Otsikko heti tyhjennyksen jälkeen" in response.content.decode()


def test_a_sign_in_does_not_empty_the_page_cache(client, site_shell, django_user_model):
    from django.test import Client

    home = site_shell["fi"]
    django_user_model.objects.create_user("kirjautuja", password="Salasana-1234")
    client.get(home.url)
    assert client.get(home.url)["X-Cache"] == "hit"

    assert Client().login(username="kirjautuja", password="Salasana-1234")  # saves User.last_login

    assert client.get(home.url)["X-Cache"] == "hit"


def test_an_unpublished_page_disappears_on_the_next_request(client, site_shell):
    page = Page.objects.get(pk=site_shell["fi"].get_children().live().first().pk).specific
    assert client.get(page.url).status_code == 200

    page.unpublish()

    assert client.get(page.url).status_code == 404


def test_a_directory_record_change_is_visible_on_the_next_request(client, service):
    assert "Perheiden yhteinen ovi" in client.get(service_url(service)).content.decode()

    service.name_fi = "Perheiden uusi ovi"
    service.save()

    assert "Perheiden uusi ovi" in client.get(service_url(service)).content.decode()


def test_a_deleted_directory_record_is_gone_on_the_next_request(client, service):
    url = service_url(service)
    assert client.get(url).status_code == 200

    service.delete()

    assert client.get(url).status_code == 404


def test_each_language_has_its_own_answer(client, service):
    finnish = client.get(service_url(service))
    swedish = client.get(service_url(service, "/sv/tjanster/"))
    english = client.get(service_url(service, "/en/services/"))
    swedish_again = client.get(service_url(service, "/sv/tjanster/"), HTTP_ACCEPT_LANGUAGE="fi")

    assert "Perheiden yhteinen ovi" in title(finnish)
    assert "Familjernas gemensamma dörr" in title(swedish)
    assert "One door for families" in title(english)
    assert swedish_again["X-Cache"] == "hit"
    assert title(swedish_again) == title(swedish)


def test_a_professional_never_gets_the_anonymous_answer_nor_leaves_theirs(client, service, professional):
    anonymous = client.get(service_url(service))
    assert "LÄHETE-OHJE-SALAINEN" not in anonymous.content.decode()

    client.force_login(professional)
    signed_in = client.get(service_url(service))
    assert "LÄHETE-OHJE-SALAINEN" in signed_in.content.decode()
    assert "X-Cache" not in signed_in
    assert {part.strip() for part in signed_in["Cache-Control"].split(",")} >= {"private", "no-store"}
    assert "public" not in signed_in["Cache-Control"]

    client.logout()
    client.cookies.clear()
    after = client.get(service_url(service))
    assert "LÄHETE-OHJE-SALAINEN" not in after.content.decode()


@pytest.mark.parametrize(
    "path",
    ["/", "/api/v1/search?q=perhe", "/api/v1/suggest?q=perhe", "/api/hsds/services", "/haku/?q=perhe"],
)
def test_every_answer_to_a_signed_in_user_is_private(client, site_shell, professional, path):
    client.force_login(professional)

    response = client.get(path)

    assert response.status_code == 200
    assert {part.strip() for part in response["Cache-Control"].split(",")} >= {"private", "no-store"}


def test_a_password_protected_page_is_never_cached(client, site_shell):
    page = site_shell["fi"].get_children().live().first()
    PageViewRestriction.objects.create(
        page=page, restriction_type=PageViewRestriction.PASSWORD, password="salasana"
    )

    first = client.get(page.url)
    second = client.get(page.url)

    assert second.status_code == 200  # the password form
    assert "X-Cache" not in second or second["X-Cache"] != "hit"
    assert "public" not in second.get("Cache-Control", "")

    # With the password given, the session holds the pass: the page is private to it.
    form = BeautifulSoup(first.content, "html.parser").find("form")
    client.post(form["action"], {"password": "salasana", "return_url": page.url})
    unlocked = client.get(page.url)
    assert unlocked.status_code == 200
    assert {part.strip() for part in unlocked["Cache-Control"].split(",")} >= {"private", "no-store"}
    client.cookies.clear()
    locked_again = client.get(page.url)
    assert "authenticate_with_password" in locked_again.content.decode()
    assert locked_again.get("X-Cache") != "hit"


def test_a_restriction_added_to_a_cached_page_holds_on_the_next_request(client, site_shell):
    page = site_shell["fi"].get_children().live().first()
    assert client.get(page.url).status_code == 200
    assert client.get(page.url)["X-Cache"] == "hit"

    PageViewRestriction.objects.create(page=page, restriction_type=PageViewRestriction.LOGIN)

    assert client.get(page.url).status_code == 302


def test_nothing_is_kept_past_the_end_of_the_minute(client, site_shell, monkeypatch):
    # Opening hours change at whole minutes: an answer made at 12:00:59.5 lives one second.
    stored = {}
    real_set = caching.cache.set

    def spy_set(key, value, timeout=None, **kwargs):
        if key.startswith(caching.PAGE_KEY_PREFIX):
            stored["timeout"] = timeout
        return real_set(key, value, timeout=timeout, **kwargs)

    monkeypatch.setattr(caching.time, "time", lambda: 1_800_000_059.5)  # :59.5 of a minute
    monkeypatch.setattr(caching.cache, "set", spy_set)

    client.get("/")

    assert stored["timeout"] == 1


def test_seconds_left_in_minute():
    assert caching.seconds_left_in_minute(1_800_000_000.0) == 60  # 1_800_000_000 is a whole minute
    assert caching.seconds_left_in_minute(1_800_000_030.2) == 29
    assert caching.seconds_left_in_minute(1_800_000_059.9) == 1


def test_a_search_index_change_is_visible_on_the_next_request(client, service):
    from search import indexing
    from search import service as search_service

    indexing.rebuild()
    before = client.get("/api/v1/search", {"q": "yhteinen ovi"})
    assert before.json()["results"]
    assert client.get("/api/v1/search", {"q": "yhteinen ovi"})["X-Cache"] == "hit"

    # The worker indexes after the record's own change was committed: the search
    # answers cached in between must go too.
    search_service.delete_documents([result["uid"] for result in before.json()["results"]])

    assert client.get("/api/v1/search", {"q": "yhteinen ovi"})["X-Cache"] == "miss"


def test_forms_with_a_csrf_token_are_not_cached(client, site_shell):
    response = client.get("/admin/login/")
    assert "X-Cache" not in response
    assert "public" not in response.get("Cache-Control", "")


def test_a_cache_server_that_is_down_does_not_fail_a_page(client, site_shell, settings):
    # Nothing listens on port 9 of loopback: every cache call fails at once.
    settings.CACHES = {
        "default": {
            "BACKEND": "portal.cache_backends.WatchingRedisCache",
            "LOCATION": "redis://127.0.0.1:9/0",
        }
    }

    first = client.get("/")
    second = client.get("/")

    assert first.status_code == second.status_code == 200
    assert second["X-Cache"] == "miss"


def test_the_shared_cache_server_holds_the_answers_when_configured(client, site_shell, settings):
    """With REDIS_URL (the PostgreSQL suite in .ci/run) the answers live in Redis,
    where every app server finds them."""
    import os

    if not settings.REDIS_URL:
        if os.environ.get("OVI_REQUIRE_REDIS") == "1":
            pytest.fail("OVI_REQUIRE_REDIS=1 but REDIS_URL is not set")
        pytest.skip("REDIS_URL not set")
    import redis

    client.get("/")
    server = redis.Redis.from_url(settings.REDIS_URL)
    generation = caching.content_generation()

    assert server.keys(f"*:{caching.PAGE_KEY_PREFIX}:{generation}:*")
    assert client.get("/")["X-Cache"] == "hit"


def test_an_answer_kept_in_the_process_expires_with_the_shared_one(monkeypatch):
    from django.http import HttpResponse

    now = [1_800_000_059.0]
    monkeypatch.setattr(caching.time, "time", lambda: now[0])
    caching._remember("answer-v1:test:key", HttpResponse(b"kept"), max_age=1)
    assert caching._recall("answer-v1:test:key").content == b"kept"

    now[0] += 1  # the next minute has begun: "open now" may have changed

    assert caching._recall("answer-v1:test:key") is None


def test_a_hit_reads_the_shared_cache_once(client, site_shell, monkeypatch):
    """The generation is read once per request (with Redis, only when it changed);
    the answer itself comes from this process's copy (portal.caching._local_answers)."""
    client.get("/")
    reads = []
    real_get = caching.cache.get
    monkeypatch.setattr(
        caching.cache, "get", lambda key, *a, **k: reads.append(key) or real_get(key, *a, **k)
    )

    assert client.get("/")["X-Cache"] == "hit"
    # With Redis not even that: the generation is watched (portal.cache_backends).
    assert reads == ([] if hasattr(caching.cache, "get_watched") else [caching.GENERATION_KEY])


def test_memoized_values_follow_the_content_generation(db):
    calls = []

    def compute():
        calls.append(1)
        return len(calls)

    assert caching.memoized(("test", 1), compute) == 1
    assert caching.memoized(("test", 1), compute) == 1
    assert caching.memoized(("test", 2), compute) == 2
    caching.new_generation()
    assert caching.memoized(("test", 1), compute) == 3


def test_memoized_many_computes_only_what_is_missing_once_per_generation(db):
    asked = []

    def compute(keys):
        asked.append(list(keys))
        return {key: f"value of {key[1]}" for key in keys if key[1] != "gone"}

    first = caching.memoized_many([("many", "a"), ("many", "b")], compute)
    second = caching.memoized_many([("many", "b"), ("many", "c"), ("many", "gone")], compute)
    caching.new_generation()
    third = caching.memoized_many([("many", "a")], compute)

    assert first == {("many", "a"): "value of a", ("many", "b"): "value of b"}
    assert second == {("many", "b"): "value of b", ("many", "c"): "value of c"}
    assert third == {("many", "a"): "value of a"}
    assert asked == [[("many", "a"), ("many", "b")], [("many", "c"), ("many", "gone")], [("many", "a")]]


def test_a_write_inside_a_request_is_seen_by_what_follows_it_in_that_request(rf, db):
    """The request's scope keeps the generation it read, until a write replaces it."""
    seen = []

    def view(request):
        seen.append(caching.content_generation())
        seen.append(caching.content_generation())
        caching.content_changed()  # a write (outside a transaction: replaced at once)
        seen.append(caching.content_generation())
        from django.http import HttpResponse

        return HttpResponse("ok")

    caching.AnonymousCacheMiddleware(view)(rf.post("/"))
    assert seen[0] == seen[1] != seen[2]
    assert seen[2] == caching.cache.get(caching.GENERATION_KEY)


def test_menus_are_rebuilt_when_content_changes(client, site_shell, settings):
    from portal.models import MenuItem

    settings.OVI_PAGE_CACHE_SECONDS = 0
    item = MenuItem.objects.filter(menu__placement="footer", menu__locale__language_code="fi").first()
    if item is None:
        pytest.skip("the site shell has no footer menu")
    client.get("/")
    item.label = "Seeprapolku"
    item.save()
    assert "Seeprapolku" in client.get("/").content.decode()
