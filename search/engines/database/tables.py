"""The database engine's tables: their names and layouts, shared by the
schema (migrations), the writes and the searches of both vendors."""

from ...analysis import LANGUAGES
from ...models import SearchOpenInterval, SearchPoint, SearchRow, SearchValue

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


# The filter tables (search.models.SearchRow, SearchValue, SearchOpenInterval, SearchPoint).
ROW_TABLE = SearchRow._meta.db_table
VALUE_TABLE = SearchValue._meta.db_table
OPEN_TABLE = SearchOpenInterval._meta.db_table
POINT_TABLE = SearchPoint._meta.db_table
FILTER_TABLES = (ROW_TABLE, VALUE_TABLE, OPEN_TABLE, POINT_TABLE)
AREA = "@area"  # SearchValue name of the places an entry's area lists ("@" never starts a facet name)
DELETE_CHUNK = 500
MINUTES_PER_DAY = 24 * 60
