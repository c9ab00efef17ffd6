"""Wagtail page privacy everywhere a page's content can surface (DESIGN.md,
"Data rules"; the rule: models_library/privacy.py, docs/models-library.md).

Login-, password- and group-restricted operating models, a model under a
restricted team page (a restriction on an ancestor), the translations of all
of them (their own pages have no restriction: the Finnish page's applies),
a model whose Swedish translation alone is restricted, and a
password-restricted standard page with a Swedish translation. Each carries a
marker word found nowhere else. No output an anonymous visitor can reach
shows a restricted title or marker: the page itself, the library listing
(also searched), a team page's list of models, the comparison, the pathway's
"what happens next", the doors API, the search API, suggest, the search page
and the menus. Signed-in users the restriction lets in still see the page
itself (and, for login and group restrictions, the lists).

Search is checked on every engine (Elasticsearch when ELASTICSEARCH_URL is
set): restricted pages are not indexed at all, creating or deleting a
restriction (also on an ancestor) re-indexes what it covers, and
`search_index check` reports a restricted page left in the index.
"""

import copy
import json

import pytest
from django.contrib.auth.models import Group, User
from django.urls import reverse
from django.utils.html import escape
from wagtail.models import Locale, PageViewRestriction

from models_library.exchange import import_document
from models_library.models import DevelopmentTeamPage, ModelsLibraryIndexPage, OperatingModelPage
from portal.models import StandardPage
from search import indexing, service
from search.models import SearchEntry
from search.signals import paused
from tests.directory.conftest import RANTAKYLA_MODEL_UID
from tests.models_library.factories import document, model_record
from tests.search.conftest import ENGINES, drop_test_indices, use_engine
from tests.search.content import *  # noqa: F403
from tests.search.content import rebuild

pytestmark = pytest.mark.django_db

PASSWORD = "ksylofoni-tuuba-123"
GROUP = "Salaiset harpistit"

# What each restricted thing is called, and a word only its content has.
SECRET_MODELS = {
    # The pathway's door (the scenario's team) follows this model (by its uid).
    "login": {
        "uid": str(RANTAKYLA_MODEL_UID),
        "slug": "rantakylan-aluetiimi",
        "team": "pohjois-karjala",
        "title": {
            "fi": "Kirjautuneiden ksylofonimalli",
            "sv": "Inloggades xylofonmodell",
            "en": "Signed-in xylophone model",
        },
        "marker": "ksylofonisalaisuus",
        "step": "Ksylofoniaskel",
    },
    "password": {
        "slug": "tuubamalli",
        "team": "pohjois-karjala",
        "title": {"fi": "Salasanan tuubamalli", "sv": "Lösenordets tubamodell", "en": "Password tuba model"},
        "marker": "tuubasalaisuus",
        "step": "Tuuba-askel",
    },
    "groups": {
        "slug": "harppumalli",
        "team": "pohjois-karjala",
        "title": {"fi": "Ryhmän harppumalli", "sv": "Gruppens harpmodell", "en": "Group harp model"},
        "marker": "harppusalaisuus",
        "step": "Harppuaskel",
    },
    # Restricted through its team page.
    "ancestor": {
        "slug": "okariinamalli",
        "team": "pohjois-savo",
        "title": {"fi": "Tiimin okariinamalli", "sv": "Teamets okarinamodell", "en": "Team ocarina model"},
        "marker": "okariinasalaisuus",
        "step": "Okariina-askel",
    },
}
# Public in Finnish; only its Swedish page is restricted (its Swedish title and short description are secret).
SV_ONLY = {
    "slug": "viulumalli",
    "title": {"fi": "Julkinen viulumalli", "sv": "Fiolmodellens hemlighet", "en": "Violin model"},
    "marker": "fiolhemligheten",
}
STANDARD_PAGE = {
    "fi": "Salasanan kontrabassosivu",
    "sv": "Lösenordets kontrabassida",
    "marker": "kontrabassosalaisuus",
}


def secret_strings():
    """Every string an anonymous visitor must never be shown."""
    strings = [
        STANDARD_PAGE["fi"],
        STANDARD_PAGE["sv"],
        STANDARD_PAGE["marker"],
        SV_ONLY["title"]["sv"],
        SV_ONLY["marker"],
    ]
    for secret in SECRET_MODELS.values():
        strings += [*secret["title"].values(), secret["marker"], secret["step"]]
    return strings


