"""Professionals' sign-in on the site (portal/accounts.py): sign-in and sign-out in
fi/sv/en, back to where the user was, never into the admin without admin rights,
password reset by e-mail, and login protection (django-axes lock-out on every
login route, the password reset rate limit, /django-admin/ off in production).

django-axes keeps its attempts in the database: every test here runs in a
transaction that is rolled back, and `no_lockouts_left` checks that nothing is
left behind for the next test. The per-address counters of password reset live
in the cache, which tests/conftest.py empties before every test.
"""

import re

import pytest
from axes.models import AccessAttempt
from bs4 import BeautifulSoup
from django.contrib.auth.models import Group, Permission
from django.core import mail
from wagtail.models import Page, PageViewRestriction

from directory.visibility import PROFESSIONALS_GROUP
from portal import accounts
from tests.portal.test_production_settings import PRODUCTION
from tests.portal.test_project import run_manage

pytestmark = pytest.mark.django_db

PASSWORD = "oikea-Salasana-42"


@pytest.fixture(autouse=True)
def no_lockouts_left(db):
    assert not AccessAttempt.objects.exists()
    yield
    from axes.utils import reset

    reset()


@pytest.fixture
def professional(django_user_model):
    user = django_user_model.objects.create_user(
        "maija",
        email="maija@hyvinvointialue.example",
        password=PASSWORD,
        first_name="Maija",
        last_name="Meikäläinen",
    )
    user.groups.add(Group.objects.get_or_create(name=PROFESSIONALS_GROUP)[0])
    return user


@pytest.fixture
def editor(django_user_model):
    user = django_user_model.objects.create_user("toimittaja", password=PASSWORD)
    user.user_permissions.add(
        Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")
    )
    return user


def soup(response):
    return BeautifulSoup(response.content, "html.parser")


def sign_in(client, path="/kirjaudu/", username="maija", password=PASSWORD, next=None, **meta):
    data = {"username": username, "password": password}
    if next is not None:
        data["next"] = next
    return client.post(path, data, **meta)


def signed_in_user_id(client):
    return client.session.get("_auth_user_id")


# --- sign-in and sign-out ----------------------------------------------------------------


def test_sign_in_from_a_page_and_land_back_there(client, site_shell, professional):
    page = soup(client.get("/tietoa/"))
    link = page.select_one(".account-nav a")
    assert link.get_text(strip=True) == "Kirjaudu"
    assert link["href"] == "/kirjaudu/?next=/tietoa/"

    form = soup(client.get(link["href"])).select_one("form.account-form")
    assert form.select_one("input[name=next]")["value"] == "/tietoa/"

    response = sign_in(client, next="/tietoa/")
    assert response.status_code == 302
    assert response["Location"] == "/tietoa/"
    assert signed_in_user_id(client) == str(professional.pk)


@pytest.mark.parametrize("prefix", ["", "/sv", "/en"])
def test_without_next_the_home_page_of_the_language(client, site_shell, professional, prefix):
    response = sign_in(client, f"{prefix}/kirjaudu/")
    assert response.status_code == 302
    assert response["Location"] == f"{prefix}/"


@pytest.mark.parametrize(
    "target", ["https://evil.example/", "//evil.example/", "/kirjaudu/", "/kirjaudu-ulos/"]
)
def test_next_off_the_site_or_to_the_sign_in_pages_is_ignored(client, site_shell, professional, target):
    response = sign_in(client, next=target)
    assert response["Location"] == "/"


def test_a_professional_without_admin_rights_is_never_sent_to_the_admin(client, site_shell, professional):
    response = sign_in(client, next="/admin/")
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert not response["Location"].startswith("/admin/")


def test_a_user_with_admin_rights_may_go_to_the_admin(client, site_shell, editor):
    assert sign_in(client, username="toimittaja").status_code == 302
    assert client.get("/").status_code == 200  # lands on the site, not the admin
    client.logout()
    response = sign_in(client, username="toimittaja", next="/admin/pages/")
    assert response["Location"] == "/admin/pages/"


