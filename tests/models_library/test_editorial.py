"""Publishing rules and permissions, exercised through the Wagtail admin as editors use it."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import translation
from django.utils.text import capfirst
from django.utils.translation import gettext
from wagtail.models import WorkflowState
from wagtail.test.utils.form_data import inline_formset, nested_form_data

from models_library.demo import MODERATORS, team_group_name
from models_library.exchange import import_document
from models_library.models import DevelopmentTeamPage, OperatingModelPage
from tests.models_library.factories import document, model_record

pytestmark = pytest.mark.django_db

CORE = {
    "short_description": "Perhe saa avun yhdestä paikasta.",
    "core_idea": "Yksi yhteydenotto riittää.",
    "operating_environment": "Perhekeskus ja koulut.",
    "target_group_insight": "Perheet, joilla on monta huolta.",
    "conditions_for_adoption": "Johdon tuki ja yhteinen aika.",
}


def form(title="Uusi malli", slug="uusi-malli", **fields):
    data = {
        "title": title,
        "slug": slug,
        "stage": "piloting",
        "evidence_level": "described",
        "tags": "",
        **{name: "" for name in CORE},
        **fields,
    }
    for inline in (
        "implementers",
        "people",
        "steps",
        "roles",
        "figures",
        "adoptions",
        "related_models",
        "links",
        "attachments",
        "comments",
    ):
        data[inline] = inline_formset([])
    return nested_form_data(data)


def user_in(django_user_model, *groups, name="editor"):
    user = django_user_model.objects.create_user(name, password="pw-not-secret-123")
    for group in groups:
        user.groups.add(Group.objects.get(name=group))
    return user


def add_url(parent):
    return reverse("wagtailadmin_pages:add", args=("models_library", "operatingmodelpage", parent.pk))


def test_draft_saves_without_the_core_sections(client, library, admin_user):
    client.force_login(admin_user)
    team = DevelopmentTeamPage.objects.get(slug="pirkanmaa", locale__language_code="fi")

    response = client.post(add_url(team), form())

    assert response.status_code == 302
    page = OperatingModelPage.objects.get(slug="uusi-malli")
    assert not page.live


def test_publishing_requires_the_core_sections(client, library, admin_user):
    client.force_login(admin_user)
    team = DevelopmentTeamPage.objects.get(slug="pirkanmaa", locale__language_code="fi")

    response = client.post(
        add_url(team), {**form(short_description="Lyhyt kuvaus mallista."), "action-publish": "1"}
    )

    assert response.status_code == 200
    errors = response.context["form"].errors
    assert set(errors) == {
        "core_idea",
        "operating_environment",
        "target_group_insight",
        "conditions_for_adoption",
    }
    with translation.override("fi"):
        assert errors["core_idea"] == [gettext("This section is required before the model can be published.")]
    assert not OperatingModelPage.objects.filter(slug="uusi-malli").exists()


def test_placeholder_text_blocks_publishing_and_names_the_field(client, library, admin_user):
    client.force_login(admin_user)
    team = DevelopmentTeamPage.objects.get(slug="pirkanmaa", locale__language_code="fi")
    fields = {**CORE, "operating_environment": "Täydentyy myöhemmin."}

    response = client.post(add_url(team), {**form(**fields), "action-publish": "1"})

    assert response.status_code == 200
    message = response.context["form"].errors["operating_environment"][0]
    with translation.override("fi"):
        label = capfirst(OperatingModelPage._meta.get_field("operating_environment").verbose_name)
    assert str(label) in message and "Täydentyy" in message


def test_complete_model_publishes(client, library, admin_user):
    client.force_login(admin_user)
    team = DevelopmentTeamPage.objects.get(slug="pirkanmaa", locale__language_code="fi")

    response = client.post(add_url(team), {**form(**CORE), "action-publish": "1"})

    assert response.status_code == 302
    assert OperatingModelPage.objects.get(slug="uusi-malli").live


def test_saving_warns_about_a_near_duplicate_title(client, library, admin_user):
    import_document(
        document(model_record("sote-integroitu-tyoparimalli", title={"fi": "Sote-integroitu työparimalli"}))
    )
    client.force_login(admin_user)
    team = DevelopmentTeamPage.objects.get(slug="pirkanmaa", locale__language_code="fi")

    response = client.post(
        add_url(team), form(title="SOTE-työparimalli", slug="sote-tyoparimalli"), follow=True
    )

    warnings = [str(m) for m in response.context["messages"]]
    assert any("Sote-integroitu työparimalli" in m for m in warnings), warnings


def test_team_member_edits_own_team_but_not_another(client, library, django_user_model):
    import_document(
        document(
            model_record("oma", team="pirkanmaa"),
            model_record("vieras", team="varsinais-suomi"),
        )
    )
    member = user_in(django_user_model, team_group_name("pirkanmaa"))
    own = OperatingModelPage.objects.get(slug="oma", locale__language_code="fi")
    other = OperatingModelPage.objects.get(slug="vieras", locale__language_code="fi")
    client.force_login(member)

    assert client.get(reverse("wagtailadmin_pages:edit", args=(own.pk,))).status_code == 200
    response = client.post(
        reverse("wagtailadmin_pages:edit", args=(other.pk,)), form(title="Kaapattu", slug="vieras", **CORE)
    )

    assert response.status_code in (302, 403)
    other.refresh_from_db()
    assert other.title == "Malli vieras"
    assert other.get_latest_revision().content["title"] == "Malli vieras"


def test_team_member_cannot_publish_but_can_submit_for_review(client, library, django_user_model):
    member = user_in(django_user_model, team_group_name("pirkanmaa"))
    team = DevelopmentTeamPage.objects.get(slug="pirkanmaa", locale__language_code="fi")
    client.force_login(member)

    client.post(add_url(team), {**form(**CORE), "action-publish": "1"})
    page = OperatingModelPage.objects.get(slug="uusi-malli")
    assert not page.live

    client.post(reverse("wagtailadmin_pages:edit", args=(page.pk,)), {**form(**CORE), "action-submit": "1"})
    state = WorkflowState.objects.get(base_content_type__model="page", object_id=str(page.pk))
    assert state.status == WorkflowState.STATUS_IN_PROGRESS
    page.refresh_from_db()
    assert not page.live


def test_moderator_approves_and_the_model_goes_live(client, library, django_user_model):
    member = user_in(django_user_model, team_group_name("pirkanmaa"))
    moderator = user_in(django_user_model, MODERATORS, name="moderator")
    team = DevelopmentTeamPage.objects.get(slug="pirkanmaa", locale__language_code="fi")
    client.force_login(member)
    client.post(add_url(team), {**form(**CORE), "action-submit": "1"})
    page = OperatingModelPage.objects.get(slug="uusi-malli")
    state = WorkflowState.objects.get(object_id=str(page.pk))
    task_state = state.current_task_state

    client.force_login(moderator)
    response = client.post(
        reverse("wagtailadmin_pages:workflow_action", args=(page.pk, "approve", task_state.pk)),
        {"comment": ""},
    )

    assert response.status_code in (200, 302)
    page.refresh_from_db()
    assert page.live


def test_submitting_an_incomplete_model_is_refused(client, library, django_user_model):
    member = user_in(django_user_model, team_group_name("pirkanmaa"))
    team = DevelopmentTeamPage.objects.get(slug="pirkanmaa", locale__language_code="fi")
    client.force_login(member)

    response = client.post(add_url(team), {**form(), "action-submit": "1"})

    assert response.status_code == 200
    assert "core_idea" in response.context["form"].errors
    assert not WorkflowState.objects.exists()
