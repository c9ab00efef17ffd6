"""manage.py search_index rebuild|check|repair, on every engine."""

import dataclasses

import pytest
from django.core.management import CommandError, call_command

from search import indexing, morphology, service
from search.models import SearchEntry

from .corpus import CORPUS

ELASTICSEARCH_ONLY = pytest.mark.parametrize("engine_name", ["elasticsearch"])


def run(*args):
    from io import StringIO

    out = StringIO()
    call_command("search_index", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def test_rebuild_then_check_is_clean(indexed):
    output = run("rebuild")
    assert f"Indexed {len(CORPUS)} documents" in output
    assert "up to date" in run("check")


def test_check_lists_missing_stale_and_extra_documents_and_repair_fixes_them(indexed):
    documents = indexed.source.documents
    changed = documents["service:perhekeskus-liperi"]
    documents[changed.key] = dataclasses.replace(changed, text={"fi": "Perhekeskus on muuttanut."})
    removed = documents.pop("service:kriisipuhelin")
    added = dataclasses.replace(removed, uid="kriisipuhelin-2", key="service:kriisipuhelin-2")
    documents[added.key] = added

    report = indexing.check()
    assert report.stale == ["service:perhekeskus-liperi"]
    assert report.extra == ["service:kriisipuhelin"]
    assert report.missing == ["service:kriisipuhelin-2"]
    with pytest.raises(CommandError):
        run("check")

    assert "Repaired" in run("repair")
    assert indexing.check().ok
    assert "service:kriisipuhelin-2" in indexed.keys("kriisipuhelin")
    assert "service:kriisipuhelin" not in indexed.keys("kriisipuhelin")
    assert "service:perhekeskus-liperi" in indexed.keys("muuttanut")


def test_a_new_analysis_backend_makes_every_entry_stale(indexed, settings):
    # E.g. Voikko removed from the machine: the embedded fallback analyses
    # differently, so every entry needs re-indexing.
    if not morphology.voikko_available():
        pytest.skip("needs Voikko to switch away from")
    settings.OVI_SEARCH_MORPHOLOGY = {"fi": "simplemma"}
    assert len(indexing.check().stale) == len(CORPUS)


@ELASTICSEARCH_ONLY
def test_rebuild_replaces_the_elasticsearch_index_behind_the_alias(indexed, settings):
    engine = service.elasticsearch_engine()
    before = engine.current_indices()
    report = indexing.rebuild()
    after = engine.current_indices()
    assert len(before) == 1 and after == [report.elasticsearch_index] and after != before
    assert not engine.client.indices.exists(index=before[0])
    assert indexed.keys("perhekeskukseen")[0] == "service:perhekeskus-liperi"


@ELASTICSEARCH_ONLY
def test_check_and_repair_compare_elasticsearch_with_the_database(indexed, settings):
    engine = service.elasticsearch_engine()
    engine.client.delete(index=engine.alias, id="service:perhekeskus-liperi", refresh=True)
    report = indexing.check()
    assert report.elasticsearch["missing"] == ["service:perhekeskus-liperi"]
    run("repair")
    assert indexing.check().ok
    assert indexed.keys("perhekeskukseen")[0] == "service:perhekeskus-liperi"


@ELASTICSEARCH_ONLY
def test_check_reports_an_unreachable_elasticsearch(indexed, settings):
    settings.ELASTICSEARCH_URL = "http://127.0.0.1:9"
    report = indexing.check()
    assert report.elasticsearch.get("error") and not report.ok


def test_the_database_index_is_kept_when_elasticsearch_is_the_engine(indexed):
    # The fallback needs it: every engine run has the database entries.
    assert SearchEntry.objects.count() == len(CORPUS)


def test_rebuild_progress_line(capsys):
    from search.management.commands.search_index import Command

    Command._progress(15, 30)
    assert capsys.readouterr().err == "\r[###############...............] 15/30"


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_rebuild_on_postgresql_leaves_the_search_tables_vacuumed():
    # Without it autovacuum starts on every freshly written table during the
    # first searches after a rebuild, and index-only scans have no visibility map.
    from django.db import connection

    from search.engines.database.tables import pg_tables

    if connection.vendor != "postgresql":
        pytest.skip("VACUUM is PostgreSQL's")
    tables = [*pg_tables(), "ovi_search_searchentry"]

    def vacuum_counts():
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_stat_clear_snapshot()")
            cursor.execute(
                "SELECT relname, vacuum_count FROM pg_stat_user_tables WHERE relname = ANY(%s)", [tables]
            )
            return dict(cursor.fetchall())

    before = vacuum_counts()
    indexing.rebuild()
    after = vacuum_counts()
    assert sorted(after) == sorted(tables)
    assert [table for table in tables if after[table] <= before.get(table, 0)] == []
