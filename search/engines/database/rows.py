"""The filter tables' rows (search.models.SearchRow, SearchValue,
SearchOpenInterval, SearchPoint): what each entry's attributes write there."""

import json

from ...analysis import LANGUAGES
from ...documents import PUBLIC
from .tables import (
    AREA,
    FILTER_TABLES,
    MINUTES_PER_DAY,
    OPEN_TABLE,
    PG_FACET_TABLE,
    POINT_TABLE,
    ROW_TABLE,
    VALUE_TABLE,
)

DELETE_CHUNK = 500


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
        pairs = {
            (name, str(value)) for name, names in (attributes.get("facets") or {}).items() for value in names
        }
        if area:
            pairs.update((AREA, f"m:{code}") for code in area.get("municipalities") or [])
            pairs.update((AREA, f"c:{code}") for code in area.get("counties") or [])
        values.extend([entry_id, name, value] for name, value in sorted(pairs))
        intervals.extend(
            [entry_id, *piece]
            for start, end in attributes.get("open_intervals") or []
            for piece in _day_pieces(int(start), int(end))
        )
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
            marks = ", ".join(["%s"] * len(batch[0]))
            cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({marks})", batch)


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
            cursor.execute(f"DELETE FROM {table} WHERE entry_id IN ({placeholders(chunk)})", chunk)


def placeholders(values):
    return ", ".join(["%s"] * len(values))
