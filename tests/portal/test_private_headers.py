"""Cache headers of private answers, over every route and page type of the site.

Every answer to a signed-in professional (a session) or to a request carrying an
Authorization header is `Cache-Control: private, no-store` and never enters the
shared page cache; a cacheable anonymous answer is `public`; and an anonymous
visitor asking for the same address right after a professional is never served
the professional's answer (cache poisoning).

The address list is built from the URL resolvers and the demo content, so a new
view is caught: a route without parameters is requested as it is (in fi, sv and
en for the language-prefixed ones), a route with parameters needs a sample in
`parameter_samples()`, every page type needs a live demo page, and every route of
a routable page needs a sample in `subpage_samples()`, or the test fails.
"""

import pytest
from django.apps import apps
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.test import Client
from django.urls import URLResolver, get_resolver
from django.utils.cache import cc_delim_re
from wagtail.contrib.routable_page.models import RoutablePageMixin
from wagtail.models import Page, PageViewRestriction

from directory.models import ContactPerson, Location, Organisation, Service, Team, WellbeingCounty
from directory.roles import PROFESSIONALS_GROUP
from tests.directory.factories import UserFactory

pytestmark = pytest.mark.django_db

# Routes that are not the site's answers: the admin (never cached, session only,
# tested by Wagtail and the admin tests), files.
SKIPPED_PREFIXES = ("admin/", "django-admin/", "^static/", "^media/", "static/", "media/")
WAGTAIL_SERVE = "wagtail.views.serve"
LANGUAGE_PREFIXES = ("", "sv/", "en/")
API_PREFIXES = ("/api/",)
CHILD = "huoli-lapsesta-tai-perheesta"  # a life situation of the demo with a pathway
# Queries that make a page show more: a pathway for a place shows its doors.
PAGE_QUERIES = {"PathwayPage": ["", "?postal_code=83100"]}


def directives(response):
    parts = cc_delim_re.split(response.get("Cache-Control", ""))
    return {part.split("=")[0].strip().lower() for part in parts if part}


def routes(resolver=None, prefix=""):
    """(route, view, language-prefixed?) for every URL pattern, admin included."""
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            localized = type(pattern.pattern).__name__ == "LocalePrefixPattern"
            for route, view, inner_localized in routes(pattern, prefix + str(pattern.pattern)):
                yield route, view, localized or inner_localized
        else:
            yield prefix + str(pattern.pattern), pattern.lookup_str, False


def is_plain(route):
    """A route without parameters, and its path."""
    if "<" in route or "(" in route:
        return False
    return True


def plain_path(route):
    return "/" + route.replace("^", "").replace("$", "").replace("/?", "/").replace("//", "/")


def parameter_samples(anonymous):
    """Addresses for the routes with parameters, from the demo content."""

    def first_id(listing):
        return anonymous.get(listing).json()["contents"][0]["id"]

    county = WellbeingCounty.objects.filter(code__isnull=False).order_by("code").first()
    restricted = password_restricted_page()
    document = a_document()
    return {
        "api/hsds/^services/(?P<identifier>[^/]+)/?$": [
            f"/api/hsds/services/{first_id('/api/hsds/services')}"
        ],
        "api/hsds/^organizations/(?P<identifier>[^/]+)/?$": [
            f"/api/hsds/organizations/{first_id('/api/hsds/organizations')}"
        ],
        "api/hsds/^taxonomies/(?P<identifier>[^/]+)/?$": [
            f"/api/hsds/taxonomies/{first_id('/api/hsds/taxonomies')}"
        ],
        "api/hsds/^taxonomy_terms/(?P<identifier>[^/]+)/?$": [
            f"/api/hsds/taxonomy_terms/{first_id('/api/hsds/taxonomy_terms')}"
        ],
        "api/hsds/^service_at_locations/(?P<identifier>[^/]+)/?$": [
            f"/api/hsds/service_at_locations/{first_id('/api/hsds/service_at_locations')}"
        ],
        "kattavuus/<str:code>/": [f"{lang}kattavuus/{county.code}/" for lang in ("/", "/sv/", "/en/")],
        "kattavuus/<str:code>/csv/": [f"/kattavuus/{county.code}/csv/"],
        "kirjaudu/salasana/<uidb64>/<token>/": ["/kirjaudu/salasana/MQ/set-password/"],
        "_util/authenticate_with_password/<int:page_view_restriction_id>/<int:page_id>/": [
            f"/_util/authenticate_with_password/{restricted.view_restrictions.first().pk}/{restricted.pk}/"
        ],
        "documents/^(\\d+)/(.*)$": [document.url],
        "documents/authenticate_with_password/<int:restriction_id>/": [
            "/documents/authenticate_with_password/1/"
        ],
        "^((?:[\\w\\-]+/)*)$": [],  # Wagtail's pages: see page_addresses()
        # Plain routes whose interesting answers need parameters.
        "api/v1/doors": [
            "/api/v1/doors",
            f"/api/v1/doors?situation={CHILD}&postal_code=83100",
            f"/api/v1/doors?situation={CHILD}&postal_code=80100&lang=sv",
        ],
        "api/v1/search": ["/api/v1/search?q=perhe", "/api/v1/search?q=perhekeskus&lang=en"],
        "api/v1/suggest": ["/api/v1/suggest?q=per"],
        "haku/": ["/haku/?q=perhe", "/sv/haku/?q=perhe", "/en/haku/", "/haku/"],
    }


