"""The judged relevance set (queries.json) over the demo content, on the engines
of this test run: the database engine always (SQLite in `make test`, PostgreSQL
when DATABASE_URL points there) and Elasticsearch when ELASTICSEARCH_URL is set.

success@3 must reach the targets on each: 0.95 over the queries searched with
their page language, 0.90 over the language-blind ones (sent without `lang`).
`make relevance` prints the same numbers per engine, the misses, and Wagtail's
stock search as a baseline.
"""

import pytest

from bench.relevance import engine_keys, evaluate, indexed_keys, missing_judgements
from bench.relevance_metrics import (
    LANGUAGE_BLIND,
    PAGE_LANGUAGE,
    TARGETS,
    failures_at,
    load_queries,
    summarise,
)
from search import service

from ..conftest import require_elasticsearch

pytestmark = pytest.mark.django_db

# The Elasticsearch alias of the module's demo_index (tests/search/conftest.py).
DEMO_INDEX_ALIAS_PREFIX = "test_ovi_relevance"
QUERIES = load_queries()
# Outcomes per engine, computed once for the module's parts (the index does not change).
_OUTCOMES = {}


@pytest.fixture(params=["database", "elasticsearch"])
def engine(request, demo_index, db, settings):
    service._down_until.clear()
    if request.param == "elasticsearch":
        settings.ELASTICSEARCH_URL = require_elasticsearch()
    else:
        settings.ELASTICSEARCH_URL = ""
    return request.param


def test_every_judged_result_is_a_search_document(demo_index, db):
    assert missing_judgements(QUERIES, indexed_keys()) == {}


@pytest.mark.parametrize("part", [PAGE_LANGUAGE, LANGUAGE_BLIND])
def test_success_at_3_meets_the_target(engine, part):
    if engine not in _OUTCOMES:
        _OUTCOMES[engine] = evaluate(QUERIES, lambda query: engine_keys(query, engine))
    outcomes = [o for o in _OUTCOMES[engine] if o.query.part == part]
    assert outcomes, part
    summary = summarise(outcomes)
    target = TARGETS[part]
    misses = [
        f"{o.query.id} {o.query.text!r}: rank {o.rank}, first {o.result_titles[:1]}"
        for o in failures_at(outcomes, 3)
    ]
    assert summary.success_at_3 >= target, "\n".join(
        [f"success@3 {summary.success_at_3:.3f} < {target} ({part}, {len(outcomes)} queries) on {engine}:"]
        + misses
    )
