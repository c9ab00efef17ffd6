"""Language of parts (WCAG 3.1.2): directory content shown in Finnish on a Swedish
or English page, because it has no translation, is marked lang="fi"; a text in the
page's own language is not marked. One mechanism: the text knows its language
(search.localization.LocalizedText) and the content_language template tags mark it."""

import pytest
from bs4 import BeautifulSoup
from django.template import Context, Template
from django.utils import translation

from search.localization import LocalizedText, in_language, localized

pytestmark = pytest.mark.django_db

BASES = {"fi": "/palvelut/", "sv": "/sv/tjanster/", "en": "/en/services/"}


def soup(response):
    assert response.status_code == 200, response.status_code
    return BeautifulSoup(response.content, "html.parser")


def section_text(html, heading_id):
    """The element holding the text of the section headed by #heading_id."""
    return html.find(id=heading_id).find_next_sibling(class_="text")


def service_page(client, service, language):
    return soup(client.get(f"{BASES[language]}palvelu/{service.uid}/"))


@pytest.mark.parametrize("language", ["sv", "en"])
def test_a_finnish_only_description_is_marked_finnish(client, directory_pages, scenario, language):
    service = scenario["service"]
    service.description_fi = "Perheiden palvelut yhdestä paikasta."
    service.how_to_access_fi = "Soita tai tule käymään."
    service.save()

    html = service_page(client, service, language)

    assert html.html["lang"] == language
    description = section_text(html, "description-title")
    assert description.get_text(strip=True) == "Perheiden palvelut yhdestä paikasta."
    assert description["lang"] == "fi"
    assert section_text(html, "access-title")["lang"] == "fi"


@pytest.mark.parametrize(
    "language, text",
    [("sv", "Familjens tjänster på ett ställe."), ("en", "Family services in one place.")],
)
def test_a_translated_description_is_not_marked(client, directory_pages, scenario, language, text):
    service = scenario["service"]
    service.description_fi = "Perheiden palvelut yhdestä paikasta."
    setattr(service, f"description_{language}", text)
    service.save()

    html = service_page(client, service, language)

    description = section_text(html, "description-title")
    assert description.get_text(strip=True) == text
    assert not description.has_attr("lang")
    # Names with a translation are not marked either.
    assert html.h1.find(attrs={"lang": True}) is None


def test_nothing_is_marked_on_finnish_pages(client, directory_pages, scenario):
    service = scenario["service"]
    service.description_fi = "Perheiden palvelut yhdestä paikasta."
    service.save()

    html = service_page(client, service, "fi")

    assert html.select('main [lang="fi"]') == []


def test_a_finnish_only_name_is_marked_where_it_is_shown(client, directory_pages, scenario):
    organisation = scenario["city"]
    organisation.name_sv = ""
    organisation.save()

    html = service_page(client, scenario["service"], "sv")

    link = html.find("a", href=lambda href: href and f"organisaatio/{organisation.uid}/" in href)
    assert link.find("span", lang="fi").get_text() == "Joensuun kaupunki"


def test_team_roles_and_professional_instructions_fall_back_marked(
    client, directory_pages, scenario, professional
):
    client.force_login(professional)
    team = scenario["team"]

    html = soup(client.get(f"{BASES['sv']}tiimi/{team.uid}/"))

    roles = [
        td
        for td in html.select(".table tbody td")
        if td.get_text(strip=True) in ("sosiaaliohjaaja", "perhetyö")
    ]
    assert roles and all(td["lang"] == "fi" for td in roles)
    instructions = html.find(id="professional-title").find_next(class_="text")
    assert instructions["lang"] == "fi"

    english = soup(client.get(f"{BASES['en']}tiimi/{team.uid}/"))
    role = next(
        td for td in english.select(".table tbody td") if td.get_text(strip=True) == "social counsellor"
    )
    assert not role.has_attr("lang")


def test_location_entrances_and_address_fall_back_marked(client, directory_pages, scenario):
    location = scenario["location"]
    location.entrances_fi = "Pääovi kadun puolelta."
    location.save()

    html = soup(client.get(f"{BASES['en']}toimipiste/{location.uid}/"))

    entrances = next(p for p in html.select("p.text") if "Pääovi" in p.get_text())
    assert entrances["lang"] == "fi"
    assert html.find("span", lang="fi", string="Latolankatu 15") is not None


def test_browse_cards_mark_finnish_summaries(client, directory_pages, scenario):
    html = soup(client.get(BASES["sv"]))

    card = next(c for c in html.select(".card") if "Familjernas gemensamma dörr" in c.get_text())
    summary = next(p for p in card.find_all("p") if "Lyhyt kuvaus" in p.get_text())
    assert summary["lang"] == "fi"


# The mechanism itself --------------------------------------------------------------------


class Record:
    description_fi = "Suomeksi."
    description_sv = ""
    description_en = "In English."
    title = "Otsikko"
    title_sv = "Rubrik"


def test_localized_knows_its_language():
    with translation.override("sv"):
        assert (
            localized(Record, "description") == "Suomeksi." and localized(Record, "description").lang == "fi"
        )
        assert localized(Record, "description").is_fallback
        assert localized(Record, "title").lang == "sv"  # the models library's unsuffixed Finnish field
    with translation.override("en"):
        assert localized(Record, "description").lang == "en"
        assert localized(Record, "title") == "Otsikko" and localized(Record, "title").lang == "fi"
    assert in_language({"fi": "Hei", "sv": "Hej"}, "en").lang == "fi"
    assert in_language({"fi": "Hei", "sv": "Hej"}, "sv").lang == "sv"


def test_template_tags_mark_only_other_languages():
    template = Template(
        "{% load content_language %}<p{% lang_attr text %}>{{ text }}</p>|{{ text|with_lang }}|{{ plain|with_lang }}"
    )
    with translation.override("sv"):
        context = Context(
            {"text": LocalizedText("Hei & tervetuloa", "fi"), "plain": "<b>", "LANGUAGE_CODE": "sv"}
        )
        assert template.render(context) == (
            '<p lang="fi">Hei &amp; tervetuloa</p>|<span lang="fi">Hei &amp; tervetuloa</span>|&lt;b&gt;'
        )
        same = Context({"text": LocalizedText("Hej", "sv"), "plain": "", "LANGUAGE_CODE": "sv"})
        assert template.render(same) == "<p>Hej</p>|Hej|"


def test_the_migration_renames_only_untouched_demo_names():
    from importlib import import_module

    from django.apps import apps

    from directory.models import LifeSituation

    migration = import_module("directory.migrations.0008_one_name_per_life_situation")

    LifeSituation.objects.create(
        slug="vauvaperhe", name_fi="Vauvaperhe", name_sv="Babyfamilj", name_en="Our babies"
    )
    migration.forwards(apps, None)
    renamed = LifeSituation.objects.get(slug="vauvaperhe")
    assert (renamed.name_fi, renamed.name_sv, renamed.name_en) == (
        "Odotus ja vauva-arki",
        "Väntan och vardag med baby",
        "Our babies",  # changed by an editor: kept
    )
    migration.backwards(apps, None)
    assert LifeSituation.objects.get(slug="vauvaperhe").name_fi == "Vauvaperhe"
