"""The database engine: the embedded default, and the fallback when
Elasticsearch is down.

SQLite: an FTS5 virtual table over the analysed terms (rowid = SearchEntry.id),
ranked with bm25. PostgreSQL: tsvector columns made with the 'simple'
configuration over the analysed terms (the analysis already happened in
Python), ranked with ts_rank, plus pg_trgm similarity on titles for
near-misses and on the vocabulary for "did you mean".

Matching happens in SQL; filters, facet counts and sorting run in Python over
the matched rows' small `attributes` JSON. Correct first: at national scale
(~135k documents) the broadest queries will want the facet counting moved
into SQL (see docs/search.md).

No user text reaches SQL except as parameters: FTS5 MATCH expressions are
built from analysed terms, each double-quoted; PostgreSQL queries are built
from plainto_tsquery(%s) calls.
"""

import json
from collections import Counter

from django.db import connection, transaction

from ..analysers import vocabulary_of
from ..analysis import LANGUAGES, normalise
from ..models import FacetLabel, SearchEntry
from ..query import DISTANCE, failing_facets, is_open, nearest_distance_m, serves_area
from ..vocabulary import apply_deltas
from .base import Match, SearchEngine, prepare

FTS_TABLE = "ovi_search_fts"
PG_TABLE = "ovi_search_pgfts"
FIELDS = ("title", "text", "pro", "prefix")
# bm25 weight per field: titles count most; prefix terms are for autocomplete only.
FIELD_WEIGHTS = {"title": 4.0, "text": 1.0, "pro": 1.0, "prefix": 0.0}
FTS_COLUMNS = [f"{field}_{language}" for language in LANGUAGES for field in FIELDS]


# --- schema (used by migration 0002) ----------------------------------------


