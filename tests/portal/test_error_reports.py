"""Freshness and feedback: when a record was verified, and the "report an error" loop
(public form -> stored task -> e-mail to the organisation's editors -> admin -> closed,
contact erased). A report never appears publicly."""

import datetime
import re

import pytest
from bs4 import BeautifulSoup
from django.core import mail
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.utils import timezone, translation

from directory.presenters import service_data
from portal import caching, feedback
from portal.models import ErrorReport
from search import indexing
from tests.directory.conftest import directory_pages, editor_of, groups, scenario  # noqa: F401 (fixtures)
from tests.directory.factories import OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db

REPORT_TEXT = "Puhelinnumero on väärä, oikea on Kurkisuonvihreä 040 000"
SECRET_WORD = "Kurkisuonvihreä"
CONTACT = "ilmoittaja@example.invalid"


def soup(response):
    return BeautifulSoup(response.content, "html.parser")


def service_path(records):
    return f"/palvelut/palvelu/{records['service'].uid}/"


def report_url_from(client, path):
    """Follow the "Report an error" link of a public page, as a visitor would."""
    link = soup(client.get(path)).select_one(".record-feedback a")
    assert link is not None, f"no report link on {path}"
    return link["href"]


def submit(client, url, **data):
    page = client.get(url)
    assert page.status_code == 200
    form = soup(page).select_one("form.report-error")
    fields = {field["name"]: field.get("value", "") for field in form.select("input[type=hidden]")}
    fields.update({"text": REPORT_TEXT, "contact": CONTACT, "website": ""})
    fields.update(data)
    return client.post(form["action"], fields)


@pytest.fixture
def anonymous(client):
    """An anonymous visitor whose POSTs are checked for a CSRF token, like a browser's."""
    from django.test import Client

    return Client(enforce_csrf_checks=True)


@pytest.fixture
def loop(directory_pages, scenario, editor_of):  # noqa: F811
    city_editor = editor_of(scenario["city"], username="kaupungin-toimittaja")
    other_org = OrganisationFactory(name_fi="Toinen järjestö")
    other_editor = editor_of(other_org, username="toisen-toimittaja")
    return {**scenario, "city_editor": city_editor, "other_editor": other_editor}


def test_anonymous_report_from_a_service_page_reaches_the_organisations_editors(
    anonymous, loop, django_capture_on_commit_callbacks
):
    url = report_url_from(anonymous, service_path(loop))
    assert url.startswith("/ilmoita-virheesta/?record=service:")

    form_page = anonymous.get(url)
    assert form_page.status_code == 200
    assert "no-store" in form_page["Cache-Control"] and "private" in form_page["Cache-Control"]
    assert loop["service"].name_fi in form_page.content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        response = submit(anonymous, url)

    assert response.status_code == 302
    assert response["Location"].startswith("/ilmoita-virheesta/kiitos/")
    assert "no-store" in response["Cache-Control"]
    report = ErrorReport.objects.get()
    assert (report.target_kind, report.target_uid) == ("service", loop["service"].uid)
    assert report.organisation == loop["city"]
    assert report.text == REPORT_TEXT and report.contact == CONTACT
    assert report.status == ErrorReport.Status.NEW
    assert report.source_url == service_path(loop)

    assert [message.to for message in mail.outbox] == [[loop["city_editor"].email]]
    notice = mail.outbox[0]
    assert loop["service"].name_fi in notice.subject
    assert f"/admin/errorreport/edit/{report.pk}/" in notice.body
    # The e-mail carries no reporter data: they are read in the admin.
    assert CONTACT not in notice.body

    thanks = anonymous.get(response["Location"])
    assert thanks.status_code == 200
    assert "no-store" in thanks["Cache-Control"]
    assert soup(thanks).select_one(f'a[href="{service_path(loop)}"]') is not None


def test_report_link_on_every_public_record_page(client, loop):
    paths = {
        "service": service_path(loop),
        "organisation": f"/palvelut/organisaatio/{loop['city'].uid}/",
        "location": f"/palvelut/toimipiste/{loop['location'].uid}/",
        "team": f"/palvelut/tiimi/{loop['team'].uid}/",
    }
    for kind, path in paths.items():
        url = report_url_from(client, path)
        assert f"record={kind}:" in url
        page = client.get(url)
        assert page.status_code == 200, kind
        organisation = loop["city"]
        assert organisation.name_fi in page.content.decode()


