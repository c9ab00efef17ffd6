"""/.well-known/security.txt (RFC 9116): the contact for reporting a vulnerability."""

import datetime

import pytest
from django.utils import timezone
from wagtail.models import Site

from portal.models import SiteSettings

pytestmark = pytest.mark.django_db


def fields(response):
    return dict(line.split(": ", 1) for line in response.content.decode().splitlines())


def test_security_txt_gives_the_configured_contact(client, site_shell, settings):
    settings.OVI_SECURITY_CONTACT = "tietoturva@ovi.example"

    response = client.get("/.well-known/security.txt")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    found = fields(response)
    assert found["Contact"] == "mailto:tietoturva@ovi.example"
    expires = datetime.datetime.fromisoformat(found["Expires"].replace("Z", "+00:00"))
    assert timezone.now() < expires < timezone.now() + datetime.timedelta(days=365)
    assert found["Canonical"].endswith("/.well-known/security.txt")
    assert found["Preferred-Languages"] == "fi, sv, en"


def test_security_txt_falls_back_to_the_feedback_email(client, site_shell, settings):
    settings.OVI_SECURITY_CONTACT = ""
    site_settings = SiteSettings.for_site(Site.objects.get(is_default_site=True))
    site_settings.feedback_email = "palaute@ovi.example"
    site_settings.save()

    assert fields(client.get("/.well-known/security.txt"))["Contact"] == "mailto:palaute@ovi.example"


def test_a_url_contact_is_kept_as_it_is(client, site_shell, settings):
    settings.OVI_SECURITY_CONTACT = "https://ovi.example/tietoturva"
    assert fields(client.get("/.well-known/security.txt"))["Contact"] == "https://ovi.example/tietoturva"


def test_without_a_contact_there_is_no_security_txt(client, site_shell, settings):
    settings.OVI_SECURITY_CONTACT = ""
    site_settings = SiteSettings.for_site(Site.objects.get(is_default_site=True))
    site_settings.feedback_email = ""
    site_settings.save()

    assert client.get("/.well-known/security.txt").status_code == 404