def leaks(text, echoed=""):
    """The secrets in `text`; `echoed` (the query a page repeats in its search box) aside."""
    text = text.casefold()
    if echoed:
        for form in (echoed, json.dumps(echoed, ensure_ascii=False)[1:-1], escape(echoed)):
            text = text.replace(form.casefold(), "")
    return [secret for secret in secret_strings() if secret.casefold() in text]


def restricted_urls():
    urls = []
    for secret in SECRET_MODELS.values():
        model = fi_model(secret["slug"])
        urls += [model.url, translation(model, "sv").url, translation(model, "en").url]
    urls.append(translation(fi_model(SV_ONLY["slug"]), "sv").url)
    urls += [page.url for page in StandardPage.objects.filter(slug__in=["kontrabasso", "kontrabas"])]
    return urls


def shows_restricted(text, echoed):
    """What of the restricted content a searched page or answer shows."""
    return leaks(text, echoed) + [url for url in restricted_urls() if f'{url}"' in text]


def _record(slug, title, marker, step, team, sv_description=None, uid=None):
    record = model_record(slug, title=title, team=team)
    if uid:
        record["uid"] = uid
    record["description"] = copy.deepcopy(record["description"])
    record["description"]["core_idea"] = {"fi": f"Mallin ydin on {marker}."}
    record["process"][0]["title"] = {"fi": step, "sv": step, "en": step}
    record["process"][0]["description"] = {"fi": f"Ensin {marker}."}
    if sv_description:
        record["short_description"] = {**record["short_description"], "sv": sv_description}
    return record


def restrict(page, kind, groups=()):
    restriction = PageViewRestriction.objects.create(
        page=page, restriction_type=kind, password=PASSWORD if kind == "password" else ""
    )
    restriction.groups.set(groups)
    return restriction


def fi_model(slug):
    return OperatingModelPage.objects.get(slug=slug, locale__language_code="fi")


def translation(page, language):
    return page.get_translation(Locale.objects.get(language_code=language)).specific


def plant(content):
    """The restricted content (with the index updates paused: the caller rebuilds)."""
    with paused():
        import_document(
            document(
                *[
                    _record(s["slug"], s["title"], s["marker"], s["step"], s["team"], uid=s.get("uid"))
                    for s in SECRET_MODELS.values()
                ],
                _record(
                    SV_ONLY["slug"],
                    SV_ONLY["title"],
                    "viulunjousi",
                    "Viuluaskel",
                    "pohjois-karjala",
                    sv_description=f"Modellen är {SV_ONLY['marker']}.",
                ),
            )
        )
        harpists = Group.objects.create(name=GROUP)
        restrictions = {
            "login": restrict(fi_model("rantakylan-aluetiimi"), "login"),
            "password": restrict(fi_model("tuubamalli"), "password"),
            "groups": restrict(fi_model("harppumalli"), "groups", [harpists]),
            "ancestor": restrict(
                DevelopmentTeamPage.objects.get(slug="pohjois-savo", locale__language_code="fi"), "login"
            ),
            "sv_only": restrict(translation(fi_model("viulumalli"), "sv"), "login"),
        }
        home = content["homes"]["fi"]
        page = home.add_child(
            instance=StandardPage(
                title=STANDARD_PAGE["fi"],
                slug="kontrabasso",
                intro=f"Sivun ydin on {STANDARD_PAGE['marker']}.",
            )
        )
        page.save_revision().publish()
        swedish = page.copy_for_translation(content["homes"]["sv"].locale).specific
        swedish.title, swedish.slug = STANDARD_PAGE["sv"], "kontrabas"
        swedish.intro = f"Sidans kärna är {STANDARD_PAGE['marker']}."
        swedish.save_revision().publish()
        restrictions["standard_page"] = restrict(page, "password")
    return {
        "restrictions": restrictions,
        "standard_page": {"fi": page, "sv": StandardPage.objects.get(pk=swedish.pk)},
        "signed_in": User.objects.create_user("kirjautunut", password="x"),
        "harpist": _member(harpists),
    }


def _member(group):
    user = User.objects.create_user("harpisti", password="x")
    user.groups.add(group)
    return user


@pytest.fixture
def search_engine(request, content, settings):
    """The search engine under test: the database unless a test asks for each engine
    (`@pytest.mark.parametrize("search_engine", ENGINES, indirect=True)`)."""
    name = getattr(request, "param", "database")
    use_engine(settings, name)
    elasticsearch = service.elasticsearch_engine()
    yield name
    drop_test_indices(elasticsearch)


