"""SQLite: FTS5 virtual tables over the analysed terms (rowid = SearchEntry.id),
ranked with bm25, one per language and audience (public: title and text; all:
with the professional text too), and one of autocomplete prefixes. A document
whose title alone has every query word scores TITLE_MATCH_BOOST times more.

No user text reaches SQL except as parameters: MATCH expressions are built
from analysed terms, each double-quoted (fts_quote)."""

from ...analysis import LANGUAGES
from ..base import TITLE_MATCH_BOOST
from .filtered import FilteredSearch
from .tables import (
    FIELD_WEIGHTS,
    FTS_PREFIX_COLUMNS,
    FTS_PREFIX_TABLE,
    FTS_SCOPES,
    ROW_TABLE,
    VALUE_TABLE,
    fts_table,
    fts_tables,
)


def write_fulltext(cursor, entry_id, terms, titles=None):
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


def insert_fulltext(cursor, rows):
    """Full-text rows of entries new to an emptied index ([(entry id, terms, titles)]):
    one executemany per table, no DELETEs (rebuild; compare write_fulltext)."""
    for language in LANGUAGES:
        for scope, fields in FTS_SCOPES.items():
            cursor.executemany(
                f"INSERT INTO {fts_table(scope, language)} (rowid, {', '.join(fields)}) "
                f"VALUES (%s{', %s' * len(fields)})",
                [[entry_id, *(terms[language][field] for field in fields)] for entry_id, terms, _ in rows],
            )
    cursor.executemany(
        f"INSERT INTO {FTS_PREFIX_TABLE} (rowid, {', '.join(FTS_PREFIX_COLUMNS)}) "
        f"VALUES (%s{', %s' * len(LANGUAGES)})",
        [[entry_id, *(terms[language]["prefix"] for language in LANGUAGES)] for entry_id, terms, _ in rows],
    )


def fts_quote(term):
    return '"' + term.replace('"', '""') + '"'


# --- the engine's SQLite operations (postgresql.py has the same names) ---------


def side_tables():
    return fts_tables()


def delete_fulltext(cursor, entry_ids):
    for entry_id in entry_ids:
        for table in fts_tables():
            cursor.execute(f"DELETE FROM {table} WHERE rowid = %s", [entry_id])


def text_candidates(query, languages, require_all):
    """(SQL selecting `id, score` of the entries the text matches, parameters).

    Each language ([analysers.LanguageGroups]) is matched in its own FTS table,
    its scores times its weight; an entry matched in several languages keeps
    its best score. A title that has every word of the query on its own is the
    best sign that the document is what was asked for ("Siun sote", "youth
    work Joensuu"): its score is multiplied by TITLE_MATCH_BOOST."""
    parts, params = [], []
    for item in languages:
        part, part_params = _language_candidates(query, item, require_all)
        parts.append(part)
        params += part_params
    if len(parts) == 1:
        return parts[0], params
    return f"SELECT id, max(score) AS score FROM ({' UNION ALL '.join(parts)}) GROUP BY id", params


def _language_candidates(query, item, require_all):
    scope = "all" if query.professional else "public"
    table = fts_table(scope, item.language)
    weights = ", ".join(str(FIELD_WEIGHTS[field]) for field in FTS_SCOPES[scope])
    title_factor, params = "1.0", []
    if require_all:
        title_factor = (
            f"CASE WHEN {table}.rowid IN (SELECT rowid FROM {table} WHERE {table} MATCH %s) "
            f"THEN {TITLE_MATCH_BOOST} ELSE 1.0 END"
        )
        params.append("{title} : (" + fts_expression(item.groups, True) + ")")
    params += [float(item.weight), fts_expression(item.groups, require_all)]
    own_text = ""
    if item.own_text_only:
        # Only documents with content of their own in the language (its `language` facet).
        own_text = (
            f" AND {table}.rowid IN (SELECT entry_id FROM {VALUE_TABLE} WHERE name = %s AND value = %s)"
        )
        params += ["language", item.language]
    return (
        f"SELECT {table}.rowid AS id, -bm25({table}, {weights}) * {title_factor} * %s AS score "
        f"FROM {table} WHERE {table} MATCH %s{own_text}",
        params,
    )


def fts_expression(groups, require_all):
    group_expressions = []
    for group in groups:
        alternatives = [
            "(" + " AND ".join(fts_quote(term) for term in alternative) + ")"
            for alternative in group.alternatives
        ]
        group_expressions.append("(" + " OR ".join(alternatives) + ")")
    return (" AND " if require_all else " OR ").join(group_expressions)


def near_miss_candidates(query):
    """SQLite has no trigram similarity: no near-misses."""
    return None


def filtered_search(query, candidates):
    return FilteredSearch("sqlite", query, candidates)


def prepare_statement(cursor):
    """Nothing to set for one statement on SQLite."""


def prefix_ids(cursor, prefix_query):
    """The ids of the autocomplete suggestions, best first."""
    language = prefix_query.language
    visibility = "" if prefix_query.professional else " AND r.public"
    parts = ["(" + " OR ".join(fts_quote(t) for t in word) + ")" for word in prefix_query.words]
    parts.append(fts_quote(prefix_query.partial) + " *")
    expression = "{prefix_" + language + "} : (" + " AND ".join(parts) + ")"
    cursor.execute(
        f"SELECT r.entry_id FROM {FTS_PREFIX_TABLE} JOIN {ROW_TABLE} r "
        f"ON r.entry_id = {FTS_PREFIX_TABLE}.rowid WHERE {FTS_PREFIX_TABLE} MATCH %s{visibility} "
        f"ORDER BY r.boost DESC, length({FTS_PREFIX_TABLE}.prefix_{language}), r.key LIMIT %s",
        [expression, prefix_query.limit],
    )
    return [row[0] for row in cursor.fetchall()]
