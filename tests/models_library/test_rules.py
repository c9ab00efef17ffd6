"""The publishing rules (models_library.rules): one test per placeholder form, real Finnish accepted."""

import json

import pytest

from models_library import rules
from models_library.demo import DEMO_FILE

# Each form the rules must reject, with the rule that catches it.
PLACEHOLDERS = [
    # Inflected and split forms of täydentyy / täydennä / lisätään myöhemmin / puuttuu.
    ("Täydentyy", "will be filled in later"),
    ("täydentyy myöhemmin.", "will be filled in later"),
    ("Täydentyvät", "will be filled in later"),
    ("Tiedot täydentyvät syksyllä 2025.", "will be filled in later"),
    ("Täydennetään", "will be filled in later"),
    ("Kuvausta täydennetään myöhemmin.", "will be filled in later"),
    ("Täydennä tähän", "write here"),
    ("täydennä  tähän", "write here"),
    ("[täydennä]", "bracketed placeholder"),
    ("[ Täydennä kuvaus ]", "bracketed placeholder"),
    ("Lisätään myöhemmin", "will be filled in later"),
    ("Lisätään\nmyöhemmin.", "will be filled in later"),
    ("Linkit lisätään myöhemmin.", "will be filled in later"),
    ("Kuvaus on vielä tulossa.", "will be filled in later"),
    ("Kuvaus puuttuu", "is missing"),
    ("Tieto puuttuu.", "is missing"),
    ("Tiedot puuttuvat vielä", "is missing"),
    ("Puuttuu", "is missing"),
    ("Malli on kuvattu lyhyesti. Kuvaus toimintaympäristöstä puuttuu.", "is missing"),
    # Lorem ipsum in any case or spacing, and its other fragments.
    ("Lorem ipsum", "lorem ipsum"),
    ("LOREM IPSUM", "lorem ipsum"),
    ("Loremipsum", "lorem ipsum"),
    ("Lorem\u00a0 ipsum", "lorem ipsum"),
    ("Lo\u00adrem ip\u200bsum", "lorem ipsum"),
    ("dolor sit amet", "dolor sit amet"),
    ("Dolor Sit Amet, kokeilu", "dolor sit amet"),
    ("consectetur adipiscing elit", "consectetur adipiscing"),
    ("consecte tur adipisicing elit, sed do eiusmod tempor", "consectetur adipiscing"),
    # Marks left for later.
    ("TBD", "TBD"),
    ("Arviointi: tbd", "TBD"),
    ("TODO", "TODO"),
    ("todo: kuvaus", "TODO"),
    ("XXX", "XXX"),
    ("Yhteyshenkilö xxx", "XXX"),
    ("Kuka vastaa???", "???"),
    ("Tähän tulee kuvaus", "tähän tulee"),
    ("Tähän tulee toimintaympäristön kuvaus.", "tähän tulee"),
    ("Kirjoita tähän", "write here"),
    # Text with no words.
    ("-", "no words"),
    ("...", "no words"),
    ("…", "no words"),
    ("– –", "no words"),
]


@pytest.mark.parametrize(("text", "rule"), PLACEHOLDERS)
def test_each_placeholder_form_is_rejected(text, rule):
    match = rules.placeholder_match(text)

    assert match is not None, text
    assert match[0] == rule
    assert rules.find_placeholder(text)


@pytest.mark.parametrize("rule", rules.PLACEHOLDER_RULES, ids=lambda rule: rule.name)
def test_every_rule_in_the_list_rejects_its_examples(rule):
    assert rule.examples
    for example in rule.examples:
        assert rule.pattern.search(rules.normalise_text(example)), example
        assert rules.find_placeholder(example), example


# Real sentences, several from the demo models and the seed documents, that
# share words with the placeholders but are genuine Finnish.
GENUINE = [
    "Palvelusuunnitelmaa täydennetään tarvittaessa yhdessä perheen kanssa.",
    "Digitaaliset kanavat täydentävät lähipalveluja, mutta eivät korvaa kohtaamista.",
    "Tiimi on pieni joukko osaamisalueiltaan toisiaan täydentäviä henkilöitä.",
    "Malli on täydentynyt kokemusten myötä.",
    "Verkosto täydentyy asiakkaan tarpeen mukaan.",
    "Tähän tulee kiinnittää huomiota jo suunnitteluvaiheessa.",
    "Tähän tulee varata aikaa.",
    "Yhteinen kirjaamiskäytäntö puuttuu.",
    "Tulokset puuttuvat, koska pilotti keskeytyi.",
    "Asiakkaalta puuttuu usein tieto palveluista.",
    "Toimintaan lisätään myöhemmin myös ikääntyneet.",
    "Tietoa kerätään ja täydennetään yhdessä.",
    "Monialaisen yhteistyön palveluprosessin vaikutuksien arviointi on vielä kesken.",
    "Huoleen reagoidaan viimeistään kolmen vuorokauden kuluttua sen heräämisestä.",
    "Sote-työparimallissa muutosagentit muuttuivat salaisen palvelun agenteiksi.",
    "Perhe edellä yhdessä edeten.",
    "3 vuorokauden kuluessa huolen heräämisestä",
    "2017",
]


