"""Reviews: a moderator's workflow approval records the review, the report and the e-mail digest list what needs one."""

import csv
import datetime
import io

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from wagtail.models import WorkflowState
from wagtail.test.utils.form_data import inline_formset, nested_form_data
from wagtail.users.models import UserProfile

from models_library.demo import DEMO_REVIEW_AGE_DAYS, MODERATORS, team_group_name
from models_library.exchange import import_document
from models_library.models import DevelopmentTeamPage, OperatingModelPage
from models_library.review import models_needing_review
from tests.models_library.factories import document, model_record
from tests.models_library.test_editorial import CORE, add_url, form, user_in

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
REPORT_URL = "/admin/models-library/review/"


def days_ago(days):
    return (TODAY - datetime.timedelta(days=days)).isoformat()


def submit_and_approve(client, django_user_model, **fields):
    """A team member writes and submits a model; a moderator approves it in the workflow."""
    member = user_in(django_user_model, team_group_name("pirkanmaa"))
    moderator = user_in(django_user_model, MODERATORS, name="moderaattori")
    team = DevelopmentTeamPage.objects.get(slug="pirkanmaa", locale__language_code="fi")
    client.force_login(member)
    response = client.post(add_url(team), {**form(**{**CORE, **fields}), "action-submit": "1"})
    assert response.status_code == 302, response.context["form"].errors if response.context else response
    page = OperatingModelPage.objects.get(slug="uusi-malli")
    assert page.last_reviewed is None
    task_state = WorkflowState.objects.get(object_id=str(page.pk)).current_task_state

    client.force_login(moderator)
    response = client.post(
        reverse("wagtailadmin_pages:workflow_action", args=(page.pk, "approve", task_state.pk)),
        {"comment": ""},
    )
    assert response.status_code in (200, 302)
    page.refresh_from_db()
    return page, member, moderator


def test_workflow_approval_sets_the_review_date_and_reviewer(client, library, django_user_model):
    page, member, moderator = submit_and_approve(client, django_user_model)

    assert page.live
    assert page.last_reviewed == TODAY
    assert page.last_reviewed_by == moderator
    assert not page.needs_review
    assert page not in models_needing_review()


def test_the_review_survives_later_edits_and_revisions(client, library, django_user_model):
    page, member, moderator = submit_and_approve(client, django_user_model)

    # The team edits a draft (built from the latest revision) and a moderator publishes it.
    client.force_login(member)
    client.post(reverse("wagtailadmin_pages:edit", args=(page.pk,)), form(**CORE, title="Uusi nimi"))
    client.force_login(moderator)
    response = client.post(
        reverse("wagtailadmin_pages:edit", args=(page.pk,)),
        {**form(**CORE, title="Uusi nimi"), "action-publish": "1"},
    )

    assert response.status_code == 302
    page.refresh_from_db()
    assert page.title == "Uusi nimi"
    assert (page.last_reviewed, page.last_reviewed_by) == (TODAY, moderator)
    assert page.get_latest_revision_as_object().last_reviewed == TODAY


def test_editors_cannot_type_in_a_review_date(client, library, django_user_model):
    import_document(
        document(
            model_record("oma", team="pirkanmaa", evidence={"level": "described", "last_reviewed": None})
        )
    )
    member = user_in(django_user_model, team_group_name("pirkanmaa"))
    page = OperatingModelPage.objects.get(slug="oma", locale__language_code="fi")
    client.force_login(member)

    client.post(
        reverse("wagtailadmin_pages:edit", args=(page.pk,)),
        {**form(**CORE, title="Oma", slug="oma"), "last_reviewed": TODAY.isoformat()},
    )

    page.refresh_from_db()
    assert page.last_reviewed is None
    assert page.get_latest_revision_as_object().last_reviewed is None


