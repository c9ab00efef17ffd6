"""Editing the directory in the Wagtail admin: editors change only their own
organisation's records; the report of records not verified in 12 months."""

import datetime
import uuid

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone

from directory.models import Organisation, Service, Team
from directory.roles import DIRECTORY_ADMINS_GROUP

from .conftest import RANTAKYLA_MODEL_UID
from .factories import ContactPersonFactory, LocationFactory, OrganisationFactory, ServiceFactory, UserFactory

pytestmark = pytest.mark.django_db


def url(model, action, obj=None):
    name = model.snippet_viewset.get_url_name(action)
    return reverse(name, args=[obj.pk]) if obj is not None else reverse(name)


def form_data(response):
    """The values of the admin edit form on the page, as a browser would submit them."""
    forms = BeautifulSoup(response.content, "html.parser").find_all("form")
    form = max(forms, key=lambda f: len(f.find_all(["input", "select", "textarea"])))
    data = {}
    for field in form.find_all(["input", "select", "textarea"]):
        name = field.get("name")
        if not name or field.get("type") in ("submit", "button", "file"):
            continue
        if field.name == "textarea":
            data[name] = field.get_text()
        elif field.name == "select":
            selected = [
                option.get("value", "") for option in field.find_all("option") if option.has_attr("selected")
            ]
            options = field.find_all("option")
            if field.has_attr("multiple"):
                data[name] = selected
            elif selected or options:
                data[name] = (
                    selected[0] if selected else options[0].get("value", "")
                )  # a browser sends the first
        elif field.get("type") in ("checkbox", "radio"):
            if field.has_attr("checked"):
                data.setdefault(name, []).append(field.get("value", "on"))
        else:
            data[name] = field.get("value", "")
    return data


def form_errors(response):
    html = BeautifulSoup(response.content, "html.parser")
    return [
        (e.find_parent(attrs={"data-field-wrapper": True}) or e.parent).get("data-field-wrapper", "")
        + ": "
        + e.get_text(" ", strip=True)
        for e in html.select(".error-message")
    ]


@pytest.fixture
def two_organisations(groups):
    a = OrganisationFactory(name_fi="Organisaatio A")
    b = OrganisationFactory(name_fi="Organisaatio B")
    return {
        "a": a,
        "b": b,
        "service_a": ServiceFactory(organisation=a, name_fi="A:n palvelu"),
        "service_b": ServiceFactory(organisation=b, name_fi="B:n palvelu"),
    }


def test_editor_edits_own_organisations_service(client, two_organisations, editor_of):
    client.force_login(editor_of(two_organisations["a"]))
    service = two_organisations["service_a"]
    edit = url(Service, "edit", service)

    data = form_data(client.get(edit))
    data["name_fi"] = "A:n palvelu, uusi nimi"
    response = client.post(edit, data)

    assert response.status_code == 302, form_errors(response)
    service.refresh_from_db()
    assert service.name_fi == "A:n palvelu, uusi nimi"
    assert service.revisions.count() == 1  # saved with a revision


def test_editor_of_a_cannot_edit_organisation_bs_service(client, two_organisations, editor_of):
    client.force_login(editor_of(two_organisations["a"]))
    own, other = two_organisations["service_a"], two_organisations["service_b"]
    data = form_data(client.get(url(Service, "edit", own)))
    data["name_fi"] = "Kaapattu"

    assert client.get(url(Service, "edit", other)).status_code in (403, 404)
    assert client.post(url(Service, "edit", other), data).status_code in (403, 404)
    assert client.post(url(Service, "delete", other)).status_code in (403, 404)
    assert client.get(url(Service, "history", other)).status_code in (403, 404)
    other.refresh_from_db()
    assert other.name_fi == "B:n palvelu"
    assert Service.objects.filter(pk=other.pk).exists()
    assert other.revisions.count() == 0


