"""The permission matrix: every role × every directory object and operating model ×
view / choose / create / edit / link / publish / delete / export, tried through the
public pages, the HSDS API and the Wagtail admin as each user would.

EXPECTED below is the whole table, role by role: what is not listed is refused.
A case is one (role, object, action); a wrong permission fails exactly its case.

What the actions mean here:
    view     the public page shows the record (contact people: on their service's
             page and in the HSDS API); the operating model's page answers
    choose   the record is listed in the admin chooser of its kind (the page chooser
             for the operating model)
    create   the add view opens, and the owning organisation (or service) may be
             chosen in it; the operating model: the add-page view under its team
    edit     the edit view opens
    link     a record of organisation A ("own": the editor's organisation) is saved
             with a new link to the record, through its admin form
    publish  directory records have no drafts, so a saved edit is published: the
             edit form is posted and the change is live; the operating model: the
             unpublish view opens (it needs the publish permission)
    delete   the delete view opens
    export   the record is in the CSV export of the "not verified" report

"own" objects belong to organisation A, whose records the organisation editor
edits; "other" objects to organisation B.
"""

import json
from types import SimpleNamespace

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth.models import Group
from django.db import transaction
from django.test import Client
from django.urls import reverse

from directory.choices import ChannelKind, ServiceStatus
from directory.roles import DIRECTORY_ADMINS_GROUP, PROFESSIONALS_GROUP

from .test_admin import form_data

ROLES = (
    "anonymous",
    "professional",
    "organisation editor",
    "directory admin",
    "development-team member",
    "moderator",
    "superuser",
)
ACTIONS = ("view", "choose", "create", "edit", "link", "publish", "delete", "export")
OWN, OTHER = "own", "other"
DIRECTORY_KINDS = (
    "organisation",
    "service",
    "hidden_service",  # an inactive service: not public
    "channel",
    "location",
    "service_at_location",
    "contact_person",
    "team",
)
MODEL = frozenset({"operating_model"})
OBJECTS = tuple(f"{kind}:{owner}" for kind in DIRECTORY_KINDS for owner in (OWN, OTHER)) + tuple(MODEL)


def objects(*kinds, owners=(OWN, OTHER)):
    return frozenset(f"{kind}:{owner}" for kind in kinds for owner in owners)


def own(*kinds):
    return objects(*kinds, owners=(OWN,))


ALL_DIRECTORY = objects(*DIRECTORY_KINDS)
PUBLIC = objects("organisation", "service", "channel", "location", "service_at_location", "team")
CONTACTS = objects("contact_person")
ORGANISATION_RECORDS = set(DIRECTORY_KINDS) - {"organisation"}
LINKABLE = ("organisation", "service", "hidden_service", "location", "contact_person")
EXPORTED = set(DIRECTORY_KINDS) - {"channel"}

# Actions that have no meaning for an object: they are not cases.
NOT_APPLICABLE = {
    "link": objects("channel", "service_at_location", "team") | MODEL,  # nothing links to them
    "export": objects("channel") | MODEL,  # not in the report; models are exported by command
}