@pytest.fixture
def planted(content, search_engine):
    planted = plant(content)
    rebuild()
    return {**content, **planted}


def library_index(language="fi"):
    return ModelsLibraryIndexPage.objects.get(locale__language_code=language)


def text_of(response):
    return response.content.decode()


def is_login_redirect(response):
    """Sent to the site's sign-in page (in the page's language), to come back afterwards."""
    from urllib.parse import urlsplit

    if response.status_code != 302:
        return False
    location = urlsplit(response["Location"])
    return location.path in ("/kirjaudu/", "/sv/kirjaudu/", "/en/kirjaudu/") and "next=" in location.query


# The pages themselves ----------------------------------------------------------------------------


def test_restricted_pages_and_their_translations_refuse_anonymous_visitors(client, planted):
    for kind, secret in SECRET_MODELS.items():
        model = fi_model(secret["slug"])
        for page in (model, translation(model, "sv"), translation(model, "en")):
            response = client.get(page.url)
            assert not leaks(text_of(response)), (kind, page.url)
            if kind == "password":
                assert response.status_code == 200 and 'name="password"' in text_of(response), page.url
            else:
                assert is_login_redirect(response), (kind, page.url, response.status_code)
            assert "no-cache" in response.get("Cache-Control", "") or "no-store" in response.get(
                "Cache-Control", ""
            )

    public_finnish = client.get(fi_model("viulumalli").url)
    assert public_finnish.status_code == 200 and "Julkinen viulumalli" in text_of(public_finnish)
    assert is_login_redirect(client.get(translation(fi_model("viulumalli"), "sv").url))
    for page in planted["standard_page"].values():
        response = client.get(page.url)
        assert 'name="password"' in text_of(response) and not leaks(text_of(response))


def test_users_the_restriction_lets_in_see_the_page_and_its_translations(client, planted):
    login = fi_model("rantakylan-aluetiimi")
    client.force_login(planted["signed_in"])
    for page in (login, translation(login, "sv")):
        response = client.get(page.url)
        assert response.status_code == 200 and SECRET_MODELS["login"]["marker"] in text_of(response)
    # Not in the group: refused.
    assert is_login_redirect(client.get(fi_model("harppumalli").url))
    assert is_login_redirect(client.get(translation(fi_model("harppumalli"), "sv").url))

    client.force_login(planted["harpist"])
    for page in (fi_model("harppumalli"), translation(fi_model("harppumalli"), "en")):
        response = client.get(page.url)
        assert response.status_code == 200 and SECRET_MODELS["groups"]["marker"] in text_of(response)


def test_the_password_opens_the_page_and_its_translations_in_that_session_only(client, planted):
    model = fi_model("tuubamalli")
    swedish = translation(model, "sv")
    restriction = planted["restrictions"]["password"]
    # The form on the Swedish page posts to the Finnish page's restriction.
    form = text_of(client.get(swedish.url))
    action = reverse("wagtailcore_authenticate_with_password", args=[restriction.id, swedish.id])
    assert action in form

    response = client.post(action, {"password": PASSWORD, "return_url": swedish.url})
    assert response.status_code == 302
    for page in (swedish, model):
        response = client.get(page.url)
        assert response.status_code == 200 and SECRET_MODELS["password"]["marker"] in text_of(response)
    # Never in a list, not even for the session that gave the password.
    assert SECRET_MODELS["password"]["title"]["fi"] not in text_of(client.get(library_index().url))


# Lists, comparison, pathways, doors API, menus ----------------------------------------------------------


def test_the_library_listing_and_team_pages_show_no_restricted_model(client, planted):
    for language in ("fi", "sv", "en"):
        index = library_index(language)
        listing = text_of(client.get(index.url))
        assert not leaks(listing), (language, leaks(listing))
        for secret in [*SECRET_MODELS.values(), SV_ONLY]:
            for word in (secret["marker"], secret["title"]["fi"], secret["title"]["sv"]):
                searched = text_of(client.get(index.url, {"q": word}))
                assert not shows_restricted(searched, word), (
                    language,
                    word,
                    shows_restricted(searched, word),
                )
        for team in DevelopmentTeamPage.objects.filter(locale__language_code=language, live=True):
            response = client.get(team.url)
            assert not leaks(text_of(response)), (team.url, leaks(text_of(response)))
    # The model whose Swedish page alone is restricted is listed, by its Finnish title.
    swedish_listing = text_of(client.get(library_index("sv").url))
    assert "Julkinen viulumalli" in swedish_listing and SV_ONLY["title"]["sv"] not in swedish_listing