def test_editor_cannot_move_a_service_to_another_organisation(client, two_organisations, editor_of):
    client.force_login(editor_of(two_organisations["a"]))
    service = two_organisations["service_a"]
    edit = url(Service, "edit", service)
    data = form_data(client.get(edit))
    data["organisation"] = str(two_organisations["b"].pk)

    response = client.post(edit, data)

    assert response.status_code == 200  # the form comes back with an error
    service.refresh_from_db()
    assert service.organisation == two_organisations["a"]


def test_editor_lists_only_own_records(client, two_organisations, editor_of):
    client.force_login(editor_of(two_organisations["a"]))

    text = client.get(url(Service, "list")).content.decode()

    assert "A:n palvelu" in text and "B:n palvelu" not in text


def test_editor_of_a_parent_organisation_edits_its_units(client, two_organisations, editor_of):
    unit = OrganisationFactory(name_fi="A:n yksikkö", parent=two_organisations["a"])
    service = ServiceFactory(organisation=unit)
    client.force_login(editor_of(two_organisations["a"]))

    assert client.get(url(Service, "edit", service)).status_code == 200
    assert client.get(url(Organisation, "edit", unit)).status_code == 200
    assert client.get(url(Organisation, "edit", two_organisations["b"])).status_code in (403, 404)


def test_only_directory_admins_add_organisations(client, two_organisations, editor_of):
    client.force_login(editor_of(two_organisations["a"]))

    response = client.get(url(Organisation, "add"))

    assert response.status_code in (302, 403)  # Wagtail redirects or refuses a permission failure
    if response.status_code == 302:
        assert "/admin/" in response["Location"] and "add" not in response["Location"]


def test_directory_admin_edits_every_organisations_records(client, two_organisations):
    admin = UserFactory(username="hakemistoadmin")
    admin.groups.add(Group.objects.get(name=DIRECTORY_ADMINS_GROUP))
    client.force_login(admin)

    assert client.get(url(Service, "edit", two_organisations["service_a"])).status_code == 200
    assert client.get(url(Service, "edit", two_organisations["service_b"])).status_code == 200
    assert client.get(url(Organisation, "add")).status_code == 200


def test_verification_checkbox_records_date_and_verifier(client, two_organisations, editor_of):
    editor = editor_of(two_organisations["a"])
    client.force_login(editor)
    service = two_organisations["service_a"]
    edit = url(Service, "edit", service)
    data = form_data(client.get(edit))
    data["mark_verified"] = "on"

    assert client.post(edit, data).status_code == 302

    service.refresh_from_db()
    assert service.last_verified_on == timezone.localdate()
    assert service.last_verified_by == editor


REPORT = "directory_unverified_report"


def test_report_lists_records_not_verified_for_twelve_months(client, two_organisations):
    today = timezone.localdate()
    Service.objects.filter(pk=two_organisations["service_a"].pk).update(
        last_verified_on=today - datetime.timedelta(days=30)
    )
    Service.objects.filter(pk=two_organisations["service_b"].pk).update(
        last_verified_on=today - datetime.timedelta(days=400)
    )
    LocationFactory(organisation=two_organisations["a"], name_fi="Tarkistamaton toimipiste")
    client.force_login(UserFactory(username="admin", is_superuser=True, is_staff=True))

    response = client.get(reverse(REPORT))

    assert response.status_code == 200
    text = response.content.decode()
    assert "B:n palvelu" in text  # verified over a year ago
    assert "Tarkistamaton toimipiste" in text  # never verified
    assert "A:n palvelu" not in text  # verified last month


def test_editor_report_shows_only_own_records(client, two_organisations, editor_of):
    client.force_login(editor_of(two_organisations["a"]))

    text = client.get(reverse(REPORT)).content.decode()

    assert "A:n palvelu" in text and "B:n palvelu" not in text


def test_report_exports_csv(client, two_organisations):
    ContactPersonFactory(organisation=two_organisations["b"], name="Vanha Yhteystieto")
    client.force_login(UserFactory(username="admin", is_superuser=True, is_staff=True))

    response = client.get(reverse(REPORT) + "?export=csv")

    assert response.status_code == 200
    content = (
        b"".join(response.streaming_content).decode() if response.streaming else response.content.decode()
    )
    assert "Vanha Yhteystieto" in content


