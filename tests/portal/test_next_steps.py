"""Model stage matters: "what happens next" from a paused or ended model is not shown,
residents see only resident texts of steps, professionals see both, editors are warned."""

import json
import uuid

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth.models import Group
from django.utils import translation

from directory.contracts import inactive_stage
from directory.models import DirectoryIndexPage, Service, Team
from directory.visibility import PROFESSIONALS_GROUP
from models_library.choices import Stage
from models_library.models import OperatingModelPage, ProcessStep
from models_library.selectors import inactive_model_uids
from portal.models import PathwayPage
from portal.pathways import find_doors, next_steps

pytestmark = pytest.mark.django_db

ADULT = "aikuisen-monet-huolet"
CHILD = "huoli-lapsesta-tai-perheesta"
# (situation, place) of demo doors that follow an active model, and Kuopio's, whose model has ended.
MODEL_DOORS = [
    (CHILD, {"postal_code": "83100"}),
    (ADULT, {"municipality": "Ylöjärvi"}),
    (ADULT, {"municipality": "Tampere"}),
    ("mielenterveys-ja-paihteet", {"municipality": "Turku"}),
    ("ikaantyneen-kotona-asuminen", {"municipality": "Ylöjärvi"}),
]
KUOPIO = (ADULT, {"municipality": "Kuopio"})
KUOPIO_DOOR = "Sosiaalihuollon palveluohjaus sote-keskuksessa, Kuopio"


@pytest.fixture
def professional(django_user_model):
    user = django_user_model.objects.create_user("social-worker", password="pw-not-secret-123")
    user.groups.add(Group.objects.get(name=PROFESSIONALS_GROUP))
    return user


def model(slug):
    return OperatingModelPage.objects.get(slug=slug, locale__language_code="fi")


def pathway(situation, language="fi"):
    return PathwayPage.objects.get(life_situation__slug=situation, locale__language_code=language)


def answer_for(situation, place, user=None):
    page = pathway(situation)
    return find_doors(page.life_situation, default_steps=page.default_steps.all(), user=user, **place)


def professional_texts():
    return [step.description for step in ProcessStep.objects.all() if step.description]


def html(response):
    return BeautifulSoup(response.content, "html.parser")


def next_section(soup):
    return soup.find("h2", id="next-title").parent


# Stage ------------------------------------------------------------------------


def test_kuopio_door_does_not_use_the_ended_posote_20(demo):
    assert model("posote-20").stage == Stage.ENDED
    door = Service.objects.get(name_fi__startswith=KUOPIO_DOOR)
    assert door.operating_model_uid == model("posote-20").uid

    answer = answer_for(*KUOPIO)

    assert door in answer.doors
    assert answer.model is None
    general = [step.title for step in pathway(ADULT).default_steps.all()]
    assert [step["title"] for step in answer.steps] == general
    posote_titles = {step.title for step in model("posote-20").steps.all()}
    assert not posote_titles & {step["title"] for step in answer.steps}


def test_kuopio_pathway_page_and_api_show_the_general_steps(client, demo):
    page = pathway(ADULT)
    soup = html(client.get(page.url, KUOPIO[1]))
    section = next_section(soup)
    titles = [h.get_text(" ", strip=True) for h in section.select(".timeline__title")]
    general = [step.title for step in page.default_steps.all()]

    assert all(any(title in shown for shown in titles) for title in general), titles
    assert "POSOTE" not in section.get_text()
    body = client.get("/api/v1/doors", {"situation": ADULT, **KUOPIO[1]}).json()
    assert body["next_steps"]["operating_model"] is None
    assert [step["title"] for step in body["next_steps"]["steps"]] == general


@pytest.mark.parametrize("stage", [Stage.PAUSED, Stage.ENDED])
def test_a_paused_or_ended_model_falls_back_to_the_general_steps(demo, stage):
    assert answer_for(CHILD, {"postal_code": "83100"}).model.slug == "rantakylan-aluetiimi"
    rantakyla = model("rantakylan-aluetiimi")
    rantakyla.stage = stage
    rantakyla.save()

    answer = answer_for(CHILD, {"postal_code": "83100"})

    assert answer.model is None
    general = [step.title for step in pathway(CHILD).default_steps.all()]
    assert [step["title"] for step in answer.steps] == general


