"""Every public page type of Ovi, in one list: the accessibility tests
(tests/browser/test_accessibility.py) and `make screenshots`
(tests/browser/screenshots.py) walk the same pages.

A page type knows how to find its address in each language from the demo content
(portal.demo.load_all), who to show it to, and, for an error state reached by
submitting a form, what to do in the browser once the page is open. Addresses are
looked up in the database, never written out, so a changed slug or uid in the demo
cannot make a test silently visit a 404.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

LANGUAGES = ("fi", "sv", "en")
ANONYMOUS, PROFESSIONAL = "anonymous", "professional"
USERS = (ANONYMOUS, PROFESSIONAL)

# The demo's places and records the pages show (portal/demo/pathways.json,
# directory/demo/directory.json).
CHILD_SITUATION = "huoli-lapsesta-tai-perheesta"
OLDER_SITUATION = "ikaantyneen-kotona-asuminen"
LIPERI_POSTAL_CODE = "83100"
INARI_POSTAL_CODE = "99800"  # nothing registered: the county's contact instead of a door
UNKNOWN_POSTAL_CODE = "00001"
JOENSUU = "167"
SEARCH_WITH_RESULTS = "neuvola"
SEARCH_WITHOUT_RESULTS = "qxzvyw"


@dataclass(frozen=True)
class PageType:
    key: str
    locate: Callable[[str], str]  # language -> path (reads the database)
    users: tuple = (ANONYMOUS,)
    status: int = 200
    anonymous_status: int | None = None  # when an anonymous visitor gets another answer
    # After the page has loaded: bring it to the state to check (submit a form...).
    act: Callable | None = field(default=None, compare=False)
    description: str = ""

    def expected_status(self, user):
        if user == ANONYMOUS and self.anonymous_status is not None:
            return self.anonymous_status
        return self.status


def prefix(language):
    return "/" if language == "fi" else f"/{language}/"


def _translated(page, language):
    from wagtail.models import Locale

    if page.locale.language_code != language:
        page = page.get_translation(Locale.objects.get(language_code=language))
    return page.specific


def _fi(model, **filters):
    return model.objects.live().filter(locale__language_code="fi", **filters).order_by("path").first()


def page_url(model, language, **filters):
    return _translated(_fi(model, **filters), language).url


def home(language):
    from portal.models import HomePage

    return page_url(HomePage, language)


def pathway_index(language):
    from portal.models import PathwayIndexPage

    return page_url(PathwayIndexPage, language)


def pathway(language, situation=CHILD_SITUATION):
    from portal.models import PathwayPage

    return page_url(PathwayPage, language, life_situation__slug=situation)


def directory(language):
    from directory.models import DirectoryIndexPage

    return page_url(DirectoryIndexPage, language)


def record(kind, language, record_model, **filters):
    from directory.models import DirectoryIndexPage

    page = _translated(_fi(DirectoryIndexPage), language)
    uid = record_model.objects.filter(**filters).order_by("pk").values_list("uid", flat=True).first()
    return page.url + page.reverse_subpage(kind, kwargs={"uid": uid})


def service(language):
    """The demo service with the most to show: contact people for professionals."""
    from directory.models import Service

    return record("service", language, Service, contact_people__isnull=False)


def organisation(language):
    from directory.models import Organisation

    return record("organisation", language, Organisation, services__contact_people__isnull=False)


def location(language):
    from directory.models import Location

    return record("location", language, Location, uid="f403240e-8623-4192-a829-8c882fa8ff27")


def team(language):
    from directory.models import Team

    return record("team", language, Team)


def network_map(language):
    from directory.models import DirectoryIndexPage

    page = _translated(_fi(DirectoryIndexPage), language)
    return page.url + page.reverse_subpage("network") + f"?municipality={JOENSUU}"


def library(language):
    from models_library.models import ModelsLibraryIndexPage

    return page_url(ModelsLibraryIndexPage, language)


def operating_model(language):
    from models_library.models import OperatingModelPage

    return page_url(OperatingModelPage, language, slug="rantakylan-aluetiimi")


def comparison(language):
    from models_library.models import ModelsLibraryIndexPage, OperatingModelPage

    index = _translated(_fi(ModelsLibraryIndexPage), language)
    uids = [
        str(page.translation_key)
        for page in OperatingModelPage.objects.live().filter(locale__language_code="fi").order_by("path")[:3]
    ]
    return index.url + index.reverse_subpage("compare") + "?" + "&".join(f"m={uid}" for uid in uids)


def development_team(language):
    from models_library.models import DevelopmentTeamPage

    return page_url(DevelopmentTeamPage, language, slug="pohjois-karjala")


def standard(language, key):
    from portal.demo import demo_key
    from portal.models import StandardPage

    return page_url(StandardPage, language, translation_key=demo_key(key))


def first_service_reference():
    from directory.models import Service

    uid = (
        Service.objects.filter(contact_people__isnull=False)
        .order_by("pk")
        .values_list("uid", flat=True)
        .first()
    )
    return f"service:{uid}"


def submit(tab):
    """Send the page's main form as it is (empty or with wrong values): its error state."""
    with tab.expect_navigation():
        tab.locator("main form[method=post] button[type=submit]").first.click()