def create_fulltext_tables(schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        columns = ", ".join(FTS_COLUMNS)
        schema_editor.execute(
            f"CREATE VIRTUAL TABLE IF NOT EXISTS {FTS_TABLE} USING fts5({columns}, "
            "tokenize = 'unicode61 remove_diacritics 0', prefix = '2 3 4')"
        )
    elif vendor == "postgresql":
        schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        columns = []
        for language in LANGUAGES:
            columns += [
                f"public_{language} tsvector",
                f"all_{language} tsvector",
                f"prefix_{language} tsvector",
                f"title_{language} text",
            ]
        # No foreign key: Django's test flush truncates SearchEntry without
        # CASCADE. Rows are removed with their entries by the engine, and
        # queries join on the entry table, so a leftover row is never seen.
        schema_editor.execute(
            f"CREATE TABLE IF NOT EXISTS {PG_TABLE} (entry_id bigint PRIMARY KEY, {', '.join(columns)})"
        )
        for language in LANGUAGES:
            for column in (f"public_{language}", f"all_{language}", f"prefix_{language}"):
                schema_editor.execute(
                    f"CREATE INDEX IF NOT EXISTS {PG_TABLE}_{column} ON {PG_TABLE} USING gin ({column})"
                )
            schema_editor.execute(
                f"CREATE INDEX IF NOT EXISTS {PG_TABLE}_title_{language}_trgm "
                f"ON {PG_TABLE} USING gin (title_{language} gin_trgm_ops)"
            )
        schema_editor.execute(
            "CREATE INDEX IF NOT EXISTS ovi_search_searchterm_trgm "
            "ON ovi_search_searchterm USING gin (term gin_trgm_ops)"
        )
    else:
        raise NotImplementedError(f"the database search engine does not support {vendor}")


def drop_fulltext_tables(schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        schema_editor.execute(f"DROP TABLE IF EXISTS {FTS_TABLE}")
    elif vendor == "postgresql":
        schema_editor.execute(f"DROP TABLE IF EXISTS {PG_TABLE}")
        schema_editor.execute("DROP INDEX IF EXISTS ovi_search_searchterm_trgm")


def _fts_quote(term):
    return '"' + term.replace('"', '""') + '"'


class DatabaseEngine(SearchEngine):
    name = "database"

    @property
    def vendor(self):
        return connection.vendor

    # Storage -----------------------------------------------------------

    def index(self, documents):
        prepared = [prepare(document) for document in documents]
        if not prepared:
            return
        with transaction.atomic():
            existing = {
                entry.key: entry for entry in SearchEntry.objects.filter(key__in=[p.key for p in prepared])
            }
            changes = []
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
                self._write_fulltext(entry.id, item.terms, item.attributes["titles"])
                changes.append((old_vocabulary, vocabulary_of(item.terms, entry.visibility)))
            apply_deltas(changes)
            self._save_facet_labels(prepared)

    def delete(self, keys):
        keys = list(keys)
        if not keys:
            return
        with transaction.atomic():
            entries = list(SearchEntry.objects.filter(key__in=keys).only("id", "terms", "visibility"))
            if not entries:
                return
            self._delete_fulltext([entry.id for entry in entries])
            apply_deltas([(vocabulary_of(entry.terms, entry.visibility), {}) for entry in entries])
            SearchEntry.objects.filter(id__in=[entry.id for entry in entries]).delete()

    def clear(self):
        """Remove every entry (rebuild starts from here)."""
        from ..models import SearchTerm

        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute(f"DELETE FROM {self._side_table()}")
            SearchEntry.objects.all().delete()
            SearchTerm.objects.all().delete()

    def _side_table(self):
        return FTS_TABLE if self.vendor == "sqlite" else PG_TABLE

    def _write_fulltext(self, entry_id, terms, titles):
        with connection.cursor() as cursor:
            if self.vendor == "sqlite":
                # DELETE first: a row may be left over for this rowid (see
                # create_fulltext_tables about test flushes).
                cursor.execute(f"DELETE FROM {FTS_TABLE} WHERE rowid = %s", [entry_id])
                values = [terms[language][field] for language in LANGUAGES for field in FIELDS]
                placeholders = ", ".join(["%s"] * (len(values) + 1))
                cursor.execute(
                    f"INSERT INTO {FTS_TABLE} (rowid, {', '.join(FTS_COLUMNS)}) VALUES ({placeholders})",
                    [entry_id, *values],
                )
            else:
                columns, expressions, params = ["entry_id"], ["%s"], [entry_id]
                for language in LANGUAGES:
                    t = terms[language]
                    public = "setweight(to_tsvector('simple', %s), 'A') || setweight(to_tsvector('simple', %s), 'B')"
                    columns += [
                        f"public_{language}",
                        f"all_{language}",
                        f"prefix_{language}",
                        f"title_{language}",
                    ]
                    expressions += [
                        public,
                        f"{public} || setweight(to_tsvector('simple', %s), 'C')",
                        "to_tsvector('simple', %s)",
                        "%s",
                    ]
                    params += [t["title"], t["text"], t["title"], t["text"], t["pro"], t["prefix"]]
                    params.append(titles[language])
                updates = ", ".join(f"{column} = EXCLUDED.{column}" for column in columns[1:])
                cursor.execute(
                    f"INSERT INTO {PG_TABLE} ({', '.join(columns)}) VALUES ({', '.join(expressions)}) "
                    f"ON CONFLICT (entry_id) DO UPDATE SET {updates}",
                    params,
                )

    def _delete_fulltext(self, entry_ids):
        with connection.cursor() as cursor:
            for entry_id in entry_ids:
                if self.vendor == "sqlite":
                    cursor.execute(f"DELETE FROM {FTS_TABLE} WHERE rowid = %s", [entry_id])
                else:
                    cursor.execute(f"DELETE FROM {PG_TABLE} WHERE entry_id = %s", [entry_id])

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

    def _visibility_sql(self, professional):
        return "" if professional else " AND e.visibility = 'public'"

    def _matched_rows(self, query, groups, require_all):
        """[(id, key, attributes, score)] of every entry the text matches."""
        visibility = self._visibility_sql(query.professional)
        with connection.cursor() as cursor:
            if not groups:
                cursor.execute(
                    f"SELECT e.id, e.key, e.attributes, e.boost FROM ovi_search_searchentry e WHERE 1 = 1{visibility}"
                )
                return [(i, k, a, 0.0, b) for i, k, a, b in cursor.fetchall()]
            if self.vendor == "sqlite":
                fields = ["title", "text"] + (["pro"] if query.professional else [])
                columns = [f"{field}_{query.language}" for field in fields]
                expression = self._fts_expression(groups, columns, require_all)
                weights = ", ".join(str(FIELD_WEIGHTS[c.rsplit("_", 1)[0]]) for c in FTS_COLUMNS)
                cursor.execute(
                    f"SELECT e.id, e.key, e.attributes, e.boost, -bm25({FTS_TABLE}, {weights}) "
                    f"FROM {FTS_TABLE} JOIN ovi_search_searchentry e ON e.id = {FTS_TABLE}.rowid "
                    f"WHERE {FTS_TABLE} MATCH %s{visibility}",
                    [expression],
                )
            else:
                column = f"{'all' if query.professional else 'public'}_{query.language}"
                tsquery, params = self._tsquery(groups, require_all)
                cursor.execute(
                    f"SELECT e.id, e.key, e.attributes, e.boost, ts_rank(p.{column}, q.query) "
                    f"FROM {PG_TABLE} p JOIN ovi_search_searchentry e ON e.id = p.entry_id, "
                    f"(SELECT {tsquery} AS query) q WHERE p.{column} @@ q.query{visibility}",
                    params,
                )
            return [(i, k, a, s, b) for i, k, a, b, s in cursor.fetchall()]

    @staticmethod
    def _fts_expression(groups, columns, require_all):
        group_expressions = []
        for group in groups:
            alternatives = [
                "(" + " AND ".join(_fts_quote(term) for term in alternative) + ")"
                for alternative in group.alternatives
            ]
            group_expressions.append("(" + " OR ".join(alternatives) + ")")
        joined = (" AND " if require_all else " OR ").join(group_expressions)
        return "{" + " ".join(columns) + "} : (" + joined + ")"

    @staticmethod
    def _tsquery(groups, require_all):
        params = []
        group_sql = []
        for group in groups:
            alternative_sql = []
            for alternative in group.alternatives:
                params.extend(alternative)
                alternative_sql.append(
                    "(" + " && ".join(["plainto_tsquery('simple', %s)"] * len(alternative)) + ")"
                )
            group_sql.append("(" + " || ".join(alternative_sql) + ")")
        return "(" + (" && " if require_all else " || ").join(group_sql) + ")", params

    def match(self, query, groups, require_all=True):
        rows = self._matched_rows(query, groups, require_all)
        return self._finish(query, rows, browse=not groups)

    def near_miss(self, query):
        """PostgreSQL: titles similar to the typed text (pg_trgm)."""
        if self.vendor != "postgresql":
            return None
        text = normalise(query.text)
        if len(text) < 3:
            return None
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT e.id, e.key, e.attributes, e.boost, similarity(p.title_{query.language}, %s) AS s "
                f"FROM {PG_TABLE} p JOIN ovi_search_searchentry e ON e.id = p.entry_id "
                # `%%` is pg_trgm's similarity operator (threshold
                # pg_trgm.similarity_threshold, 0.3 by default); it uses the GIN index.
                f"WHERE p.title_{query.language} %% %s{self._visibility_sql(query.professional)}",
                [text, text],
            )
            rows = [(i, k, a, s, b) for i, k, a, b, s in cursor.fetchall()]
        if not rows:
            return None
        return self._finish(query, rows, browse=False)

    def _finish(self, query, rows, browse):
        """Filters, facet counts, sorting and the page, over the matched rows."""
        minute = query.minute_of_week() if query.open_now else None
        kept = []
        facet_counts = {facet: Counter() for facet in query.facets}
        for entry_id, key, attributes, score, boost in rows:
            if isinstance(attributes, str):  # SQLite returns JSON as text
                attributes = json.loads(attributes)
            if query.filters_by_area and not serves_area(
                attributes, query.serves_municipality, query.serves_county
            ):
                continue
            if minute is not None and not is_open(attributes, minute):
                continue
            failing = failing_facets(attributes, query.filters)
            # Disjunctive facets: a facet's counts ignore the facet's own filter,
            # so the tabs and checkboxes show what choosing another value gives.
            for facet in query.facets:
                if not failing - {facet}:
                    for value in set(attributes.get("facets", {}).get(facet, [])):
                        facet_counts[facet][value] += 1
            if failing:
                continue
            distance = nearest_distance_m(attributes.get("locations"), query.near) if query.near else None
            relevance = float(score) * float(boost or 1.0)
            title = attributes.get("titles", {}).get(query.language, "")
            kept.append((entry_id, key, relevance, float(boost or 1.0), title, distance))
        if query.sort == DISTANCE:
            kept.sort(key=lambda r: (r[5] is None, r[5] if r[5] is not None else 0, -r[2], r[1]))
        elif browse:
            kept.sort(key=lambda r: (-r[3], r[4], r[1]))
        else:
            kept.sort(key=lambda r: (-r[2], r[4], r[1]))
        page = kept[query.offset : query.offset + query.page_size]
        documents = dict(
            SearchEntry.objects.filter(id__in=[r[0] for r in page]).values_list("id", "document")
        )
        hits = [(documents[r[0]], r[2]) for r in page if r[0] in documents]
        return Match(count=len(kept), hits=hits, facets=facet_counts)

    # Autocomplete ---------------------------------------------------------

    def match_prefix(self, prefix_query):
        language = prefix_query.language
        visibility = self._visibility_sql(prefix_query.professional)
        with connection.cursor() as cursor:
            if self.vendor == "sqlite":
                parts = ["(" + " OR ".join(_fts_quote(t) for t in word) + ")" for word in prefix_query.words]
                parts.append(_fts_quote(prefix_query.partial) + " *")
                expression = "{prefix_" + language + "} : (" + " AND ".join(parts) + ")"
                cursor.execute(
                    f"SELECT e.document FROM {FTS_TABLE} JOIN ovi_search_searchentry e "
                    f"ON e.id = {FTS_TABLE}.rowid WHERE {FTS_TABLE} MATCH %s{visibility} "
                    f"ORDER BY e.boost DESC, length({FTS_TABLE}.prefix_{language}), e.key LIMIT %s",
                    [expression, prefix_query.limit],
                )
            else:
                conditions, params = [], []
                for word in prefix_query.words:
                    conditions.append("(" + " || ".join(["plainto_tsquery('simple', %s)"] * len(word)) + ")")
                    params.extend(word)
                # quote_literal makes the partial word one quoted lexeme; ':*' asks for the prefix.
                conditions.append("to_tsquery('simple', quote_literal(%s) || ':*')")
                params.append(prefix_query.partial)
                cursor.execute(
                    f"SELECT e.document FROM {PG_TABLE} p JOIN ovi_search_searchentry e ON e.id = p.entry_id "
                    f"WHERE p.prefix_{language} @@ ({' && '.join(conditions)}){visibility} "
                    f"ORDER BY e.boost DESC, length(p.title_{language}), e.key LIMIT %s",
                    [*params, prefix_query.limit],
                )
            rows = cursor.fetchall()
        return [json.loads(row[0]) if isinstance(row[0], str) else row[0] for row in rows]