def test_signed_in_users_get_the_models_their_restrictions_allow_in_lists(client, planted):
    client.force_login(planted["signed_in"])
    listing = text_of(client.get(library_index().url))
    assert SECRET_MODELS["login"]["title"]["fi"] in listing
    assert SECRET_MODELS["ancestor"]["title"]["fi"] in listing
    assert SECRET_MODELS["groups"]["title"]["fi"] not in listing
    assert SECRET_MODELS["password"]["title"]["fi"] not in listing

    client.force_login(planted["harpist"])
    assert SECRET_MODELS["groups"]["title"]["fi"] in text_of(client.get(library_index().url))


def test_the_comparison_shows_no_restricted_model_in_any_section(client, planted):
    public = planted["model"]
    uids = [str(fi_model(secret["slug"]).translation_key) for secret in SECRET_MODELS.values()]
    for language in ("fi", "sv", "en"):
        url = library_index(language).url + "vertaa/"
        for uid in [*uids, str(fi_model(SV_ONLY["slug"]).translation_key)]:
            response = client.get(url, {"m": [str(public.translation_key), uid]})
            assert response.status_code == 200
            assert not leaks(text_of(response)), (language, leaks(text_of(response)))
        response = client.get(url, {"m": uids[:3]})
        assert not leaks(text_of(response))

    client.force_login(planted["signed_in"])
    allowed = text_of(
        client.get(library_index().url + "vertaa/", {"m": [str(public.translation_key), uids[0]]})
    )
    assert SECRET_MODELS["login"]["marker"] in allowed


def test_pathway_steps_and_the_doors_api_skip_a_restricted_model(client, planted):
    pathway = planted["pathway"]
    for language in ("fi", "sv"):
        response = client.get(pathway[language].url, {"municipality": "167"})
        page = text_of(response)
        assert response.status_code == 200
        assert {"fi": "Perheiden yhteinen ovi", "sv": "Familjernas gemensamma dörr"}[language] in page
        assert not leaks(page), (language, leaks(page))
        assert "Kerrot huolesi" in page  # the pathway's own general steps instead

        api = client.get(
            "/api/v1/doors", {"situation": "huoli-lapsesta", "municipality": "167", "lang": language}
        )
        assert api.status_code == 200
        body = api.json()
        assert body["doors"] and body["next_steps"]["operating_model"] is None
        assert not leaks(json.dumps(body, ensure_ascii=False))

    # A signed-in user gets the login-restricted model's steps.
    client.force_login(planted["signed_in"])
    assert SECRET_MODELS["login"]["step"] in text_of(client.get(pathway["fi"].url, {"municipality": "167"}))
    body = client.get("/api/v1/doors", {"situation": "huoli-lapsesta", "municipality": "167"}).json()
    assert body["next_steps"]["operating_model"]["title"] == SECRET_MODELS["login"]["title"]["fi"]


def test_a_restricted_pathway_is_left_out_of_the_door_finder_and_the_doors_api(client, planted):
    pathway = planted["pathway"]
    restrict(pathway["fi"], "login")
    assert is_login_redirect(client.get(pathway["sv"].url))
    finder = text_of(client.get(pathway["sv"].get_parent().url))
    assert pathway["sv"].title not in finder
    body = client.get(
        "/api/v1/doors", {"situation": "huoli-lapsesta", "municipality": "167", "lang": "sv"}
    ).json()
    assert body["pathway_url"] is None
    assert all(step["title"] != "Kerrot huolesi" for step in body["next_steps"]["steps"])


def test_menus_leave_out_a_restricted_page(client, planted):
    about = StandardPage.objects.get(slug="tietoa", locale__language_code="fi")  # in both menus
    titles = {
        code: about.get_translation(Locale.objects.get(language_code=code)).title for code in ("fi", "sv")
    }
    assert titles["fi"] in text_of(client.get("/"))
    restrict(about, "login")

    assert f">{titles['fi']}<" not in text_of(client.get("/"))
    assert f">{titles['sv']}<" not in text_of(client.get("/sv/"))
    client.force_login(planted["signed_in"])
    assert titles["fi"] in text_of(client.get("/"))


# Search ------------------------------------------------------------------------------------------------


def search_words():
    words = [
        STANDARD_PAGE["marker"],
        STANDARD_PAGE["fi"],
        STANDARD_PAGE["sv"],
        SV_ONLY["marker"],
        SV_ONLY["title"]["sv"],
    ]
    for secret in SECRET_MODELS.values():
        words += [secret["marker"], secret["step"], *secret["title"].values()]
    return words


