import json

import pytest
from django.core.management import CommandError, call_command
from wagtail.models import Page

from models_library.exchange import ImportRejected, export_document, import_document
from models_library.models import OperatingModelPage
from tests.models_library.factories import document, model_record

pytestmark = pytest.mark.django_db


def test_import_creates_published_models_with_translations(library):
    report = import_document(document(model_record("a"), model_record("b", team="pohjois-karjala")))

    assert sorted(report.created) == ["a", "b"]
    finnish = OperatingModelPage.objects.get(slug="b", locale__language_code="fi")
    assert finnish.live and finnish.get_parent().slug == "pohjois-karjala"
    swedish = finnish.get_translation(finnish.get_translations().get(locale__language_code="sv").locale)
    assert swedish.live and swedish.title == "Modell b"
    assert swedish.specific.short_description == "Familjen får stöd från ett ställe."


def test_export_import_round_trip_is_lossless(library):
    related = model_record("b", related_models=[{"slug": "a", "relation": "variant_of"}])
    import_document(document(model_record("a"), related))
    first = export_document()

    for page in OperatingModelPage.objects.all():
        page.delete()
    assert not OperatingModelPage.objects.exists()
    import_document(first)
    second = export_document()

    assert second == first
    exported = {m["slug"]: m for m in first["models"]}
    assert exported["b"]["related_models"] == [{"slug": "a", "relation": "variant_of"}]
    assert exported["a"]["process"][1]["time_limit_days"] == 3
    assert exported["a"]["title"] == {"fi": "Malli a", "sv": "Modell a", "en": "Model a"}


def test_reimporting_the_same_file_changes_nothing(library):
    import_document(document(model_record("a")))
    exported = export_document()
    revisions = [p.latest_revision_id for p in Page.objects.order_by("pk")]

    report = import_document(exported)

    assert report.unchanged == ["a"] and not report.created and not report.updated
    assert [p.latest_revision_id for p in Page.objects.order_by("pk")] == revisions


def test_import_updates_an_existing_model_by_uid(library):
    import_document(document(model_record("a")))

    report = import_document(document(model_record("a", stage="established")))

    assert report.updated == ["a"]
    assert OperatingModelPage.objects.get(slug="a", locale__language_code="fi").stage == "established"
    assert OperatingModelPage.objects.filter(locale__language_code="fi").count() == 1


def test_broken_file_is_rejected_whole_with_every_error_listed(library):
    valid = model_record("kelpaa")
    unknown_place = model_record("paikka", municipalities=["999"])
    placeholder = model_record("paikkamerkki")
    placeholder["description"]["core_idea"] = {"fi": "Lorem ipsum dolor sit amet"}
    missing_core = model_record("puutteellinen", description={})
    bad_shape = model_record("muoto", stage="someday")
    before = Page.objects.count()

    with pytest.raises(ImportRejected) as rejected:
        import_document(document(valid, unknown_place, placeholder, missing_core, bad_shape))

    errors = rejected.value.errors
    assert any(e.startswith("models[4].stage:") for e in errors), errors
    # Schema errors are reported first; fix the shape and the reference checks report the rest.
    bad_shape["stage"] = "in_use"
    with pytest.raises(ImportRejected) as rejected:
        import_document(document(valid, unknown_place, placeholder, missing_core, bad_shape))
    errors = rejected.value.errors
    assert "models[1] (paikka): municipalities[0]: unknown municipality code “999”" in errors
    assert any(
        e.startswith("models[2] (paikkamerkki): description.core_idea.fi: contains placeholder")
        for e in errors
    )
    assert any(e.startswith("models[3] (puutteellinen): description.core_idea.fi: required") for e in errors)
    assert any(
        e.startswith("models[3] (puutteellinen): description.conditions_for_adoption.fi") for e in errors
    )
    assert not any("kelpaa" in e for e in errors)
    assert Page.objects.count() == before


def test_drafts_may_be_incomplete(library):
    draft = model_record("luonnos", published=False, description={})

    import_document(document(draft))

    page = OperatingModelPage.objects.get(slug="luonnos", locale__language_code="fi")
    assert not page.live


