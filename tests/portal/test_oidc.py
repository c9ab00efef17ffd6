"""Single sign-on through OpenID Connect (portal/oidc.py).

End to end against a real provider: django-oauth-toolkit with its OIDC support,
served by the same live server under /o/ (tests/portal/oidc_provider.py) with an
RSA key made here. Ovi is reached as http://localhost:<port> and the provider as
http://127.0.0.1:<port>, so, as for a browser, each host keeps its own cookies
and session: one requests.Session walks the whole flow over real HTTP, and Ovi's
server talks to the provider (discovery, token, JWKS, userinfo) over HTTP too.
"""

import html
import re
from urllib.parse import parse_qs, urlencode, urljoin, urlparse, urlunparse

import pytest
import requests
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.sessions.backends.db import SessionStore

from directory.roles import PROFESSIONALS_GROUP
from portal import oidc
from tests.portal import oidc_provider

CLIENT_ID = "ovi-test-client"
CLIENT_SECRET = "ovi-test-secret-0123456789"
PROFESSIONAL_VALUE = "ovi-ammattilaiset"
BUTTON = re.compile(r'<a class="button account-sso__button" href="([^"]+)">([^<]+)</a>')


# --- off unless configured -------------------------------------------------------------


@pytest.mark.django_db
def test_off_by_default_no_button_and_no_urls(client, site_shell, settings):
    assert settings.OVI_SSO_ENABLED is False
    assert "portal.oidc.OIDCBackend" not in settings.AUTHENTICATION_BACKENDS

    page = client.get("/kirjaudu/")
    assert page.status_code == 200
    assert b"account-sso" not in page.content
    assert client.get("/oidc/authenticate/?next=/").status_code == 404
    assert client.get("/oidc/callback/?code=x&state=y").status_code == 404


@pytest.mark.django_db
def test_a_password_sign_in_never_reaches_the_provider(client, site_shell, settings, monkeypatch):
    configure(settings, "http://127.0.0.1:9/o")  # nothing listens there
    monkeypatch.setattr(oidc, "discovery_document", lambda: pytest.fail("the provider was asked"))
    get_user_model().objects.create_user("maija", password="salasana-123-abc")

    answer = client.post("/kirjaudu/?code=x&state=y", {"username": "maija", "password": "salasana-123-abc"})

    assert answer.status_code == 302
    assert client.session["_auth_user_backend"] == "django.contrib.auth.backends.ModelBackend"


@pytest.mark.django_db
def test_the_sign_in_urls_are_never_cached(client, settings, monkeypatch):
    configure(settings, "https://idp.example/o")
    endpoints = {"authorization_endpoint": "https://idp.example/o/authorize/"}
    monkeypatch.setattr(oidc, "discovery_document", lambda: endpoints)

    for _ in range(2):
        answer = client.get("/oidc/authenticate/?next=/haku/")

        assert answer.status_code == 302
        query = parse_qs(urlparse(answer["Location"]).query)
        assert answer["Location"].startswith("https://idp.example/o/authorize/?")
        assert query["code_challenge_method"] == ["S256"] and query["state"] and query["nonce"]
        assert "private" in answer["Cache-Control"] and "no-store" in answer["Cache-Control"]
        assert "X-Cache" not in answer
    assert len(client.session["oidc_states"]) == 2
    assert client.session["oidc_login_next"] == "/haku/"
    callback = client.get("/oidc/callback/?code=x&state=not-ours")
    assert callback.status_code == 302 and callback["Location"].startswith("/kirjaudu/?sso=failed")
    assert "no-store" in callback["Cache-Control"] and "X-Cache" not in callback


@pytest.mark.parametrize(
    ("claim", "value", "claims", "expected"),
    [
        ("", "", {"groups": ["x"]}, None),
        ("groups", "pro", {"groups": ["a", "pro"]}, True),
        ("groups", "pro", {"groups": ["a"]}, False),
        ("groups", "pro", {}, False),
        ("roles", "pro", {"roles": "a pro"}, True),
        ("realm_access.roles", "pro", {"realm_access": {"roles": ["pro"]}}, True),
        ("professional", "", {"professional": True}, True),
        ("professional", "", {"professional": False}, False),
    ],
)
def test_the_professional_claim(settings, claim, value, claims, expected):
    settings.OIDC_PROFESSIONAL_CLAIM = claim
    settings.OIDC_PROFESSIONAL_CLAIM_VALUE = value
    assert oidc.grants_professional(claims) is expected


# --- end to end against a real provider ----------------------------------------------------


def configure(settings, issuer):
    settings.OVI_SSO_ENABLED = True
    settings.OIDC_OP_ISSUER = issuer
    settings.OIDC_RP_CLIENT_ID = CLIENT_ID
    settings.OIDC_RP_CLIENT_SECRET = CLIENT_SECRET
    settings.OIDC_PROFESSIONAL_CLAIM = "groups"
    settings.OIDC_PROFESSIONAL_CLAIM_VALUE = PROFESSIONAL_VALUE
    settings.AUTHENTICATION_BACKENDS = [*settings.AUTHENTICATION_BACKENDS, "portal.oidc.OIDCBackend"]


