"""The Elasticsearch engine (elasticsearch-dsl 8.x), used when ELASTICSEARCH_URL is set.

The mapping uses only what every Elasticsearch node has, including the
minimal integ-test-zip distribution with no analysis-common module: the
analysed terms come from Python (search.analysis) and are indexed in text
fields with the built-in `whitespace` analyzer; facets are keywords, one field
per facet under `facets.` made by a dynamic template (apps invent facets, and a
field per facet is what makes terms aggregations cheap); areas,
geo points, opening intervals (integer_range) and booleans filter. No
language analyzer, no scripts.

Indices are versioned, `<alias>-v<MAPPING_VERSION>-<timestamp>`, behind the
alias (default `ovi-documents`). A rebuild creates a new index, bulk-loads it
(no refresh and no replicas while loading, as Elasticsearch advises for bulk
loads), restores those settings, and swaps the alias atomically, then drops
the old index.

Queries are term-level: multi_match over whitespace-analysed fields with the
analysed terms, term/terms/prefix filters. User text never reaches
query_string syntax.
"""

import logging
import time
from datetime import UTC, datetime
from itertools import islice

from elastic_transport import TransportError
from elasticsearch import ApiError, Elasticsearch, NotFoundError, helpers
from elasticsearch_dsl import (
    A,
    Boolean,
    Document,
    Float,
    GeoPoint,
    Index,
    IntegerRange,
    Keyword,
    MetaField,
    Object,
    Q,
    Search,
    Text,
)

from ..analysis import LANGUAGES
from ..query import DISTANCE
from .base import TITLE_MATCH_BOOST, Match, SearchEngine, prepare

logger = logging.getLogger(__name__)

# Bump when the mapping changes: `search_index rebuild` then creates the new layout.
MAPPING_VERSION = 2
DEFAULT_ALIAS = "ovi-documents"
# Writes (index update tasks, replays): a worker waits, not a visitor.
REQUEST_TIMEOUT_SECONDS = 3
# Whole-request limit (connect and answer) for what a visitor waits for, searches and
# suggestions: a hung node (it accepts connections, never answers) is given up on
# after this and the database engine answers. Elasticsearch's p95 is ~50 ms.
SEARCH_TIMEOUT_SECONDS = 0.75
# A rebuild's bulk requests: not a user waiting, and a busy node may take a few seconds per chunk.
REBUILD_TIMEOUT_SECONDS = 60
ALIAS_CHECK_SECONDS = 60
# A rebuild reads this many documents from the database (in the calling thread,
# which owns the connection), then sends them in BULK_CHUNK chunks on two threads.
REBUILD_BATCH = 5000
BULK_CHUNK = 500
# Elasticsearch's default number of replicas, restored after a bulk load.
DEFAULT_REPLICAS = 1
FIELDS = ("title", "text", "pro", "prefix")
FACET_BUCKETS = 1000
# Errors that mean "Elasticsearch cannot serve this now": unreachable,
# timing out, or answering with an error.
ELASTICSEARCH_ERRORS = (ApiError, TransportError, helpers.BulkIndexError)


class ElasticsearchUnavailable(Exception):
    """An Elasticsearch call failed; the service falls back to the database."""


def _mapping_fields():
    """The fields of an index document; the per-language ones are made in a loop."""
    fields = {
        "key": Keyword(),
        "type": Keyword(),
        "uid": Keyword(),
        "visibility": Keyword(),
        "boost": Float(),
        "content_hash": Keyword(),
        # facets.<name>: keyword lists, mapped by the dynamic template below.
        "facets": Object(dynamic=True),
        "area_bound": Boolean(),
        "whole_country": Boolean(),
        "area_municipalities": Keyword(),
        "area_counties": Keyword(),
        "locations": GeoPoint(),
        "always_open": Boolean(),
        "open_intervals": IntegerRange(),
        # The document itself, returned with hits, never indexed.
        "document": Object(enabled=False),
    }
    for language in LANGUAGES:
        for field in FIELDS:
            # Terms are already analysed in Python: split on spaces only.
            fields[f"{field}_{language}"] = Text(analyzer="whitespace")
        fields[f"sort_title_{language}"] = Keyword()
    return fields