def test_wrong_password_shows_the_form_again_with_a_message(client, site_shell, professional):
    response = sign_in(client, password="väärä")
    assert response.status_code == 200
    assert (
        "Käyttäjätunnus tai salasana ei ole oikein" in soup(response).select_one(".error-summary").get_text()
    )
    assert signed_in_user_id(client) is None


def test_header_shows_the_name_and_sign_out_for_a_signed_in_user(client, site_shell, professional):
    client.force_login(professional)
    header = soup(client.get("/tietoa/")).select_one(".account-nav")
    text = " ".join(header.get_text(" ", strip=True).split())
    assert "Kirjautunut: Maija Meikäläinen" in text
    form = header.select_one("form")
    assert form["method"] == "post"
    assert form["action"] == "/kirjaudu-ulos/"
    assert form.select_one("input[name=csrfmiddlewaretoken]")
    assert form.select_one("button").get_text(strip=True) == "Kirjaudu ulos"


def test_the_cached_anonymous_header_never_shows_a_name(client, site_shell, professional, django_user_model):
    first = client.get("/tietoa/")
    assert client.get("/tietoa/")["X-Cache"] == "hit"
    assert first["Cache-Control"].startswith("public")

    signed_in = django_user_model.objects.get(pk=professional.pk)
    from django.test import Client

    professional_client = Client()
    professional_client.force_login(signed_in)
    private = professional_client.get("/tietoa/")
    assert "Maija" in private.content.decode()
    assert "X-Cache" not in private or private["X-Cache"] != "hit"
    assert "private" in private["Cache-Control"] and "no-store" in private["Cache-Control"]

    anonymous = Client().get("/tietoa/")
    body = anonymous.content.decode()
    assert "Maija" not in body and "Kirjautunut" not in body
    assert soup(anonymous).select_one(".account-nav a").get_text(strip=True) == "Kirjaudu"


def test_sign_out_is_a_post_and_returns_to_the_page(client, site_shell, professional):
    client.force_login(professional)
    page = client.get("/kirjaudu-ulos/?next=/tietoa/")  # a page with the button, not a sign-out
    assert page.status_code == 200
    assert signed_in_user_id(client) == str(professional.pk)
    assert soup(page).select_one("form.account-form")["method"] == "post"

    response = client.post("/kirjaudu-ulos/", {"next": "/tietoa/"})
    assert response.status_code == 302
    assert response["Location"] == "/tietoa/"
    assert signed_in_user_id(client) is None
    assert client.put("/kirjaudu-ulos/").status_code == 405


def test_sign_out_needs_the_csrf_token(site_shell, professional):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    strict.force_login(professional)
    assert strict.post("/kirjaudu-ulos/").status_code == 403
    assert strict.session.get("_auth_user_id") == str(professional.pk)


@pytest.mark.parametrize(
    "path, username, password, button",
    [
        ("/kirjaudu/", "Käyttäjätunnus", "Salasana", "Kirjaudu sisään"),
        ("/sv/kirjaudu/", "Användarnamn", "Lösenord", "Logga in"),
        ("/en/kirjaudu/", "Username", "Password", "Sign in"),
    ],
)
def test_sign_in_page_in_each_language(client, site_shell, path, username, password, button):
    page = soup(client.get(path))
    labels = [label.get_text(strip=True) for label in page.select("form.account-form label")]
    assert labels == [username, password]
    assert page.select_one("form.account-form button").get_text(strip=True) == button
    if not path.startswith("/en/"):
        text = page.get_text(" ")
        assert "Password" not in text and "Username" not in text and "Sign in" not in text


def test_login_restricted_pages_send_to_the_sign_in_page_of_their_language(client, site_shell):
    for slug in ("tietoa",):
        page = Page.objects.get(slug=slug, locale__language_code="fi")
        PageViewRestriction.objects.create(page=page, restriction_type=PageViewRestriction.LOGIN)
    response = client.get("/tietoa/")
    assert response.status_code == 302
    assert response["Location"] == "/kirjaudu/?next=/tietoa/"