@pytest.mark.parametrize("search_engine", ENGINES, indirect=True)
def test_search_suggest_and_the_search_page_show_no_restricted_page(client, planted, search_engine):
    for word in search_words():
        for language in ("fi", "sv", "en"):
            response = client.get("/api/v1/search", {"q": word, "lang": language})
            assert response.status_code == 200
            body = response.json()
            assert body["engine"] == search_engine
            assert not shows_restricted(json.dumps(body, ensure_ascii=False), word), (word, language)
            for prefix in (word[:5], word[:8], word):
                suggestions = client.get("/api/v1/suggest", {"q": prefix, "lang": language})
                assert not shows_restricted(suggestions.content.decode(), prefix), (prefix, language)
            page = client.get({"fi": "/haku/", "sv": "/sv/haku/", "en": "/en/haku/"}[language], {"q": word})
            assert not shows_restricted(text_of(page), word), (
                word,
                language,
                shows_restricted(text_of(page), word),
            )

    # Not for signed-in users or professionals either: restricted pages are not indexed.
    client.force_login(planted["signed_in"])
    marker = SECRET_MODELS["login"]["marker"]
    assert not shows_restricted(json.dumps(client.get("/api/v1/search", {"q": marker}).json()), marker)
    # The public Finnish page of the model whose Swedish page is restricted is found, with its Finnish title.
    results = client.get("/api/v1/search", {"q": "viulumalli", "lang": "sv"}).json()["results"]
    assert [r["title"] for r in results if r["type"] == "operating_model"] == [SV_ONLY["title"]["fi"]]


def test_no_restricted_page_is_a_search_document(planted):
    indexed = json.dumps(list(SearchEntry.objects.values_list("document", flat=True)), ensure_ascii=False)
    assert not leaks(indexed), leaks(indexed)
    assert indexing.check().ok


@pytest.mark.parametrize("search_engine", ENGINES, indirect=True)
def test_creating_and_deleting_a_restriction_reindexes_the_pages_it_covers(
    client, content, search_engine, django_capture_on_commit_callbacks
):
    rebuild()  # on the engine under test
    model = content["model"]  # Aluetiimin toimintamalli, public, under the pohjois-karjala team page
    team = model.get_parent().specific
    key = f"operating_model:{model.translation_key}"
    team_key = f"page:{team.translation_key}"

    def found(word, language="fi"):
        body = client.get("/api/v1/search", {"q": word, "lang": language}).json()
        assert body["engine"] == search_engine
        return {f"{r['type']}:{r['uid']}" for r in body["results"]}

    assert key in found("aluetiimin toimintamalli") and key in found("områdesteamets", "sv")

    # On the team page (an ancestor): the team page and the model under it leave the index.
    with django_capture_on_commit_callbacks(execute=True):
        restriction = restrict(team, "login")
    assert key not in found("aluetiimin toimintamalli") and key not in found("områdesteamets", "sv")
    assert not SearchEntry.objects.filter(key__in=[key, team_key]).exists()
    assert indexing.check().ok

    with django_capture_on_commit_callbacks(execute=True):
        restriction.delete()
    assert key in found("aluetiimin toimintamalli") and SearchEntry.objects.filter(key=team_key).exists()

    # On the Swedish translation only: the document keeps the Finnish page, without the Swedish title.
    swedish = translation(model, "sv")
    with django_capture_on_commit_callbacks(execute=True):
        restriction = restrict(swedish, "password")
    document = SearchEntry.objects.get(key=key).document
    assert "sv" not in document["title"] and swedish.title not in json.dumps(document, ensure_ascii=False)
    assert indexing.check().ok


def test_search_index_check_counts_a_restricted_page_left_in_the_index(content):
    model = content["model"]
    key = f"operating_model:{model.translation_key}"
    with paused():  # as if the update had been lost
        restriction = restrict(model, "groups")
    report = indexing.check()
    assert key in report.extra and not report.ok

    indexing.repair()
    assert not SearchEntry.objects.filter(key=key).exists() and indexing.check().ok

    with paused():
        restriction.delete()
        restrict(translation(model, "sv"), "login")
    report = indexing.check()
    assert key in report.missing  # public again
    indexing.repair()
    assert "sv" not in SearchEntry.objects.get(key=key).document["title"]
    assert indexing.check().ok
