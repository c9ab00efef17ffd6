"""The database engine: the embedded default, and the fallback when
Elasticsearch is down.

Everything happens in SQL: the text match gives candidates, and filters,
disjunctive facet counts, sorting and paging run over narrow filter tables
(search.models.SearchRow, SearchValue, SearchOpenInterval, SearchPoint) that
the engine writes with each entry; only the page's documents are read from
the wide entry table (docs/benchmarks.md has the measurements behind this).

Where each part lives:
- tables.py: the names and layouts of the engine's own tables;
- schema.py: what the migrations create, move and fill;
- rows.py: the filter tables' rows written for each entry;
- filtered.py: one search as one statement over the filter tables (shared SQL);
- sqlite.py: FTS5 tables ranked with bm25, autocomplete prefixes;
- postgresql.py: tsvector tables ranked with ts_rank, pg_trgm, the column-based
  variant of the filtered statement.
sqlite.py and postgresql.py offer the same operations (write_fulltext,
text_candidates, filtered_search, prefix_ids...); this engine picks one by
the connection's vendor.

No user text reaches SQL except as parameters (see sqlite.py, postgresql.py).
"""

from django.db import connection, transaction

from ...analysers import vocabulary_of
from ...models import FacetLabel, SearchEntry, SearchTerm
from ...vocabulary import apply_deltas
from ..base import Match, SearchEngine, prepare
from . import postgresql, sqlite
from .rows import delete_filter_rows, write_filter_rows
from .tables import FILTER_TABLES


