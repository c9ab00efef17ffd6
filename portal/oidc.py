"""Single sign-on with the county's identity provider through OpenID Connect.

Built on mozilla-django-oidc (authorization code flow with PKCE, state and
nonce checked). Off unless a client is configured in the environment
(portal/settings/base.py, docs/security.md): then there is no button and the
URLs under /oidc/ answer 404.

What Ovi adds to the library:

- the provider's endpoints come from its discovery document
  (``OIDC_OP_ISSUER`` + ``/.well-known/openid-configuration``), fetched lazily
  and kept for an hour, unless given one by one; nothing reaches the provider
  while a password sign-in or an ordinary request is served;
- the ID token's issuer and audience are checked (the library checks neither);
- a user is found by the provider's stable subject (the username
  ``oidc-<hash of issuer and sub>``), else linked by e-mail address, else
  created; name and e-mail are updated from the claims at every sign-in;
- membership in the professionals group follows ``OIDC_PROFESSIONAL_CLAIM``
  at every sign-in, added and removed; nothing else about the user's rights is
  ever changed, and accounts with admin rights (staff or superuser) cannot be
  signed in through the provider at all.
"""

import base64
import hashlib
import logging
import time
from urllib.parse import urlencode

import requests
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import ImproperlyConfigured, SuspiciousOperation
from django.db import transaction
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import resolve_url
from django.utils.cache import add_never_cache_headers
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.utils import import_from_settings
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, OIDCAuthenticationRequestView

from directory.roles import PROFESSIONALS_GROUP
from portal.accounts import ADMIN_PREFIXES, home_url, may_use_admin

logger = logging.getLogger(__name__)

BACKEND = "portal.oidc.OIDCBackend"
DISCOVERY_PATH = "/.well-known/openid-configuration"
DISCOVERY_SECONDS = 3600
# Setting name → key in the discovery document.
DISCOVERED = {
    "OIDC_OP_AUTHORIZATION_ENDPOINT": "authorization_endpoint",
    "OIDC_OP_TOKEN_ENDPOINT": "token_endpoint",
    "OIDC_OP_USER_ENDPOINT": "userinfo_endpoint",
    "OIDC_OP_JWKS_ENDPOINT": "jwks_uri",
}

_discovery_cache: dict[str, tuple[float, dict]] = {}


class ProviderUnavailable(Exception):
    """The identity provider's discovery document could not be read."""


def is_enabled() -> bool:
    """Whether single sign-on is on (OVI_SSO_ENABLED, computed in settings from the
    environment) and configured: a client, and an issuer or the endpoints."""
    if not getattr(settings, "OVI_SSO_ENABLED", False):
        return False
    if not (getattr(settings, "OIDC_RP_CLIENT_ID", "") and getattr(settings, "OIDC_RP_CLIENT_SECRET", "")):
        return False
    if getattr(settings, "OIDC_OP_ISSUER", ""):
        return True
    return all(
        getattr(settings, name, "")
        for name in ("OIDC_OP_AUTHORIZATION_ENDPOINT", "OIDC_OP_TOKEN_ENDPOINT", "OIDC_OP_USER_ENDPOINT")
    )


def issuer() -> str:
    return (getattr(settings, "OIDC_OP_ISSUER", "") or "").rstrip("/")


def discovery_document() -> dict:
    url = issuer() + DISCOVERY_PATH
    cached = _discovery_cache.get(url)
    if cached and cached[0] > time.monotonic():
        return cached[1]
    try:
        response = requests.get(url, timeout=getattr(settings, "OIDC_TIMEOUT", 10))
        response.raise_for_status()
        document = response.json()
    except (requests.RequestException, ValueError) as exc:
        raise ProviderUnavailable(f"Could not read {url}: {exc}") from exc
    if not isinstance(document, dict) or str(document.get("issuer", "")).rstrip("/") != issuer():
        raise ProviderUnavailable(f"{url} does not name the issuer {issuer()!r}")
    _discovery_cache[url] = (time.monotonic() + DISCOVERY_SECONDS, document)
    return document


