"""The audit trail: every write path outside the admin (imports, verification)
records who changed, linked or deleted which record, in Wagtail's log; an
organisation's editors read the history of their own records and no one else's,
both per record and in Reports → Site history."""

import io
import json

import pytest
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.core.management import CommandError, call_command
from django.urls import reverse
from wagtail.models import ModelLogEntry

from directory import audit
from directory.models import (
    ContactPerson,
    Location,
    Organisation,
    Service,
    ServiceAtLocation,
    ServiceChannel,
    Team,
)
from directory.roles import DIRECTORY_ADMINS_GROUP
from directory.services import verify

from .factories import (
    ChannelFactory,
    ContactPersonFactory,
    LifeSituationFactory,
    LocationFactory,
    OrganisationFactory,
    ServiceAtLocationFactory,
    ServiceFactory,
    TeamFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def entries(obj, action=None):
    queryset = ModelLogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(obj, for_concrete_model=False), object_id=str(obj.pk)
    )
    return list(queryset.filter(action=action) if action else queryset)


def export(directory):
    call_command("export_hsds", str(directory), stdout=io.StringIO())


def import_hsds(directory, *options):
    call_command("import_hsds", str(directory), *options, stdout=io.StringIO())


def rewrite(path, change):
    data = json.loads(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(json.dumps(data), encoding="utf-8")


# Imports ------------------------------------------------------------------------------------------


def test_hsds_import_records_created_records_with_the_user_and_the_file(scenario, tmp_path):
    importer = UserFactory(username="tuoja")
    export(tmp_path)
    Service.objects.filter(pk=scenario["service"].pk).delete()

    import_hsds(tmp_path, "--user", "tuoja")

    service = Service.objects.get(uid=scenario["service"].uid)
    (created,) = entries(service, audit.IMPORT_CREATE)
    assert created.user == importer
    assert created.data["source"] == "import_hsds"
    assert created.data["file"] == str(tmp_path)
    assert created.data["links"]["life_situations"] == {"added": ["Huoli lapsesta"]}
    # One import run shares one log uuid.
    assert {e.uuid for e in ModelLogEntry.objects.filter(action__startswith="ovi.import")} == {created.uuid}


def test_hsds_import_without_user_names_the_system_actor(scenario, tmp_path):
    export(tmp_path)
    rewrite(
        tmp_path / "services.json",
        lambda services: next(s for s in services if s["id"] == str(scenario["service"].uid)).update(
            name="Perheiden ovi"
        ),
    )

    import_hsds(tmp_path)

    (edited,) = entries(scenario["service"], audit.IMPORT_EDIT)
    assert edited.user is None
    assert edited.data["source"] == "import_hsds"
    assert edited.data["fields"] == ["name_fi"]
    assert "Perheiden ovi" not in json.dumps(edited.data)  # names of fields, never values
    assert edited.content_changed


def test_an_unchanged_import_records_nothing(scenario, tmp_path):
    export(tmp_path)
    import_hsds(tmp_path)
    before = ModelLogEntry.objects.count()

    import_hsds(tmp_path)

    assert ModelLogEntry.objects.count() == before


def test_import_records_links_and_unlinks(scenario, tmp_path):
    service = scenario["service"]
    export(tmp_path)
    extra = LifeSituationFactory(slug="muutto", name_fi="Muutto")
    service.life_situations.add(extra)
    service.save()  # a parental relation is written on save

    import_hsds(tmp_path)

    (edited,) = entries(service, audit.IMPORT_EDIT)
    assert edited.data["links"] == {"life_situations": {"removed": ["Muutto"]}}


def test_import_records_the_deletion_of_stale_channels(scenario, tmp_path):
    export(tmp_path)
    stale = ChannelFactory(service=scenario["service"])
    stale_pk = stale.pk

    import_hsds(tmp_path, "--skip-invalid")

    assert not ServiceChannel.objects.filter(pk=stale_pk).exists()
    (deleted,) = ModelLogEntry.objects.filter(action=audit.IMPORT_DELETE, object_id=str(stale_pk))
    assert deleted.deleted
    assert deleted.data["source"] == "import_hsds"


def test_ptv_import_records_its_records_and_changes(db):
    from .test_ptv import CHANNELS, DATA, ORGANISATIONS, SERVICES

    importer = UserFactory(username="ptv-tuoja")
    files = map(str, (ORGANISATIONS, CHANNELS, SERVICES))
    call_command("import_ptv", *files, "--user", "ptv-tuoja", stdout=io.StringIO())

    created = ModelLogEntry.objects.filter(action=audit.IMPORT_CREATE)
    assert created.filter(content_type__model="service").count() == Service.objects.count()
    assert created.filter(content_type__model="organisation").count() == Organisation.objects.count()
    assert {(e.user, e.data["source"]) for e in created} == {(importer, "import_ptv")}

    changed = map(str, (ORGANISATIONS, CHANNELS, DATA / "services_changed.json"))
    call_command("import_ptv", *changed, stdout=io.StringIO())
    edits = ModelLogEntry.objects.filter(action=audit.IMPORT_EDIT, content_type__model="service")
    assert edits.exists()
    assert all(e.user is None and e.data["source"] == "import_ptv" and e.data.get("fields") for e in edits)


def test_an_unknown_user_stops_the_import(scenario, tmp_path):
    export(tmp_path)
    with pytest.raises(CommandError, match="no such user"):
        import_hsds(tmp_path, "--user", "ei-ketaan")


def test_user_may_be_given_by_email(scenario, tmp_path):
    importer = UserFactory(username="tuoja2", email="tuoja@demo.invalid")
    export(tmp_path)
    Service.objects.filter(pk=scenario["service"].pk).delete()

    import_hsds(tmp_path, "--user", "TUOJA@demo.invalid")

    (created,) = entries(Service.objects.get(uid=scenario["service"].uid), audit.IMPORT_CREATE)
    assert created.user == importer


def test_verification_is_recorded(scenario):
    checker = UserFactory(username="tarkastaja")

    verify(scenario["service"], checker)

    (entry,) = entries(scenario["service"], audit.VERIFY)
    assert entry.user == checker
    assert entry.data["verified_on"] == scenario["service"].last_verified_on.isoformat()


def test_import_entries_read_well_in_the_history(admin_client, scenario, tmp_path):
    importer = UserFactory(username="tuoja", first_name="Tuula", last_name="Tuoja")
    export(tmp_path)
    rewrite(
        tmp_path / "services.json",
        lambda services: next(s for s in services if s["id"] == str(scenario["service"].uid)).update(
            name="Perheiden ovi"
        ),
    )
    import_hsds(tmp_path, "--user", "tuoja")

    viewset = Service.snippet_viewset
    response = admin_client.get(reverse(viewset.get_url_name("history"), args=[scenario["service"].pk]))

    assert response.status_code == 200
    text = response.content.decode()
    assert "import_hsds" in text and "name_fi" in text
    assert importer.get_full_name() in text or importer.username in text


# Who may read the history -------------------------------------------------------------------------


def _records(organisation):
    service = ServiceFactory(organisation=organisation)
    location = LocationFactory(organisation=organisation)
    return {
        Organisation: organisation,
        Service: service,
        Location: location,
        ServiceAtLocation: ServiceAtLocationFactory(service=service, location=location),
        ServiceChannel: ChannelFactory(service=service),
        ContactPerson: ContactPersonFactory(organisation=organisation, name=f"Henkilö {organisation}"),
        Team: TeamFactory(organisation=organisation),
    }


@pytest.fixture
def two_organisations_with_history(groups):
    a = OrganisationFactory(name_fi="Organisaatio A")
    b = OrganisationFactory(name_fi="Organisaatio B")
    records = {"a": _records(a), "b": _records(b)}
    with audit.acting(source="test"):
        for side in records.values():
            for obj in side.values():
                audit.record(obj, audit.IMPORT_EDIT, fields=["name_fi"])
    return records


SCOPED_MODELS = [Organisation, Service, Location, ServiceAtLocation, ServiceChannel, ContactPerson, Team]


@pytest.mark.parametrize("model", SCOPED_MODELS)
def test_editors_read_their_own_records_history_only(
    client, two_organisations_with_history, editor_of, model
):
    records = two_organisations_with_history
    client.force_login(editor_of(records["a"][Organisation]))
    viewset = model.snippet_viewset

    for name in ("history", "history_results"):
        own = client.get(reverse(viewset.get_url_name(name), args=[records["a"][model].pk]))
        other = client.get(reverse(viewset.get_url_name(name), args=[records["b"][model].pk]))
        assert own.status_code == 200, name
        assert other.status_code in (403, 404), name


def _site_history(client):
    response = client.get(reverse("wagtailadmin_reports:site_history_results"))
    assert response.status_code == 200
    return response.content.decode()


def test_site_history_shows_an_editor_only_their_organisations_records(
    client, two_organisations_with_history, editor_of
):
    records = two_organisations_with_history
    client.force_login(editor_of(records["a"][Organisation]))

    text = _site_history(client)

    assert "Henkilö Organisaatio A" in text
    assert "Henkilö Organisaatio B" not in text
    assert str(records["b"][Service]) not in text
    assert str(records["a"][Service]) in text
    # The full page and its CSV export too.
    page = client.get(reverse("wagtailadmin_reports:site_history")).content.decode()
    assert "Henkilö Organisaatio B" not in page
    export = client.get(reverse("wagtailadmin_reports:site_history") + "?export=csv")
    csv_text = b"".join(export.streaming_content).decode() if export.streaming else export.content.decode()
    assert "Henkilö Organisaatio A" in csv_text
    assert "Henkilö Organisaatio B" not in csv_text


def test_site_history_shows_directory_admins_everything(client, two_organisations_with_history):
    admin = UserFactory(username="hakemistoadmin")
    admin.groups.add(Group.objects.get(name=DIRECTORY_ADMINS_GROUP))
    client.force_login(admin)

    text = _site_history(client)

    assert "Henkilö Organisaatio A" in text
    assert "Henkilö Organisaatio B" in text


def test_site_history_still_needs_admin_access(client, two_organisations_with_history):
    client.force_login(UserFactory(username="ei-oikeuksia"))
    response = client.get(reverse("wagtailadmin_reports:site_history"))
    assert response.status_code in (302, 403)
