"""PostgreSQL: tsvector tables made with the 'simple' configuration over the
terms analysed in Python, one per language and audience, ranked with ts_rank;
pg_trgm similarity on titles for near-misses. The filter fields are copied onto
each vector table, with facet values and area places as arrays of integer ids
(migration 0007), so a text search is one scan of one table (PgFilteredSearch).

No user text reaches SQL except as parameters: queries are built from
plainto_tsquery(%s) calls."""

import math

from django.db import connection

from ...analysis import LANGUAGES, normalise
from ...query import DISTANCE, EARTH_RADIUS_M
from ..base import TITLE_MATCH_BOOST
from .filtered import FilteredSearch
from .rows import placeholders
from .tables import (
    AREA,
    FTS_SCOPES,
    MINUTES_PER_DAY,
    OPEN_TABLE,
    PG_FACET_TABLE,
    PG_TABLE,
    POINT_TABLE,
    ROW_TABLE,
    pg_tables,
    pg_vector_table,
)


def row_values(language):
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


def pg_row_assignments(language):
    return ", ".join(f"{column} = {value}" for column, value in row_values(language))


def fulltext_writes(rows):
    """[(statement, [parameters per entry])] that write (or replace) the PostgreSQL
    side-table rows of [(entry id, terms, titles)]."""
    # public, boost and key: copied from the entry's SearchRow (written first), for match_prefix.
    columns, expressions = (
        ["entry_id", "public", "boost", "key"],
        ["r.entry_id", "r.public", "r.boost", "r.key"],
    )
    for language in LANGUAGES:
        columns += [f"prefix_{language}", f"title_{language}"]
        expressions += ["to_tsvector('simple', %s)", "%s"]
    updates = ", ".join(f"{column} = EXCLUDED.{column}" for column in columns[1:])
    writes = [
        (
            f"INSERT INTO {PG_TABLE} ({', '.join(columns)}) SELECT {', '.join(expressions)} "
            f"FROM {ROW_TABLE} r WHERE r.entry_id = %s ON CONFLICT (entry_id) DO UPDATE SET {updates}",
            [
                [
                    *(
                        value
                        for language in LANGUAGES
                        for value in (terms[language]["prefix"], titles[language])
                    ),
                    entry_id,
                ]
                for entry_id, terms, titles in rows
            ],
        )
    ]
    # Titles weigh A, text B, professional text C (ts_rank's weights; see text_candidates).
    # The filter fields are copied from the entry's SearchRow, which must be written first.
    weighted = {"title": "A", "text": "B", "pro": "C"}
    for language in LANGUAGES:
        copied = row_values(language)
        columns = ", ".join(column for column, _ in copied)
        updates = ", ".join(
            f"{column} = EXCLUDED.{column}" for column in ("vector", "title", *(c for c, _ in copied))
        )
        for scope, fields in FTS_SCOPES.items():
            vector = " || ".join(
                f"setweight(to_tsvector('simple', %s), '{weighted[field]}')" for field in fields
            )
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


def prepare_statement(cursor):
    """For the one statement of a search (SET LOCAL: until the transaction ends).
    JIT compilation takes longer than these statements, whose cost estimates can
    be high enough to trigger it; parallel workers cost more to start than they
    save on statements of tens of milliseconds, and take the CPU other requests
    need; work_mem: the candidates, hash tables and facet counts of a broad
    query stay in memory (and a bitmap of its matches exact)."""
    cursor.execute("SET LOCAL jit = off")
    cursor.execute("SET LOCAL max_parallel_workers_per_gather = 0")
    cursor.execute("SET LOCAL work_mem = '32MB'")


# Sorting by distance looks for the page within this radius first (PgFilteredSearch).
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


class Source:
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


class PgFilteredSearch(FilteredSearch):
    """PostgreSQL's statement: the same parts and result rows as FilteredSearch,
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
            source = Source(f"{ROW_TABLE} r", "", "0.0", f"r.title_{query.language}", [])
        elif isinstance(candidates, Source):
            source = candidates
        else:
            candidate_sql, candidate_params = candidates
            # OFFSET 0 keeps the subquery whole: scores are computed before the join.
            source = Source(
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
            f"JOIN {PG_FACET_TABLE} d ON d.id = c.id WHERE d.name IN ({placeholders(names)})"
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


def prefix_statement(prefix_query, tsquery, params):
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


# --- the engine's PostgreSQL operations (sqlite.py has the same names) ---------


def side_tables():
    return [*pg_tables(), PG_FACET_TABLE]


def write_fulltext(cursor, entry_id, terms, titles):
    """Write (or replace) an entry's rows; its SearchRow must be written first."""
    for statement, parameters in fulltext_writes([(entry_id, terms, titles)]):
        cursor.execute(statement, parameters[0])


