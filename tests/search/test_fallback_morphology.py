"""The embedded default: Finnish search without Voikko (simplemma and the
compound splitter), on the database engine. Voikko is made unavailable the way
a machine without Debian's libvoikko1 sees it: the availability probe says no."""

import pytest

from search import analysers, indexing, morphology, service
from search.documents import register, unregister
from search.query import SearchQuery

from .conftest import use_engine
from .corpus import FakeSource


@pytest.fixture
def without_voikko(monkeypatch, settings, db):
    monkeypatch.setattr(morphology, "voikko_available", lambda: False)
    settings.OVI_SEARCH_MORPHOLOGY = {}
    use_engine(settings, "database")
    analysers.refresh_analysers()
    source = register(FakeSource())
    try:
        indexing.rebuild()
        assert analysers.get_analyser("fi").morphology.name.startswith("simplemma")
        yield
    finally:
        unregister(source.name)
        analysers.refresh_analysers()


def keys(text, **options):
    results = service.search(SearchQuery(text=text, page_size=100, **options))
    return [f"{r['type']}:{r['uid']}" for r in results.results]


@pytest.mark.parametrize(
    "query, expected",
    [
        ("perhekeskukseen", "service:perhekeskus-liperi"),
        ("mielenterveyspalveluihin", "service:mielenterveys-kuopio"),
        ("mielenterveys", "service:mielenterveys-kuopio"),
        ("palvelu", "service:mielenterveys-kuopio"),
        ("päihdeongelmiin", "service:paihde-joensuu"),
        ("päihde", "service:paihde-joensuu"),
        ("työparimalli", "operating_model:tyoparimalli"),
        ("neuvolassa", "service:neuvola-joensuu"),
        ("terveysasemalle", "location:terveysasema-liperi"),
        ("perhekeskuss", "service:perhekeskus-liperi"),  # one typo
        ("riippuvuus", "service:paihdetyo-kuopio"),  # synonym
    ],
)
def test_finnish_examples_without_voikko(without_voikko, query, expected):
    assert expected in keys(query)


def test_the_resident_and_the_nurse_without_voikko(without_voikko):
    assert keys("huoli lapsesta Liperi")[0] == "service:perhekeskus-liperi"
    assert keys("päihdetyöntekijä Kuopio")[0] == "service:paihdetyo-kuopio"
