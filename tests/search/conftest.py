"""Fixtures for the search tests.

`indexed` registers the fake corpus source, rebuilds the index and hands out a
small helper; it is parametrised over the engines: `database` always (SQLite,
or PostgreSQL when DATABASE_URL points there) and `elasticsearch` when
ELASTICSEARCH_URL is set. Without it the Elasticsearch cases are skipped,
unless OVI_REQUIRE_ELASTICSEARCH=1, which turns the skip into a failure.
"""

import os
import uuid

import pytest
from django.db import transaction
from django.test import override_settings

from search import analysers, indexing, service
from search.documents import register, unregister
from search.query import SearchQuery
from search.synonyms import ensure_default_synonyms

from .corpus import FakeSource

ELASTICSEARCH_URL = os.environ.get("ELASTICSEARCH_URL", "")
ENGINES = ["database", "elasticsearch"]


def require_elasticsearch():
    if ELASTICSEARCH_URL:
        return ELASTICSEARCH_URL
    if os.environ.get("OVI_REQUIRE_ELASTICSEARCH") == "1":
        pytest.fail("OVI_REQUIRE_ELASTICSEARCH=1 but ELASTICSEARCH_URL is not set")
    pytest.skip("ELASTICSEARCH_URL is not set (start one with .ci/elasticsearch.sh)")


def use_engine(settings, engine_name):
    """Point the search settings at one engine; returns the test alias or None."""
    service._down_until.clear()
    if engine_name == "elasticsearch":
        settings.ELASTICSEARCH_URL = require_elasticsearch()
        settings.OVI_SEARCH_ES_ALIAS = f"test_ovi_{uuid.uuid4().hex[:12]}"
        settings.OVI_SEARCH_ES_REFRESH = True
        settings.OVI_SEARCH_ES_REPLICAS = 0
        return settings.OVI_SEARCH_ES_ALIAS
    settings.ELASTICSEARCH_URL = ""
    return None


def drop_test_indices(engine):
    if engine is not None and engine.alias.startswith("test_"):
        engine.drop()


class IndexedCorpus:
    def __init__(self, engine_name, source):
        self.engine_name = engine_name
        self.source = source

    def search(self, text="", **options):
        results = service.search(SearchQuery(text=text, **options))
        # Guards against silently testing the fallback instead of the engine.
        assert results.engine == self.engine_name, results.engine
        return results

    def keys(self, text="", **options):
        return [f"{r['type']}:{r['uid']}" for r in self.search(text, page_size=100, **options).results]

    def suggest(self, prefix, **options):
        return service.suggest(prefix, **options)


@pytest.fixture(params=ENGINES)
def engine_name(request):
    return request.param


@pytest.fixture
def indexed(engine_name, settings, db):
    use_engine(settings, engine_name)
    # The default synonyms come with migration 0003; a flush by a transactional
    # test elsewhere would have removed them.
    ensure_default_synonyms()
    analysers.invalidate_synonyms()
    source = register(FakeSource())
    # Kept for teardown: a test may point the settings at a closed port.
    elasticsearch = service.elasticsearch_engine()
    try:
        report = indexing.rebuild()
        assert report.elasticsearch_error is None, report.elasticsearch_error
        yield IndexedCorpus(engine_name, source)
    finally:
        unregister(source.name)
        drop_test_indices(elasticsearch)
        analysers.refresh_analysers()


@pytest.fixture(scope="module")
def demo_index(request, django_db_setup, django_db_blocker):
    """The demo content and its index, built once for the module and rolled back
    after it (Elasticsearch, when configured, gets a test alias that is dropped).

    The alias is `<DEMO_INDEX_ALIAS_PREFIX>_<random>`, the prefix a constant of the
    module that uses this (test_ovi_demo when it has none)."""
    from portal.demo import load_all

    prefix = getattr(request.module, "DEMO_INDEX_ALIAS_PREFIX", "test_ovi_demo")
    es_settings = {
        "ELASTICSEARCH_URL": ELASTICSEARCH_URL,
        "OVI_SEARCH_ES_ALIAS": f"{prefix}_{uuid.uuid4().hex[:12]}",
        "OVI_SEARCH_ES_REFRESH": True,
        "OVI_SEARCH_ES_REPLICAS": 0,
    }
    with django_db_blocker.unblock(), override_settings(**es_settings), transaction.atomic():
        service._down_until.clear()
        try:
            ensure_default_synonyms()
            analysers.invalidate_synonyms()
            load_all()
            report = indexing.rebuild()
            assert report.elasticsearch_error is None, report.elasticsearch_error
            yield
        finally:
            transaction.set_rollback(True)
            engine = service.elasticsearch_engine()
            if engine is not None:
                engine.drop()
    # Forget the demo vocabulary and synonyms with the rolled-back index.
    analysers.refresh_analysers()
    analysers.invalidate_synonyms()