def test_record_pages_stay_cacheable_with_the_report_link(client, loop, settings):
    settings.OVI_PAGE_CACHE_SECONDS = 60
    caching.connect_signals()
    first = client.get(service_path(loop))
    second = client.get(service_path(loop))
    assert first.status_code == 200
    assert second["X-Cache"] == "hit"
    # The form page is never stored (it carries a CSRF token and says no-store).
    form_url = report_url_from(client, service_path(loop))
    client.get(form_url)
    assert client.get(form_url).get("X-Cache") != "hit"


def test_a_new_report_does_not_empty_the_page_cache(loop, django_capture_on_commit_callbacks):
    caching.connect_signals()
    before = caching.content_generation()
    with django_capture_on_commit_callbacks(execute=True):
        feedback.submit_report(feedback.find_target(f"service:{loop['service'].uid}"), text=REPORT_TEXT)
    assert caching.content_generation() == before


def test_editor_of_another_organisation_cannot_see_the_report(client, loop):
    report = feedback.submit_report(feedback.find_target(f"service:{loop['service'].uid}"), text=REPORT_TEXT)

    client.force_login(loop["other_editor"])
    listing = client.get("/admin/errorreport/")
    assert listing.status_code == 200
    assert REPORT_TEXT not in listing.content.decode()
    assert loop["service"].name_fi not in listing.content.decode()
    assert client.get(f"/admin/errorreport/edit/{report.pk}/").status_code in (403, 404)

    client.force_login(loop["city_editor"])
    listing = client.get("/admin/errorreport/")
    assert loop["service"].name_fi in listing.content.decode()
    edit = client.get(f"/admin/errorreport/edit/{report.pk}/")
    assert edit.status_code == 200
    assert REPORT_TEXT in edit.content.decode()


def test_directory_admin_sees_every_report(client, loop):
    feedback.submit_report(feedback.find_target(f"service:{loop['service'].uid}"), text=REPORT_TEXT)
    admin = UserFactory(username="paakayttaja", is_superuser=True, is_staff=True)
    client.force_login(admin)
    assert loop["service"].name_fi in client.get("/admin/errorreport/").content.decode()


def test_anonymous_and_plain_users_have_no_admin_access(client, loop):
    feedback.submit_report(feedback.find_target(f"service:{loop['service'].uid}"), text=REPORT_TEXT)
    assert client.get("/admin/errorreport/").status_code == 302  # to the login
    client.force_login(UserFactory(username="tavallinen"))
    response = client.get("/admin/errorreport/")
    assert REPORT_TEXT not in response.content.decode()
    assert loop["service"].name_fi not in response.content.decode()


def test_editor_marks_handled_and_the_contact_is_erased(client, loop):
    report = feedback.submit_report(
        feedback.find_target(f"service:{loop['service'].uid}"), text=REPORT_TEXT, contact=CONTACT
    )
    client.force_login(loop["city_editor"])

    response = client.post(f"/admin/errorreport/edit/{report.pk}/", {"status": "handled"})

    assert response.status_code == 302, response.content.decode()[:2000]
    report.refresh_from_db()
    assert report.status == ErrorReport.Status.HANDLED
    assert report.contact == ""
    assert report.closed_at is not None
    assert report.handled_by == loop["city_editor"]
    assert report.text == REPORT_TEXT  # read-only fields are kept
    assert CONTACT not in client.get(f"/admin/errorreport/edit/{report.pk}/").content.decode()


def test_closing_in_code_erases_the_contact_in_the_same_save(loop):
    report = feedback.submit_report(
        feedback.find_target(f"organisation:{loop['city'].uid}"), text=REPORT_TEXT, contact=CONTACT
    )
    report.status = ErrorReport.Status.REJECTED
    report.save(update_fields=["status"])
    report.refresh_from_db()
    assert report.contact == "" and report.closed_at is not None


def test_honeypot_filled_stores_nothing_but_looks_like_success(anonymous, loop):
    url = report_url_from(anonymous, service_path(loop))
    response = submit(anonymous, url, website="http://spam.example")
    assert response.status_code == 302
    assert response["Location"].startswith("/ilmoita-virheesta/kiitos/")
    assert ErrorReport.objects.count() == 0
    assert mail.outbox == []