EXPECTED = {
    "anonymous": {
        "view": PUBLIC | MODEL,
    },
    "professional": {
        "view": PUBLIC | CONTACTS | MODEL,
    },
    "organisation editor": {
        "view": PUBLIC | CONTACTS | MODEL,
        "choose": own(*DIRECTORY_KINDS) | MODEL,
        "create": own(*ORGANISATION_RECORDS),
        "edit": own(*DIRECTORY_KINDS),
        "link": own(*LINKABLE),
        "publish": own(*DIRECTORY_KINDS),
        "delete": own(*ORGANISATION_RECORDS),
        "export": own(*EXPORTED),
    },
    "directory admin": {
        "view": PUBLIC | CONTACTS | MODEL,
        "choose": ALL_DIRECTORY | MODEL,
        "create": ALL_DIRECTORY,
        "edit": ALL_DIRECTORY,
        "link": objects(*LINKABLE),
        "publish": ALL_DIRECTORY,
        "delete": ALL_DIRECTORY,
        "export": objects(*EXPORTED),
    },
    "development-team member": {
        "view": PUBLIC | MODEL,
        "choose": PUBLIC | MODEL,
        "create": MODEL,
        "edit": MODEL,
    },
    "moderator": {
        "view": PUBLIC | MODEL,
        "choose": PUBLIC | MODEL,
        "create": MODEL,
        "edit": MODEL,
        "publish": MODEL,
        "delete": MODEL,  # Wagtail: the publish permission deletes a page without descendants
    },
    "superuser": {
        "view": PUBLIC | CONTACTS | MODEL,
        "choose": ALL_DIRECTORY | MODEL,
        "create": ALL_DIRECTORY | MODEL,
        "edit": ALL_DIRECTORY | MODEL,
        "link": objects(*LINKABLE),
        "publish": ALL_DIRECTORY | MODEL,
        "delete": ALL_DIRECTORY | MODEL,
        "export": objects(*EXPORTED),
    },
}

CASES = [
    (role, obj, action)
    for role in ROLES
    for obj in OBJECTS
    for action in ACTIONS
    if obj not in NOT_APPLICABLE.get(action, ())
]
CASE_COUNT = len(CASES)


def test_the_matrix_has_every_case():
    assert set(EXPECTED) == set(ROLES)
    assert all(set(actions) <= set(ACTIONS) for actions in EXPECTED.values())
    assert CASE_COUNT == 7 * 17 * 8 - 7 * (len(NOT_APPLICABLE["link"]) + len(NOT_APPLICABLE["export"]))
    print(f"permission matrix: {CASE_COUNT} cases")


# The world: two organisations with one record of every kind each, an operating model,
# and one user per role. Built once for the module inside a transaction that is rolled
# back at the end; every test runs in a savepoint inside it.


def _build():
    from directory.demo import ensure_directory_pages
    from directory.services import ensure_directory_groups, link_editor
    from models_library.demo import MODERATORS, ensure_library, team_group_name
    from models_library.exchange import import_document
    from models_library.models import DevelopmentTeamPage, OperatingModelPage
    from portal.demo import ensure_menus, ensure_page, load_site_shell
    from tests.models_library.factories import document, model_record

    from .factories import (
        ChannelFactory,
        ContactPersonFactory,
        LocationFactory,
        OrganisationFactory,
        ServiceAtLocationFactory,
        ServiceFactory,
        TeamFactory,
        TeamMemberFactory,
        UserFactory,
    )

    ensure_directory_groups()
    pages = load_site_shell()
    ensure_library(pages["homes"], ensure_page)
    ensure_menus(pages)
    ensure_directory_pages(pages["homes"])
    import_document(document(model_record("matriisimalli", team="pohjois-karjala")))

    third = OrganisationFactory(name_fi="Kolmas organisaatio")
    records = {}
    for owner, letter in ((OWN, "A"), (OTHER, "B")):
        org = OrganisationFactory(name_fi=f"Matriisi-organisaatio {letter}")
        service = ServiceFactory(organisation=org, name_fi=f"Matriisipalvelu {letter}")
        hidden = ServiceFactory(
            organisation=org, name_fi=f"Lakkautettu palvelu {letter}", status=ServiceStatus.INACTIVE
        )
        channel = ChannelFactory(
            service=service, kind=ChannelKind.PHONE, phone_number=f"+358 40 700 00{ord(letter)}"
        )
        location = LocationFactory(organisation=org, name_fi=f"Matriisitoimipiste {letter}")
        sal = ServiceAtLocationFactory(
            service=service, location=location, email=f"paikka-{letter.lower()}@demo.invalid"
        )
        contact = ContactPersonFactory(organisation=org, name=f"Yhteyshenkilö {letter}", services=[service])
        team = TeamFactory(organisation=org, name_fi=f"Matriisitiimi {letter}")
        TeamMemberFactory(team=team, organisation=third, role_fi="jäsen")
        records[owner] = {
            "organisation": org,
            "service": service,
            "hidden_service": hidden,
            "channel": channel,
            "location": location,
            "service_at_location": sal,
            "contact_person": contact,
            "team": team,
        }

    def user(name, *groups, **fields):
        account = UserFactory(username=name, **fields)
        for group in groups:
            account.groups.add(Group.objects.get(name=group))
        return account

    editor = user("toimittaja")
    link_editor(editor, records[OWN]["organisation"])
    users = {
        "anonymous": None,
        "professional": user("ammattilainen", PROFESSIONALS_GROUP),
        "organisation editor": editor,
        "directory admin": user("hakemistoyllapitaja", DIRECTORY_ADMINS_GROUP),
        "development-team member": user("kehittaja", team_group_name("pohjois-karjala")),
        "moderator": user("moderaattori", MODERATORS),
        "superuser": user("paakayttaja", is_superuser=True, is_staff=True),
    }
    model = OperatingModelPage.objects.get(slug="matriisimalli", locale__language_code="fi")
    team_page = DevelopmentTeamPage.objects.get(slug="pohjois-karjala", locale__language_code="fi")
    return {"records": records, "users": users, "model": model, "team_page": team_page}


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            yield _build()
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


