"""SearchDocument, opening hours and the registry."""

import pytest

from search.documents import (
    MINUTES_PER_WEEK,
    Area,
    OpenHours,
    SearchDocument,
    get_source,
    register,
    sources,
    unregister,
)

from .corpus import FakeSource


def test_defaults_fill_the_key_type_and_language_facets():
    document = SearchDocument(type="service", uid=42, title={"fi": "Neuvola", "sv": "Rådgivning"})
    assert document.key == "service:42" and document.uid == "42"
    assert document.facets["type"] == ["service"]
    assert document.facets["language"] == ["fi", "sv"]
    assert document.in_language(document.title, "en") == "Neuvola"  # falls back to Finnish


def test_round_trip_and_content_hash():
    document = SearchDocument(
        type="service",
        uid="x",
        title={"fi": "Neuvola"},
        locations=[(62.6, 29.7)],
        area={"municipalities": ["167"]},
        open_hours={"intervals": [(480, 960)]},
    )
    copy = SearchDocument.from_dict(document.to_dict())
    assert copy == document
    assert copy.content_hash("a") == document.content_hash("a") != document.content_hash("b")


def test_invalid_visibility_and_facet_names_are_refused():
    with pytest.raises(ValueError):
        SearchDocument(type="service", uid="x", title={}, visibility="secret")
    with pytest.raises(ValueError):
        SearchDocument(type="service", uid="x", title={}, facets={"Bad Name": ["x"]})


def test_area_covers():
    area = Area(municipalities=["167"], counties=["pk"])
    assert area.covers(municipality="167") and area.covers(county="pk")
    assert not area.covers(municipality="297", county="ps")
    assert Area(whole_country=True).covers(municipality="297")


def test_open_hours_wrap_over_the_end_of_the_week():
    sunday_night = OpenHours(intervals=[(MINUTES_PER_WEEK - 120, MINUTES_PER_WEEK + 120)])
    assert sunday_night.normalised_intervals() == [(MINUTES_PER_WEEK - 120, MINUTES_PER_WEEK), (0, 120)]
    assert sunday_night.is_open_at(60) and sunday_night.is_open_at(MINUTES_PER_WEEK - 60)
    assert not sunday_night.is_open_at(600)
    assert OpenHours(always_open=True).is_open_at(1234)


def test_registry():
    source = register(FakeSource([]))
    try:
        assert get_source("tests.fake") is source and source in sources()
    finally:
        unregister("tests.fake")
    with pytest.raises(TypeError):
        register(object())
