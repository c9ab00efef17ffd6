"""The database engine: the embedded default, and the fallback when
Elasticsearch is down.

SQLite: FTS5 virtual tables over the analysed terms (rowid = SearchEntry.id),
ranked with bm25: one table per language and audience (public: title and
text; all: with the professional text too) and one of autocomplete prefixes.
A document whose title alone has every query word scores TITLE_MATCH_BOOST
times more. PostgreSQL: tsvector columns made with the 'simple'
configuration over the analysed terms (the analysis already happened in
Python), ranked with ts_rank, plus pg_trgm similarity on titles for
near-misses and on the vocabulary for "did you mean".

Everything happens in SQL: the text match gives candidates, and filters,
disjunctive facet counts, sorting and paging run over narrow filter tables
(search.models.SearchRow, SearchValue, SearchOpenInterval, SearchPoint) that
the engine writes with each entry; only the page's documents are read from
the wide entry table (docs/benchmarks.md has the measurements behind this).

No user text reaches SQL except as parameters: FTS5 MATCH expressions are
built from analysed terms, each double-quoted; PostgreSQL queries are built
from plainto_tsquery(%s) calls.
"""

import json

from django.db import connection, transaction

from ..analysers import vocabulary_of
from ..analysis import LANGUAGES, normalise
from ..documents import PUBLIC
from ..models import FacetLabel, SearchEntry, SearchOpenInterval, SearchPoint, SearchRow, SearchValue
from ..query import DISTANCE, EARTH_RADIUS_M
from ..vocabulary import apply_deltas
from .base import TITLE_MATCH_BOOST, Match, SearchEngine, prepare

PG_TABLE = "ovi_search_pgfts"
# bm25 weight per field: titles count most.
FIELD_WEIGHTS = {"title": 4.0, "text": 1.0, "pro": 1.0}
# SQLite: FTS5's bm25 normalises by the length of the whole row, so a row holds
# only what one search reads: a language's public fields (anonymous users) or
# its public and professional fields (professionals), as the tsvector columns do
# on PostgreSQL. In one row with every language and field, long fallback texts
# and contact lists pushed a document below shorter ones that matched worse
# ("Siun sote" did not find the organisation of that name).
FTS_SCOPES = {"public": ("title", "text"), "all": ("title", "text", "pro")}
FTS_PREFIX_TABLE = "ovi_search_fts_prefix"
FTS_PREFIX_COLUMNS = [f"prefix_{language}" for language in LANGUAGES]
LEGACY_FTS_TABLE = "ovi_search_fts"  # the one-table layout of migration 0002 (0004 replaces it)
FTS_TOKENIZER = "tokenize = 'unicode61 remove_diacritics 0'"


def fts_table(scope, language):
    return f"ovi_search_fts_{scope}_{language}"


def fts_tables():
    return [fts_table(scope, language) for language in LANGUAGES for scope in FTS_SCOPES] + [FTS_PREFIX_TABLE]


def pg_vector_table(scope, language):
    """PostgreSQL: the tsvectors a search ranks (FTS_SCOPES), a narrow table per
    language and audience, as on SQLite."""
    return f"ovi_search_pgvector_{scope}_{language}"


def pg_vector_tables():
    return [pg_vector_table(scope, language) for language in LANGUAGES for scope in FTS_SCOPES]


def pg_tables():
    return [PG_TABLE, *pg_vector_tables()]


# --- schema (used by migrations 0002 and 0004) --------------------------------