def test_active_models_are_still_followed(demo):
    for situation, place in MODEL_DOORS:
        answer = answer_for(situation, place)
        assert answer.model is not None and answer.model.is_active, (situation, place)


def test_inactive_model_uids_for_reports(demo):
    assert inactive_model_uids() == {model("posote-20").uid}
    minun = model("minun-tiimini")
    minun.stage = Stage.PAUSED
    minun.save()

    assert inactive_model_uids() == {model("posote-20").uid, minun.uid}
    assert inactive_stage(minun.uid) == "Keskeytetty"
    with translation.override("en"):
        assert inactive_stage(model("posote-20").uid) == "Ended"
    assert inactive_stage(model("rantakylan-aluetiimi").uid) is None
    assert inactive_stage(uuid.uuid4()) is None
    assert inactive_stage("") is None
    assert inactive_stage(None) is None


# Links by uid ---------------------------------------------------------------------


def test_renaming_a_models_slug_keeps_what_happens_next_and_the_links(client, demo):
    rantakyla = model("rantakylan-aluetiimi")
    old_url = rantakyla.url
    rantakyla.slug = "rantakylan-aluetiimi-uusi-nimi"
    rantakyla.save_revision().publish()
    rantakyla.refresh_from_db()
    assert rantakyla.url != old_url

    # The door still follows the model: "what happens next" are its steps.
    answer = answer_for(CHILD, {"postal_code": "83100"})
    assert answer.model is not None and answer.model.pk == rantakyla.pk
    assert [step["title"] for step in answer.steps] == [
        step.localized_title for step in rantakyla.steps.all()
    ]

    # The team's page still links to the model, at its new address.
    team = Team.objects.filter(operating_model_uid=rantakyla.uid).first()
    index = DirectoryIndexPage.objects.live().filter(locale__language_code="fi").first()
    team_page = html(client.get(index.url_builder()("team", team.uid)))
    assert team_page.find("a", href=rantakyla.url) is not None
    assert team_page.find("a", href=old_url) is None

    # And the model's page still lists the team among those that follow it.
    model_page = html(client.get(rantakyla.url)).get_text(" ", strip=True)
    assert team.name_fi in model_page


# Resident texts -----------------------------------------------------------------


def test_demo_models_used_by_doors_have_resident_texts_in_every_language(demo):
    for situation, place in MODEL_DOORS:
        for step in answer_for(situation, place).model.steps.all():
            texts = (step.resident_text, step.resident_text_sv, step.resident_text_en)
            assert all(texts), (step.page.slug, step.title)
            assert step.resident_text != step.description


def test_residents_get_resident_texts_only(demo):
    for situation, place in MODEL_DOORS:
        answer = answer_for(situation, place)
        for shown, step in zip(answer.steps, answer.model.steps.all(), strict=True):
            assert shown["description"] == step.resident_text
            assert shown["language"] == "fi"
            assert shown["professional_description"] is None


def test_resident_texts_follow_the_language(demo):
    with translation.override("sv"):
        _model, steps = next_steps(answer_for(CHILD, {"postal_code": "83100"}).doors)
    rantakyla_steps = list(model("rantakylan-aluetiimi").steps.all())
    assert [step["description"] for step in steps] == [step.resident_text_sv for step in rantakyla_steps]
    assert {step["language"] for step in steps} == {"sv"}


def test_a_step_without_resident_text_shows_residents_only_its_title(demo, professional):
    step = model("rantakylan-aluetiimi").steps.first()
    step.resident_text = step.resident_text_sv = step.resident_text_en = ""
    step.save()
    doors = answer_for(CHILD, {"postal_code": "83100"}).doors

    _model, steps = next_steps(doors)
    assert steps[0]["title"] == step.title
    assert steps[0]["description"] == ""
    assert steps[0]["language"] is None
    assert steps[0]["professional_description"] is None

    _model, steps = next_steps(doors, user=professional)
    assert steps[0]["professional_description"] == step.description