def wrong_password(tab):
    tab.locator("main input[name=username]").fill("nobody@example.invalid")
    tab.locator("main input[name=password]").fill("not-the-password")
    submit(tab)


BOTH = (ANONYMOUS, PROFESSIONAL)

PAGE_TYPES = [
    PageType("home", home, BOTH),
    PageType("pathway-index", pathway_index),
    PageType(
        "pathway-index-missing-place",
        lambda lang: pathway_index(lang) + f"?situation={CHILD_SITUATION}",
        status=400,
        description="the door finder sent without a place: its error state",
    ),
    PageType("pathway", pathway),
    PageType("pathway-result", lambda lang: pathway(lang) + f"?postal_code={LIPERI_POSTAL_CODE}", BOTH),
    PageType(
        "pathway-no-door", lambda lang: pathway(lang, OLDER_SITUATION) + f"?postal_code={INARI_POSTAL_CODE}"
    ),
    PageType("pathway-unknown-place", lambda lang: pathway(lang) + f"?postal_code={UNKNOWN_POSTAL_CODE}"),
    PageType("directory", directory),
    PageType(
        "directory-filtered",
        lambda lang: (
            directory(lang) + f"?sector=health_care&situation={CHILD_SITUATION}&municipality={JOENSUU}"
        ),
    ),
    PageType("directory-empty", lambda lang: directory(lang) + "?sector=police_and_safety&municipality=426"),
    PageType("directory-postal-code-error", lambda lang: directory(lang) + "?postal_code=123"),
    PageType("organisation", organisation, BOTH),
    PageType("service", service, BOTH),
    PageType("location", location, BOTH),
    PageType("team", team, BOTH),
    PageType(
        "network-map",
        network_map,
        BOTH,
        anonymous_status=403,
        description="professionals only: an anonymous visitor is told so",
    ),
    PageType("library", library),
    PageType("library-filtered-empty", lambda lang: library(lang) + "?q=" + SEARCH_WITHOUT_RESULTS),
    PageType("operating-model", operating_model, BOTH),
    PageType("comparison", comparison),
    PageType("development-team", development_team),
    PageType("search", lambda lang: prefix(lang) + f"haku/?q={SEARCH_WITH_RESULTS}", BOTH),
    PageType("search-no-results", lambda lang: prefix(lang) + f"haku/?q={SEARCH_WITHOUT_RESULTS}"),
    PageType("standard-page", lambda lang: standard(lang, "about")),
    PageType("accessibility-statement", lambda lang: standard(lang, "accessibility")),
    PageType("sign-in", lambda lang: prefix(lang) + "kirjaudu/"),
    PageType("sign-in-error", lambda lang: prefix(lang) + "kirjaudu/", act=wrong_password),
    PageType(
        "report-error", lambda lang: prefix(lang) + "ilmoita-virheesta/?record=" + first_service_reference()
    ),
    PageType(
        "report-error-invalid",
        lambda lang: prefix(lang) + "ilmoita-virheesta/?record=" + first_service_reference(),
        act=submit,
    ),
    PageType("coverage", lambda lang: prefix(lang) + "kattavuus/", (PROFESSIONAL,)),
    PageType("coverage-county", lambda lang: prefix(lang) + "kattavuus/14/", (PROFESSIONAL,)),
    PageType("two-factor", lambda lang: prefix(lang) + "kirjaudu/kaksivaiheinen/", (PROFESSIONAL,)),
    PageType("not-found", lambda lang: prefix(lang) + "ei-tallaista-sivua/", status=404),
]

BY_KEY = {page_type.key: page_type for page_type in PAGE_TYPES}


def page_states(languages=LANGUAGES, users=USERS):
    """(page type key, language, user) for every state to check."""
    return [
        (page_type.key, language, user)
        for page_type in PAGE_TYPES
        for language in languages
        for user in page_type.users
        if user in users
    ]


def create_professional(username="a11y-professional"):
    """A signed-in professional (directory.visibility's group) and a session cookie value."""
    from django.contrib.auth.models import Group, User
    from django.test import Client

    from directory.visibility import PROFESSIONALS_GROUP

    user, _created = User.objects.get_or_create(
        username=username, defaults={"email": f"{username}@example.invalid"}
    )
    user.groups.add(Group.objects.get(name=PROFESSIONALS_GROUP))
    client = Client()
    client.force_login(user)
    from django.conf import settings

    return settings.SESSION_COOKIE_NAME, client.cookies[settings.SESSION_COOKIE_NAME].value