class _Meta:
    dynamic_templates = MetaField(
        [
            {
                "facets": {
                    "path_match": "facets.*",
                    "match_mapping_type": "string",
                    "mapping": {"type": "keyword"},
                }
            }
        ]
    )


OviDocument = type("OviDocument", (Document,), {"__module__": __name__, "Meta": _Meta, **_mapping_fields()})


def to_source(item):
    """The _source of one prepared document."""
    document, attributes = item.document, item.attributes
    area = attributes["area"]
    source = {
        "key": item.key,
        "type": document.type,
        "uid": document.uid,
        "visibility": document.visibility,
        "boost": document.boost,
        "content_hash": item.content_hash,
        "facets": {name: [str(value) for value in values] for name, values in document.facets.items()},
        "area_bound": area is not None,
        "whole_country": bool(area and area["whole_country"]),
        "area_municipalities": area["municipalities"] if area else [],
        "area_counties": area["counties"] if area else [],
        "locations": [{"lat": lat, "lon": lon} for lat, lon in document.locations],
        "always_open": attributes["always_open"],
        "open_intervals": [{"gte": start, "lt": end} for start, end in attributes["open_intervals"]],
        "document": item.data if item.data is not None else document.to_dict(),
    }
    for language in LANGUAGES:
        for field in FIELDS:
            source[f"{field}_{language}"] = item.terms[language][field]
        source[f"sort_title_{language}"] = attributes["titles"][language]
    return source


