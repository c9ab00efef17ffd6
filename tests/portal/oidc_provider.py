"""A real OpenID Connect provider for the single sign-on tests: django-oauth-toolkit.

The tests' URLconf: the site (portal.urls) plus the provider under /o/. It is used
only by tests/portal/test_oidc.py (ROOT_URLCONF overridden there), and
`oauth2_provider` is installed only in portal/settings/test.py, so production
neither has the provider's tables nor its URLs.

The provider's people are its own Django users (it shares the test database with
Ovi), but the claims it tells about them come from PROVIDER_CLAIMS, so Ovi never
sees the provider's user rows as its own accounts (no e-mail in common).
"""

from typing import ClassVar

from django.contrib import auth
from django.contrib.auth.forms import AuthenticationForm
from django.http import HttpResponse
from django.shortcuts import redirect
from django.template import RequestContext, Template
from django.urls import include, path
from oauth2_provider.oauth2_validators import OAuth2Validator
from oauth2_provider.views import AuthorizationView

from portal.urls import handler500  # noqa: F401
from portal.urls import urlpatterns as site_urlpatterns

LOGIN_PATH = "/o/login/"
# Provider username → the claims the provider gives about them (set by the tests).
PROVIDER_CLAIMS: dict[str, dict] = {}


class ClaimsValidator(OAuth2Validator):
    # "groups" travels with the profile scope (as it does at many providers).
    oidc_claim_scope: ClassVar[dict] = {**OAuth2Validator.oidc_claim_scope, "groups": "profile"}

    def get_additional_claims(self, request):
        return dict(PROVIDER_CLAIMS.get(request.user.username, {}))


LOGIN_PAGE = Template(
    """<!doctype html><title>County identity provider</title>
<h1>County identity provider</h1>
<form method="post" action="{{ action }}">{% csrf_token %}
{{ form.as_p }}<input type="hidden" name="next" value="{{ next }}">
<button type="submit">Sign in</button></form>"""
)


def provider_login(request):
    """The provider's own sign-in page (on the provider's host, with its own session)."""
    form = AuthenticationForm(request, data=request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        auth.login(request, form.get_user(), backend="django.contrib.auth.backends.ModelBackend")
        target = request.POST.get("next", "")
        return redirect(target if target.startswith("/o/") else "/o/")
    context = RequestContext(
        request, {"form": form, "next": request.GET.get("next", ""), "action": LOGIN_PATH}
    )
    return HttpResponse(LOGIN_PAGE.render(context))


urlpatterns = [
    path("o/login/", provider_login, name="provider-login"),
    # The provider's authorization endpoint sends unknown visitors to its own sign-in.
    path("o/authorize/", AuthorizationView.as_view(login_url=LOGIN_PATH)),
    path("o/", include("oauth2_provider.urls", namespace="oauth2_provider")),
    *site_urlpatterns,
]