# Trying the actions ---------------------------------------------------------------------------

MODEL_CLASSES = {
    "organisation": "Organisation",
    "service": "Service",
    "hidden_service": "Service",
    "channel": "ServiceChannel",
    "location": "Location",
    "service_at_location": "ServiceAtLocation",
    "contact_person": "ContactPerson",
    "team": "Team",
}
PUBLIC_PATHS = {
    "organisation": "organisaatio",
    "service": "palvelu",
    "location": "toimipiste",
    "team": "tiimi",
}
_GETS = {}  # (role, url) -> (status, text): GETs change nothing, so each is made once per module
_FORMS = {}  # edit url -> the edit form's data, as the superuser sees it


def model_of(kind):
    from django.apps import apps

    return apps.get_model("directory", MODEL_CLASSES[kind])


def client_for(world, role):
    client = Client()
    if world["users"][role] is not None:
        client.force_login(world["users"][role])
    return client


def get(world, role, url):
    key = (role, url)
    if key not in _GETS:
        response = client_for(world, role).get(url)
        body = b"".join(response.streaming_content) if response.streaming else response.content
        _GETS[key] = (response.status_code, body.decode(errors="replace"))
    return _GETS[key]


def opens(world, role, url):
    return get(world, role, url)[0] == 200


def snippet_url(kind, action, record=None):
    name = model_of(kind).snippet_viewset.get_url_name(action)
    return reverse(name, args=[record.pk]) if record is not None else reverse(name)


def in_chooser(world, role, kind, record):
    status, text = get(
        world, role, reverse(f"wagtailsnippetchoosers_directory_{model_of(kind)._meta.model_name}:choose")
    )
    if status != 200:
        return False
    html = json.loads(text).get("html", "")
    return f"/chosen/{record.pk}/" in html


def edit_form(world, kind, record):
    url = snippet_url(kind, "edit", record)
    if url not in _FORMS:
        status, text = get(world, "superuser", url)
        assert status == 200
        _FORMS[url] = form_data(SimpleNamespace(content=text.encode()))
    return dict(_FORMS[url])


def view(world, role, kind, record):
    records = world["records"][OWN if record in world["records"][OWN].values() else OTHER]
    service_page = get(world, role, f"/palvelut/palvelu/{records['service'].uid}/")[1]
    if kind == "contact_person":
        api = get(world, role, f"/api/hsds/services/{records['service'].uid}")[1]
        # The HSDS API is the open data export: public data only, whoever asks.
        assert record.name not in api and record.email not in api
        return record.name in service_page
    if kind == "channel":
        return record.phone_number in service_page
    if kind == "service_at_location":
        return record.email in service_page
    path = PUBLIC_PATHS["service" if kind == "hidden_service" else kind]
    status, text = get(world, role, f"/palvelut/{path}/{record.uid}/")
    return status == 200 and str(record.name_fi) in text