def insert_fulltext(cursor, rows):
    """The rows of entries new to an emptied index: [(entry id, terms, titles)]."""
    for statement, parameters in fulltext_writes(rows):
        cursor.executemany(statement, parameters)


def delete_fulltext(cursor, entry_ids):
    for entry_id in entry_ids:
        for table in pg_tables():
            cursor.execute(f"DELETE FROM {table} WHERE entry_id = %s", [entry_id])


def text_candidates(query, languages, require_all):
    """Where a text search's entries come from: each language
    ([analysers.LanguageGroups]) matched in the vector table of its language
    and the query's audience, scores times its weight.

    One language, the query's own: a Source over its vector table (which
    carries the filter fields). Several, or another one: (SQL selecting `id,
    score`, parameters), an entry matched in several languages keeping its
    best score, joined with SearchRow by PgFilteredSearch.

    A title that has every word of the query on its own is the best sign
    that the document is what was asked for ("Siun sote", "youth work
    Joensuu"): its score is multiplied by TITLE_MATCH_BOOST."""
    if len(languages) == 1 and languages[0].language == query.language and not languages[0].own_text_only:
        return _language_source(query, languages[0], require_all)
    parts, params = [], []
    for item in languages:
        source = _language_source(query, item, require_all)
        where, where_params = [source.condition], []
        if not query.professional:
            where.append("r.public")
        if item.own_text_only:
            # Only documents with content of their own in the language (its `language` facet).
            where.append(f"r.facets && ARRAY(SELECT id FROM {PG_FACET_TABLE} WHERE name = %s AND value = %s)")
            where_params += ["language", item.language]
        parts.append(
            f"SELECT r.entry_id AS id, {source.score} AS score FROM {source.tables} WHERE {' AND '.join(where)}"
        )
        params += [*source.params, *where_params]
    if len(parts) == 1:
        return parts[0], params
    return f"SELECT id, max(score) AS score FROM ({' UNION ALL '.join(parts)}) u GROUP BY id", params


def _language_source(query, item, require_all):
    """A Source over the vector table of one language and the query's audience."""
    table = pg_vector_table("all" if query.professional else "public", item.language)
    query_sql, params = tsquery(item.groups, require_all)
    title_factor = "1.0"
    if require_all:
        title_factor = f"CASE WHEN r.title @@ q.query THEN {TITLE_MATCH_BOOST} ELSE 1.0 END"
    # The vector table carries the filter fields (migration 0007): no join with
    # SearchRow. (Its rows go with their entries: the engine deletes them, and
    # a TRUNCATE of SearchRow, as in a test flush, empties the table.)
    score = f"ts_rank(r.vector, q.query) * {title_factor} * {float(item.weight)!r}"
    return Source(
        f"{table} r, (SELECT {query_sql} AS query) q",
        "r.vector @@ q.query",
        score,
        "r.sort_title",
        params,
        rescore=(
            f"(SELECT {score} FROM {table} r, (SELECT {query_sql} AS query) q WHERE r.entry_id = {{id}})",
            params,
        ),
    )


def tsquery(groups, require_all):
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


def near_miss_candidates(query):
    """Titles similar to the typed text (pg_trgm): (SQL selecting `id, score`,
    parameters), or None when nothing visible to the user is similar."""
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
    return candidates


def filtered_search(query, candidates):
    return PgFilteredSearch(query, candidates)


def prefix_ids(cursor, prefix_query):
    """The ids of the autocomplete suggestions, best first."""
    conditions, params = [], []
    for word in prefix_query.words:
        conditions.append("(" + " || ".join(["plainto_tsquery('simple', %s)"] * len(word)) + ")")
        params.extend(word)
    # quote_literal makes the partial word one quoted lexeme; ':*' asks for the prefix.
    conditions.append("to_tsquery('simple', quote_literal(%s) || ':*')")
    params.append(prefix_query.partial)
    prepare_statement(cursor)
    cursor.execute(*prefix_statement(prefix_query, " && ".join(conditions), params))
    return [row[0] for row in cursor.fetchall()]