def test_professional_views_send_to_the_sign_in_page(client, site_shell):
    response = client.get("/kattavuus/")
    assert response["Location"] == "/kirjaudu/?next=/kattavuus/"
    assert client.get("/sv/kattavuus/")["Location"] == "/sv/kirjaudu/?next=/sv/kattavuus/"


def test_sso_button_spot_renders_nothing_without_single_sign_on(client, site_shell, settings):
    settings.OVI_SSO_ENABLED = False
    page = soup(client.get("/kirjaudu/"))
    assert page.select_one(".account__or") is None


# --- caching -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    [
        "/kirjaudu/",
        "/sv/kirjaudu/",
        "/kirjaudu/salasana/",
        "/kirjaudu/salasana/lahetetty/",
        "/kirjaudu-ulos/",
    ],
)
def test_account_pages_are_never_cached(client, site_shell, path):
    for _ in range(2):
        response = client.get(path)
        assert response.status_code == 200
        assert "private" in response["Cache-Control"] and "no-store" in response["Cache-Control"]
        assert response.get("X-Cache") != "hit"


def test_answers_to_signed_in_users_are_private(client, site_shell, professional):
    client.force_login(professional)
    for path in ("/", "/tietoa/", "/sv/"):
        response = client.get(path)
        assert "private" in response["Cache-Control"] and "no-store" in response["Cache-Control"]
        assert response.get("X-Cache") != "hit"


# --- password reset ----------------------------------------------------------------------


def test_password_reset_by_email_with_a_working_link(client, site_shell, professional):
    response = client.post("/kirjaudu/salasana/", {"email": "maija@hyvinvointialue.example"})
    assert response.status_code == 302
    assert response["Location"] == "/kirjaudu/salasana/lahetetty/"
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["maija@hyvinvointialue.example"]
    assert "salasana" in message.subject.lower()
    assert "maija" in message.body
    link = re.search(r"https?://testserver(/kirjaudu/salasana/[^\s]+/)", message.body).group(1)

    set_password = client.get(link)
    assert set_password.status_code == 302  # Django moves the token to the session
    form_url = set_password["Location"]
    page = soup(client.get(form_url))
    labels = [label.get_text(strip=True) for label in page.select("form.account-form label")]
    assert labels == ["Uusi salasana", "Uusi salasana uudelleen"]

    done = client.post(
        form_url, {"new_password1": "Uusi-pitka-salasana-77", "new_password2": "Uusi-pitka-salasana-77"}
    )
    assert done["Location"] == "/kirjaudu/salasana/valmis/"
    assert client.get(link).status_code == 200  # used: the page says so
    assert "ei toimi enää" in client.get(link).content.decode()
    assert sign_in(client, password="Uusi-pitka-salasana-77").status_code == 302
    assert signed_in_user_id(client) == str(professional.pk)


def test_password_reset_mail_is_in_the_language_of_the_site(client, site_shell, professional):
    client.post("/sv/kirjaudu/salasana/", {"email": "maija@hyvinvointialue.example"})
    assert "/sv/kirjaudu/salasana/" in mail.outbox[0].body
    assert "lösenord" in mail.outbox[0].body.lower()


def test_password_reset_gives_the_same_answer_for_an_unknown_address(client, site_shell, professional):
    known = client.post("/kirjaudu/salasana/", {"email": "maija@hyvinvointialue.example"})
    unknown = client.post("/kirjaudu/salasana/", {"email": "ei-ketaan@example.org"})
    assert (known.status_code, known["Location"]) == (unknown.status_code, unknown["Location"])
    assert len(mail.outbox) == 1