@pytest.mark.parametrize("text", GENUINE)
def test_genuine_finnish_is_not_a_placeholder(text):
    assert rules.placeholder_match(text) is None


def _strings(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


def test_every_text_of_every_demo_model_passes():
    demo = json.loads(DEMO_FILE.read_text(encoding="utf-8"))
    assert len(demo["models"]) == 5
    for model in demo["models"]:
        found = [
            (text[:60], rules.find_placeholder(text))
            for text in _strings(model)
            if rules.find_placeholder(text)
        ]
        assert not found, (model["slug"], found)
        sections = {"short_description": model["short_description"]["fi"]}
        sections.update({name: text["fi"] for name, text in model["description"].items()})
        assert rules.required_problems(sections) == {}, model["slug"]
        for figure in model["key_figures"]:
            assert (
                rules.key_figure_problems(
                    figure["value"], figure["label"]["fi"], figure.get("source"), figure.get("period")
                )
                == {}
            ), (model["slug"], figure)


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("", rules.MISSING),
        ("   ", rules.MISSING),
        ("-", rules.TOO_SHORT),
        ("...", rules.TOO_SHORT),
        ("Perhekeskus.", rules.TOO_SHORT),
        ("Johdon tuki.", rules.TOO_SHORT),
        ("3 4 5 6", rules.TOO_SHORT),
        ("Perhekeskus ja koulut.", None),
        ("Yksi yhteydenotto riittää.", None),
    ],
)
def test_required_sections_need_at_least_three_words(text, problem):
    assert rules.section_problem(text) == problem


def test_required_problems_names_each_section():
    values = {
        "short_description": "Perhe saa tuen yhdestä paikasta.",
        "core_idea": "…",
        "operating_environment": "",
        "target_group_insight": "Perheet, joilla on useita huolia.",
        "conditions_for_adoption": "Johdon tuki.",
    }

    assert rules.required_problems(values) == {
        "core_idea": rules.TOO_SHORT,
        "operating_environment": rules.MISSING,
        "conditions_for_adoption": rules.TOO_SHORT,
    }
    assert rules.missing_required(values) == ["core_idea", "operating_environment", "conditions_for_adoption"]


@pytest.mark.parametrize(
    ("figure", "problems"),
    [
        (("568", "kontaktia", "", ""), {"source": rules.NO_SOURCE}),
        (("568", "kontaktia", None, None), {"source": rules.NO_SOURCE}),
        (("568", "kontaktia", "-", "..."), {"source": rules.NO_SOURCE}),
        (("568", "kontaktia", "Pilotin oma seuranta", ""), {}),
        (("568", "kontaktia", "", "2017"), {}),
        (("568", "kontaktia", "", "kevät 2018"), {}),
        (("paljon", "kontaktia", "Pilotin oma seuranta", ""), {"value": rules.NOT_A_NUMBER}),
        (("568", "", "Pilotin oma seuranta", ""), {"label": rules.NO_LABEL}),
    ],
)
def test_key_figures_need_a_number_a_label_and_a_source_or_period(figure, problems):
    assert rules.key_figure_problems(*figure) == problems


def test_the_rantakyla_template_figures_are_not_in_the_demo():
    demo = json.loads(DEMO_FILE.read_text(encoding="utf-8"))
    rantakyla = next(model for model in demo["models"] if model["slug"] == "rantakylan-aluetiimi")
    # Every text a reader sees (the municipality code 167 of Joensuu is not one).
    text = " ".join(
        _strings([rantakyla[key] for key in ("description", "development", "lessons", "evidence")])
    )

    assert rantakyla["key_figures"] == []
    assert rantakyla["evidence"]["indicators"] == []
    for number in ("568", "167", "789"):
        assert number not in text
    assert "kahvi" not in text