def test_rejection_is_not_a_review(client, library, django_user_model):
    member = user_in(django_user_model, team_group_name("pirkanmaa"))
    moderator = user_in(django_user_model, MODERATORS, name="moderaattori")
    team = DevelopmentTeamPage.objects.get(slug="pirkanmaa", locale__language_code="fi")
    client.force_login(member)
    client.post(add_url(team), {**form(**CORE), "action-submit": "1"})
    page = OperatingModelPage.objects.get(slug="uusi-malli")
    task_state = WorkflowState.objects.get(object_id=str(page.pk)).current_task_state

    client.force_login(moderator)
    client.post(
        reverse("wagtailadmin_pages:workflow_action", args=(page.pk, "reject", task_state.pk)),
        {"comment": "x"},
    )

    page.refresh_from_db()
    assert page.last_reviewed is None and not page.live


def test_submitting_a_key_figure_without_source_or_period_is_refused(client, library, django_user_model):
    member = user_in(django_user_model, team_group_name("pirkanmaa"))
    team = DevelopmentTeamPage.objects.get(slug="pirkanmaa", locale__language_code="fi")
    client.force_login(member)
    figure = {
        "value": "568",
        "label": "kontaktia",
        "label_sv": "",
        "label_en": "",
        "source": "",
        "period": "",
    }
    data = form(**CORE)
    data.update(nested_form_data({"figures": inline_formset([figure])}))

    response = client.post(add_url(team), {**data, "action-submit": "1"})

    assert response.status_code == 200
    figure_form = response.context["form"].formsets["figures"].forms[0]
    assert "source" in figure_form.errors
    assert not OperatingModelPage.objects.filter(slug="uusi-malli").exists()

    data.update(nested_form_data({"figures": inline_formset([{**figure, "period": "2017"}])}))
    response = client.post(add_url(team), {**data, "action-submit": "1"})
    assert response.status_code == 302


@pytest.mark.parametrize(
    ("field", "text"),
    [
        ("core_idea", "-"),
        ("core_idea", "..."),
        ("operating_environment", "Täydentyvät"),
        ("target_group_insight", "Lisätään myöhemmin"),
        ("conditions_for_adoption", "dolor sit amet, consectetur adipiscing"),
        ("short_description", "Kuvaus puuttuu"),
    ],
)
def test_admin_refuses_to_publish_placeholders_and_thin_sections(client, library, admin_user, field, text):
    client.force_login(admin_user)
    team = DevelopmentTeamPage.objects.get(slug="pirkanmaa", locale__language_code="fi")

    response = client.post(add_url(team), {**form(**{**CORE, field: text}), "action-publish": "1"})

    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert not OperatingModelPage.objects.filter(slug="uusi-malli").exists()


# The report and the digest ---------------------------------------------------------


@pytest.fixture
def reviewed_and_not(library):
    import_document(
        document(
            model_record(
                "ei-koskaan",
                title={"fi": "Ei koskaan tarkistettu"},
                team="pirkanmaa",
                evidence={"level": "described", "last_reviewed": None},
            ),
            model_record(
                "vanha",
                title={"fi": "Vanhasti tarkistettu"},
                team="pohjois-savo",
                evidence={"level": "described", "last_reviewed": days_ago(800)},
            ),
            model_record(
                "tuore",
                title={"fi": "Äskettäin tarkistettu"},
                team="pirkanmaa",
                evidence={"level": "described", "last_reviewed": days_ago(30)},
            ),
            model_record(
                "luonnos",
                title={"fi": "Luonnos ilman tarkistusta"},
                published=False,
                evidence={"level": "described", "last_reviewed": None},
            ),
        )
    )


def test_models_needing_review_are_the_published_unreviewed_and_stale_ones(reviewed_and_not):
    assert [page.slug for page in models_needing_review()] == ["ei-koskaan", "vanha"]


def test_moderators_see_the_report_of_models_needing_review(client, reviewed_and_not, django_user_model):
    client.force_login(user_in(django_user_model, MODERATORS, name="moderaattori"))

    response = client.get(REPORT_URL)

    assert response.status_code == 200
    text = response.content.decode()
    assert "Ei koskaan tarkistettu" in text and "Vanhasti tarkistettu" in text
    assert "Äskettäin tarkistettu" not in text and "Luonnos ilman tarkistusta" not in text
    # The menu under Reports links to it.
    assert REPORT_URL in client.get("/admin/").content.decode()


