"""Network map data and its SVG layout; operating models resolved through the registry."""

import uuid

import pytest

from directory import contracts, network

from .conftest import RANTAKYLA_MODEL_UID
from .factories import OrganisationFactory, TeamFactory, TeamMemberFactory, municipality

pytestmark = pytest.mark.django_db

MINUN_TIIMINI = uuid.UUID("0a96fca2-80b2-4bf1-abe2-e07b8af6e8db")


def url_for(kind, uid):
    return f"/{kind}/{uid}/"


@pytest.fixture
def resolver(operating_models):
    operating_models.models[MINUN_TIIMINI] = ("Minun tiimini", "/toimintamallit/minun-tiimini/", "in_use")
    return operating_models


def test_operating_models_resolve_through_the_contract(resolver):
    assert contracts.operating_model(MINUN_TIIMINI) == {
        "uid": MINUN_TIIMINI,
        "title": "Minun tiimini",
        "url": "/toimintamallit/minun-tiimini/",
    }
    assert contracts.operating_model(str(MINUN_TIIMINI))["title"] == "Minun tiimini"
    # A model the library does not know (or does not show) is not named.
    assert contracts.operating_model(uuid.uuid4()) is None
    assert contracts.operating_model(None) is None
    assert contracts.operating_model("") is None
    assert contracts.operating_model("not-a-uid") is None
    assert (MINUN_TIIMINI, "Minun tiimini") in contracts.operating_model_choices()
    assert (RANTAKYLA_MODEL_UID, "Rantakylän aluetiimi") in contracts.operating_model_choices()


def test_network_groups_teams_by_operating_model(resolver):
    tampere = municipality("837")
    long_name = "Pirkanmaan hyvinvointialueen erittäin pitkänimiset ikäihmisten palvelut"
    county_org = OrganisationFactory(name_fi=long_name)
    parish = OrganisationFactory(name_fi="Hervannan seurakunta")
    team = TeamFactory(
        name_fi="Minun tiimini – Hervanta",
        organisation=county_org,
        operating_model_uid=MINUN_TIIMINI,
        areas=[tampere],
    )
    TeamMemberFactory(team=team, organisation=county_org, role_fi="palveluohjaaja")
    TeamMemberFactory(team=team, organisation=county_org, role_fi="muistihoitaja")
    TeamMemberFactory(team=team, organisation=parish, role_fi="diakoniatyöntekijä")
    TeamFactory(name_fi="Ilman mallia", organisation=parish, areas=[tampere])

    data = network.network_data(tampere, url_for)

    assert [(g["model"] or {}).get("title") for g in data["groups"]] == ["Minun tiimini", None]
    hervanta = data["groups"][0]["teams"][0]
    assert [(m["name"], m["roles"]) for m in hervanta["members"]] == [
        (long_name, ["palveluohjaaja", "muistihoitaja"]),
        ("Hervannan seurakunta", ["diakoniatyöntekijä"]),
    ]
    parish_entry = next(o for o in data["organisations"] if o["name"] == "Hervannan seurakunta")
    assert [t["name"] for t in parish_entry["teams"]] == ["Ilman mallia", "Minun tiimini – Hervanta"]

    layout = network.svg_layout(data)
    kinds = [node["kind"] for node in layout["nodes"]]
    assert kinds.count("model") == 1 and kinds.count("team") == 2 and kinds.count("organisation") == 2
    # model→team once; team→organisation once per organisation, however many roles it has
    assert len(layout["edges"]) == 1 + 2 + 1
    long_node = next(node for node in layout["nodes"] if node["title"].startswith(long_name))
    assert long_node["label"].endswith("…") and len(long_node["label"]) <= network.MAX_LABEL
    assert all(0 <= node["y"] < layout["height"] for node in layout["nodes"])