@pytest.fixture
def provider(live_server, transactional_db, settings):
    """The provider running at 127.0.0.1 and Ovi configured to use it; Ovi at localhost."""
    from django.contrib.auth.models import Permission
    from django.core.management.sql import emit_post_migrate_signal
    from oauth2_provider.models import Application

    from portal.demo import load_site_shell

    # As tests/browser/conftest.py's live_database: Django's own rows back after an
    # earlier live-server test emptied the tables.
    if not Permission.objects.exists():
        emit_post_migrate_signal(verbosity=0, interactive=False, db="default")
    load_site_shell(menus=False)
    port = urlparse(live_server.url).port
    site = f"http://localhost:{port}"
    issuer = f"http://127.0.0.1:{port}/o"

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    settings.OAUTH2_PROVIDER = {
        "OIDC_ENABLED": True,
        "OIDC_RSA_PRIVATE_KEY": key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        ).decode(),
        "OAUTH2_VALIDATOR_CLASS": "tests.portal.oidc_provider.ClaimsValidator",
        "SCOPES": {"openid": "OpenID Connect", "email": "E-mail", "profile": "Profile"},
        "PKCE_REQUIRED": True,
    }
    settings.ROOT_URLCONF = "tests.portal.oidc_provider"
    configure(settings, issuer)

    # The registration the county's provider would hold for Ovi (auto-approved).
    Application.objects.create(
        name="Ovi",
        client_id=CLIENT_ID,
        client_secret=CLIENT_SECRET,
        client_type=Application.CLIENT_CONFIDENTIAL,
        authorization_grant_type=Application.GRANT_AUTHORIZATION_CODE,
        redirect_uris=f"{site}/oidc/callback/",
        algorithm=Application.RS256_ALGORITHM,
        skip_authorization=True,
    )
    get_user_model().objects.create_user("anna.idp", password="provider-password-1")
    oidc_provider.PROVIDER_CLAIMS.clear()
    oidc_provider.PROVIDER_CLAIMS["anna.idp"] = {
        "email": "anna.virtanen@hyvinvointialue.example",
        "email_verified": True,
        "given_name": "Anna",
        "family_name": "Virtanen",
        "name": "Anna Virtanen",
        "groups": ["henkilosto", PROFESSIONAL_VALUE],
    }
    oidc._discovery_cache.clear()
    yield {"site": site, "issuer": issuer}
    oidc_provider.PROVIDER_CLAIMS.clear()
    oidc._discovery_cache.clear()


def follow(session, url, *, stop_at=None):
    """GET url and follow redirects by hand; returns (the last answer, every URL visited)."""
    visited = [url]
    answer = session.get(url, allow_redirects=False, timeout=30)
    while answer.is_redirect and not (stop_at and stop_at(answer.headers["Location"])):
        url = urljoin(url, answer.headers["Location"])
        visited.append(url)
        answer = session.get(url, allow_redirects=False, timeout=30)
    return answer, visited


def press_the_button(browser, site, next_path="/haku/"):
    """The site's sign-in page → its single sign-on button → to the provider."""
    page = browser.get(f"{site}/kirjaudu/?{urlencode({'next': next_path})}", timeout=30)
    assert page.status_code == 200
    found = BUTTON.search(page.text)
    assert found, "no single sign-on button on the sign-in page"
    href, label = found.groups()
    assert label == "Kirjaudu organisaation tunnuksella"
    assert parse_qs(urlparse(html.unescape(href)).query)["next"] == [next_path]
    return urljoin(page.url, html.unescape(href))


def provider_sign_in(browser, login_page, username, password):
    csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', login_page.text).group(1)
    next_value = html.unescape(re.search(r'name="next" value="([^"]*)"', login_page.text).group(1))
    answer = browser.post(
        login_page.url,
        data={"csrfmiddlewaretoken": csrf, "username": username, "password": password, "next": next_value},
        headers={"Referer": login_page.url},
        allow_redirects=False,
        timeout=30,
    )
    assert answer.status_code == 302, answer.text[:500]
    return urljoin(login_page.url, answer.headers["Location"])


def to_callback(browser, provider, start):
    """From Ovi's authenticate URL to the provider and back; the callback URL, not yet visited."""

    def is_callback(location):
        return location.startswith(f"{provider['site']}/oidc/callback/")

    answer, visited = follow(browser, start, stop_at=is_callback)
    if not answer.is_redirect:  # the provider's own sign-in page
        assert answer.url.startswith(f"{provider['issuer']}/login/"), visited
        answer, more = follow(
            browser, provider_sign_in(browser, answer, "anna.idp", "provider-password-1"), stop_at=is_callback
        )
        visited += more
    assert answer.is_redirect, visited
    assert visited[1].startswith(f"{provider['issuer']}/authorize/?"), visited
    return answer.headers["Location"]