def oidc_setting(name, *default):
    """A setting for mozilla-django-oidc, an endpoint from discovery when not given."""
    if name in DISCOVERED:
        value = getattr(settings, name, "")
        if value:
            return value
        if issuer():
            return discovery_document().get(DISCOVERED[name]) or (default[0] if default else None)
        if default:
            return default[0]
        raise ImproperlyConfigured(f"Setting {name} not found")
    return import_from_settings(name, *default)


def oidc_username(claims) -> str:
    digest = hashlib.sha256(f"{issuer()}|{claims.get('sub', '')}".encode()).digest()
    return "oidc-" + base64.urlsafe_b64encode(digest).decode().rstrip("=")[:32]


def _claim(claims, path):
    value = claims
    for part in path.split("."):
        if not isinstance(value, dict):
            return None
        value = value.get(part)
    return value


def grants_professional(claims) -> bool | None:
    """Whether the claims make the user a professional; None when no claim is configured."""
    claim = getattr(settings, "OIDC_PROFESSIONAL_CLAIM", "")
    if not claim:
        return None
    value = _claim(claims, claim)
    wanted = getattr(settings, "OIDC_PROFESSIONAL_CLAIM_VALUE", "")
    if not wanted:
        return value is True or (
            isinstance(value, (str, list, tuple)) and bool(value) and value not in ("false", "0")
        )
    if isinstance(value, (list, tuple)):
        return wanted in [str(item) for item in value]
    if isinstance(value, str):
        return value == wanted or wanted in value.split()
    return False


class OIDCBackend(OIDCAuthenticationBackend):
    """Signs in a user from the provider's claims; never grants admin rights."""

    get_settings = staticmethod(oidc_setting)

    def __init__(self, *args, **kwargs):
        # The library reads every setting here, and Django makes a backend for every
        # password sign-in and every request of a signed-in user: resolve them only
        # when a sign-in through the provider really happens.
        self.UserModel = get_user_model()

    OIDC_OP_TOKEN_ENDPOINT = property(lambda self: oidc_setting("OIDC_OP_TOKEN_ENDPOINT"))
    OIDC_OP_USER_ENDPOINT = property(lambda self: oidc_setting("OIDC_OP_USER_ENDPOINT"))
    OIDC_OP_JWKS_ENDPOINT = property(lambda self: oidc_setting("OIDC_OP_JWKS_ENDPOINT", None))
    OIDC_RP_CLIENT_ID = property(lambda self: settings.OIDC_RP_CLIENT_ID)
    OIDC_RP_CLIENT_SECRET = property(lambda self: settings.OIDC_RP_CLIENT_SECRET)
    OIDC_RP_SIGN_ALGO = property(lambda self: getattr(settings, "OIDC_RP_SIGN_ALGO", "RS256"))
    OIDC_RP_IDP_SIGN_KEY = property(lambda self: getattr(settings, "OIDC_RP_IDP_SIGN_KEY", None))

    def authenticate(self, request, **kwargs):
        # Only the callback view passes a nonce; a password sign-in whose URL happens
        # to carry ?code=&state= must never start a token exchange.
        if not is_enabled() or "nonce" not in kwargs or "password" in kwargs:
            return None
        return super().authenticate(request, **kwargs)

    def get_payload_data(self, token, key):
        payload = super().get_payload_data(token, key)
        audience = payload.get("aud")
        audiences = audience if isinstance(audience, list) else [audience]
        if settings.OIDC_RP_CLIENT_ID not in audiences:
            raise SuspiciousOperation("The ID token was not issued to this client.")
        if issuer() and str(payload.get("iss", "")).rstrip("/") != issuer():
            raise SuspiciousOperation("The ID token comes from another issuer.")
        return payload

    def get_userinfo(self, access_token, id_token, payload):
        # The ID token's claims, completed (and overridden) by the userinfo endpoint.
        claims = {
            key: value for key, value in payload.items() if key not in ("aud", "iss", "exp", "iat", "nonce")
        }
        userinfo = super().get_userinfo(access_token, id_token, payload)
        if userinfo.get("sub") != payload.get("sub"):
            raise SuspiciousOperation("The userinfo answer is about another subject.")
        claims.update(userinfo)
        return claims

    def verify_claims(self, claims):
        if not claims.get("sub") or not claims.get("email"):
            return False
        return claims.get("email_verified", True) not in (False, "false")

    def get_username(self, claims):
        return oidc_username(claims)

    def filter_users_by_claims(self, claims):
        users = self.UserModel.objects.filter(username=oidc_username(claims))
        if not users.exists():
            # Link an existing Ovi account by e-mail, never another subject's account.
            users = self.UserModel.objects.filter(email__iexact=claims["email"]).exclude(
                username__startswith="oidc-"
            )
        if any(user.is_superuser or user.is_staff for user in users):
            raise SuspiciousOperation(
                "Accounts with admin rights sign in with their password, not the identity provider."
            )
        return users

    def create_user(self, claims):
        with transaction.atomic():
            user = self.UserModel.objects.create_user(oidc_username(claims), email=claims["email"])
            return self.update_user(user, claims)

    def update_user(self, user, claims):
        with transaction.atomic():
            user.email = claims["email"]
            user.first_name = (claims.get("given_name") or "")[:150]
            user.last_name = (claims.get("family_name") or "")[:150]
            if not (user.first_name or user.last_name) and claims.get("name"):
                user.first_name, _, user.last_name = str(claims["name"])[:300].partition(" ")
                user.first_name, user.last_name = user.first_name[:150], user.last_name[:150]
            user.save(update_fields=["email", "first_name", "last_name"])
            professional = grants_professional(claims)
            if professional is not None:
                group, _ = Group.objects.get_or_create(name=PROFESSIONALS_GROUP)
                if professional:
                    user.groups.add(group)
                else:
                    user.groups.remove(group)
        return user


