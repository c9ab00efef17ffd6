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
On PostgreSQL the filter fields are also copied onto each vector table, with
facet values and area places as arrays of integer ids (migration 0007), so a
text search is one scan of one table (_PgFilteredSearch).

No user text reaches SQL except as parameters: FTS5 MATCH expressions are
built from analysed terms, each double-quoted; PostgreSQL queries are built
from plainto_tsquery(%s) calls.
"""

import json
import math

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
        # CASCADE. Rows are removed with their entries by the engine, and a
        # TRUNCATE of SearchRow empties these tables (a trigger, migration 0007).
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


# PostgreSQL: the filter fields a search reads, copied onto the vector tables (and
# arrays of facet ids on SearchRow), so a text search is one scan of its vector
# table, with no join and no per-entry look-ups in SearchValue (migration 0007;
# docs/benchmarks.md has the measurements).
PG_FACET_TABLE = "ovi_search_pgfacet"
PG_TRUNCATE_FUNCTION = "ovi_search_truncate_side_tables"
PG_ROW_COLUMNS = (
    # (column, type and default): the vector tables get all of them, SearchRow the arrays.
    ("public", "boolean NOT NULL DEFAULT false"),
    ("boost", "double precision NOT NULL DEFAULT 1.0"),
    ("anywhere", "boolean NOT NULL DEFAULT true"),
    ("always_open", "boolean NOT NULL DEFAULT false"),
    ("key", "text NOT NULL DEFAULT ''"),
    ("sort_title", "text NOT NULL DEFAULT ''"),
    ("facets", "integer[] NOT NULL DEFAULT '{}'"),
    ("areas", "integer[] NOT NULL DEFAULT '{}'"),
)
PG_ARRAY_COLUMNS = ("facets", "areas")


def add_pg_row_columns(schema_editor):
    """Migration 0007 (PostgreSQL): a dictionary of facet values (name, value) ->
    integer id; SearchRow.facets and .areas, the ids of an entry's facet values and
    of the places its area lists (SearchValue's rows as arrays); and the filter
    fields of SearchRow copied onto each vector table. Existing rows are filled
    in, so no rebuild is needed. SQLite: nothing changes."""
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        f"CREATE TABLE IF NOT EXISTS {PG_FACET_TABLE} (id serial PRIMARY KEY, name text NOT NULL, "
        "value text NOT NULL, UNIQUE (name, value))"
    )
    for column in PG_ARRAY_COLUMNS:
        schema_editor.execute(
            f"ALTER TABLE {ROW_TABLE} ADD COLUMN IF NOT EXISTS {column} {dict(PG_ROW_COLUMNS)[column]}"
        )
    # Browsing without text finds its rows by facet value through this index.
    schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {ROW_TABLE}_facets ON {ROW_TABLE} USING gin (facets)")
    # Sorting by distance reads the points around a place (_PgFilteredSearch).
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {POINT_TABLE}_position ON {POINT_TABLE} (latitude, longitude, entry_id)"
    )
    for table in pg_vector_tables():
        for column, definition in PG_ROW_COLUMNS:
            schema_editor.execute(f"ALTER TABLE {table} ADD COLUMN IF NOT EXISTS {column} {definition}")
    # Autocomplete sorts its matches by these (_pg_prefix_statement), read from its own table.
    for column, definition in PG_ROW_COLUMNS[:2] + PG_ROW_COLUMNS[4:5]:
        schema_editor.execute(f"ALTER TABLE {PG_TABLE} ADD COLUMN IF NOT EXISTS {column} {definition}")
    for language in LANGUAGES:
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {PG_TABLE}_suggest_{language} ON {PG_TABLE} "
            f"(boost DESC, length(title_{language}), key)"
        )
    schema_editor.execute(
        f"UPDATE {PG_TABLE} p SET public = r.public, boost = r.boost, key = r.key FROM {ROW_TABLE} r "
        "WHERE r.entry_id = p.entry_id"
    )
    # A TRUNCATE of SearchRow (Django's test flush truncates the model tables)
    # empties these tables too: searches read them without joining SearchRow, so
    # rows left behind would be found.
    side_tables = ", ".join([*pg_tables(), PG_FACET_TABLE])
    schema_editor.execute(
        f"CREATE OR REPLACE FUNCTION {PG_TRUNCATE_FUNCTION}() RETURNS trigger LANGUAGE plpgsql AS "
        f"$$ BEGIN TRUNCATE {side_tables}; RETURN NULL; END $$"
    )
    schema_editor.execute(f"DROP TRIGGER IF EXISTS {PG_TRUNCATE_FUNCTION} ON {ROW_TABLE}")
    schema_editor.execute(
        f"CREATE TRIGGER {PG_TRUNCATE_FUNCTION} AFTER TRUNCATE ON {ROW_TABLE} "
        f"FOR EACH STATEMENT EXECUTE FUNCTION {PG_TRUNCATE_FUNCTION}()"
    )
    schema_editor.execute(
        f"INSERT INTO {PG_FACET_TABLE} (name, value) SELECT DISTINCT name, value FROM {VALUE_TABLE} "
        "ON CONFLICT (name, value) DO NOTHING"
    )
    ids = (
        f"coalesce((SELECT array_agg(d.id ORDER BY d.id) FROM {VALUE_TABLE} v JOIN {PG_FACET_TABLE} d "
        "ON d.name = v.name AND d.value = v.value WHERE v.entry_id = r.entry_id AND v.name {} %s), '{{}}')"
    )
    schema_editor.execute(
        f"UPDATE {ROW_TABLE} r SET facets = {ids.format('<>')}, areas = {ids.format('=')}", [AREA, AREA]
    )
    for language in LANGUAGES:
        for scope in FTS_SCOPES:
            schema_editor.execute(
                f"UPDATE {pg_vector_table(scope, language)} t SET {_pg_row_assignments(language)} "
                f"FROM {ROW_TABLE} r WHERE r.entry_id = t.entry_id"
            )


def remove_pg_row_columns(schema_editor):
    """Migration 0007 backwards."""
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in pg_vector_tables():
        for column, _ in PG_ROW_COLUMNS:
            schema_editor.execute(f"ALTER TABLE {table} DROP COLUMN IF EXISTS {column}")
    for column in ("public", "boost", "key"):
        # (drops the _suggest_<language> indexes too)
        schema_editor.execute(f"ALTER TABLE {PG_TABLE} DROP COLUMN IF EXISTS {column}")
    for column in PG_ARRAY_COLUMNS:
        schema_editor.execute(f"ALTER TABLE {ROW_TABLE} DROP COLUMN IF EXISTS {column}")
    schema_editor.execute(f"DROP TRIGGER IF EXISTS {PG_TRUNCATE_FUNCTION} ON {ROW_TABLE}")
    schema_editor.execute(f"DROP FUNCTION IF EXISTS {PG_TRUNCATE_FUNCTION}()")
    schema_editor.execute(f"DROP TABLE IF EXISTS {PG_FACET_TABLE}")
    schema_editor.execute(f"DROP INDEX IF EXISTS {POINT_TABLE}_position")
    schema_editor.execute(f"DROP INDEX IF EXISTS {ROW_TABLE}_facets")


def _pg_row_values(language):
    """The vector tables' copies of SearchRow's fields, as expressions over SearchRow `r`."""
    return [
        ("public", "r.public"),
        ("boost", "r.boost"),
        ("anywhere", "r.anywhere"),
        ("always_open", "r.always_open"),
        ("key", "r.key"),
        ("sort_title", f"r.title_{language}"),
        ("facets", "r.facets"),
        ("areas", "r.areas"),
    ]


def _pg_row_assignments(language):
    return ", ".join(f"{column} = {value}" for column, value in _pg_row_values(language))


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
    # public, boost and key: copied from the entry's SearchRow (written first), for match_prefix.
    columns, expressions = ["entry_id", "public", "boost", "key"], ["r.entry_id", "r.public", "r.boost", "r.key"]
    for language in LANGUAGES:
        columns += [f"prefix_{language}", f"title_{language}"]
        expressions += ["to_tsvector('simple', %s)", "%s"]
    updates = ", ".join(f"{column} = EXCLUDED.{column}" for column in columns[1:])
    writes = [
        (
            f"INSERT INTO {PG_TABLE} ({', '.join(columns)}) SELECT {', '.join(expressions)} "
            f"FROM {ROW_TABLE} r WHERE r.entry_id = %s ON CONFLICT (entry_id) DO UPDATE SET {updates}",
            [
                [*(value for language in LANGUAGES for value in (terms[language]["prefix"], titles[language])), entry_id]
                for entry_id, terms, titles in rows
            ],
        )
    ]
    # Titles weigh A, text B, professional text C (ts_rank's weights; see _text_candidates).
    # The filter fields are copied from the entry's SearchRow, which must be written first.
    weighted = {"title": "A", "text": "B", "pro": "C"}
    for language in LANGUAGES:
        copied = _pg_row_values(language)
        columns = ", ".join(column for column, _ in copied)
        updates = ", ".join(f"{column} = EXCLUDED.{column}" for column in ("vector", "title", *(c for c, _ in copied)))
        for scope, fields in FTS_SCOPES.items():
            vector = " || ".join(f"setweight(to_tsvector('simple', %s), '{weighted[field]}')" for field in fields)
            writes.append(
                (
                    f"INSERT INTO {pg_vector_table(scope, language)} (entry_id, vector, title, {columns}) "
                    f"SELECT r.entry_id, {vector}, to_tsvector('simple', %s), {', '.join(v for _, v in copied)} "
                    f"FROM {ROW_TABLE} r WHERE r.entry_id = %s "
                    f"ON CONFLICT (entry_id) DO UPDATE SET {updates}",
                    [
                        [*(terms[language][field] for field in fields), terms[language]["title"], entry_id]
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


def write_filter_rows(cursor, entries, pg_arrays=False):
    """Insert the filter-table rows of entries that have none:
    [(entry id, key, visibility, boost, attributes)], attributes as
    query.document_attributes makes them (a dict, or its JSON text).
    pg_arrays (PostgreSQL after migration 0007): SearchRow.facets and .areas too."""
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
    row_columns = "entry_id, key, public, boost, anywhere, always_open, title_fi, title_sv, title_en"
    if pg_arrays and rows:
        row_columns += ", facets, areas"
        _add_pg_facet_ids(cursor, rows, values)
    for table, columns, batch in (
        (ROW_TABLE, row_columns, rows),
        (VALUE_TABLE, "entry_id, name, value", values),
        (OPEN_TABLE, "entry_id, day, start_minute, end_minute", intervals),
        (POINT_TABLE, "entry_id, latitude, longitude", points),
    ):
        if batch:
            placeholders = ", ".join(["%s"] * len(batch[0]))
            cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({placeholders})", batch)


def _add_pg_facet_ids(cursor, rows, values):
    """Append to each SearchRow row the ids (PG_FACET_TABLE) of its facet values
    and of its area's places, adding pairs the dictionary does not have yet."""
    pairs = sorted({(name, value) for _, name, value in values})
    ids = {}
    if pairs:
        names, texts = [name for name, _ in pairs], [value for _, value in pairs]
        cursor.execute(
            f"INSERT INTO {PG_FACET_TABLE} (name, value) SELECT * FROM unnest(%s::text[], %s::text[]) "
            "ON CONFLICT (name, value) DO NOTHING",
            [names, texts],
        )
        cursor.execute(
            f"SELECT d.name, d.value, d.id FROM {PG_FACET_TABLE} d "
            "JOIN unnest(%s::text[], %s::text[]) AS p (name, value) ON d.name = p.name AND d.value = p.value",
            [names, texts],
        )
        ids = {(name, value): facet_id for name, value, facet_id in cursor.fetchall()}
    facets, areas = {}, {}
    for entry_id, name, value in values:
        (areas if name == AREA else facets).setdefault(entry_id, []).append(ids[(name, value)])
    for row in rows:
        row += [sorted(facets.get(row[0], [])), sorted(areas.get(row[0], []))]


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
    # A part that is not a row of the page leaves the sort columns empty.
    NO_SORT = f"{NULL_FLOAT}, {NULL_TEXT}, {NULL_TEXT}, {NULL_FLOAT}, {NULL_FLOAT}"
    COUNT_PART = f"SELECT 0, {NULL_TEXT}, {NULL_TEXT}, count(*), {NO_SORT} FROM k"

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

    def count_parts(self):
        """The count and the facet counts: (parts, parameters).

        A facet's counts ignore its own filter (disjunctive facets), so the tabs
        and checkboxes show what choosing another value gives."""
        parts, params = [self.COUNT_PART], []
        free = [facet for facet in self.query.facets if facet not in self.query.filters]
        if free:
            part, part_params = self.free_facet_counts(free)
            parts.append(part)
            params += part_params
        for facet in self.query.facets:
            if facet in self.query.filters:
                part, part_params = self.chosen_facet_counts(facet)
                parts.append(part)
                params += part_params
        return parts, params

    # CROSS JOIN: SQLite takes the tables in the order written (the candidates
    # outside), the fast order whatever its statistics say.

    def free_facet_counts(self, names):
        """The counts of the facets no filter chose, over the filtered matches k."""
        return (
            f"SELECT 1, f.name, f.value, count(*), {self.NO_SORT} FROM k CROSS JOIN {VALUE_TABLE} f "
            f"WHERE f.entry_id = k.id AND f.name IN ({_placeholders(names)}) GROUP BY f.name, f.value",
            names,
        )

    def chosen_facet_counts(self, facet):
        """The counts of a facet a filter chose, over the matches the other filters let through."""
        others, others_params = self._facet_filters("m", exclude=facet)
        return (
            f"SELECT 1, f.name, f.value, count(*), {self.NO_SORT} FROM m CROSS JOIN {VALUE_TABLE} f "
            f"WHERE f.entry_id = m.id AND f.name = %s AND {others} GROUP BY f.name, f.value",
            [facet, *others_params],
        )

    def statement(self, browse):
        query = self.query
        parts, params = self.count_parts()
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


def _pg_statement_settings(cursor):
    """For the one statement of a search (SET LOCAL: until the transaction ends).
    JIT compilation takes longer than these statements, whose cost estimates can
    be high enough to trigger it; parallel workers cost more to start than they
    save on statements of tens of milliseconds, and take the CPU other requests
    need; work_mem: the candidates, hash tables and facet counts of a broad
    query stay in memory (and a bitmap of its matches exact)."""
    cursor.execute("SET LOCAL jit = off")
    cursor.execute("SET LOCAL max_parallel_workers_per_gather = 0")
    cursor.execute("SET LOCAL work_mem = '32MB'")


# Sorting by distance looks for the page within this radius first (_PgFilteredSearch).
NEAR_RADIUS_M = 10_000


def _bounding_box(lat, lon, radius_m):
    """(min lat, max lat, min lon, max lon) in degrees holding every point within
    radius_m of (lat, lon) (the exact extent of a circle on the sphere, widened
    by 0.1 % against rounding); None near a pole or the antimeridian."""
    angle = radius_m / EARTH_RADIUS_M
    if abs(lat) + math.degrees(angle) >= 89:
        return None
    dlat = math.degrees(angle) * 1.001
    dlon = math.degrees(math.asin(math.sin(angle) / math.cos(math.radians(lat)))) * 1.001
    if abs(lon) + dlon >= 180:
        return None
    return [lat - dlat, lat + dlat, lon - dlon, lon + dlon]


class _PgSource:
    """PostgreSQL: where a search's entries come from. `tables` are joined into
    the FROM clause and give alias `r` with SearchRow's filter columns (public,
    boost, anywhere, always_open, key, facets, areas, entry_id); `condition`
    selects the matches, `score` ranks them, `title` sorts ties. `rescore`:
    (SQL of the score of the entry whose id is put at `{id}`, parameters), to
    rank only the matches that pass the facet filters."""

    def __init__(self, tables, condition, score, title, params, rescore=None):
        self.tables = tables
        self.condition = condition
        self.score = score
        self.title = title
        self.params = params
        self.rescore = rescore


class _PgFilteredSearch(_FilteredSearch):
    """PostgreSQL's statement: the same parts and result rows as _FilteredSearch,
    over columns instead of SearchValue look-ups. Facet filters and "serves my
    area" compare arrays of facet-value ids (SearchRow.facets, .areas and their
    copies on the vector tables, migration 0007) with the ids of the wanted
    values; facet counts unnest those arrays. A text search reads its vector
    table alone (the filter fields are copied there); browsing reads SearchRow,
    whose GIN index on `facets` finds the rows of the chosen facet values."""

    def __init__(self, query, candidates):
        self.vendor = "postgresql"
        self.query = query
        self.collate = ' COLLATE "C"'
        if candidates is None:
            source = _PgSource(f"{ROW_TABLE} r", "", "0.0", f"r.title_{query.language}", [])
        elif isinstance(candidates, _PgSource):
            source = candidates
        else:
            candidate_sql, candidate_params = candidates
            # OFFSET 0 keeps the subquery whole: scores are computed before the join.
            source = _PgSource(
                f"({candidate_sql} OFFSET 0) c JOIN {ROW_TABLE} r ON r.entry_id = c.id",
                "",
                "c.score",
                f"r.title_{query.language}",
                candidate_params,
            )
        where, params = [source.condition] if source.condition else [], []
        if not query.professional:
            where.append("r.public")
        if query.filters_by_area:
            places = [f"m:{query.serves_municipality}"] if query.serves_municipality is not None else []
            places += [f"c:{query.serves_county}"] if query.serves_county is not None else []
            where.append(f"(r.anywhere OR r.areas && {self._ids(len(places))})")
            params += [AREA, *places]
        open_cte, open_params = "", []
        if query.open_now:
            # The entries open now, found once (browsing reads them in each part).
            minute = query.minute_of_week()
            open_cte = (
                f"o AS MATERIALIZED (SELECT entry_id FROM {OPEN_TABLE} "
                "WHERE day = %s AND start_minute <= %s AND %s < end_minute), "
            )
            open_params = [minute // MINUTES_PER_DAY, minute, minute]
            where.append("(r.always_open OR r.entry_id IN (SELECT entry_id FROM o))")
        every, every_params = self._facet_filters("m")
        # Ranking reads each match's whole vector: with facet filters, only the
        # matches that pass them (k) are ranked, each looked up by id, instead of
        # every match (m, which the other facets' counts need).
        score, relevance, relevance_params = source.score, "m.score", []
        if source.rescore and query.filters:
            rescore, relevance_params = source.rescore
            score, relevance = "0.0", rescore.format(id="m.id")
        # Text: the candidates are scored once (MATERIALIZED). Browsing: the
        # conditions go into each part's own scan of SearchRow, where its indexes
        # can find the few rows of a facet value instead of all rows.
        materialized = "NOT MATERIALIZED" if candidates is None else "MATERIALIZED"
        self.ctes = (
            f"WITH {open_cte}m AS {materialized} (SELECT r.entry_id AS id, {score} AS score, r.boost AS boost, "
            f"r.key AS key, {source.title} AS title, r.facets AS facets "
            f"FROM {source.tables} WHERE {' AND '.join(where) or '1 = 1'}), "
            f"k AS {materialized} (SELECT m.id, {relevance} * m.boost AS relevance, m.boost, m.key, m.title, "
            f"m.facets FROM m WHERE {every})"
        )
        self.cte_params = [*open_params, *source.params, *params, *relevance_params, *every_params]

    @staticmethod
    def _ids(count):
        """The ids of a facet's values (parameters: name, values)."""
        return f"ARRAY(SELECT id FROM {PG_FACET_TABLE} WHERE name = %s AND value IN ({', '.join(['%s'] * count)}))"

    def _facet_filters(self, alias, exclude=None):
        conditions, params = [], []
        for name, values in self.query.filters.items():
            if name != exclude:
                conditions.append(f"{alias}.facets && {self._ids(len(values))}")
                params += [name, *values]
        return " AND ".join(conditions) or "1 = 1", params

    def _facet_counts(self, source, names):
        # Count ids first, then name them: the dictionary is joined to hundreds of
        # counts, not to every value of every row.
        return (
            f"SELECT 1, d.name, d.value, c.number, {self.NO_SORT} FROM (SELECT u.id, count(*) AS number "
            f"FROM (SELECT unnest(s.facets) AS id FROM {source}) u GROUP BY u.id) c "
            f"JOIN {PG_FACET_TABLE} d ON d.id = c.id WHERE d.name IN ({_placeholders(names)})"
        )

    def free_facet_counts(self, names):
        return self._facet_counts("k s", names), names

    def chosen_facet_counts(self, facet):
        others, others_params = self._facet_filters("s", exclude=facet)
        return self._facet_counts(f"m s WHERE {others}", [facet]), [*others_params, facet]

    def statement(self, browse):
        query = self.query
        parts, params = self.count_parts()
        collate = self.collate
        ctes, cte_params = self.ctes, self.cte_params
        if query.sort == DISTANCE:
            lat, lon = query.near
            # Haversine, as query.haversine_m, to the nearest of the entry's points.
            haversine = (
                f"2 * {EARTH_RADIUS_M} * asin(sqrt(power(sin(radians(p.latitude - %s) / 2), 2) "
                "+ cos(radians(%s)) * cos(radians(p.latitude)) * power(sin(radians(p.longitude - %s) / 2), 2)))"
            )
            # OFFSET 0: each distance is computed once, not once per use in ORDER BY.
            page = (
                f"SELECT 2, {self.NULL_TEXT}, {self.NULL_TEXT}, id, relevance, title, key, distance, boost FROM "
                f"(SELECT k.id, k.relevance, k.title, k.key, k.boost, (SELECT min({haversine}) FROM {POINT_TABLE} p "
                "WHERE p.entry_id = k.id) AS distance FROM k OFFSET 0) d "
                f"ORDER BY (distance IS NULL), distance, relevance DESC, key{collate} LIMIT %s OFFSET %s"
            )
            page_params = [lat, lat, lon, query.page_size, query.offset]
            box = _bounding_box(lat, lon, NEAR_RADIUS_M)
            if box is not None:
                # Nearest first over thousands of matches: the distances of the
                # matches with a point within NEAR_RADIUS_M (a range of the
                # (latitude, longitude) index) instead of all of them. When they
                # are enough for the page, the page is among them: every other
                # match is farther away. Otherwise the page is computed over all.
                # MATERIALIZED `box`: the points are found by place, then matched
                # to k by hashing (not one look-up per match of k).
                ctes += (
                    f", box AS MATERIALIZED (SELECT entry_id, latitude, longitude FROM {POINT_TABLE} "
                    "WHERE latitude BETWEEN %s AND %s AND longitude BETWEEN %s AND %s), "
                    f"n AS MATERIALIZED (SELECT p.entry_id AS id, min({haversine}) AS distance FROM box p "
                    "WHERE p.entry_id IN (SELECT id FROM k) GROUP BY p.entry_id), "
                    "near AS (SELECT count(*) AS number FROM n WHERE n.distance <= %s)"
                )
                cte_params = [*cte_params, *box, lat, lat, lon, NEAR_RADIUS_M]
                near_page = (
                    f"SELECT 2, {self.NULL_TEXT}, {self.NULL_TEXT}, k.id, k.relevance, k.title, k.key, n.distance, "
                    f"k.boost FROM k JOIN n ON n.id = k.id WHERE n.distance <= %s "
                    f"ORDER BY n.distance, k.relevance DESC, k.key{collate} LIMIT %s OFFSET %s"
                )
                needed = query.offset + query.page_size
                page = (
                    f"SELECT * FROM ({near_page}) near_page WHERE (SELECT number FROM near) >= %s "
                    f"UNION ALL SELECT * FROM ({page}) full_page WHERE (SELECT number FROM near) < %s"
                )
                page_params = [NEAR_RADIUS_M, query.page_size, query.offset, needed, *page_params, needed]
        else:
            first = "k.boost DESC" if browse else "k.relevance DESC"
            page = (
                f"SELECT 2, {self.NULL_TEXT}, {self.NULL_TEXT}, k.id, k.relevance, k.title, k.key, "
                f"{self.NULL_FLOAT}, k.boost FROM k ORDER BY {first}, k.title{collate}, k.key{collate} LIMIT %s OFFSET %s"
            )
            page_params = [query.page_size, query.offset]
        parts.append(f"SELECT * FROM ({page}) page")
        params += page_params
        return f"{ctes} {' UNION ALL '.join(parts)}", [*cte_params, *params]


# Autocomplete looks for its suggestions among this many entries first, in suggestion order.
PREFIX_WALK = 2000


def _pg_prefix_statement(prefix_query, tsquery, params):
    """The suggestions' ids, best first: entries whose prefix vector matches
    `tsquery`, by boost, shorter title, key. The prefix table has the sort fields
    (migration 0007), so there is no join.

    A short prefix ("pe") matches thousands of entries, and sorting them all
    took most of the time; so the first PREFIX_WALK entries in suggestion order
    (an index) are tried first. When enough of them match, they are the answer:
    every other match comes later in that order. Otherwise (a rarer prefix, a
    few matches) the matches are found with the GIN index and sorted."""
    language, limit = prefix_query.language, prefix_query.limit
    order = f"p.boost DESC, length(p.title_{language}), p.key"
    visible = "" if prefix_query.professional else " AND p.public"
    match = f"p.prefix_{language} @@ ({tsquery}){visible}"
    columns = f"p.entry_id, p.boost, length(p.title_{language}) AS length, p.key"
    sql = (
        f"WITH walked AS MATERIALIZED (SELECT {columns} FROM (SELECT * FROM {PG_TABLE} p ORDER BY {order} "
        f"LIMIT {PREFIX_WALK}) p WHERE {match} ORDER BY {order} LIMIT %s), "
        "found AS (SELECT count(*) AS number FROM walked) "
        "SELECT entry_id FROM (SELECT * FROM walked WHERE (SELECT number FROM found) >= %s "
        # OFFSET 0: the matches first (GIN), then sorted; not a walk in suggestion order.
        f"UNION ALL SELECT * FROM (SELECT * FROM (SELECT {columns} FROM {PG_TABLE} p WHERE {match} OFFSET 0) p "
        "ORDER BY p.boost DESC, p.length, p.key LIMIT %s) p "
        "WHERE (SELECT number FROM found) < %s) p ORDER BY p.boost DESC, p.length, p.key"
    )
    return sql, [*params, limit, limit, *params, limit, limit]


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
                changes.append((old_vocabulary, vocabulary_of(item.terms, entry.visibility)))
                saved.append((entry.id, entry.key, entry.visibility, entry.boost, item.attributes))
            with connection.cursor() as cursor:
                delete_filter_rows(cursor, [row[0] for row in saved])
                write_filter_rows(cursor, saved, pg_arrays=self.vendor == "postgresql")
            # After the filter rows: PostgreSQL's vector tables copy their fields.
            for (entry_id, *_), item in zip(saved, prepared):
                self._write_fulltext(entry_id, item.terms, item.attributes["titles"])
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
            tables += [*pg_tables(), PG_FACET_TABLE]
        command = "VACUUM (ANALYZE)" if self.vendor == "postgresql" and not connection.in_atomic_block else "ANALYZE"
        with connection.cursor() as cursor:
            for table in tables:
                cursor.execute(f"{command} {table}")

    def _side_tables(self):
        return [*(fts_tables() if self.vendor == "sqlite" else [*pg_tables(), PG_FACET_TABLE]), *FILTER_TABLES]

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
        """SQLite: (SQL selecting `id, score` of the entries the text matches,
        parameters). PostgreSQL: a _PgSource over the vector table.

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
            title_factor = f"CASE WHEN r.title @@ q.query THEN {TITLE_MATCH_BOOST} ELSE 1.0 END"
        # The vector table carries the filter fields (migration 0007): no join with
        # SearchRow. (Its rows go with their entries: the engine deletes them, and
        # a TRUNCATE of SearchRow, as in a test flush, empties the table.)
        score = f"ts_rank(r.vector, q.query) * {title_factor}"
        return _PgSource(
            f"{table} r, (SELECT {tsquery} AS query) q",
            "r.vector @@ q.query",
            score,
            "r.sort_title",
            params,
            rescore=(
                f"(SELECT {score} FROM {table} r, (SELECT {tsquery} AS query) q WHERE r.entry_id = {{id}})",
                params,
            ),
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
        if self.vendor == "postgresql":
            sql = _PgFilteredSearch(query, candidates)
        else:
            sql = _FilteredSearch(self.vendor, query, candidates)
        count, facets, page = 0, {facet: {} for facet in query.facets}, []
        with transaction.atomic(), connection.cursor() as cursor:
            if self.vendor == "postgresql":
                _pg_statement_settings(cursor)
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
                _pg_statement_settings(cursor)
                cursor.execute(*_pg_prefix_statement(prefix_query, " && ".join(conditions), params))
            ids = [row[0] for row in cursor.fetchall()]
        documents = dict(SearchEntry.objects.filter(id__in=ids).values_list("id", "document"))
        return [documents[entry_id] for entry_id in ids if entry_id in documents]