def test_import_command_reports_errors_and_exit_status(library, tmp_path, capsys):
    path = tmp_path / "broken.json"
    path.write_text(json.dumps(document(model_record("x", topics=["ei-ole"]))))

    with pytest.raises(CommandError, match="nothing was imported"):
        call_command("import_models", str(path))

    assert "topics[0]: unknown topic “ei-ole”" in capsys.readouterr().err
    assert not OperatingModelPage.objects.exists()


def test_import_command_rejects_malformed_json(library, tmp_path):
    path = tmp_path / "broken.json"
    path.write_text("{not json")

    with pytest.raises(CommandError):
        call_command("import_models", str(path))


def test_export_command_writes_the_format(library, tmp_path):
    import_document(document(model_record("a")))
    path = tmp_path / "out.json"

    call_command("export_models", str(path))

    data = json.loads(path.read_text())
    assert data["format"] == "ovi.operating-models" and data["version"] == 1
    assert [m["slug"] for m in data["models"]] == ["a"]


def test_import_refuses_published_key_figures_without_source_or_period_and_thin_sections(library):
    unsourced = model_record(
        "lahteeton",
        key_figures=[
            {"value": "568", "label": {"fi": "kontaktia"}},
            {"value": "789", "label": {"fi": "kuppia kahvia"}, "source": "-"},
        ],
    )
    thin = model_record("ohut")
    thin["description"]["conditions_for_adoption"] = {"fi": "Johdon tuki."}
    thin["description"]["core_idea"] = {"fi": "..."}

    with pytest.raises(ImportRejected) as rejected:
        import_document(document(unsourced, thin))

    errors = rejected.value.errors
    assert (
        "models[0] (lahteeton): key_figures[0].source: a key figure needs a source or a period before the model can be published"
        in errors
    )
    assert any(e.startswith("models[0] (lahteeton): key_figures[1].source") for e in errors), errors
    assert (
        "models[1] (ohut): description.conditions_for_adoption.fi: needs at least 3 words before the model can be published"
        in errors
    )
    assert any(e.startswith("models[1] (ohut): description.core_idea.fi:") for e in errors), errors
    # A draft may still hold an unsourced figure.
    import_document(document(model_record("luonnos", published=False, key_figures=unsourced["key_figures"])))


def test_key_figure_source_and_period_round_trip(library):
    figure = {
        "value": "85 %",
        "label": {"fi": "asiakkaista sai avun"},
        "source": "Asiakaskysely",
        "period": "2023",
    }
    import_document(document(model_record("a", key_figures=[figure])))

    exported = export_document()["models"][0]["key_figures"]

    assert exported == [figure]
    page = OperatingModelPage.objects.get(slug="a", locale__language_code="fi")
    assert (page.figures.get().source, page.figures.get().period) == ("Asiakaskysely", "2023")


def test_step_resident_texts_and_the_paused_stage_round_trip(library):
    record = model_record("a", stage="paused")
    record["process"][0]["resident_text"] = {
        "fi": "Otat yhteyttä, ja sinulle kerrotaan, mitä seuraavaksi tapahtuu.",
        "sv": "Du tar kontakt och får veta vad som händer sedan.",
        "en": "You get in touch and are told what happens next.",
    }
    import_document(document(record))

    page = OperatingModelPage.objects.get(slug="a", locale__language_code="fi")
    first, second = page.steps.all()
    assert page.stage == "paused" and not page.is_active
    assert first.resident_text_sv == "Du tar kontakt och får veta vad som händer sedan."
    assert second.resident_text == ""
    exported = export_document()
    model = exported["models"][0]
    assert model["stage"] == "paused"
    assert model["process"][0]["resident_text"] == record["process"][0]["resident_text"]
    assert model["process"][1]["resident_text"] == {}

    for old in OperatingModelPage.objects.all():
        old.delete()
    import_document(exported)
    assert export_document() == exported
    # A step without the key (files written before it existed) compares equal: nothing changes.
    assert "resident_text" not in record["process"][1]
    assert import_document(document(record)).unchanged == ["a"]


def test_an_unknown_stage_is_rejected(library):
    with pytest.raises(ImportRejected):
        import_document(document(model_record("a", stage="on_hold")))
