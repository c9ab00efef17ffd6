"""The relevance measures and the judged set's file format."""

import json

import pytest

from bench.relevance_metrics import (
    QUERIES_FILE,
    JudgedQuery,
    Outcome,
    failures_at,
    first_relevant_rank,
    format_table,
    load_queries,
    parse_query,
    reciprocal_rank,
    success_at,
    summarise,
)


def judged(relevant, query_id="q"):
    return JudgedQuery(id=query_id, text="perhekeskus", language="fi", relevant=tuple(relevant))


def test_rank_of_the_first_relevant_result():
    assert first_relevant_rank(["a", "b", "c"], {"c", "b"}) == 2
    assert first_relevant_rank(["a", "b"], {"x"}) is None
    assert first_relevant_rank([], {"x"}) is None


def test_success_and_reciprocal_rank():
    assert success_at(3, 3) and not success_at(4, 3) and not success_at(None, 10)
    assert reciprocal_rank(4) == 0.25
    assert reciprocal_rank(None) == 0.0


def test_summary_over_queries():
    outcomes = [
        Outcome(judged(["a"]), ["a", "x"]),  # rank 1
        Outcome(judged(["b"]), ["x", "y", "z", "b"]),  # rank 4
        Outcome(judged(["c"]), ["x"]),  # not found
        Outcome(judged(["d"]), ["x", "d"]),  # rank 2
    ]
    summary = summarise(outcomes)
    assert summary.queries == 4
    assert summary.success_at_3 == 0.5
    assert summary.success_at_10 == 0.75
    assert summary.mrr == pytest.approx((1 + 0.25 + 0 + 0.5) / 4)
    assert [o.query.relevant for o in failures_at(outcomes, 3)] == [("b",), ("c",)]


def test_summary_of_nothing_is_zero():
    assert summarise([]).queries == 0 and summarise([]).mrr == 0.0


def test_table_lists_each_engine():
    table = format_table([("sqlite", summarise([Outcome(judged(["a"]), ["a"])]))])
    assert "| sqlite | 1 | 1.000 | 1.000 | 1.000 |" in table


@pytest.mark.parametrize(
    "item, message",
    [
        ({"id": "x", "q": " ", "language": "fi", "relevant": [{"key": "service:1"}]}, "empty text"),
        ({"id": "x", "q": "a", "language": "de", "relevant": [{"key": "service:1"}]}, "language"),
        ({"id": "x", "q": "a", "language": "fi", "relevant": []}, "no relevant"),
        ({"id": "x", "q": "a", "language": "fi", "relevant": [{"key": "service"}]}, "<type>:<uid>"),
    ],
)
def test_malformed_judgements_are_refused(item, message):
    with pytest.raises(ValueError, match=message):
        parse_query(item)


def test_duplicate_ids_are_refused(tmp_path):
    item = {"id": "x", "q": "a", "language": "fi", "relevant": [{"key": "service:1"}]}
    path = tmp_path / "queries.json"
    path.write_text(json.dumps({"queries": [item, item]}))
    with pytest.raises(ValueError, match="duplicate"):
        load_queries(path)


def test_the_judged_set_covers_languages_and_kinds_of_query():
    queries = load_queries(QUERIES_FILE)
    assert len(queries) >= 60
    for language in ("fi", "sv", "en"):
        assert len([query for query in queries if query.language == language]) >= 10, language
    tags = {tag for query in queries for tag in query.tags}
    assert {"inflection", "compound", "typo", "place", "life-situation", "professional"} <= tags
    kinds = {key.split(":", 1)[0] for query in queries for key in query.relevant}
    document_types = {
        "service",
        "organisation",
        "location",
        "team",
        "contact_person",
        "operating_model",
        "pathway",
        "page",
    }
    assert kinds <= document_types