def subpage_samples():
    """Addresses under each routable page, by (page class, route name)."""
    public = Service.objects.public().order_by("pk").first()
    hidden = Service.objects.exclude(pk__in=Service.objects.public()).order_by("pk").first()
    return {
        ("DirectoryIndexPage", "browse"): ["", "?q=perhe"],
        ("DirectoryIndexPage", "service"): [f"palvelu/{s.uid}/" for s in (public, hidden) if s is not None],
        ("DirectoryIndexPage", "organisation"): [
            f"organisaatio/{Organisation.objects.order_by('pk').first().uid}/"
        ],
        ("DirectoryIndexPage", "location"): [f"toimipiste/{Location.objects.order_by('pk').first().uid}/"],
        ("DirectoryIndexPage", "team"): [f"tiimi/{Team.objects.order_by('pk').first().uid}/"],
        ("DirectoryIndexPage", "network"): ["verkostokartta/"],
        ("ModelsLibraryIndexPage", "listing"): ["", "?q=perhe"],
        ("ModelsLibraryIndexPage", "compare"): ["vertaa/"],
        ("PathwayIndexPage", "finder"): ["", f"?situation={CHILD}&postal_code=83100"],
    }


def password_restricted_page():
    page = Page.objects.live().filter(depth__gt=2).type(*page_types()).order_by("path").last()
    if not page.view_restrictions.exists():
        PageViewRestriction.objects.create(
            page=page, restriction_type=PageViewRestriction.PASSWORD, password="x"
        )
    return page


def a_document():
    from wagtail.documents import get_document_model

    Document = get_document_model()
    document = Document.objects.first()
    if document is None:
        document = Document(title="Liite")
        document.file.save("liite.txt", ContentFile(b"Liite"), save=True)
    return document


def page_types():
    return [
        model
        for model in apps.get_models()
        if issubclass(model, Page) and model is not Page and not model._meta.abstract
    ]


def page_addresses(samples_by_route):
    """Up to two live pages of every page type in every language, with the routes of routable ones."""
    addresses, missing = [], []
    for model in page_types():
        pages = list(model.objects.live().order_by("path"))
        if not pages:
            missing.append(f"page type {model.__name__}: no live demo page")
            continue
        per_language = {}
        for page in pages:
            per_language.setdefault(page.locale.language_code, []).append(page)
        for chosen in per_language.values():
            for page in chosen[:2]:
                url = page.url
                if issubclass(model, RoutablePageMixin):
                    seen = set()
                    for pattern in page.get_subpage_urls():
                        if str(pattern.pattern) in seen:
                            continue  # shadowed by an earlier route (Wagtail's default index_route)
                        seen.add(str(pattern.pattern))
                        key = (model.__name__, pattern.name)
                        if key not in samples_by_route:
                            missing.append(f"route {pattern.name!r} of {model.__name__}: add a sample")
                            continue
                        addresses += [url + sub for sub in samples_by_route[key]]
                else:
                    addresses += [url + query for query in PAGE_QUERIES.get(model.__name__, [""])]
    return addresses, missing