def _failure_redirect(request):
    params = {"sso": "failed"}
    next_url = request.session.get("oidc_login_next") if hasattr(request, "session") else None
    if next_url:
        params["next"] = next_url
    return HttpResponseRedirect(f"{resolve_url(settings.LOGIN_URL)}?{urlencode(params)}")


class AuthenticateView(OIDCAuthenticationRequestView):
    """Sends the visitor to the provider (state, nonce and PKCE kept in the session)."""

    get_settings = staticmethod(oidc_setting)

    def __init__(self, *args, **kwargs):
        super(OIDCAuthenticationRequestView, self).__init__(*args, **kwargs)

    def dispatch(self, request, *args, **kwargs):
        if not is_enabled():
            raise Http404
        response = super().dispatch(request, *args, **kwargs)
        add_never_cache_headers(response)  # a sign-in step: never kept by anyone
        return response

    def get(self, request):
        try:
            self.OIDC_OP_AUTH_ENDPOINT = oidc_setting("OIDC_OP_AUTHORIZATION_ENDPOINT")
        except ProviderUnavailable:
            logger.exception("Single sign-on: the identity provider is unavailable")
            return _failure_redirect(request)
        self.OIDC_RP_CLIENT_ID = settings.OIDC_RP_CLIENT_ID
        return super().get(request)


class CallbackView(OIDCAuthenticationCallbackView):
    """Where the provider sends the visitor back; a refused answer returns to the sign-in page."""

    get_settings = staticmethod(oidc_setting)

    def dispatch(self, request, *args, **kwargs):
        if not is_enabled():
            raise Http404
        response = super().dispatch(request, *args, **kwargs)
        add_never_cache_headers(response)  # a sign-in step: never kept by anyone
        return response

    def get(self, request):
        try:
            return super().get(request)
        except (SuspiciousOperation, ProviderUnavailable, requests.RequestException) as exc:
            logger.warning("Single sign-on refused: %s", exc)
            return self.login_failure()

    def login_failure(self):
        return _failure_redirect(self.request)

    @property
    def success_url(self):
        # Back where the visitor was; never into the admin without admin rights.
        target = self.request.session.get("oidc_login_next") or ""
        if not target or (
            target.split("?", 1)[0].startswith(ADMIN_PREFIXES) and not may_use_admin(self.user)
        ):
            return home_url()
        return target