class ElasticsearchEngine(SearchEngine):
    name = "elasticsearch"

    def __init__(
        self, url, alias=DEFAULT_ALIAS, refresh=False, replicas=None, timeout=REQUEST_TIMEOUT_SECONDS
    ):
        self.url = url
        self.alias = alias
        # refresh=True makes each write visible to the next search (tests, small sites).
        self.refresh = refresh
        self.replicas = replicas
        # `timeout` bounds each request as a whole (urllib3 total: connect + answer);
        # no retries, so one request is one wait.
        self.client = Elasticsearch(url, request_timeout=timeout, max_retries=0)
        self._alias_checked = -ALIAS_CHECK_SECONDS
        # The background merge of the last rebuild (a task id), for whoever must wait for it.
        self.merge_task = None

    def _call(self, function, *args, **kwargs):
        try:
            return function(*args, **kwargs)
        except ELASTICSEARCH_ERRORS as error:
            raise ElasticsearchUnavailable(f"{error.__class__.__name__}: {error}") from error

    # Indices --------------------------------------------------------------

    def new_index_name(self):
        stamp = datetime.now(UTC).strftime("%Y%m%d%H%M%S%f")
        return f"{self.alias}-v{MAPPING_VERSION}-{stamp}"

    def _create_index(self, name, bulk_load=False, client=None):
        index = Index(name, using=client or self.client)
        settings = {"number_of_shards": 1}
        if self.replicas is not None:
            settings["number_of_replicas"] = self.replicas
        if bulk_load:
            settings.update(number_of_replicas=0, refresh_interval="-1")
        index.settings(**settings)
        index.document(OviDocument)
        self._call(index.create)
        return name

    def current_indices(self):
        try:
            return sorted(self._call(self.client.indices.get_alias, name=self.alias).body)
        except ElasticsearchUnavailable as error:
            if isinstance(error.__cause__, NotFoundError):
                return []
            raise

    def ensure_index(self):
        """Create the first versioned index and its alias if there is none.

        Writes go to the alias; without this check a write to a missing alias
        would make Elasticsearch create a plain index of that name with a
        guessed mapping. Checked again every ALIAS_CHECK_SECONDS."""
        if time.monotonic() - self._alias_checked < ALIAS_CHECK_SECONDS:
            return
        if not self.current_indices():
            name = self._create_index(self.new_index_name())
            self._call(self.client.indices.put_alias, index=name, name=self.alias)
        self._alias_checked = time.monotonic()

    def rebuild(self, prepared_documents, progress=None):
        """Load every document into a new index, then point the alias at it.

        Every request of a rebuild gets REBUILD_TIMEOUT_SECONDS: an operator runs it,
        nobody is waiting on a page, and a busy node may take seconds to create an
        index or swap the alias."""
        client = self.client.options(request_timeout=REBUILD_TIMEOUT_SECONDS)
        new = self._create_index(self.new_index_name(), bulk_load=True, client=client)
        try:
            count = 0
            documents = iter(prepared_documents)
            # The documents are read here, in the thread that owns the database
            # connection (parallel_bulk consumes its iterable in a thread of its own);
            # two bulk requests in flight keep Python and Elasticsearch both busy.
            while batch := list(self._actions(islice(documents, REBUILD_BATCH), new)):
                for _ok, _item in helpers.parallel_bulk(
                    client, batch, thread_count=2, chunk_size=BULK_CHUNK, queue_size=2, raise_on_error=True
                ):
                    count += 1
                    if progress:
                        progress(count)
            replicas = self.replicas if self.replicas is not None else DEFAULT_REPLICAS
            self._call(
                client.indices.put_settings,
                index=new,
                settings={"index": {"refresh_interval": None, "number_of_replicas": replicas}},
            )
            self._call(client.indices.refresh, index=new)
            old = self.current_indices()
            actions = [{"remove": {"index": name, "alias": self.alias}} for name in old]
            actions.append({"add": {"index": new, "alias": self.alias}})
            # One update_aliases call: readers see the old index or the new one, never neither.
            self._call(client.indices.update_aliases, actions=actions)
            # A bulk load leaves a dozen segments; one makes queries and facet counts
            # several times cheaper (docs/benchmarks.md). Merged in the background,
            # after the swap: search answers meanwhile, from the segments there are.
            self.merge_task = self._call(
                client.indices.forcemerge, index=new, max_num_segments=1, wait_for_completion=False
            ).body.get("task")
        except ELASTICSEARCH_ERRORS as error:
            self.client.options(ignore_status=404).indices.delete(index=new)
            raise ElasticsearchUnavailable(str(error)) from error
        except BaseException:
            self.client.options(ignore_status=404).indices.delete(index=new)
            raise
        for name in old:
            self._call(self.client.options(ignore_status=404).indices.delete, index=name)
        return new

    def drop(self):
        """Delete the alias and every index behind it (tests)."""
        for name in self.current_indices():
            self._call(self.client.options(ignore_status=404).indices.delete, index=name)
        self._alias_checked = -ALIAS_CHECK_SECONDS

    def _actions(self, prepared_documents, index):
        for item in prepared_documents:
            yield {"_op_type": "index", "_index": index, "_id": item.key, "_source": to_source(item)}

    # Storage -----------------------------------------------------------

    def index(self, documents):
        self.index_prepared([prepare(document) for document in documents])

    def index_prepared(self, prepared):
        if not prepared:
            return
        self.ensure_index()
        self._bulk(list(self._actions(prepared, self.alias)))

    def delete(self, keys):
        keys = list(keys)
        if not keys:
            return
        self.ensure_index()
        self._bulk([{"_op_type": "delete", "_index": self.alias, "_id": key} for key in keys])

    def _bulk(self, actions):
        _count, errors = self._call(
            helpers.bulk,
            self.client,
            actions,
            raise_on_error=False,
            refresh="wait_for" if self.refresh else False,
        )
        # Deleting a document that is not there is fine; anything else is not.
        errors = [e for e in errors if e.get("delete", {}).get("status") != 404]
        if errors:
            raise ElasticsearchUnavailable(f"bulk errors: {errors[:3]}")

    def stored_hashes(self):
        """{key: content_hash} of every indexed document (for `search_index check`)."""
        if not self.current_indices():
            return {}
        hits = self._call(
            lambda: list(
                helpers.scan(self.client, index=self.alias, _source=["key", "content_hash"], size=1000)
            )
        )
        return {hit["_source"]["key"]: hit["_source"].get("content_hash") for hit in hits}

    # Matching -----------------------------------------------------------

    def _filters(self, query):
        filters = []
        if not query.professional:
            filters.append(Q("term", visibility="public"))
        if query.filters_by_area:
            should = [Q("term", area_bound=False), Q("term", whole_country=True)]
            if query.serves_municipality is not None:
                should.append(Q("term", area_municipalities=query.serves_municipality))
            if query.serves_county is not None:
                should.append(Q("term", area_counties=query.serves_county))
            filters.append(Q("bool", should=should, minimum_should_match=1))
        if query.open_now:
            minute = query.minute_of_week()
            filters.append(
                Q(
                    "bool",
                    should=[Q("term", always_open=True), Q("term", open_intervals=minute)],
                    minimum_should_match=1,
                )
            )
        return filters

    @staticmethod
    def _facet_filters(query):
        return {
            name: Q("terms", **{f"facets.{name}": [str(value) for value in values]})
            for name, values in query.filters.items()
        }

    def _text_query(self, query, groups, require_all, fields=None, language=None):
        if not groups:
            return Q("match_all")
        language = language or query.language
        if fields is None:
            fields = [f"title_{language}^4", f"text_{language}"]
            if query.professional:
                fields.append(f"pro_{language}")
        group_queries = []
        for group in groups:
            alternatives = [
                # The terms are whitespace-separated analysed tokens: the field's
                # whitespace analyzer splits them back; "and" wants them all.
                Q(
                    "multi_match",
                    query=" ".join(alternative),
                    fields=fields,
                    type="cross_fields",
                    operator="and",
                )
                for alternative in group.alternatives
            ]
            group_queries.append(Q("bool", should=alternatives, minimum_should_match=1))
        if require_all:
            return Q("bool", must=group_queries)
        return Q("bool", should=group_queries, minimum_should_match=1)

    def _language_query(self, query, item, require_all):
        """The query's groups in one language ([analysers.LanguageGroups]) over
        that language's fields, scores times the language's weight."""
        functions = [{"weight": item.weight}]
        if require_all:
            # A title that has every word of the query on its own (as in the database engine).
            title_only = self._text_query(
                query, item.groups, True, fields=[f"title_{item.language}"], language=item.language
            )
            functions.append({"filter": title_only, "weight": TITLE_MATCH_BOOST})
        text = self._text_query(query, item.groups, require_all, language=item.language)
        if item.own_text_only:
            # Only documents with content of their own in the language (its `language` facet).
            text = Q("bool", must=[text], filter=[Q("term", **{"facets.language": item.language})])
        return Q(
            "function_score",
            query=text,
            functions=functions,
            score_mode="multiply",
            boost_mode="multiply",
        )

    def match(self, query, languages, require_all=True):
        language = query.language
        if not languages:
            text = Q("match_all")
        elif len(languages) == 1:
            text = self._language_query(query, languages[0], require_all)
        else:
            # A document's score is its best language's (as in the database engine).
            text = Q(
                "dis_max",
                queries=[self._language_query(query, item, require_all) for item in languages],
                tie_breaker=0,
            )
        scored = Q(
            "function_score",
            query=Q("bool", must=[text], filter=self._filters(query)),
            functions=[{"field_value_factor": {"field": "boost", "missing": 1}}],
            score_mode="multiply",
            boost_mode="multiply",
        )
        source = ["document"]
        if len(languages) > 1:
            # Which language matched is told from the hits' terms (engines.base).
            fields = ("title", "text", "pro") if query.professional else ("title", "text")
            source += [f"{field}_{item.language}" for item in languages for field in fields]
        search = Search(using=self.client, index=self.alias).query(scored).source(source)
        facet_filters = self._facet_filters(query)
        if facet_filters:
            # post_filter narrows the hits but not the aggregations below.
            search = search.post_filter(Q("bool", filter=list(facet_filters.values())))
        for facet in query.facets:
            values = A("terms", field=f"facets.{facet}", size=FACET_BUCKETS)
            others = [q for name, q in facet_filters.items() if name != facet]
            if others:
                # Counted over the hits the other facets' filters let through.
                filtered = A("filter", Q("bool", filter=others))
                filtered.bucket("values", values)
                search.aggs.bucket(f"facet_{facet}", filtered)
            else:
                search.aggs.bucket(f"facet_{facet}", values)
        tie_breakers = [{f"sort_title_{language}": "asc"}, {"key": "asc"}]
        if query.sort == DISTANCE:
            lat, lon = query.near
            sort = [
                {
                    "_geo_distance": {
                        "locations": {"lat": lat, "lon": lon},
                        "order": "asc",
                        "unit": "m",
                        "mode": "min",
                    }
                },
                {"_score": "desc"},
                *tie_breakers,
            ]
        elif not languages:
            sort = [{"boost": "desc"}, *tie_breakers]
        else:
            sort = [{"_score": "desc"}, *tie_breakers]
        search = search.sort(*sort).extra(track_scores=True, track_total_hits=True)
        search = search[query.offset : query.offset + query.page_size]
        response = self._call(search.execute)
        facets = {}
        for facet in query.facets:
            aggregation = response.aggregations[f"facet_{facet}"]
            buckets = (aggregation["values"] if "values" in aggregation else aggregation)["buckets"]
            facets[facet] = {bucket["key"]: bucket["doc_count"] for bucket in buckets}
        hits, terms = [], []
        for hit in response.hits:
            data = hit.to_dict()
            hits.append((data["document"], hit.meta.score or 0.0))
            terms.append(
                {
                    item.language: {
                        field: data.get(f"{field}_{item.language}") or ""
                        for field in ("title", "text", "pro")
                    }
                    for item in languages
                }
            )
        return Match(
            count=response.hits.total.value,
            hits=hits,
            facets=facets,
            terms=terms if len(languages) > 1 else None,
        )

    def match_prefix(self, prefix_query):
        language = prefix_query.language
        field = f"prefix_{language}"
        must = [Q("terms", **{field: list(word)}) for word in prefix_query.words]
        must.append(Q("prefix", **{field: prefix_query.partial}))
        filters = [] if prefix_query.professional else [Q("term", visibility="public")]
        search = (
            Search(using=self.client, index=self.alias)
            .query(Q("bool", must=must, filter=filters))
            .source(["document"])
            .sort({"boost": "desc"}, {f"sort_title_{language}": "asc"}, {"key": "asc"})
        )[: prefix_query.limit]
        response = self._call(search.execute)
        return [hit.to_dict()["document"] for hit in response.hits]

    # Status ----------------------------------------------------------------

    def ping(self):
        """Raises ElasticsearchUnavailable unless the cluster answers within the timeout
        (cluster health: the minimal integ-test-zip distribution has no `GET /`)."""
        self._call(self.client.cluster.health)

    def status(self, timeout=None):
        """Cluster health, the indices behind the alias, document count."""
        client = self.client.options(request_timeout=timeout) if timeout else self.client
        health = self._call(client.cluster.health).body
        try:
            indices = sorted(self._call(client.indices.get_alias, name=self.alias).body)
        except ElasticsearchUnavailable as error:
            if not isinstance(error.__cause__, NotFoundError):
                raise
            indices = []
        documents = None
        if indices:
            documents = self._call(client.count, index=self.alias).body.get("count")
        return {
            "cluster_status": health.get("status"),
            "alias": self.alias,
            "indices": indices,
            "documents": documents,
            "mapping_current": bool(indices) and all(f"-v{MAPPING_VERSION}-" in name for name in indices),
        }