def create_fulltext_tables(schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        for language in LANGUAGES:
            for scope, fields in FTS_SCOPES.items():
                schema_editor.execute(
                    f"CREATE VIRTUAL TABLE IF NOT EXISTS {fts_table(scope, language)} "
                    f"USING fts5({', '.join(fields)}, {FTS_TOKENIZER})"
                )
        schema_editor.execute(
            f"CREATE VIRTUAL TABLE IF NOT EXISTS {FTS_PREFIX_TABLE} "
            f"USING fts5({', '.join(FTS_PREFIX_COLUMNS)}, {FTS_TOKENIZER}, prefix = '2 3 4')"
        )
    elif vendor == "postgresql":
        schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        columns = []
        for language in LANGUAGES:
            columns += [f"prefix_{language} tsvector", f"title_{language} text"]
        # No foreign key: Django's test flush truncates SearchEntry without
        # CASCADE. Rows are removed with their entries by the engine, and
        # queries join on the entry table, so a leftover row is never seen.
        schema_editor.execute(
            f"CREATE TABLE IF NOT EXISTS {PG_TABLE} (entry_id bigint PRIMARY KEY, {', '.join(columns)})"
        )
        for language in LANGUAGES:
            schema_editor.execute(
                f"CREATE INDEX IF NOT EXISTS {PG_TABLE}_prefix_{language} ON {PG_TABLE} USING gin (prefix_{language})"
            )
            schema_editor.execute(
                f"CREATE INDEX IF NOT EXISTS {PG_TABLE}_title_{language}_trgm "
                f"ON {PG_TABLE} USING gin (title_{language} gin_trgm_ops)"
            )
        create_pg_vector_tables(schema_editor)
        schema_editor.execute(
            "CREATE INDEX IF NOT EXISTS ovi_search_searchterm_trgm "
            "ON ovi_search_searchterm USING gin (term gin_trgm_ops)"
        )
    else:
        raise NotImplementedError(f"the database search engine does not support {vendor}")


def drop_fulltext_tables(schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        for table in [*fts_tables(), LEGACY_FTS_TABLE]:
            schema_editor.execute(f"DROP TABLE IF EXISTS {table}")
    elif vendor == "postgresql":
        for table in pg_tables():
            schema_editor.execute(f"DROP TABLE IF EXISTS {table}")
        schema_editor.execute("DROP INDEX IF EXISTS ovi_search_searchterm_trgm")


def create_pg_vector_tables(schema_editor):
    for table in pg_vector_tables():
        # toast_tuple_target: a vector of a few kB stays in its row instead of
        # going to TOAST; ranking 14,000 matches read from TOAST took 4x longer.
        # `title`: the title's terms alone, for the title-match boost (_text_candidates).
        schema_editor.execute(
            f"CREATE TABLE IF NOT EXISTS {table} (entry_id bigint PRIMARY KEY, vector tsvector NOT NULL, "
            "title tsvector NOT NULL) WITH (toast_tuple_target = 8160)"
        )
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {table}_vector ON {table} USING gin (vector)")


def split_pg_fulltext(schema_editor):
    """Migration 0006 (PostgreSQL): the public_<language> and all_<language>
    vectors move from columns of the one side table to a narrow table each
    (pg_vector_table), keeping their contents. Ranking reads only the vectors it
    needs, from the row instead of TOAST. SQLite: nothing changes."""
    if schema_editor.connection.vendor != "postgresql":
        return
    create_pg_vector_tables(schema_editor)
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(
            "SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema() "
            "AND table_name = %s",
            [PG_TABLE],
        )
        existing = {row[0] for row in cursor.fetchall()}
    for language in LANGUAGES:
        for scope in FTS_SCOPES:
            column = f"{scope}_{language}"
            if column in existing:
                schema_editor.execute(
                    f"INSERT INTO {pg_vector_table(scope, language)} (entry_id, vector, title) "
                    f"SELECT p.entry_id, p.{column}, to_tsvector('simple', coalesce(e.terms -> %s ->> 'title', '')) "
                    f"FROM {PG_TABLE} p JOIN ovi_search_searchentry e ON e.id = p.entry_id "
                    f"WHERE p.{column} IS NOT NULL ON CONFLICT (entry_id) DO NOTHING",
                    [language],
                )
                schema_editor.execute(f"ALTER TABLE {PG_TABLE} DROP COLUMN {column}")


def relayout_sqlite_fulltext(schema_editor, entries):
    """Migration 0004: from the one-table layout to the tables above, filled from
    the stored terms of `entries` ([(entry id, terms)]), so no rebuild is needed."""
    if schema_editor.connection.vendor != "sqlite":
        return
    schema_editor.execute(f"DROP TABLE IF EXISTS {LEGACY_FTS_TABLE}")
    create_fulltext_tables(schema_editor)
    with schema_editor.connection.cursor() as cursor:
        for entry_id, terms in entries:
            _write_sqlite_fulltext(cursor, entry_id, terms)


def _write_sqlite_fulltext(cursor, entry_id, terms):
    # DELETE first: a row may be left over for this rowid (see
    # create_fulltext_tables about test flushes).
    for table in fts_tables():
        cursor.execute(f"DELETE FROM {table} WHERE rowid = %s", [entry_id])
    for language in LANGUAGES:
        for scope, fields in FTS_SCOPES.items():
            cursor.execute(
                f"INSERT INTO {fts_table(scope, language)} (rowid, {', '.join(fields)}) "
                f"VALUES (%s{', %s' * len(fields)})",
                [entry_id, *(terms[language][field] for field in fields)],
            )
    cursor.execute(
        f"INSERT INTO {FTS_PREFIX_TABLE} (rowid, {', '.join(FTS_PREFIX_COLUMNS)}) "
        f"VALUES (%s{', %s' * len(LANGUAGES)})",
        [entry_id, *(terms[language]["prefix"] for language in LANGUAGES)],
    )


def _pg_fulltext_writes(rows):
    """[(statement, [parameters per entry])] that write (or replace) the PostgreSQL
    side-table rows of [(entry id, terms, titles)]."""
    columns, expressions = ["entry_id"], ["%s"]
    for language in LANGUAGES:
        columns += [f"prefix_{language}", f"title_{language}"]
        expressions += ["to_tsvector('simple', %s)", "%s"]
    updates = ", ".join(f"{column} = EXCLUDED.{column}" for column in columns[1:])
    writes = [
        (
            f"INSERT INTO {PG_TABLE} ({', '.join(columns)}) VALUES ({', '.join(expressions)}) "
            f"ON CONFLICT (entry_id) DO UPDATE SET {updates}",
            [
                [entry_id, *(value for language in LANGUAGES for value in (terms[language]["prefix"], titles[language]))]
                for entry_id, terms, titles in rows
            ],
        )
    ]
    # Titles weigh A, text B, professional text C (ts_rank's weights; see _text_candidates).
    weighted = {"title": "A", "text": "B", "pro": "C"}
    for language in LANGUAGES:
        for scope, fields in FTS_SCOPES.items():
            vector = " || ".join(f"setweight(to_tsvector('simple', %s), '{weighted[field]}')" for field in fields)
            writes.append(
                (
                    f"INSERT INTO {pg_vector_table(scope, language)} (entry_id, vector, title) "
                    f"VALUES (%s, {vector}, to_tsvector('simple', %s)) "
                    "ON CONFLICT (entry_id) DO UPDATE SET vector = EXCLUDED.vector, title = EXCLUDED.title",
                    [
                        [entry_id, *(terms[language][field] for field in fields), terms[language]["title"]]
                        for entry_id, terms, _ in rows
                    ],
                )
            )
    return writes


def _insert_sqlite_fulltext(cursor, rows):
    """Full-text rows of entries new to an emptied index ([(entry id, terms)]):
    one executemany per table, no DELETEs (rebuild; compare _write_sqlite_fulltext)."""
    for language in LANGUAGES:
        for scope, fields in FTS_SCOPES.items():
            cursor.executemany(
                f"INSERT INTO {fts_table(scope, language)} (rowid, {', '.join(fields)}) "
                f"VALUES (%s{', %s' * len(fields)})",
                [[entry_id, *(terms[language][field] for field in fields)] for entry_id, terms in rows],
            )
    cursor.executemany(
        f"INSERT INTO {FTS_PREFIX_TABLE} (rowid, {', '.join(FTS_PREFIX_COLUMNS)}) "
        f"VALUES (%s{', %s' * len(LANGUAGES)})",
        [[entry_id, *(terms[language]["prefix"] for language in LANGUAGES)] for entry_id, terms in rows],
    )


# --- filter tables (search.models.SearchRow, SearchValue, SearchOpenInterval, SearchPoint) ------

ROW_TABLE = SearchRow._meta.db_table
VALUE_TABLE = SearchValue._meta.db_table
OPEN_TABLE = SearchOpenInterval._meta.db_table
POINT_TABLE = SearchPoint._meta.db_table
FILTER_TABLES = (ROW_TABLE, VALUE_TABLE, OPEN_TABLE, POINT_TABLE)
AREA = "@area"  # SearchValue name of the places an entry's area lists ("@" never starts a facet name)
DELETE_CHUNK = 500
MINUTES_PER_DAY = 24 * 60


def write_filter_rows(cursor, entries):
    """Insert the filter-table rows of entries that have none:
    [(entry id, key, visibility, boost, attributes)], attributes as
    query.document_attributes makes them (a dict, or its JSON text)."""
    rows, values, intervals, points = [], [], [], []
    for entry_id, key, visibility, boost, attributes in entries:
        if isinstance(attributes, str):
            attributes = json.loads(attributes)
        area = attributes.get("area")
        titles = attributes.get("titles") or {}
        rows.append(
            [
                entry_id,
                key,
                visibility == PUBLIC,
                float(boost or 1.0),
                area is None or bool(area.get("whole_country")),
                bool(attributes.get("always_open")),
                *(titles.get(language, "") for language in LANGUAGES),
            ]
        )
        pairs = {(name, str(value)) for name, names in (attributes.get("facets") or {}).items() for value in names}
        if area:
            pairs.update((AREA, f"m:{code}") for code in area.get("municipalities") or [])
            pairs.update((AREA, f"c:{code}") for code in area.get("counties") or [])
        values.extend([entry_id, name, value] for name, value in sorted(pairs))
        intervals.extend([entry_id, *piece] for start, end in attributes.get("open_intervals") or []
                         for piece in _day_pieces(int(start), int(end)))
        points.extend([entry_id, float(lat), float(lon)] for lat, lon in attributes.get("locations") or [])
    for table, columns, batch in (
        (ROW_TABLE, "entry_id, key, public, boost, anywhere, always_open, title_fi, title_sv, title_en", rows),
        (VALUE_TABLE, "entry_id, name, value", values),
        (OPEN_TABLE, "entry_id, day, start_minute, end_minute", intervals),
        (POINT_TABLE, "entry_id, latitude, longitude", points),
    ):
        if batch:
            placeholders = ", ".join(["%s"] * len(batch[0]))
            cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({placeholders})", batch)


def _day_pieces(start, end):
    """[(day, start, end)] of a [start, end) interval in minutes of the week, cut
    at midnights, so "open now" looks at one day's intervals (an index range)."""
    pieces = []
    while start < end:
        day = start // MINUTES_PER_DAY
        piece_end = min(end, (day + 1) * MINUTES_PER_DAY)
        pieces.append((day, start, piece_end))
        start = piece_end
    return pieces


def delete_filter_rows(cursor, entry_ids):
    entry_ids = list(entry_ids)
    for start in range(0, len(entry_ids), DELETE_CHUNK):
        chunk = entry_ids[start : start + DELETE_CHUNK]
        for table in FILTER_TABLES:
            cursor.execute(f"DELETE FROM {table} WHERE entry_id IN ({_placeholders(chunk)})", chunk)


def _placeholders(values):
    return ", ".join(["%s"] * len(values))


class _FilteredSearch:
    """The SQL of one search over the filter tables, as one statement: CTE `m`
    holds the candidates that pass visibility, "serves my area" and "open now"
    (with relevance, boost, key and title for sorting), `k` those that also pass
    the facet filters; then the count, the disjunctive facet counts and the
    page's rows. Facet filters are `IN (SELECT entry_id ...)` conditions on the
    (name, value, entry_id) index.

    Result rows: (part, name, value, number, relevance, title, key, distance, boost):
    part 0 has the count in `number`, part 1 a facet value's count, part 2 a row
    of the page (the entry id in `number`; PAGE_ORDER sorts them)."""

    NULL_TEXT = "CAST(NULL AS TEXT)"
    NULL_FLOAT = "CAST(NULL AS FLOAT)"

    def __init__(self, vendor, query, candidates):
        self.vendor = vendor
        self.query = query
        where, params = [], []
        if not query.professional:
            where.append("r.public")
        if query.filters_by_area:
            places = [f"m:{query.serves_municipality}"] if query.serves_municipality is not None else []
            places += [f"c:{query.serves_county}"] if query.serves_county is not None else []
            where.append(
                f"(r.anywhere OR r.entry_id IN (SELECT entry_id FROM {VALUE_TABLE} "
                f"WHERE name = %s AND value IN ({_placeholders(places)})))"
            )
            params += [AREA, *places]
        if query.open_now:
            minute = query.minute_of_week()
            where.append(
                f"(r.always_open OR r.entry_id IN (SELECT entry_id FROM {OPEN_TABLE} "
                "WHERE day = %s AND start_minute <= %s AND %s < end_minute))"
            )
            params += [minute // MINUTES_PER_DAY, minute, minute]
        if candidates is None:
            source, score, candidate_params = f"{ROW_TABLE} r", "0.0", []
        else:
            candidate_sql, candidate_params = candidates
            # PostgreSQL: OFFSET 0 keeps the subquery whole, so scores are computed
            # before the join, which then carries ids and scores, not the vectors.
            fence = " OFFSET 0" if vendor == "postgresql" else ""
            source, score = f"({candidate_sql}{fence}) c JOIN {ROW_TABLE} r ON r.entry_id = c.id", "c.score"
        every, every_params = self._facet_filters("m")
        self.ctes = (
            f"WITH m AS (SELECT r.entry_id AS id, {score} * r.boost AS relevance, r.boost AS boost, "
            f"r.key AS key, r.title_{query.language} AS title FROM {source} WHERE {' AND '.join(where) or '1 = 1'}), "
            f"k AS (SELECT * FROM m WHERE {every})"
        )
        self.cte_params = [*candidate_params, *params, *every_params]
        # Sort like Python compares strings (by code point), whatever the database's collation.
        self.collate = ' COLLATE "C"' if vendor == "postgresql" else ""

    def _facet_filters(self, alias, exclude=None):
        conditions, params = [], []
        for name, values in self.query.filters.items():
            if name != exclude:
                conditions.append(
                    f"{alias}.id IN (SELECT entry_id FROM {VALUE_TABLE} "
                    f"WHERE name = %s AND value IN ({_placeholders(values)}))"
                )
                params += [name, *values]
        return " AND ".join(conditions) or "1 = 1", params

    def statement(self, browse):
        query = self.query
        no_sort = f"{self.NULL_FLOAT}, {self.NULL_TEXT}, {self.NULL_TEXT}, {self.NULL_FLOAT}, {self.NULL_FLOAT}"
        parts = [f"SELECT 0, {self.NULL_TEXT}, {self.NULL_TEXT}, count(*), {no_sort} FROM k"]
        params = []
        # A facet's counts ignore its own filter (disjunctive facets), so the tabs
        # and checkboxes show what choosing another value gives. CROSS JOIN:
        # SQLite takes the tables in the order written (the candidates outside),
        # the fast order whatever its statistics say.
        free = [facet for facet in query.facets if facet not in query.filters]
        if free:
            parts.append(
                f"SELECT 1, f.name, f.value, count(*), {no_sort} FROM k CROSS JOIN {VALUE_TABLE} f "
                f"WHERE f.entry_id = k.id AND f.name IN ({_placeholders(free)}) GROUP BY f.name, f.value"
            )
            params += free
        for facet in query.facets:
            if facet in query.filters:
                others, others_params = self._facet_filters("m", exclude=facet)
                parts.append(
                    f"SELECT 1, f.name, f.value, count(*), {no_sort} FROM m CROSS JOIN {VALUE_TABLE} f "
                    f"WHERE f.entry_id = m.id AND f.name = %s AND {others} GROUP BY f.name, f.value"
                )
                params += [facet, *others_params]
        collate = self.collate
        if query.sort == DISTANCE:
            lat, lon = query.near
            # Haversine, as query.haversine_m, to the nearest of the entry's points.
            distance = (
                f"(SELECT min(2 * {EARTH_RADIUS_M} * asin(sqrt(power(sin(radians(p.latitude - %s) / 2), 2) "
                "+ cos(radians(%s)) * cos(radians(p.latitude)) * power(sin(radians(p.longitude - %s) / 2), 2)))) "
                f"FROM {POINT_TABLE} p WHERE p.entry_id = k.id)"
            )
            page = (
                f"SELECT 2, {self.NULL_TEXT}, {self.NULL_TEXT}, id, relevance, title, key, distance, boost FROM "
                f"(SELECT k.*, {distance} AS distance FROM k) d "
                f"ORDER BY (distance IS NULL), distance, relevance DESC, key{collate} LIMIT %s OFFSET %s"
            )
            page_params = [lat, lat, lon]
        else:
            first = "k.boost DESC" if browse else "k.relevance DESC"
            page = (
                f"SELECT 2, {self.NULL_TEXT}, {self.NULL_TEXT}, k.id, k.relevance, k.title, k.key, "
                f"{self.NULL_FLOAT}, k.boost FROM k ORDER BY {first}, k.title{collate}, k.key{collate} LIMIT %s OFFSET %s"
            )
            page_params = []
        parts.append(f"SELECT * FROM ({page}) page")
        params += [*page_params, query.page_size, query.offset]
        return f"{self.ctes} {' UNION ALL '.join(parts)}", [*self.cte_params, *params]

    def page_order(self, browse):
        """The page's sort key in Python (the statement's ORDER BY, for its rows)."""
        if self.query.sort == DISTANCE:
            return lambda r: (r[7] is None, r[7] if r[7] is not None else 0, -r[4], r[6])
        if browse:
            return lambda r: (-r[8], r[5], r[6])
        return lambda r: (-r[4], r[5], r[6])


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
                self._write_fulltext(entry.id, item.terms, item.attributes["titles"])
                changes.append((old_vocabulary, vocabulary_of(item.terms, entry.visibility)))
                saved.append((entry.id, entry.key, entry.visibility, entry.boost, item.attributes))
            with connection.cursor() as cursor:
                delete_filter_rows(cursor, [row[0] for row in saved])
                write_filter_rows(cursor, saved)
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
                )
                if self.vendor == "sqlite":
                    _insert_sqlite_fulltext(cursor, [(entry.id, entry.terms) for entry in entries])
                else:
                    rows = [(entry.id, entry.terms, item.attributes["titles"]) for entry, item in zip(entries, prepared)]
                    for statement, parameters in _pg_fulltext_writes(rows):
                        cursor.executemany(statement, parameters)
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
            self._delete_fulltext([entry.id for entry in entries])
            with connection.cursor() as cursor:
                delete_filter_rows(cursor, [entry.id for entry in entries])
            apply_deltas([(vocabulary_of(entry.terms, entry.visibility), {}) for entry in entries])
            SearchEntry.objects.filter(id__in=[entry.id for entry in entries]).delete()

    def clear(self):
        """Remove every entry (rebuild starts from here)."""
        from ..models import SearchTerm

        with transaction.atomic():
            with connection.cursor() as cursor:
                for table in self._side_tables():
                    cursor.execute(f"DELETE FROM {table}")
            SearchEntry.objects.all().delete()
            SearchTerm.objects.all().delete()

    def update_statistics(self):
        """Refresh the query planner's statistics of the search tables (after a
        rebuild: plans made for an empty index are poor for a full one)."""
        tables = ["ovi_search_searchentry", *FILTER_TABLES] + (pg_tables() if self.vendor == "postgresql" else [])
        with connection.cursor() as cursor:
            for table in tables:
                cursor.execute(f"ANALYZE {table}")

    def _side_tables(self):
        return [*(fts_tables() if self.vendor == "sqlite" else pg_tables()), *FILTER_TABLES]

    def _write_fulltext(self, entry_id, terms, titles):
        with connection.cursor() as cursor:
            if self.vendor == "sqlite":
                _write_sqlite_fulltext(cursor, entry_id, terms)
            else:
                for statement, parameters in _pg_fulltext_writes([(entry_id, terms, titles)]):
                    cursor.execute(statement, parameters[0])

    def _delete_fulltext(self, entry_ids):
        with connection.cursor() as cursor:
            for entry_id in entry_ids:
                if self.vendor == "sqlite":
                    for table in fts_tables():
                        cursor.execute(f"DELETE FROM {table} WHERE rowid = %s", [entry_id])
                else:
                    for table in pg_tables():
                        cursor.execute(f"DELETE FROM {table} WHERE entry_id = %s", [entry_id])

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

    def _text_candidates(self, query, groups, require_all):
        """(SQL selecting `id, score` of the entries the text matches, parameters).

        A title that has every word of the query on its own is the best sign
        that the document is what was asked for ("Siun sote", "youth work
        Joensuu"): its score is multiplied by TITLE_MATCH_BOOST.
        """
        if self.vendor == "sqlite":
            scope = "all" if query.professional else "public"
            table = fts_table(scope, query.language)
            weights = ", ".join(str(FIELD_WEIGHTS[field]) for field in FTS_SCOPES[scope])
            title_factor, params = "1.0", []
            if require_all:
                title_factor = (
                    f"CASE WHEN {table}.rowid IN (SELECT rowid FROM {table} WHERE {table} MATCH %s) "
                    f"THEN {TITLE_MATCH_BOOST} ELSE 1.0 END"
                )
                params.append("{title} : (" + self._fts_expression(groups, True) + ")")
            params.append(self._fts_expression(groups, require_all))
            return (
                f"SELECT {table}.rowid AS id, -bm25({table}, {weights}) * {title_factor} AS score "
                f"FROM {table} WHERE {table} MATCH %s",
                params,
            )
        table = pg_vector_table("all" if query.professional else "public", query.language)
        tsquery, params = self._tsquery(groups, require_all)
        title_factor = "1.0"
        if require_all:
            title_factor = f"CASE WHEN v.title @@ q.query THEN {TITLE_MATCH_BOOST} ELSE 1.0 END"
        return (
            f"SELECT v.entry_id AS id, ts_rank(v.vector, q.query) * {title_factor} AS score "
            f"FROM {table} v, (SELECT {tsquery} AS query) q WHERE v.vector @@ q.query",
            params,
        )

    @staticmethod
    def _fts_expression(groups, require_all):
        group_expressions = []
        for group in groups:
            alternatives = [
                "(" + " AND ".join(_fts_quote(term) for term in alternative) + ")"
                for alternative in group.alternatives
            ]
            group_expressions.append("(" + " OR ".join(alternatives) + ")")
        return (" AND " if require_all else " OR ").join(group_expressions)

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
        candidates = self._text_candidates(query, groups, require_all) if groups else None
        return self._filtered(query, candidates, browse=not groups)

    def near_miss(self, query):
        """PostgreSQL: titles similar to the typed text (pg_trgm)."""
        if self.vendor != "postgresql":
            return None
        text = normalise(query.text)
        if len(text) < 3:
            return None
        title = f"p.title_{query.language}"
        candidates = (
            # `%%` is pg_trgm's similarity operator (threshold
            # pg_trgm.similarity_threshold, 0.3 by default); it uses the GIN index.
            f"SELECT p.entry_id AS id, similarity({title}, %s) AS score FROM {PG_TABLE} p WHERE {title} %% %s",
            [text, text],
        )
        visible = "" if query.professional else " AND r.public"
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT EXISTS (SELECT 1 FROM ({candidates[0]}) c JOIN {ROW_TABLE} r ON r.entry_id = c.id "
                f"WHERE 1 = 1{visible})",
                candidates[1],
            )
            if not cursor.fetchone()[0]:
                return None
        return self._filtered(query, candidates, browse=False)

    def _filtered(self, query, candidates, browse):
        """Filters, disjunctive facet counts, sorting and the page, in one SQL
        statement over the candidates ((SQL selecting `id, score`, parameters);
        None: every entry)."""
        sql = _FilteredSearch(self.vendor, query, candidates)
        count, facets, page = 0, {facet: {} for facet in query.facets}, []
        with transaction.atomic(), connection.cursor() as cursor:
            if self.vendor == "postgresql":
                # JIT compilation takes longer than these statements (and their
                # cost estimates can be high enough to trigger it).
                cursor.execute("SET LOCAL jit = off")
            cursor.execute(*sql.statement(browse))
            for row in cursor.fetchall():
                if row[0] == 0:
                    count = row[3]
                elif row[0] == 1:
                    facets[row[1]][row[2]] = row[3]
                else:
                    page.append(row)
        page.sort(key=sql.page_order(browse))
        documents = dict(SearchEntry.objects.filter(id__in=[row[3] for row in page]).values_list("id", "document"))
        hits = [(documents[row[3]], row[4]) for row in page if row[3] in documents]
        return Match(count=count, hits=hits, facets=facets)

    # Autocomplete ---------------------------------------------------------

    def match_prefix(self, prefix_query):
        """Ids are chosen over the narrow SearchRow (visibility, boost, key); only
        the suggestions' documents are read from the entry table."""
        language = prefix_query.language
        visibility = "" if prefix_query.professional else " AND r.public"
        with transaction.atomic(), connection.cursor() as cursor:
            if self.vendor == "sqlite":
                parts = ["(" + " OR ".join(_fts_quote(t) for t in word) + ")" for word in prefix_query.words]
                parts.append(_fts_quote(prefix_query.partial) + " *")
                expression = "{prefix_" + language + "} : (" + " AND ".join(parts) + ")"
                cursor.execute(
                    f"SELECT r.entry_id FROM {FTS_PREFIX_TABLE} JOIN {ROW_TABLE} r "
                    f"ON r.entry_id = {FTS_PREFIX_TABLE}.rowid WHERE {FTS_PREFIX_TABLE} MATCH %s{visibility} "
                    f"ORDER BY r.boost DESC, length({FTS_PREFIX_TABLE}.prefix_{language}), r.key LIMIT %s",
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
                cursor.execute("SET LOCAL jit = off")  # see _filtered
                cursor.execute(
                    # OFFSET 0: match first, then sort the matches (the planner's
                    # guess of few matches made it walk every row in sort order).
                    f"SELECT r.entry_id FROM (SELECT p.entry_id FROM {PG_TABLE} p "
                    f"WHERE p.prefix_{language} @@ ({' && '.join(conditions)}) OFFSET 0) p "
                    f"JOIN {ROW_TABLE} r ON r.entry_id = p.entry_id WHERE 1 = 1{visibility} "
                    f"ORDER BY r.boost DESC, length(r.title_{language}), r.key LIMIT %s",
                    [*params, prefix_query.limit],
                )
            ids = [row[0] for row in cursor.fetchall()]
        documents = dict(SearchEntry.objects.filter(id__in=ids).values_list("id", "document"))
        return [documents[entry_id] for entry_id in ids if entry_id in documents]
