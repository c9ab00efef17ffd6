"""The database engine's schema: what migrations 0002, 0004, 0006 and 0007
create, move and fill. Each function takes a schema editor and does nothing on
the vendor it does not concern."""

from ...analysis import LANGUAGES
from .postgresql import pg_row_assignments
from .sqlite import write_fulltext as write_sqlite_fulltext
from .tables import (
    AREA,
    FTS_PREFIX_COLUMNS,
    FTS_PREFIX_TABLE,
    FTS_SCOPES,
    FTS_TOKENIZER,
    LEGACY_FTS_TABLE,
    PG_ARRAY_COLUMNS,
    PG_FACET_TABLE,
    PG_ROW_COLUMNS,
    PG_TABLE,
    PG_TRUNCATE_FUNCTION,
    POINT_TABLE,
    ROW_TABLE,
    VALUE_TABLE,
    fts_table,
    fts_tables,
    pg_tables,
    pg_vector_table,
    pg_vector_tables,
)


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
        # `title`: the title's terms alone, for the title-match boost (postgresql.text_candidates).
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
    # Sorting by distance reads the points around a place (postgresql.PgFilteredSearch).
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {POINT_TABLE}_position ON {POINT_TABLE} (latitude, longitude, entry_id)"
    )
    for table in pg_vector_tables():
        for column, definition in PG_ROW_COLUMNS:
            schema_editor.execute(f"ALTER TABLE {table} ADD COLUMN IF NOT EXISTS {column} {definition}")
    # Autocomplete sorts its matches by these (postgresql.prefix_statement), read from its own table.
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
                f"UPDATE {pg_vector_table(scope, language)} t SET {pg_row_assignments(language)} "
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


def relayout_sqlite_fulltext(schema_editor, entries):
    """Migration 0004: from the one-table layout to the tables above, filled from
    the stored terms of `entries` ([(entry id, terms)]), so no rebuild is needed."""
    if schema_editor.connection.vendor != "sqlite":
        return
    schema_editor.execute(f"DROP TABLE IF EXISTS {LEGACY_FTS_TABLE}")
    create_fulltext_tables(schema_editor)
    with schema_editor.connection.cursor() as cursor:
        for entry_id, terms in entries:
            write_sqlite_fulltext(cursor, entry_id, terms)