def test_password_reset_is_rate_limited_per_address(client, site_shell, professional):
    for number in range(accounts.RESET_LIMIT):
        response = client.post(
            "/kirjaudu/salasana/", {"email": f"ihminen{number}@example.org"}, REMOTE_ADDR="203.0.113.5"
        )
        assert response.status_code == 302
    limited = client.post(
        "/kirjaudu/salasana/", {"email": "maija@hyvinvointialue.example"}, REMOTE_ADDR="203.0.113.5"
    )
    assert limited.status_code == 429
    assert "Liian monta pyyntöä" in limited.content.decode()
    assert "private" in limited["Cache-Control"]
    assert len(mail.outbox) == 0
    # Another address is not affected.
    other = client.post(
        "/kirjaudu/salasana/", {"email": "maija@hyvinvointialue.example"}, REMOTE_ADDR="203.0.113.6"
    )
    assert other.status_code == 302
    assert len(mail.outbox) == 1


def test_password_reset_mails_to_one_address_are_limited_too(client, site_shell, professional):
    for number in range(accounts.RESET_LIMIT + 3):
        client.post(
            "/kirjaudu/salasana/",
            {"email": "maija@hyvinvointialue.example"},
            REMOTE_ADDR=f"203.0.113.{number}",
        )
    assert len(mail.outbox) == accounts.RESET_LIMIT


def test_the_reset_limit_follows_the_client_address_behind_the_proxy(client, site_shell):
    for _ in range(accounts.RESET_LIMIT):
        client.post(
            "/kirjaudu/salasana/",
            {"email": "a@example.org"},
            REMOTE_ADDR="127.0.0.1",
            HTTP_X_FORWARDED_FOR="198.51.100.1",
        )
    assert (
        client.post(
            "/kirjaudu/salasana/",
            {"email": "a@example.org"},
            REMOTE_ADDR="127.0.0.1",
            HTTP_X_FORWARDED_FOR="198.51.100.1",
        ).status_code
        == 429
    )
    # Another client behind the same proxy is not.
    assert (
        client.post(
            "/kirjaudu/salasana/",
            {"email": "a@example.org"},
            REMOTE_ADDR="127.0.0.1",
            HTTP_X_FORWARDED_FOR="198.51.100.2",
        ).status_code
        == 302
    )


# --- login protection --------------------------------------------------------------------


LOGIN_ROUTES = ["/kirjaudu/", "/sv/kirjaudu/", "/admin/login/", "/django-admin/login/"]


@pytest.mark.parametrize("path", LOGIN_ROUTES)
def test_thirty_wrong_passwords_lock_out_and_the_right_one_is_refused_while_locked(
    client, site_shell, professional, editor, path
):
    username = "toimittaja" if "admin" in path else "maija"
    statuses = [sign_in(client, path, username=username, password=f"väärä{n}").status_code for n in range(30)]
    assert 429 in statuses
    assert statuses[-1] == 429
    assert all(status == 429 for status in statuses[statuses.index(429) :])

    right = sign_in(client, path, username=username)
    assert right.status_code == 429
    assert signed_in_user_id(client) is None
    assert "private" in right["Cache-Control"] and "no-store" in right["Cache-Control"]
    page = soup(right)
    assert page.h1.get_text(strip=True) in {
        "Liian monta epäonnistunutta kirjautumista",
        "För många misslyckade inloggningar",
    }
    assert "15" in page.select_one(".error-summary").get_text()


def test_the_lock_is_per_account_from_any_address(client, site_shell, professional):
    for n in range(10):
        sign_in(client, password=f"väärä{n}", REMOTE_ADDR=f"198.51.100.{n}")
    assert sign_in(client, REMOTE_ADDR="198.51.100.200").status_code == 429


def test_the_lock_is_per_address_for_any_account(client, site_shell, professional, django_user_model):
    for n in range(10):
        sign_in(client, username=f"arvaus{n}", password="väärä", REMOTE_ADDR="198.51.100.9")
    assert sign_in(client, REMOTE_ADDR="198.51.100.9").status_code == 429
    # The account itself is not locked: from another address the right password works.
    assert sign_in(client, REMOTE_ADDR="198.51.100.10").status_code == 302


def test_the_lock_follows_the_client_address_behind_the_proxy(
    client, site_shell, professional, django_user_model
):
    behind = {"REMOTE_ADDR": "127.0.0.1", "HTTP_X_FORWARDED_FOR": "198.51.100.20"}
    for n in range(10):
        sign_in(client, username=f"arvaus{n}", password="väärä", **behind)
    assert sign_in(client, **behind).status_code == 429
    other = {"REMOTE_ADDR": "127.0.0.1", "HTTP_X_FORWARDED_FOR": "198.51.100.21"}
    assert sign_in(client, **other).status_code == 302


