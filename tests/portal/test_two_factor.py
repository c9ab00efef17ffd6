"""Optional two-step verification (portal/two_factor.py): an editor turns it on
with an authenticator app; from then on no session of theirs reaches anything,
the admin included, before a code from the app, whichever login form was used.
Codes are computed here from the device's key as the app would (RFC 6238)."""

import time

import pytest
from axes.models import AccessAttempt
from bs4 import BeautifulSoup
from django.contrib.auth.models import Permission
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

pytestmark = pytest.mark.django_db

PASSWORD = "oikea-Salasana-42"
VERIFY = "/kirjaudu/vahvista/"
MANAGE = "/kirjaudu/kaksivaiheinen/"


@pytest.fixture(autouse=True)
def no_lockouts_left(db):
    yield
    from axes.utils import reset

    reset()
    assert not AccessAttempt.objects.exists()


@pytest.fixture
def editor(django_user_model):
    user = django_user_model.objects.create_user("toimittaja", password=PASSWORD)
    user.user_permissions.add(
        Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")
    )
    return user


def code_for(device, offset=0):
    """The code the authenticator app shows now (offset: in steps of 30 s)."""
    device.refresh_from_db()
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() + offset * device.step
    return f"{totp.token():0{device.digits}d}"


@pytest.fixture
def protected_editor(editor):
    TOTPDevice.objects.create(user=editor, name="Ovi", confirmed=True)
    return editor


def sign_in(client, path="/kirjaudu/", next_path="/admin/"):
    return client.post(path, {"username": "toimittaja", "password": PASSWORD, "next": next_path})


def soup(response):
    return BeautifulSoup(response.content, "html.parser")


def test_a_password_alone_does_not_open_the_admin_when_two_step_verification_is_on(client, protected_editor):
    sign_in(client)

    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith(VERIFY + "?next=/admin/")
    # Nor any other page: the session is not signed in until it has given its code.
    assert client.get("/palvelut/")["Location"].startswith(VERIFY)


def test_the_right_code_opens_the_admin_and_a_wrong_one_does_not(client, protected_editor):
    device = protected_editor.totpdevice_set.get()
    sign_in(client)

    wrong = client.post(
        VERIFY, {"code": "000000" if code_for(device) != "000000" else "111111", "next": "/admin/"}
    )
    assert wrong.status_code == 200
    page = soup(wrong)
    assert page.title.get_text().startswith("Virhe:")
    assert page.select_one("#id_code")["aria-invalid"] == "true"
    assert client.get("/admin/").status_code == 302

    # django-otp makes the user wait after a wrong code; the wait is what is tested
    # below, so here it is over.
    TOTPDevice.objects.filter(pk=device.pk).update(throttling_failure_count=0)
    right = client.post(VERIFY, {"code": code_for(device), "next": "/admin/"})
    assert right.status_code == 302 and right["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200


def test_the_admin_login_form_leads_to_the_same_second_step(client, protected_editor):
    client.post("/admin/login/", {"username": "toimittaja", "password": PASSWORD})

    response = client.get("/admin/")
    assert response.status_code == 302 and response["Location"].startswith(VERIFY)


def test_a_code_is_accepted_once(client, protected_editor):
    device = protected_editor.totpdevice_set.get()
    code = code_for(device)
    sign_in(client)
    assert client.post(VERIFY, {"code": code})["Location"] == "/"

    other = type(client)()
    sign_in(other)
    reused = other.post(VERIFY, {"code": code})
    assert reused.status_code == 200
    assert other.get("/admin/").status_code == 302


def test_wrong_codes_make_the_user_wait(client, protected_editor):
    device = protected_editor.totpdevice_set.get()
    sign_in(client)
    for wrong in ("123456", "654321", "111111"):
        if wrong != code_for(device):
            client.post(VERIFY, {"code": wrong})

    response = client.post(VERIFY, {"code": code_for(device)})
    assert response.status_code == 200
    assert "Odota hetki" in soup(response).select_one(".field-error").get_text()
    assert client.get("/admin/").status_code == 302


def test_an_editor_turns_it_on_with_a_code_and_off_with_a_code(client, editor):
    client.force_login(editor)

    page = client.get(MANAGE)
    assert page["Cache-Control"] == "private, no-store"
    key = "".join(soup(page).select_one(".two-factor-key code").get_text().split())
    device = TOTPDevice.objects.get(user=editor, confirmed=False)
    assert len(key) >= 32  # the key shown is the device's key, in base32
    assert soup(page).find("a", href=device.config_url)

    refused = client.post(MANAGE, {"code": "12345x"})
    assert refused.status_code == 200 and not TOTPDevice.objects.filter(user=editor, confirmed=True).exists()

    turned_on = client.post(MANAGE, {"code": code_for(device)})
    assert turned_on.status_code == 302
    assert TOTPDevice.objects.filter(user=editor, confirmed=True).count() == 1
    assert client.get("/admin/").status_code == 200  # this session gave its code

    # The next sign-in asks for a code.
    fresh = type(client)()
    sign_in(fresh)
    assert fresh.get("/admin/")["Location"].startswith(VERIFY)

    # Turning it off takes a code (a stolen session alone cannot do it).
    assert (
        client.post(MANAGE, {"code": "000000" if code_for(device) != "000000" else "111111"}).status_code
        == 200
    )
    assert TOTPDevice.objects.filter(user=editor).exists()
    TOTPDevice.objects.filter(user=editor).update(throttling_failure_count=0)
    assert client.post(MANAGE, {"code": code_for(device, offset=1)}).status_code == 302
    assert not TOTPDevice.objects.filter(user=editor).exists()


def test_the_page_speaks_swedish_and_english(client, editor):
    client.force_login(editor)
    assert soup(client.get("/sv" + MANAGE)).h1.get_text(strip=True) == "Tvåstegsverifiering"
    assert soup(client.get("/en" + MANAGE)).h1.get_text(strip=True) == "Two-step verification"


def test_signed_out_visitors_are_sent_to_sign_in(client):
    assert client.get(MANAGE)["Location"].startswith("/kirjaudu/")
    assert client.get(VERIFY)["Location"].startswith("/kirjaudu/")


def test_when_required_an_editor_without_it_is_sent_to_turn_it_on(
    client, editor, settings, django_user_model
):
    settings.OVI_REQUIRE_TWO_FACTOR = True
    client.force_login(editor)

    response = client.get("/admin/pages/")
    assert response.status_code == 302
    assert response["Location"].startswith(MANAGE + "?next=/admin/pages/")

    # A professional without admin rights is not asked: the public site is all they use.
    professional = django_user_model.objects.create_user("maija", password=PASSWORD)
    other = type(client)()
    other.force_login(professional)
    assert other.get("/haku/").status_code == 200