def test_report_is_refused_to_users_without_directory_permissions(client, groups):
    user = UserFactory(username="muu")
    user.groups.add(Group.objects.get(name="professionals"))
    client.force_login(user)

    assert client.get(reverse(REPORT)).status_code in (302, 403)


def test_report_is_in_the_reports_menu(client, two_organisations, editor_of):
    client.force_login(editor_of(two_organisations["a"]))

    assert reverse(REPORT) in client.get(reverse("wagtailadmin_home")).content.decode()


@pytest.mark.parametrize(
    "kind", ["organisation", "service", "channel", "location", "service_at_location", "contact", "team"]
)
def test_every_directory_snippet_has_working_admin_pages(client, scenario, kind):
    from directory.models import ContactPerson, Location, ServiceAtLocation, ServiceChannel, Team

    from .factories import ChannelFactory

    record = {
        "organisation": scenario["city"],
        "service": scenario["service"],
        "channel": ChannelFactory(service=scenario["service"]),
        "location": scenario["location"],
        "service_at_location": scenario["sal"],
        "contact": ContactPerson.objects.filter(organisation=scenario["city"]).first(),
        "team": scenario["team"],
    }[kind]
    model = {
        "organisation": Organisation,
        "service": Service,
        "channel": ServiceChannel,
        "location": Location,
        "service_at_location": ServiceAtLocation,
        "contact": ContactPerson,
        "team": Team,
    }[kind]
    client.force_login(UserFactory(username="admin", is_superuser=True, is_staff=True))

    assert client.get(url(model, "list")).status_code == 200
    assert client.get(url(model, "add")).status_code == 200
    edit = client.get(url(model, "edit", record))
    assert edit.status_code == 200
    # Saving the form unchanged works (panels, inline formsets and the verification field fit together).
    response = client.post(url(model, "edit", record), form_data(edit))
    assert response.status_code == 302, form_errors(response)


def test_editors_pick_the_operating_model_from_the_models_the_library_offers(
    client, scenario, operating_models
):
    other = uuid.uuid4()
    operating_models.models[other] = ("Toinen malli", "/toimintamallit/toinen-malli/", "in_use")
    team = scenario["team"]
    assert team.operating_model_uid == RANTAKYLA_MODEL_UID
    client.force_login(UserFactory(username="admin", is_superuser=True, is_staff=True))

    def model_select(response):
        return BeautifulSoup(response.content, "html.parser").find(
            "select", attrs={"name": "operating_model_uid"}
        )

    edit = client.get(url(Team, "edit", team))
    select = model_select(edit)
    options = {option.get("value"): option.get_text(strip=True) for option in select.find_all("option")}
    assert options == {
        "": "---------",
        str(RANTAKYLA_MODEL_UID): "Rantakylän aluetiimi",
        str(other): "Toinen malli",
    }
    assert select.find("option", selected=True).get("value") == str(RANTAKYLA_MODEL_UID)

    data = form_data(edit)
    data["operating_model_uid"] = str(other)
    response = client.post(url(Team, "edit", team), data)
    assert response.status_code == 302, form_errors(response)
    team.refresh_from_db()
    assert team.operating_model_uid == other
    assert "Toinen malli" in client.get(url(Team, "list")).content.decode()

    # A linked model the library no longer offers stays an option: saving keeps the link.
    del operating_models.models[other]
    edit = client.get(url(Team, "edit", team))
    assert model_select(edit).find("option", selected=True).get("value") == str(other)
    response = client.post(url(Team, "edit", team), form_data(edit))
    assert response.status_code == 302, form_errors(response)
    team.refresh_from_db()
    assert team.operating_model_uid == other

    data = form_data(client.get(url(Team, "edit", team)))
    data["operating_model_uid"] = ""
    assert client.post(url(Team, "edit", team), data).status_code == 302
    team.refresh_from_db()
    assert team.operating_model_uid is None