def test_a_success_resets_the_count(client, site_shell, professional):
    for n in range(9):
        sign_in(client, password=f"väärä{n}")
    assert sign_in(client).status_code == 302
    client.logout()
    for n in range(9):
        assert sign_in(client, password=f"väärä{n}").status_code == 200


def test_a_password_reset_lifts_the_lock_of_the_account(client, site_shell, professional):
    for n in range(10):
        sign_in(client, password=f"väärä{n}", REMOTE_ADDR=f"198.51.100.{n}")
    assert sign_in(client, REMOTE_ADDR="198.51.100.99").status_code == 429
    client.post("/kirjaudu/salasana/", {"email": "maija@hyvinvointialue.example"})
    link = re.search(r"https?://testserver(/kirjaudu/salasana/[^\s]+/)", mail.outbox[0].body).group(1)
    form_url = client.get(link)["Location"]
    client.post(
        form_url, {"new_password1": "Uusi-pitka-salasana-77", "new_password2": "Uusi-pitka-salasana-77"}
    )
    assert sign_in(client, password="Uusi-pitka-salasana-77", REMOTE_ADDR="198.51.100.99").status_code == 302


def test_the_lock_out_page_is_translated(client, site_shell, professional):
    for n in range(10):
        sign_in(client, "/sv/kirjaudu/", password=f"väärä{n}")
    page = sign_in(client, "/sv/kirjaudu/")
    assert page.status_code == 429
    assert soup(page).h1.get_text(strip=True) == "För många misslyckade inloggningar"


# --- /django-admin/ ----------------------------------------------------------------------


def test_django_admin_is_off_in_production_unless_enabled(tmp_path):
    script = (
        "from django.conf import settings\n"
        "from django.urls import resolve\n"
        "print(settings.OVI_DJANGO_ADMIN, resolve('/django-admin/').func.__module__)"
    )
    off = run_manage("shell", "-c", script, OVI_VAR_DIR=str(tmp_path), **PRODUCTION)
    assert off.returncode == 0, off.stderr
    enabled, module = off.stdout.strip().splitlines()[-1].split()
    assert enabled == "False"
    assert not module.startswith("django.contrib.admin")  # only Wagtail's page catch-all, which 404s

    on = run_manage("shell", "-c", script, OVI_VAR_DIR=str(tmp_path), OVI_DJANGO_ADMIN="1", **PRODUCTION)
    assert on.returncode == 0, on.stderr
    enabled, module = on.stdout.strip().splitlines()[-1].split()
    assert enabled == "True"
    assert module.startswith("django.contrib.admin")


def test_django_admin_answers_404_when_off(client, site_shell, settings):
    import importlib

    from django.urls import clear_url_caches

    import portal.urls

    settings.OVI_DJANGO_ADMIN = False
    try:
        importlib.reload(portal.urls)
        clear_url_caches()
        assert client.get("/django-admin/").status_code == 404
        assert client.get("/django-admin/login/").status_code == 404
    finally:
        settings.OVI_DJANGO_ADMIN = True
        importlib.reload(portal.urls)
        clear_url_caches()
    assert client.get("/django-admin/login/").status_code == 200


def test_the_directory_professionals_only_page_links_to_the_site_sign_in(rf, site_shell):
    from django.contrib.auth.models import AnonymousUser
    from django.template.loader import render_to_string

    request = rf.get("/palveluhakemisto/verkostokartta/")
    request.user = AnonymousUser()
    page = BeautifulSoup(
        render_to_string("directory/professionals_only.html", {}, request=request), "html.parser"
    )
    assert page.select_one("main a.button")["href"] == "/kirjaudu/?next=/palveluhakemisto/verkostokartta/"
    assert "/admin/" not in str(page.select_one("main"))