def test_professionals_get_both_texts(demo, professional):
    for situation, place in MODEL_DOORS:
        answer = answer_for(situation, place, user=professional)
        for shown, step in zip(answer.steps, answer.model.steps.all(), strict=True):
            assert shown["description"] == step.resident_text
            assert shown["professional_description"] == step.description


def test_anonymous_page_and_api_never_show_a_professional_step_text(client, demo):
    texts = professional_texts()
    assert texts
    for situation, place in MODEL_DOORS + [KUOPIO]:
        for language in ("fi", "sv", "en"):
            page = client.get(pathway(situation, language).url, place)
            api = client.get("/api/v1/doors", {"situation": situation, "lang": language, **place})
            assert page.status_code == api.status_code == 200
            page_text = next_section(html(page)).get_text(" ", strip=True)
            api_body = api.json()
            api_text = json.dumps(api_body, ensure_ascii=False)
            for text in texts:
                first_sentence = text.split(".")[0]
                assert first_sentence not in page_text, (situation, language, first_sentence)
                assert first_sentence not in api_text, (situation, language, first_sentence)
            assert all(step["professional_description"] is None for step in api_body["next_steps"]["steps"])
            assert not html(page).select(".timeline__professional")


def test_professional_sees_both_on_the_page_and_in_the_api(client, demo, professional):
    client.force_login(professional)
    rantakyla_steps = list(model("rantakylan-aluetiimi").steps.all())

    soup = html(client.get(pathway(CHILD).url, {"postal_code": "83100"}))
    section = next_section(soup)
    page_text = section.get_text(" ", strip=True)
    for step in rantakyla_steps:
        assert step.resident_text.split(".")[0] in page_text
        assert step.description.split(".")[0] in page_text
    assert len(section.select(".timeline__professional")) == len(rantakyla_steps)

    body = client.get("/api/v1/doors", {"situation": CHILD, "postal_code": "83100"}).json()
    steps = body["next_steps"]["steps"]
    assert [s["description"] for s in steps] == [step.resident_text for step in rantakyla_steps]
    assert [s["professional_description"] for s in steps] == [step.description for step in rantakyla_steps]


def test_the_operating_model_page_keeps_the_professional_descriptions(client, demo):
    rantakyla = model("rantakylan-aluetiimi")
    page_text = html(client.get(rantakyla.url)).get_text(" ", strip=True)

    assert rantakyla.steps.first().description.split(".")[0] in page_text


# Admin warning ---------------------------------------------------------------------


def test_service_and_team_edit_views_warn_about_an_ended_model(client, demo, admin_user):
    client.force_login(admin_user)
    service = Service.objects.get(name_fi__startswith=KUOPIO_DOOR)
    team = Team.objects.get(operating_model_uid=model("posote-20").uid)

    for url in (
        f"/admin/snippets/directory/service/edit/{service.pk}/",
        f"/admin/snippets/directory/team/edit/{team.pk}/",
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        warning = html(response).select_one(".operating-model-stage-warning")
        assert warning is not None, url
        assert model("posote-20").title in warning.get_text()


def test_no_warning_for_an_active_model(client, demo, admin_user):
    client.force_login(admin_user)
    service = Service.objects.filter(
        operating_model_uid=model("rantakylan-aluetiimi").uid, is_entry_point=True
    ).first()

    response = client.get(f"/admin/snippets/directory/service/edit/{service.pk}/")

    assert response.status_code == 200
    assert not html(response).select(".operating-model-stage-warning")


def test_warning_appears_when_a_model_is_paused(client, demo, admin_user):
    client.force_login(admin_user)
    minun = model("minun-tiimini")
    minun.stage = Stage.PAUSED
    minun.save()
    team = Team.objects.filter(operating_model_uid=minun.uid).first()

    response = client.get(f"/admin/snippets/directory/team/edit/{team.pk}/")

    warning = html(response).select_one(".operating-model-stage-warning")
    assert warning is not None
    assert minun.title in warning.get_text()
