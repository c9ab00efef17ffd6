"""The one registry of contracts between apps (search.contracts) and the contracts the
apps declare and provide through it."""

import uuid
from typing import Protocol, runtime_checkable

import pytest

from directory.contracts import OPERATING_MODELS, PATHWAYS_TO_SERVICE, NoOperatingModels, NoPathways
from directory.search_documents import DirectoryForSearch
from models_library.contracts import PAGES_USING_MODEL, NoPages
from models_library.usage import LibraryOperatingModels
from portal.pathways import PathwayLinks
from search import contracts
from search.params import place_resolver, user_is_professional


@runtime_checkable
class Greeter(Protocol):
    def greet(self, name: str) -> str: ...


class Silent:
    def greet(self, name):
        return ""


class Friendly:
    def greet(self, name):
        return f"Hei {name}"


class Rude:
    def shout(self, name):
        return name.upper()


@pytest.fixture
def greeter():
    return contracts.Contract("tests.greeter", Greeter, Silent())


def test_the_default_answers_until_an_implementation_is_provided(greeter):
    assert not contracts.is_provided(greeter)
    assert contracts.get(greeter).greet("Aino") == ""

    with contracts.provided(greeter, Friendly()):
        assert contracts.is_provided(greeter)
        assert contracts.get(greeter).greet("Aino") == "Hei Aino"

    assert not contracts.is_provided(greeter)
    assert contracts.get(greeter).greet("Aino") == ""


def test_providing_again_replaces_and_provided_restores(greeter):
    first, second = Friendly(), Friendly()
    contracts.provide(greeter, first)
    try:
        with contracts.provided(greeter, second):
            assert contracts.get(greeter) is second
        assert contracts.get(greeter) is first
        with contracts.provided(greeter, None):
            assert isinstance(contracts.get(greeter), Silent)
        assert contracts.get(greeter) is first
    finally:
        contracts._provided.pop(greeter, None)


def test_an_implementation_without_the_contracts_methods_is_refused(greeter):
    with pytest.raises(contracts.ContractError, match="greet"):
        contracts.provide(greeter, Rude())
    with pytest.raises(contracts.ContractError):
        contracts.Contract("tests.bad_default", Greeter, Rude())
    assert contracts.get(greeter).greet("Aino") == ""


def test_the_apps_provide_their_contracts_at_start_up():
    # AppConfig.ready of models_library and portal ran when Django started.
    assert isinstance(contracts.get(OPERATING_MODELS), LibraryOperatingModels)
    assert isinstance(contracts.get(PATHWAYS_TO_SERVICE), PathwayLinks)
    assert isinstance(contracts.get(PAGES_USING_MODEL), PathwayLinks)
    assert isinstance(contracts.get(contracts.AUDIENCE), DirectoryForSearch)
    assert isinstance(contracts.get(contracts.PLACES), DirectoryForSearch)


def test_without_providers_the_lower_apps_work_on_their_own():
    from directory import contracts as directory_contracts
    from models_library import contracts as library_contracts

    class Door:
        is_entry_point = True

    with (
        contracts.provided(OPERATING_MODELS, None),
        contracts.provided(PATHWAYS_TO_SERVICE, None),
        contracts.provided(PAGES_USING_MODEL, None),
    ):
        assert isinstance(contracts.get(OPERATING_MODELS), NoOperatingModels)
        assert isinstance(contracts.get(PATHWAYS_TO_SERVICE), NoPathways)
        assert isinstance(contracts.get(PAGES_USING_MODEL), NoPages)
        uid = uuid.uuid4()
        assert directory_contracts.operating_model(uid) is None
        assert directory_contracts.inactive_stage(uid) is None
        assert directory_contracts.operating_model_choices() == []
        assert directory_contracts.pathways_to(Door()) == []
        assert library_contracts.pages_using(object()) == []


class EveryoneIsProfessional:
    def is_professional(self, user):
        return True


class OnePlace:
    def area_for_search(self, postal_code="", municipality=""):
        if postal_code == "80100":
            return {"municipality": "167", "county": None, "name": "Joensuu", "point": None}
        return None

    def place_names(self):
        return {"167": [("fi", "Joensuu")]}

    def district_names(self):
        return {}


def test_search_asks_its_contracts_who_is_a_professional_and_where_a_place_is():
    with contracts.provided(contracts.AUDIENCE, EveryoneIsProfessional()):
        assert user_is_professional(None) is True
    with contracts.provided(contracts.AUDIENCE, None):
        assert user_is_professional(object()) is False

    with contracts.provided(contracts.PLACES, OnePlace()):
        assert place_resolver()(postal_code="80100")["name"] == "Joensuu"
        assert place_resolver()(postal_code="00100") is None
    with contracts.provided(contracts.PLACES, None):
        assert place_resolver() is None


@pytest.mark.django_db
def test_the_search_api_refuses_area_parameters_without_a_place_provider(client):
    with contracts.provided(contracts.PLACES, None):
        response = client.get("/api/v1/search", {"q": "perhe", "postal_code": "80100"})
    assert response.status_code == 400
    assert "postal_code" in response.json()["errors"]
