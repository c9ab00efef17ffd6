"""Single sign-on in a real browser: Ovi's sign-in page, the county's provider, back.

The provider is django-oauth-toolkit in the same live server (see
tests/portal/test_oidc.py), reached as 127.0.0.1 while Ovi is localhost, so the
browser keeps a separate session for each.
"""

import pytest

from directory.roles import PROFESSIONALS_GROUP
from tests.portal.test_oidc import provider  # noqa: F401  (the fixture)

pytestmark = pytest.mark.browser


def test_a_professional_signs_in_with_the_organisation_account(tab, provider, settings):  # noqa: F811
    # The stand-in provider's own pages go through Ovi's middleware: let its sign-in
    # form redirect to the client, as a real provider's policy does.
    settings.CSP_EXEMPT_PATH_PREFIXES = (*settings.CSP_EXEMPT_PATH_PREFIXES, "/o/")
    site = provider["site"]

    tab.goto(f"{site}/kirjaudu/?next=/haku/")
    tab.get_by_role("link", name="Kirjaudu organisaation tunnuksella").click()

    tab.wait_for_url(f"{provider['issuer']}/login/**")
    tab.locator("input[name=username]").fill("anna.idp")
    tab.locator("input[name=password]").fill("provider-password-1")
    tab.get_by_role("button", name="Sign in").click()

    tab.wait_for_url(f"{site}/haku/")
    assert "Kirjautunut: Anna Virtanen" in tab.locator(".account-nav").inner_text()

    from django.contrib.auth import get_user_model

    user = get_user_model().objects.get(email="anna.virtanen@hyvinvointialue.example")
    assert list(user.groups.values_list("name", flat=True)) == [PROFESSIONALS_GROUP]