def create(world, role, kind, record):
    if not opens(world, role, snippet_url(kind, "add")):
        return False
    if kind == "organisation":
        return True
    records = world["records"][OWN if record in world["records"][OWN].values() else OTHER]
    owner_kind = "service" if kind in ("channel", "service_at_location") else "organisation"
    return in_chooser(world, role, owner_kind, records[owner_kind])


def publish(world, role, kind, record):
    data = edit_form(world, kind, record)
    field = {
        "channel": "label_fi",
        "service_at_location": "description_fi",
        "contact_person": "title_fi",
    }.get(kind, "name_fi")
    data[field] = "Julkaistu muutos"
    response = client_for(world, role).post(snippet_url(kind, "edit", record), data)
    changed = getattr(type(record).objects.get(pk=record.pk), field) == "Julkaistu muutos"
    if changed:
        assert response.status_code == 302, response.status_code
    return changed


# How a record of organisation A links to a record of each kind: (kind of A's record, how to add the link).
def _add_to(name):
    def change(data, target):
        data[name] = [*data.get(name, []), str(target.pk)]

    return change


def _set(name):
    def change(data, target):
        data[name] = str(target.pk)

    return change


LINKS = {
    "service": ("team", _add_to("services"), lambda source, t: source.services.filter(pk=t.pk).exists()),
    "hidden_service": (
        "team",
        _add_to("services"),
        lambda source, t: source.services.filter(pk=t.pk).exists(),
    ),
    "contact_person": (
        "service_at_location",
        _add_to("contact_people"),
        lambda source, t: source.contact_people.filter(pk=t.pk).exists(),
    ),
    "location": ("team", _set("location"), lambda source, t: source.location_id == t.pk),
    "organisation": (
        "team",
        _set("members-0-organisation"),
        lambda source, t: source.members.filter(organisation=t).exists(),
    ),
}


def link(world, role, kind, record):
    source_kind, change, linked = LINKS[kind]
    source = world["records"][OWN][source_kind]
    data = edit_form(world, source_kind, source)
    change(data, record)
    response = client_for(world, role).post(snippet_url(source_kind, "edit", source), data)
    done = linked(type(source).objects.get(pk=source.pk), record)
    if done:
        assert response.status_code == 302, response.status_code
    elif response.status_code == 200:
        # Refused by the form: it names the record, if the user may see it at all.
        from directory.access import can_see_record

        if can_see_record(world["users"][role], record):
            errors = " ".join(
                e.get_text(" ", strip=True)
                for e in BeautifulSoup(response.content, "html.parser").select(".error-message")
            )
            assert str(record) in errors, f"the refusal does not name the record: {errors}"
    return done


def export(world, role, kind, record):
    status, text = get(world, role, reverse("directory_unverified_report") + "?export=csv")
    return status == 200 and str(record) in text


DIRECTORY_ACTIONS = {
    "view": view,
    "choose": in_chooser,
    "create": create,
    "edit": lambda world, role, kind, record: opens(world, role, snippet_url(kind, "edit", record)),
    "link": link,
    "publish": publish,
    "delete": lambda world, role, kind, record: opens(world, role, snippet_url(kind, "delete", record)),
    "export": export,
}


def model_action(world, role, action):
    page, team_page = world["model"], world["team_page"]
    if action == "view":
        status, _text = get(world, role, page.url)
        return status == 200
    if action == "choose":
        status, text = get(world, role, reverse("wagtailadmin_choose_page_child", args=[team_page.pk]))
        return status == 200 and page.title in json.loads(text).get("html", "")
    url = {
        "create": reverse(
            "wagtailadmin_pages:add", args=("models_library", "operatingmodelpage", team_page.pk)
        ),
        "edit": reverse("wagtailadmin_pages:edit", args=[page.pk]),
        "publish": reverse("wagtailadmin_pages:unpublish", args=[page.pk]),
        "delete": reverse("wagtailadmin_pages:delete", args=[page.pk]),
    }[action]
    return opens(world, role, url)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "obj", "action"), CASES, ids=[f"{r}-{o}-{a}".replace(" ", "_") for r, o, a in CASES]
)
def test_permission(world, role, obj, action):
    expected = obj in EXPECTED[role].get(action, ())
    if obj == "operating_model":
        allowed = model_action(world, role, action)
    else:
        kind, owner = obj.split(":")
        allowed = DIRECTORY_ACTIONS[action](world, role, kind, world["records"][owner][kind])
    assert allowed == expected, f"{role} {'may' if allowed else 'may not'} {action} {obj}"