def test_rate_limit_per_address(client, loop):
    url = report_url_from(client, service_path(loop))
    for _ in range(feedback.RATE_LIMIT_REPORTS):
        assert submit(client, url).status_code == 302
    response = submit(client, url)
    assert response.status_code == 429
    assert "no-store" in response["Cache-Control"]
    text = soup(response).select_one(".error-summary").get_text(" ", strip=True)
    assert "kymmenen minuuttia" in text  # "wait ten minutes" in Finnish
    assert ErrorReport.objects.count() == feedback.RATE_LIMIT_REPORTS
    # Another address is not limited; the address itself is not stored anywhere.
    other = client.post(
        url.split("?")[0],
        {"record": f"service:{loop['service'].uid}", "text": REPORT_TEXT},
        REMOTE_ADDR="192.0.2.44",
    )
    assert other.status_code == 302
    assert not ErrorReport.objects.filter(text__contains="127.0.0.1").exists()
    assert "REMOTE_ADDR" not in {field.name.upper() for field in ErrorReport._meta.get_fields()}


def test_client_address_behind_the_proxy_is_the_forwarded_one():
    request = RequestFactory().get(
        "/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.9, 198.51.100.7"
    )
    assert feedback.client_address(request) == "198.51.100.7"
    direct = RequestFactory().get("/", REMOTE_ADDR="198.51.100.8", HTTP_X_FORWARDED_FOR="10.0.0.1")
    assert feedback.client_address(direct) == "198.51.100.8"


@pytest.mark.parametrize(
    "data, field",
    [
        ({"text": ""}, "text"),
        ({"text": " ... "}, "text"),
        ({"text": "x" * 2001}, "text"),
        ({"contact": "ei yhteystieto"}, "contact"),
    ],
)
def test_invalid_input_is_400_with_accessible_errors_and_nothing_stored(client, loop, data, field):
    url = report_url_from(client, service_path(loop))
    response = submit(client, url, **data)
    assert response.status_code == 400
    assert "no-store" in response["Cache-Control"]
    page = soup(response)
    summary = page.select_one(".error-summary")
    assert summary is not None and summary.get("role") == "alert"
    assert summary.select_one(f'a[href="#id_{field}"]') is not None
    widget = page.select_one(f"#id_{field}")
    assert widget["aria-invalid"] == "true"
    assert f"id_{field}_error" in widget["aria-describedby"].split()
    assert page.select_one(f"#id_{field}_error").get_text(strip=True)
    assert page.title.string.startswith("Virhe: ")
    assert ErrorReport.objects.count() == 0


@pytest.mark.parametrize(
    "reference",
    ["service:00000000-0000-0000-0000-000000000000", "pathway:whatever", "service:not-a-uuid", ""],
)
def test_unknown_record_is_404(client, loop, reference):
    assert client.get("/ilmoita-virheesta/", {"record": reference}).status_code == 404
    response = client.post("/ilmoita-virheesta/", {"record": reference, "text": REPORT_TEXT})
    assert response.status_code == 404
    assert ErrorReport.objects.count() == 0


def test_the_form_in_swedish_and_english(client, loop):
    sv = client.get(f"/sv/ilmoita-virheesta/?record=service:{loop['service'].uid}")
    en = client.get(f"/en/ilmoita-virheesta/?record=service:{loop['service'].uid}")
    assert "Rapportera ett fel" in sv.content.decode()
    assert "Report an error" in en.content.decode()
    assert "Ilmoita virheestä" in client.get(service_path(loop)).content.decode()


def test_a_report_never_appears_publicly(client, loop, settings):
    feedback.submit_report(
        feedback.find_target(f"service:{loop['service'].uid}"), text=REPORT_TEXT, contact=CONTACT
    )
    indexing.rebuild()
    public = [
        service_path(loop),
        f"/palvelut/organisaatio/{loop['city'].uid}/",
        f"/palvelut/toimipiste/{loop['location'].uid}/",
        f"/palvelut/tiimi/{loop['team'].uid}/",
        "/palvelut/",
        "/api/hsds/services",
        f"/api/hsds/services/{loop['service'].uid}",
        "/api/hsds/organizations",
        f"/api/hsds/organizations/{loop['city'].uid}",
        "/api/hsds/service_at_locations",
        f"/api/v1/search?q={SECRET_WORD}",
        f"/api/v1/suggest?q={SECRET_WORD[:6]}",
    ]
    for path in public:
        body = client.get(path).content.decode()
        assert SECRET_WORD not in body, path
        assert CONTACT not in body, path
    # The search finds the service itself, but no document made from a report.
    found = client.get("/api/v1/search", {"q": loop["service"].name_fi}).json()
    assert found["count"] >= 1
    assert all(result["type"] != "errorreport" for result in found["results"])
    assert client.get("/api/v1/search", {"q": SECRET_WORD}).json()["count"] == 0
    # The search page echoes the query in its title and form, but finds nothing.
    page = client.get("/haku/", {"q": SECRET_WORD})
    assert CONTACT not in page.content.decode()
    assert soup(page).select_one(".search-tabs .count").get_text(strip=True) == "(0)"


