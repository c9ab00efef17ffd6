"""Builders for operating model records in the import format, and a ready library."""

import copy
import uuid

import pytest


def model_record(slug="kotikaynti-malli", **overrides):
    record = {
        "uid": str(uuid.uuid5(uuid.NAMESPACE_URL, f"ovi-test:{slug}")),
        "slug": slug,
        "published": True,
        "team": None,
        "title": {"fi": f"Malli {slug}", "sv": f"Modell {slug}", "en": f"Model {slug}"},
        "short_description": {
            "fi": "Perhe saa tuen yhdestä paikasta.",
            "sv": "Familjen får stöd från ett ställe.",
            "en": "The family gets support from one place.",
        },
        "implemented_by": [{"name": "Esimerkkilän kaupunki", "business_id": None}],
        "municipalities": ["426"],
        "regions": [],
        "wellbeing_counties": ["14"],
        "funders": ["stm"],
        "funders_other": None,
        "programme": "tulevaisuuden-sote-keskus",
        "authors": [
            {"name": "Maija Lehtonen", "title": {"fi": "kehittäjä"}, "organisation": "Liperin kunta"}
        ],
        "contacts": [],
        "created": "2019-03-01",
        "modified": "2020-05-15",
        "stage": "in_use",
        "topics": ["yhteistyo"],
        "tags": ["perhekeskus"],
        "target_groups": ["families_with_children"],
        "description": {
            "core_idea": {"fi": "Yksi yhteydenotto riittää."},
            "operating_environment": {"fi": "Perhekeskus ja koulut."},
            "target_group_insight": {"fi": "Perheet, joilla on useita huolia."},
            "conditions_for_adoption": {"fi": "Johdon tuki ja yhteinen aika."},
        },
        "development": {},
        "lessons": {"what_was_learned": {"fi": "Yhteinen kieli syntyy tekemällä."}},
        "process": [
            {
                "title": {"fi": "Yhteydenotto", "sv": "Kontakt", "en": "Contact"},
                "description": {"fi": "Perhe ottaa yhteyttä."},
                "time_limit_days": None,
                "time_limit_text": None,
                "responsible_roles": [],
                "participants": {},
            },
            {
                "title": {"fi": "Reagointi", "sv": "Reaktion", "en": "Reaction"},
                "description": {"fi": "Työntekijä vastaa."},
                "time_limit_days": 3,
                "time_limit_text": {"fi": "3 arkipäivän kuluessa"},
                "responsible_roles": ["asiakasvastaava"],
                "participants": {"fi": "Perhe ja asiakasvastaava"},
            },
        ],
        "roles": [
            {
                "slug": "asiakasvastaava",
                "name": {"fi": "Asiakasvastaava", "sv": "Klientansvarig", "en": "Named responsible worker"},
                "description": {"fi": "Kulkee perheen rinnalla."},
            }
        ],
        "key_figures": [
            {
                "value": "568",
                "label": {"fi": "yhteydenottoa", "en": "contacts"},
                "source": "Pilotin oma seuranta",
                "period": "2019",
            }
        ],
        "evidence": {
            "level": "self_assessed",
            "indicators": [{"fi": "Yhteydenottojen määrä"}],
            "last_reviewed": "2026-01-10",
        },
        "adoptions": [
            {
                "area": "Liperi",
                "municipality": "426",
                "organisation": "Liperin kunta",
                "year": 2018,
                "status": "in_use",
            }
        ],
        "related_models": [],
        "links": [],
    }
    record.update(copy.deepcopy(overrides))
    return record


def document(*records):
    return {
        "format": "ovi.operating-models",
        "version": 1,
        "programmes": [{"slug": "tulevaisuuden-sote-keskus", "name": {"fi": "Tulevaisuuden sote-keskus"}}],
        "topics": [
            {"slug": "yhteistyo", "name": {"fi": "Yhteistyö", "sv": "Samarbete", "en": "Cooperation"}},
            {
                "slug": "palveluohjaus",
                "name": {
                    "fi": "Asiakas- ja palveluohjaus",
                    "sv": "Klient- och servicehandledning",
                    "en": "Client and service guidance",
                },
            },
        ],
        "models": list(records),
    }


@pytest.fixture
def library(db):
    """The demo site shell with the library pages, teams, groups and workflow, without models."""
    from models_library.demo import ensure_library
    from portal.demo import ensure_menus, ensure_page, load_site_shell

    pages = load_site_shell()
    pages["library"] = ensure_library(pages["homes"], ensure_page)
    ensure_menus(pages)
    return pages