def test_team_members_get_neither_the_report_nor_its_menu_item(client, reviewed_and_not, django_user_model):
    client.force_login(user_in(django_user_model, team_group_name("pirkanmaa")))

    assert client.get(REPORT_URL).status_code in (302, 403)
    assert REPORT_URL not in client.get("/admin/").content.decode()


def test_superusers_see_the_report(client, reviewed_and_not, admin_user):
    client.force_login(admin_user)

    assert client.get(REPORT_URL).status_code == 200


def test_the_report_exports_csv(client, reviewed_and_not, django_user_model):
    client.force_login(user_in(django_user_model, MODERATORS, name="moderaattori"))

    response = client.get(REPORT_URL, {"export": "csv"})

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "models-needing-review" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert len(rows) == 3
    header, never, old = rows
    assert len(header) == 6
    assert never[0] == "Ei koskaan tarkistettu" and never[2] == ""
    assert old[0] == "Vanhasti tarkistettu" and old[2] == days_ago(800)
    assert old[1] == "Pohjois-Savon kehittäjät"
    page = OperatingModelPage.objects.get(slug="vanha", locale__language_code="fi")
    assert old[5].endswith(reverse("wagtailadmin_pages:edit", args=(page.pk,)))


def test_the_digest_mails_each_moderator_the_list(reviewed_and_not, django_user_model):
    first = user_in(django_user_model, MODERATORS, name="moderaattori")
    first.email, first.first_name = "moderaattori@example.org", "Maija"
    first.save()
    second = user_in(django_user_model, MODERATORS, name="moderator-sv")
    second.email = "moderator@example.org"
    second.save()
    profile = UserProfile.get_for_user(second)
    profile.preferred_language = "sv"
    profile.save()
    user_in(django_user_model, MODERATORS, name="ilman-osoitetta")  # no e-mail address: skipped
    member = user_in(django_user_model, team_group_name("pirkanmaa"), name="tiimilainen")
    member.email = "tiimi@example.org"
    member.save()

    call_command("send_review_digest", stdout=io.StringIO())

    assert sorted(message.to[0] for message in mail.outbox) == [
        "moderaattori@example.org",
        "moderator@example.org",
    ]
    for message in mail.outbox:
        assert "Ei koskaan tarkistettu" in message.body and "Vanhasti tarkistettu" in message.body
        assert "Äskettäin tarkistettu" not in message.body
        assert "/admin/models-library/review/" in message.body
    finnish = next(message for message in mail.outbox if message.to == ["moderaattori@example.org"])
    swedish = next(message for message in mail.outbox if message.to == ["moderator@example.org"])
    assert finnish.subject == "Ovi: 2 toimintamallia vaatii tarkistuksen"
    assert "Hei Maija" in finnish.body
    assert swedish.subject == "Ovi: 2 verksamhetsmodeller behöver granskas"


def test_the_digest_sends_nothing_when_every_model_is_reviewed(library, django_user_model):
    import_document(
        document(model_record("tuore", evidence={"level": "described", "last_reviewed": days_ago(1)}))
    )
    moderator = user_in(django_user_model, MODERATORS, name="moderaattori")
    moderator.email = "moderaattori@example.org"
    moderator.save()
    out = io.StringIO()

    call_command("send_review_digest", stdout=out)

    assert mail.outbox == []
    assert "nothing was sent" in out.getvalue()


# The demo ---------------------------------------------------------------------------


def test_the_demo_shows_the_honest_review_state():
    call_command("load_demo", verbosity=0)

    models = OperatingModelPage.objects.filter(locale__language_code="fi")
    assert models.count() == 5
    assert [page.slug for page in models if page.needs_review] == ["rantakylan-aluetiimi"]
    for page in models.exclude(slug="rantakylan-aluetiimi"):
        assert page.last_reviewed == TODAY - datetime.timedelta(days=DEMO_REVIEW_AGE_DAYS[page.slug])
    rantakyla = models.get(slug="rantakylan-aluetiimi")
    assert rantakyla.last_reviewed is None
    assert not rantakyla.figures.exists()