def signed_in_user(browser, site):
    key = browser.cookies.get("sessionid", domain="localhost.local") or browser.cookies.get(
        "sessionid", domain="localhost"
    )
    if not key:
        return None
    user_id = SessionStore(session_key=key).get("_auth_user_id")
    return get_user_model().objects.filter(pk=user_id).first() if user_id else None


def test_sign_in_through_the_provider_end_to_end(provider):
    site = provider["site"]
    browser = requests.Session()

    callback = to_callback(browser, provider, press_the_button(browser, site))
    assert set(parse_qs(urlparse(callback).query)) >= {"code", "state"}
    back = browser.get(callback, allow_redirects=False, timeout=30)

    assert back.status_code == 302
    assert back.headers["Location"] == "/haku/"
    assert "no-store" in back.headers["Cache-Control"]
    user = signed_in_user(browser, site)
    assert user is not None
    assert user.username.startswith("oidc-")
    assert (user.email, user.first_name, user.last_name) == (
        "anna.virtanen@hyvinvointialue.example",
        "Anna",
        "Virtanen",
    )
    assert list(user.groups.values_list("name", flat=True)) == [PROFESSIONALS_GROUP]
    assert not (user.is_staff or user.is_superuser or user.has_usable_password())
    # The provider's session lives on the provider's host only, Ovi's on Ovi's.
    assert {cookie.domain for cookie in browser.cookies if cookie.name == "sessionid"} == {
        "localhost.local",
        "127.0.0.1",
    }
    page = browser.get(f"{site}/haku/", timeout=30)
    assert page.status_code == 200 and "no-store" in page.headers["Cache-Control"]

    # Signed out of Ovi; the provider no longer says the user is a professional.
    browser.cookies.clear(domain="localhost.local")
    oidc_provider.PROVIDER_CLAIMS["anna.idp"]["groups"] = ["henkilosto"]
    oidc_provider.PROVIDER_CLAIMS["anna.idp"]["family_name"] = "Virtanen-Korhonen"

    callback = to_callback(browser, provider, press_the_button(browser, site, next_path="/en/"))
    back = browser.get(callback, allow_redirects=False, timeout=30)

    assert back.headers["Location"] == "/en/"
    again = signed_in_user(browser, site)
    assert again == user
    again.refresh_from_db()
    assert again.last_name == "Virtanen-Korhonen"
    assert list(again.groups.values_list("name", flat=True)) == []
    assert Group.objects.filter(name=PROFESSIONALS_GROUP).exists()
    assert get_user_model().objects.filter(username__startswith="oidc-").count() == 1


def test_a_tampered_state_is_refused(provider):
    site = provider["site"]
    browser = requests.Session()
    callback = to_callback(browser, provider, press_the_button(browser, site))

    parts = urlparse(callback)
    query = parse_qs(parts.query)
    state = query["state"][0]
    # A different first character: "x" + state[1:] would leave a state that already starts
    # with "x" untouched, one run in 64.
    query["state"] = [("y" if state.startswith("x") else "x") + state[1:]]
    back = browser.get(
        urlunparse(parts._replace(query=urlencode(query, doseq=True))), allow_redirects=False, timeout=30
    )

    assert back.status_code == 302
    assert back.headers["Location"].startswith("/kirjaudu/?sso=failed")
    assert signed_in_user(browser, site) is None
    assert not get_user_model().objects.filter(username__startswith="oidc-").exists()
    # The failure is told on the sign-in page, next to the button.
    page = browser.get(urljoin(site, back.headers["Location"]), timeout=30)
    assert "Kirjautuminen organisaation tunnuksella ei onnistunut" in page.text


def test_a_tampered_nonce_is_refused(provider):
    site = provider["site"]
    browser = requests.Session()
    callback = to_callback(browser, provider, press_the_button(browser, site))

    # The nonce Ovi keeps for this sign-in no longer matches the one in the ID token.
    session = SessionStore(session_key=browser.cookies.get("sessionid", domain="localhost.local"))
    state = parse_qs(urlparse(callback).query)["state"][0]
    states = session["oidc_states"]
    states[state]["nonce"] = "tampered" + states[state]["nonce"][8:]
    session["oidc_states"] = states
    session.save()
    back = browser.get(callback, allow_redirects=False, timeout=30)

    assert back.headers["Location"].startswith("/kirjaudu/?sso=failed")
    assert signed_in_user(browser, site) is None
    assert not get_user_model().objects.filter(username__startswith="oidc-").exists()


def test_an_account_with_admin_rights_is_never_signed_in_through_the_provider(provider):
    site = provider["site"]
    get_user_model().objects.create_superuser(
        "admin", "anna.virtanen@hyvinvointialue.example", "admin-password-1"
    )
    browser = requests.Session()

    back = browser.get(
        to_callback(browser, provider, press_the_button(browser, site)), allow_redirects=False, timeout=30
    )

    assert back.headers["Location"].startswith("/kirjaudu/?sso=failed")
    assert signed_in_user(browser, site) is None