# Links between organisations, removable from both sides ------------------------------------------


@pytest.mark.django_db
def test_the_other_organisation_removes_a_link_to_its_record(world):
    from directory.models import ContactPerson

    records = world["records"]
    theirs, ours = records[OTHER]["contact_person"], records[OWN]["service"]
    theirs_now = ContactPerson.objects.get(pk=theirs.pk)  # B's person on A's service (made before the rule)
    theirs_now.services.add(ours)
    theirs_now.save()
    client = client_for(world, "organisation editor")  # edits A only

    listing = client.get(reverse("directory_incoming_links"))
    assert listing.status_code == 200
    tokens = [i["value"] for i in BeautifulSoup(listing.content, "html.parser").select("input[name=link]")]
    token = f"contact-services:{theirs.pk}:{ours.pk}"
    assert token in tokens
    response = client.post(reverse("directory_incoming_links"), {"link": token})

    assert response.status_code == 302
    assert not ContactPerson.objects.get(pk=theirs.pk).services.filter(pk=ours.pk).exists()
    # Nobody removes a link they have no part in.
    assert (
        client.post(
            reverse("directory_incoming_links"),
            {"link": f"contact-services:{theirs.pk}:{records[OTHER]['service'].pk}"},
        ).status_code
        == 404
    )


@pytest.mark.django_db
def test_incoming_links_are_not_for_staff_without_organisations(world):
    assert client_for(world, "moderator").get(reverse("directory_incoming_links")).status_code in (302, 403)
    assert client_for(world, "directory admin").get(reverse("directory_incoming_links")).status_code == 200


@pytest.mark.django_db
def test_an_existing_link_to_another_organisation_stays_and_can_be_removed_by_its_owner(world):
    """A's team has a member from a third organisation: saving keeps it, and A removes it."""
    team = world["records"][OWN]["team"]
    data = edit_form(world, "team", team)
    data["members-0-DELETE"] = "1"
    response = client_for(world, "organisation editor").post(snippet_url("team", "edit", team), data)

    assert response.status_code == 302
    assert not type(team).objects.get(pk=team.pk).members.exists()


@pytest.mark.django_db
def test_choices_of_a_multiple_field_offer_only_linkable_records(world):
    contact = world["records"][OWN]["contact_person"]
    status, text = get(world, "organisation editor", snippet_url("contact_person", "edit", contact))
    options = [
        o.get_text(strip=True)
        for o in BeautifulSoup(text, "html.parser").select("select[name=services] option")
    ]

    assert status == 200
    assert any("Matriisipalvelu A" in o for o in options)
    assert not any("Matriisipalvelu B" in o or "Lakkautettu palvelu B" in o for o in options)


@pytest.mark.django_db
def test_a_chooser_answers_only_for_records_the_user_may_choose(world):
    """The "chosen" answer behind a chooser is scoped like its listing: a moderator
    (not a professional) cannot fetch a contact person by its id."""
    contact = world["records"][OWN]["contact_person"]
    chosen = reverse("wagtailsnippetchoosers_directory_contactperson:chosen", args=[contact.pk])
    search = reverse("wagtailsnippetchoosers_directory_contactperson:choose_results") + "?q=Yhteyshenkilö"

    assert client_for(world, "moderator").get(chosen).status_code == 404
    assert f"/chosen/{contact.pk}/" not in client_for(world, "moderator").get(search).content.decode()
    assert client_for(world, "organisation editor").get(chosen).status_code == 200
    assert f"/chosen/{contact.pk}/" in client_for(world, "organisation editor").get(search).content.decode()
