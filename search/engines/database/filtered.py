"""One search as one SQL statement over the filter tables: the shared SQL
building (SQLite uses it as it is; PostgreSQL's postgresql.PgFilteredSearch
replaces the parts it does over columns)."""

from ...query import DISTANCE, EARTH_RADIUS_M
from .rows import placeholders
from .tables import AREA, MINUTES_PER_DAY, OPEN_TABLE, POINT_TABLE, ROW_TABLE, VALUE_TABLE


class FilteredSearch:
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
                f"WHERE name = %s AND value IN ({placeholders(places)})))"
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
                    f"WHERE name = %s AND value IN ({placeholders(values)}))"
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
            f"WHERE f.entry_id = k.id AND f.name IN ({placeholders(names)}) GROUP BY f.name, f.value",
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