def professional_markers():
    """Professional-only values of the demo: none may ever reach an anonymous visitor."""
    markers = set()
    for person in ContactPerson.objects.all():
        markers |= {value for value in (person.email, person.phone) if value and len(value) > 5}
    markers |= {phone for phone in Service.objects.values_list("professional_phone", flat=True) if phone}
    return markers


@pytest.fixture
def demo(db):
    call_command("load_demo", verbosity=0)


@pytest.fixture
def professional(demo):
    user = UserFactory(username="ammattilainen-otsakkeet")
    user.groups.add(Group.objects.get(name=PROFESSIONALS_GROUP))
    return user


def all_addresses(anonymous):
    samples = parameter_samples(anonymous)
    addresses, missing = [], []
    for route, view, localized in routes():
        if route.startswith(SKIPPED_PREFIXES):
            continue
        if route in samples:
            addresses += samples[route]
        elif is_plain(route):
            path = plain_path(route)
            addresses += [f"/{lang}{path.lstrip('/')}" for lang in LANGUAGE_PREFIXES] if localized else [path]
        else:
            missing.append(f"route {route!r} ({view}): add a sample to parameter_samples()")
    pages, missing_pages = page_addresses(subpage_samples())
    return list(dict.fromkeys(addresses + pages)), list(dict.fromkeys(missing + missing_pages))


def test_every_answer_to_a_professional_is_private_and_never_reaches_anonymous_visitors(
    professional, settings
):
    settings.OVI_PAGE_CACHE_SECONDS = 60
    anonymous = Client()
    addresses, missing = all_addresses(anonymous)
    assert not missing, "views not covered by this test:\n" + "\n".join(missing)
    markers = professional_markers()
    assert markers, "the demo has professional-only data"

    signed_in = Client()
    signed_in.force_login(professional)
    api_client = Client(HTTP_AUTHORIZATION="Bearer kokeilu")
    from django.core.cache import cache

    cache.clear()
    problems, professional_saw_markers, public_answers = [], 0, 0
    for address in addresses:
        # 1. The professional first: a private answer, never stored.
        answer = signed_in.get(address)
        if not {"private", "no-store"} <= directives(answer) or "public" in directives(answer):
            problems.append(f"{address}: professional got Cache-Control {answer.get('Cache-Control')!r}")
        if answer.get("X-Cache"):
            problems.append(f"{address}: professional's answer went through the page cache")
        body = b"".join(answer.streaming_content) if answer.streaming else answer.content
        professional_saw_markers += any(marker.encode() in body for marker in markers)

        # 2. An API client with credentials in an Authorization header: private too.
        if address.startswith(API_PREFIXES):
            answer = api_client.get(address)
            if not {"private", "no-store"} <= directives(answer) or answer.get("X-Cache"):
                problems.append(f"{address}: Authorization request got {answer.get('Cache-Control')!r}")

        # 3. Then an anonymous visitor: never the professional's answer.
        for attempt in ("first", "second"):
            answer = anonymous.get(address)
            body = b"".join(answer.streaming_content) if answer.streaming else answer.content
            leaked = [marker for marker in markers if marker.encode() in body]
            if leaked:
                problems.append(f"{address}: anonymous ({attempt}) got professional data {leaked[:3]}")
            if attempt == "first" and answer.get("X-Cache") == "hit":
                problems.append(f"{address}: anonymous got a stored answer right after a professional")
            cacheable = answer.status_code == 200 and not answer.cookies and not answer.streaming
            if cacheable and not directives(answer) & {"private", "no-store", "no-cache"}:
                public_answers += 1
                if "public" not in directives(answer):
                    problems.append(f"{address}: anonymous answer has no public cache headers")
        anonymous.cookies.clear()

    assert not problems, "\n".join(problems)
    assert professional_saw_markers, "no address showed the professional any professional-only data"
    assert public_answers, "no anonymous answer was public"


def test_the_address_list_covers_every_kind_of_answer(demo):
    addresses, missing = all_addresses(Client())
    assert not missing
    expected_prefixes = (
        "/api/v1/doors?",
        "/api/v1/search?",
        "/api/v1/suggest?",
        "/api/hsds/services",
        "/haku/",
        "/sv/haku/",
    )
    for expected in expected_prefixes:
        assert any(address.startswith(expected) for address in addresses), expected
    assert any("/palvelu/" in address for address in addresses)
    assert any(address.endswith("vertaa/") for address in addresses)