# Freshness -------------------------------------------------------------------------------------


def freshness_text(client, path):
    return " ".join(soup(client.get(path)).select_one(".freshness").get_text().split())


def test_freshness_of_a_recently_verified_service(client, loop):
    service = loop["service"]
    service.last_verified_on = timezone.localdate() - datetime.timedelta(days=30)
    service.save()
    day = service.last_verified_on
    text = freshness_text(client, service_path(loop))
    assert text == f"Tiedot tarkistettu {day.day}.{day.month}.{day.year}."
    with translation.override("en"):
        en = freshness_text(client, f"/en/services/palvelu/{service.uid}/")
    assert en.startswith("Information checked") and str(day.year) in en
    assert re.search(r"\d+ [A-Z][a-z]+ \d{4}", en)


def test_freshness_of_a_stale_service(client, loop):
    service = loop["service"]
    service.last_verified_on = timezone.localdate() - datetime.timedelta(days=400)
    service.save()
    assert service.needs_verification()
    text = freshness_text(client, service_path(loop))
    assert "Tiedot tarkistettu" in text
    assert "Tietoja ei ole tarkistettu yli 12 kuukauteen" in text


def test_freshness_of_a_never_verified_service(client, loop):
    assert loop["service"].last_verified_on is None
    text = freshness_text(client, service_path(loop))
    assert "Tietoja ei ole koskaan tarkistettu" in text
    sv = soup(client.get(f"/sv/tjanster/palvelu/{loop['service'].uid}/")).select_one(".freshness").get_text()
    assert "aldrig" in sv


def test_door_cards_show_freshness_and_the_report_link(rf, loop):
    request = rf.get("/polku/?postal_code=80100")
    door = service_data(loop["service"], url_for=lambda kind, uid: f"/palvelut/{kind}/{uid}/")
    html = render_to_string("portal/includes/door.html", {"door": door, "request": request})
    page = BeautifulSoup(html, "html.parser")
    assert page.select_one(".freshness") is not None
    link = page.select_one(".record-feedback a")["href"]
    assert f"record=service:{loop['service'].uid}" in link
    assert "next=/polku/%3Fpostal_code%3D80100" in link


# The pathway result (kept last: the demo content stays loaded until the module ends) --------


@pytest.fixture(scope="module")
def demo_content(django_db_setup, django_db_blocker):
    from django.db import transaction

    from portal.demo import load_all

    with django_db_blocker.unblock(), transaction.atomic():
        load_all()
        yield
        transaction.set_rollback(True)


def test_pathway_doors_show_freshness_and_lead_to_a_report_about_the_door(
    demo_content, db, client, django_capture_on_commit_callbacks
):
    from directory.models import Service
    from portal.models import PathwayPage

    page = PathwayPage.objects.get(
        life_situation__slug="huoli-lapsesta-tai-perheesta", locale__language_code="fi"
    )
    result = soup(client.get(page.url, {"postal_code": "83100"}))
    doors = result.select(".your-door .door")
    assert doors
    for door in doors:
        assert door.select_one(".freshness") is not None
        assert "record=service:" in door.select_one(".record-feedback a")["href"]

    link = doors[0].select_one(".record-feedback a")["href"]
    uid = re.search(r"record=service:([0-9a-f-]+)", link).group(1)
    with django_capture_on_commit_callbacks(execute=True):
        response = submit(client, link)
    assert response.status_code == 302
    report = ErrorReport.objects.get()
    service = Service.objects.get(uid=uid)
    assert report.organisation == service.organisation
    assert report.source_url.startswith(page.url)
    # Back to the pathway result the resident came from.
    thanks = soup(client.get(response["Location"]))
    assert thanks.select_one(f'main a[href^="{page.url}"]') is not None