class DatabaseEngine(SearchEngine):
    name = "database"

    @property
    def vendor(self):
        return connection.vendor

    @property
    def backend(self):
        """The module with this database's own SQL (sqlite or postgresql)."""
        if self.vendor == "postgresql":
            return postgresql
        if self.vendor == "sqlite":
            return sqlite
        raise NotImplementedError(f"the database search engine does not support {self.vendor}")

    # Storage -----------------------------------------------------------

    def index(self, documents):
        prepared = [prepare(document) for document in documents]
        if not prepared:
            return
        with transaction.atomic():
            existing = {
                entry.key: entry for entry in SearchEntry.objects.filter(key__in=[p.key for p in prepared])
            }
            changes, saved = [], []
            for item in prepared:
                entry = existing.get(item.key)
                old_vocabulary = vocabulary_of(entry.terms, entry.visibility) if entry else {}
                if entry is None:
                    entry = SearchEntry(key=item.key)
                entry.type = item.document.type
                entry.uid = item.document.uid
                entry.visibility = item.document.visibility
                entry.boost = item.document.boost
                entry.document = item.document.to_dict()
                entry.attributes = item.attributes
                entry.terms = item.terms
                entry.content_hash = item.content_hash
                entry.save()
                changes.append((old_vocabulary, vocabulary_of(item.terms, entry.visibility)))
                saved.append((entry.id, entry.key, entry.visibility, entry.boost, item.attributes))
            with connection.cursor() as cursor:
                delete_filter_rows(cursor, [row[0] for row in saved])
                write_filter_rows(cursor, saved, pg_arrays=self.vendor == "postgresql")
            # After the filter rows: PostgreSQL's vector tables copy their fields.
            for (entry_id, *_), item in zip(saved, prepared):
                with connection.cursor() as cursor:
                    self.backend.write_fulltext(cursor, entry_id, item.terms, item.attributes["titles"])
            apply_deltas(changes)
            self._save_facet_labels(prepared)

    def load(self, documents):
        """Add documents to an index that has none of them (a rebuild, after
        clear()): bulk inserts and no look-ups of existing entries. Unlike
        index(), the vocabulary is left to the caller, which rebuilds it once
        at the end; returns each document's vocabulary (analysers.vocabulary_of)."""
        prepared = [prepare(document) for document in documents]
        if not prepared:
            return []
        with transaction.atomic():
            entries = SearchEntry.objects.bulk_create(
                [
                    SearchEntry(
                        key=item.key,
                        type=item.document.type,
                        uid=item.document.uid,
                        visibility=item.document.visibility,
                        boost=item.document.boost,
                        document=item.document.to_dict(),
                        attributes=item.attributes,
                        terms=item.terms,
                        content_hash=item.content_hash,
                    )
                    for item in prepared
                ]
            )
            with connection.cursor() as cursor:
                write_filter_rows(
                    cursor,
                    [
                        (entry.id, entry.key, entry.visibility, entry.boost, item.attributes)
                        for entry, item in zip(entries, prepared)
                    ],
                    pg_arrays=self.vendor == "postgresql",
                )
                self.backend.insert_fulltext(
                    cursor,
                    [
                        (entry.id, entry.terms, item.attributes["titles"])
                        for entry, item in zip(entries, prepared)
                    ],
                )
            self._save_facet_labels(prepared)
        return [vocabulary_of(item.terms, item.document.visibility) for item in prepared]

    def delete(self, keys):
        keys = list(keys)
        if not keys:
            return
        with transaction.atomic():
            entries = list(SearchEntry.objects.filter(key__in=keys).only("id", "terms", "visibility"))
            if not entries:
                return
            with connection.cursor() as cursor:
                self.backend.delete_fulltext(cursor, [entry.id for entry in entries])
                delete_filter_rows(cursor, [entry.id for entry in entries])
            apply_deltas([(vocabulary_of(entry.terms, entry.visibility), {}) for entry in entries])
            SearchEntry.objects.filter(id__in=[entry.id for entry in entries]).delete()

    def clear(self):
        """Remove every entry (rebuild starts from here)."""
        with transaction.atomic():
            with connection.cursor() as cursor:
                for table in [*self.backend.side_tables(), *FILTER_TABLES]:
                    cursor.execute(f"DELETE FROM {table}")
            SearchEntry.objects.all().delete()
            SearchTerm.objects.all().delete()

    def update_statistics(self):
        """Refresh the query planner's statistics of the search tables (after a
        rebuild: plans made for an empty index are poor for a full one).

        On PostgreSQL, outside a transaction, VACUUM (ANALYZE) instead: a freshly
        written table has no visibility map (no index-only scans) and no hint
        bits, and autovacuum would otherwise start on every table during the
        first searches after a rebuild (measured: p95 186 ms right after a
        national rebuild, 141 ms once autovacuum had finished). VACUUM cannot
        run inside a transaction block, so tests and callers inside atomic()
        get the plain ANALYZE."""
        tables = ["ovi_search_searchentry", *FILTER_TABLES]
        if self.vendor == "postgresql":
            tables += postgresql.side_tables()
        command = (
            "VACUUM (ANALYZE)"
            if self.vendor == "postgresql" and not connection.in_atomic_block
            else "ANALYZE"
        )
        with connection.cursor() as cursor:
            for table in tables:
                cursor.execute(f"{command} {table}")

    def _save_facet_labels(self, prepared):
        labels = {}
        for item in prepared:
            for facet, values in item.document.facet_labels.items():
                for value, label in (values or {}).items():
                    labels[(facet, str(value))] = label if isinstance(label, dict) else {"fi": str(label)}
        if labels:
            FacetLabel.objects.bulk_create(
                [FacetLabel(facet=f, value=v, labels=label) for (f, v), label in labels.items()],
                update_conflicts=True,
                unique_fields=["facet", "value"],
                update_fields=["labels"],
            )

    # Matching -----------------------------------------------------------
    # The text match gives candidates (entry id, score); filters, disjunctive
    # facet counts, sorting and the page are SQL over the filter tables, and
    # only the page's documents are read from the (wide) entry table.

    def match(self, query, languages, require_all=True):
        candidates = self.backend.text_candidates(query, languages, require_all) if languages else None
        return self._filtered(query, candidates, browse=not languages, with_terms=len(languages) > 1)

    def near_miss(self, query):
        """Titles similar to the typed text (PostgreSQL's pg_trgm; None on SQLite)."""
        candidates = self.backend.near_miss_candidates(query)
        if candidates is None:
            return None
        return self._filtered(query, candidates, browse=False)

    def _filtered(self, query, candidates, browse, with_terms=False):
        """Filters, disjunctive facet counts, sorting and the page, in one SQL
        statement over the candidates (None: every entry). `with_terms`: the
        Match carries the hits' analysed terms too."""
        sql = self.backend.filtered_search(query, candidates)
        count, facets, page = 0, {facet: {} for facet in query.facets}, []
        with transaction.atomic(), connection.cursor() as cursor:
            self.backend.prepare_statement(cursor)
            cursor.execute(*sql.statement(browse))
            for row in cursor.fetchall():
                if row[0] == 0:
                    count = row[3]
                elif row[0] == 1:
                    facets[row[1]][row[2]] = row[3]
                else:
                    page.append(row)
        page.sort(key=sql.page_order(browse))
        fields = ("id", "document", "terms") if with_terms else ("id", "document")
        entries = {
            row[0]: row[1:]
            for row in SearchEntry.objects.filter(id__in=[row[3] for row in page]).values_list(*fields)
        }
        found = [(entries[row[3]], row[4]) for row in page if row[3] in entries]
        hits = [(entry[0], score) for entry, score in found]
        terms = [entry[1] for entry, _ in found] if with_terms else None
        return Match(count=count, hits=hits, facets=facets, terms=terms)

    # Autocomplete ---------------------------------------------------------

    def match_prefix(self, prefix_query):
        """Ids are chosen over the narrow rows (visibility, boost, key); only
        the suggestions' documents are read from the entry table."""
        with transaction.atomic(), connection.cursor() as cursor:
            ids = self.backend.prefix_ids(cursor, prefix_query)
        documents = dict(SearchEntry.objects.filter(id__in=ids).values_list("id", "document"))
        return [documents[entry_id] for entry_id in ids if entry_id in documents]
