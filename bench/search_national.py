"""Search at national scale: latency of the search API and suggest, and full
reindex throughput, per engine, with Wagtail's stock search in the same run.

    make bench                               # everything, national scale
    BENCH_SCALE=0.1 python -m bench.search_national      # a quick run
    BENCH_ENGINES=sqlite python -m bench.search_national  # only some engines

Engines: SQLite (always), PostgreSQL and Elasticsearch. DATABASE_URL
(postgres://...) and ELASTICSEARCH_URL are used when set; otherwise the
throwaway servers of .ci/postgres.sh and .ci/elasticsearch.sh are started and
stopped again. An engine whose server cannot be started is skipped with a
message. PostgreSQL gets its own database (ovi_bench_national, dropped at the
end), Elasticsearch its own alias (bench-national-<random>).

Each database runs in its own process (Django reads DATABASE_URL once):
migrate, demo content, the synthetic national data (bench/national.py),
`search.indexing.rebuild()` timed, Wagtail's `update_index` timed, then the
query mix through GET /api/v1/search and /api/v1/suggest (Django's test
client: the whole view, middleware and JSON, no network). Elasticsearch runs in
the PostgreSQL process (or the SQLite one without PostgreSQL): its rebuild
(the part of `search.indexing.rebuild()` that bulk-loads the prepared
documents from the database into a new index) is timed, then the same query mix.

Settings (environment):
    BENCH_SCALE       1.0 = 5,000 models, 30,000 services, 100,000 locations,
                      20,000 contact people (+ organisations and teams)
    BENCH_ENGINES     comma-separated: sqlite,postgresql,elasticsearch (default all)
    BENCH_ROUNDS      measured rounds of the query mix (default 5; warm-up 1 round)
    BENCH_KEEP        1 keeps the benchmark databases
    OVI_VAR_DIR       working directory root (default var/); files go to <root>/bench-national/

Only the query mix, against the database a BENCH_KEEP=1 run left behind (for
tuning: no generation, no rebuild, bench/results/ untouched; prints JSON):

    DATABASE_URL=postgres://... BENCH_ROUNDS=5 python -m bench.search_national --queries
    python -m bench.search_national --queries        # SQLite: <OVI_VAR_DIR>/bench-national/sqlite/

With ELASTICSEARCH_URL set, --queries also loads the kept database's documents
into a throwaway Elasticsearch alias (timed) and runs the mix there.

Results: bench/results/search-national.json and search-national.md.
See docs/benchmarks.md.
"""

import gc
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS_DIR = ROOT / "bench" / "results"
RESULT_NAME = "search-national"

TARGETS = {
    "search_p95_ms": {"elasticsearch": 50, "postgresql": 150},
    "suggest_p95_ms": 30,
    "elasticsearch_rebuild_docs_per_s": 2000,
}
BENCH_DATABASE = "ovi_bench_national"
DEFAULT_ROUNDS = 5

# --- the query mix ----------------------------------------------------------------------------------
# Fixed; every engine and scale runs exactly these. `pro`: as a logged-in professional.

QUERY_MIX = [
    # Words, inflected forms, compounds, names, a typo; fi, sv, en.
    {"id": "text-perhekeskus", "category": "text", "params": {"q": "perhekeskus"}},
    {"id": "text-neuvolaan", "category": "text", "params": {"q": "neuvolaan"}},
    {"id": "text-mielenterveyspalvelut", "category": "text", "params": {"q": "mielenterveyspalvelut"}},
    {"id": "text-koulukuraattori-tampere", "category": "text", "params": {"q": "koulukuraattori Tampere"}},
    {
        "id": "text-paihdetyontekija-kuopio-pro",
        "category": "text",
        "params": {"q": "päihdetyöntekijä Kuopio"},
        "pro": True,
    },
    {"id": "text-velkaneuvonta", "category": "text", "params": {"q": "talous- ja velkaneuvonta"}},
    {"id": "text-sote-keskus", "category": "text", "params": {"q": "sote-keskus"}},
    {"id": "text-palveluohjaus", "category": "text", "params": {"q": "palveluohjaus"}},
    {"id": "text-nuorten-tyopaja", "category": "text", "params": {"q": "nuorten työpaja"}},
    {
        "id": "text-vastuutyontekija-pro",
        "category": "text",
        "params": {"q": "vastuutyöntekijä perheille"},
        "pro": True,
    },
    {"id": "text-typo-perhekesus", "category": "text", "params": {"q": "perhekesus"}},
    {"id": "text-model-verkostopalaveri", "category": "text", "params": {"q": "verkostopalaveri kouluissa"}},
    {"id": "text-sv-familjecentral", "category": "text", "params": {"q": "familjecentral", "lang": "sv"}},
    {"id": "text-sv-skolkurator-esbo", "category": "text", "params": {"q": "skolkurator Esbo", "lang": "sv"}},
    {"id": "text-en-youth-workshop", "category": "text", "params": {"q": "youth workshop", "lang": "en"}},
    # Facet filters (disjunctive counts), tabs, browsing a municipality.
    {
        "id": "facets-neuvola-helsinki",
        "category": "facets",
        "params": {"q": "neuvola", "type": "service", "municipality": "091"},
    },
    {
        "id": "facets-browse-tampere-services",
        "category": "facets",
        "params": {"type": "service", "municipality": "837"},
    },
    {
        "id": "facets-palveluohjaus-sector-target",
        "category": "facets",
        "params": {"q": "palveluohjaus", "sector": "social_services", "target_group": "young_people"},
    },
    {
        "id": "facets-terveysasema-county",
        "category": "facets",
        "params": {"q": "terveysasema", "county": "14"},
    },
    {
        "id": "facets-models-stage",
        "category": "facets",
        "params": {"q": "vastuutyöntekijä", "type": "operating_model", "development_stage": "in_use"},
    },
    {
        "id": "facets-sv-daghem-esbo",
        "category": "facets",
        "params": {"q": "daghem", "type": "location", "municipality": "049", "lang": "sv"},
    },
    # Serves my area (postal code or municipality) and distance sort.
    {
        "id": "geo-neuvola-80100-distance",
        "category": "geo",
        "params": {"q": "neuvola", "postal_code": "80100", "sort": "distance"},
    },
    {
        "id": "geo-terveysasema-near-distance",
        "category": "geo",
        "params": {"q": "terveysasema", "near": "60.1699,24.9384", "sort": "distance"},
    },
    {
        "id": "geo-paihdepalvelut-kuopio",
        "category": "geo",
        "params": {"q": "päihdepalvelut", "serves_municipality": "297"},
    },
    {"id": "geo-kotihoito-90100", "category": "geo", "params": {"q": "kotihoito", "postal_code": "90100"}},
    {
        "id": "geo-en-family-centre-33100",
        "category": "geo",
        "params": {"q": "family centre", "postal_code": "33100", "sort": "distance", "lang": "en"},
    },
    # Open now (wall-clock time of the run).
    {
        "id": "open-terveysasema-00100",
        "category": "open_now",
        "params": {"q": "terveysasema", "open_now": "1", "postal_code": "00100"},
    },
    {"id": "open-nuorisotila", "category": "open_now", "params": {"q": "nuorisotila", "open_now": "1"}},
    {"id": "open-kriisiapu", "category": "open_now", "params": {"q": "kriisiapu", "open_now": "1"}},
    {
        "id": "open-browse-helsinki-services",
        "category": "open_now",
        "params": {"type": "service", "municipality": "091", "open_now": "1"},
    },
]
SUGGEST_MIX = [
    {"q": "pe"},
    {"q": "perhek"},
    {"q": "neuv"},
    {"q": "mielen"},
    {"q": "koulukur"},
    {"q": "sote"},
    {"q": "nuorten ty"},
    {"q": "kotih"},
    {"q": "päihd"},
    {"q": "verkosto"},
    {"q": "famil", "lang": "sv"},
    {"q": "skol", "lang": "sv"},
    {"q": "youth", "lang": "en"},
    {"q": "sosiaalioh", "pro": True},
    {"q": "vastuut", "pro": True},
]


def summarise(samples):
    ordered = sorted(samples)
    if not ordered:
        return {"n": 0}
    return {
        "n": len(ordered),
        "p50": round(statistics.median(ordered), 2),
        "p95": round(ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))], 2),
        "mean": round(statistics.fmean(ordered), 2),
        "max": round(ordered[-1], 2),
    }


# --- worker: one database, inside Django ---------------------------------------------------------------


def worker(args):
    database = args["database"]
    scale = args["scale"]
    out = Path(args["out"])
    elasticsearch_url = args.get("elasticsearch_url") or ""
    result = {"database": database, "scale": scale, "errors": []}
    timings = {}

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.test")
    sys.path.insert(0, str(ROOT))
    import django
    from django.conf import settings

    django.setup()
    from django.db import connection

    # A database of our own: never the one DATABASE_URL names (it may hold data).
    original_name = settings.DATABASES["default"]["NAME"]
    test_settings = settings.DATABASES["default"].setdefault("TEST", {})
    if connection.vendor == "sqlite":
        test_settings["NAME"] = str(Path(os.environ["OVI_VAR_DIR"]) / "bench-national.sqlite3")
    else:
        test_settings["NAME"] = BENCH_DATABASE
    started = time.perf_counter()
    connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    timings["migrate_s"] = round(time.perf_counter() - started, 1)
    result["database_version"] = _database_version(connection)
    try:
        _run_worker(result, timings, scale, elasticsearch_url)
    except Exception as error:  # the orchestrator reports it; the other engines still run
        import traceback

        traceback.print_exc()
        result["errors"].append(f"{error.__class__.__name__}: {error}")
    finally:
        result["setup"] = timings
        out.write_text(json.dumps(result, indent=2, ensure_ascii=False))
        if not os.environ.get("BENCH_KEEP"):
            connection.creation.destroy_test_db(original_name, verbosity=0)


def _database_version(connection):
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("select sqlite_version()")
            return f"SQLite {cursor.fetchone()[0]}"
        cursor.execute("show server_version")
        return f"PostgreSQL {cursor.fetchone()[0]}"


def _run_worker(result, timings, scale, elasticsearch_url):
    from django.test.utils import override_settings

    from bench.national import NationalData, NationalDirectorySource, create_model_pages
    from portal.demo import _load_content
    from search.documents import register, unregister
    from search.signals import paused

    started = time.perf_counter()
    inline_tasks = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    with paused(), override_settings(TASKS=inline_tasks):
        _load_content()
    timings["demo_content_s"] = round(time.perf_counter() - started, 1)

    started = time.perf_counter()
    data = NationalData(scale)
    timings["generate_records_s"] = round(time.perf_counter() - started, 1)
    started = time.perf_counter()
    create_model_pages(data, progress=_progress("operating model pages"))
    timings["create_model_pages_s"] = round(time.perf_counter() - started, 1)

    source = register(NationalDirectorySource(data))
    try:
        with override_settings(ELASTICSEARCH_URL=""):
            result["rebuild_database"] = measure_database_rebuild()
            result["analysis"] = measure_analysis(data)
    finally:
        unregister(source.name)
    # The queries are measured in a process the size of a search server's: the
    # generated records (hundreds of MB of Python objects) are let go, or every
    # pass of the garbage collector during a request would walk them too.
    del source, data
    gc.collect()
    result["documents"] = _indexed_counts()
    result["wagtail_update_index"] = measure_wagtail_update_index()
    client, professional_client = _clients()
    with override_settings(ELASTICSEARCH_URL=""):
        result["database_engine"] = measure_queries(client, professional_client, "database")
    result["wagtail"] = measure_wagtail_search(client, professional_client)
    if elasticsearch_url:
        result["elasticsearch"] = run_elasticsearch(elasticsearch_url, client, professional_client)


def _progress(label):
    state = {"last": 0.0}

    def report(done, total):
        now = time.monotonic()
        if now - state["last"] > 10 or done == total:
            state["last"] = now
            print(f"  {label}: {done}/{total}", file=sys.stderr, flush=True)

    return report


def _indexed_counts():
    from django.db.models import Count

    from search.models import SearchEntry

    counts = dict(SearchEntry.objects.values_list("type").annotate(n=Count("id")))
    return {"by_type": counts, "total": sum(counts.values())}


def measure_database_rebuild():
    """search.indexing.rebuild() on the database engine (Elasticsearch off), with
    the time to the first indexed batch (documents built + vocabulary pass) and
    the rate of the indexing pass after it."""
    from search import indexing

    marks = []
    report = _progress("database rebuild")

    def progress(done, total):
        marks.append((time.perf_counter(), done))
        report(done, total)

    started = time.perf_counter()
    rebuild = indexing.rebuild(progress=progress)
    seconds = time.perf_counter() - started
    first_time, first_done = marks[0] if marks else (started, 0)
    last_time, last_done = marks[-1] if marks else (started, 0)
    index_pass = last_time - first_time
    return {
        "documents": rebuild.documents,
        "seconds": round(seconds, 1),
        "docs_per_s": round(rebuild.documents / seconds, 1),
        "until_first_batch_s": round(first_time - started, 1),
        "index_pass_docs_per_s": round((last_done - first_done) / index_pass, 1) if index_pass > 0 else None,
    }


def measure_analysis(data, sample_size=3000):
    """Python analysis alone (engines.base.prepare: terms, attributes, hash) on an
    even sample of the indexed documents, analysers as a rebuild leaves them."""
    from search.analysers import refresh_analysers
    from search.documents import iter_all_documents
    from search.engines.base import prepare

    documents = list(iter_all_documents())
    step = max(1, len(documents) // sample_size)
    sample = documents[::step][:sample_size]
    refresh_analysers()
    started = time.perf_counter()
    for document in sample:
        prepare(document)
    seconds = time.perf_counter() - started
    return {
        "documents": len(sample),
        "seconds": round(seconds, 2),
        "docs_per_s": round(len(sample) / seconds, 1),
    }


def measure_wagtail_update_index():
    """Wagtail's own reindex (`update_index`, its database backend) of everything it indexes."""
    from django.core.management import call_command
    from wagtail.models import Page

    started = time.perf_counter()
    call_command("update_index", verbosity=0)
    seconds = time.perf_counter() - started
    pages = Page.objects.live().count()
    return {"live_pages": pages, "seconds": round(seconds, 1), "pages_per_s": round(pages / seconds, 1)}


def _clients():
    from django.contrib.auth.models import Group, User
    from django.test import Client

    from directory.roles import PROFESSIONALS_GROUP

    user, _ = User.objects.get_or_create(username="bench-professional")
    user.groups.add(Group.objects.get_or_create(name=PROFESSIONALS_GROUP)[0])
    professional = Client()
    professional.force_login(user)
    return Client(), professional


def _rounds():
    return int(os.environ.get("BENCH_ROUNDS", DEFAULT_ROUNDS))


def measure_queries(client, professional_client, expected_engine):
    """The query mix and the suggest mix through the HTTP API: one warm-up round, then BENCH_ROUNDS."""
    from urllib.parse import urlencode

    def call(path, item):
        http = professional_client if item.get("pro") else client
        params = item.get("params", {k: v for k, v in item.items() if k != "pro"})
        started = time.perf_counter()
        response = http.get(f"{path}?{urlencode(params, doseq=True)}")
        elapsed = (time.perf_counter() - started) * 1000
        if response.status_code != 200:
            raise RuntimeError(f"{path} {params}: HTTP {response.status_code} {response.content[:300]!r}")
        return elapsed, response.json()

    searches = {item["id"]: {"samples": [], "category": item["category"]} for item in QUERY_MIX}
    suggests = []
    for round_number in range(_rounds() + 1):
        for item in QUERY_MIX:
            elapsed, body = call("/api/v1/search", item)
            if body["engine"] != expected_engine:
                raise RuntimeError(f"{item['id']} was answered by {body['engine']}, not {expected_engine}")
            if round_number == 0:
                searches[item["id"]].update(
                    count=body["count"],
                    did_you_mean=body.get("did_you_mean"),
                    first=[r["title"] for r in body["results"][:3]],
                )
            else:
                searches[item["id"]]["samples"].append(elapsed)
        for item in SUGGEST_MIX:
            elapsed, body = call("/api/v1/suggest", item)
            if round_number:
                suggests.append(elapsed)
    by_category = {}
    for entry in searches.values():
        by_category.setdefault(entry["category"], []).extend(entry["samples"])
    return {
        "search": summarise([s for entry in searches.values() for s in entry["samples"]]),
        "search_by_category": {category: summarise(samples) for category, samples in by_category.items()},
        "search_by_query": {
            query_id: {
                **summarise(entry.pop("samples")),
                **{k: v for k, v in entry.items() if k != "category"},
            }
            for query_id, entry in searches.items()
        },
        "suggest": summarise(suggests),
    }


def measure_wagtail_search(client, professional_client):
    """Wagtail's stock search (Page.objects.live().search(), its database backend:
    what its default search view runs, count + first page of 20) over the text
    queries of the mix, and Ovi's API for the same words limited to operating models."""
    from urllib.parse import urlencode

    from wagtail.models import Page

    texts = [item for item in QUERY_MIX if item["params"].get("q")]
    wagtail, ovi_models = [], []
    counts = {}
    for round_number in range(_rounds() + 1):
        for item in texts:
            started = time.perf_counter()
            results = Page.objects.live().search(item["params"]["q"])
            count = results.count()
            list(results[:20])
            elapsed = (time.perf_counter() - started) * 1000
            params = {**item["params"], "type": "operating_model"}
            http = professional_client if item.get("pro") else client
            started = time.perf_counter()
            response = http.get(f"/api/v1/search?{urlencode(params)}")
            ovi_elapsed = (time.perf_counter() - started) * 1000
            if round_number:
                wagtail.append(elapsed)
                ovi_models.append(ovi_elapsed)
            else:
                counts[item["id"]] = {"wagtail": count, "ovi_operating_models": response.json()["count"]}
    return {
        "wagtail_search": summarise(wagtail),
        "ovi_api_operating_models": summarise(ovi_models),
        "counts": counts,
    }


def run_elasticsearch(url, client, professional_client):
    from django.test.utils import override_settings

    from search import indexing, service

    alias = f"bench-national-{uuid.uuid4().hex[:8]}"
    es_settings = {"ELASTICSEARCH_URL": url, "OVI_SEARCH_ES_ALIAS": alias, "OVI_SEARCH_ES_REPLICAS": 0}
    with override_settings(**es_settings):
        engine = service.elasticsearch_engine()
        try:
            progress = _progress("elasticsearch rebuild")
            total = _indexed_counts()["total"]
            started = time.perf_counter()
            index = engine.rebuild(
                indexing._prepared_entries(),
                progress=lambda done: progress(done, total) if done % 5000 == 0 or done == total else None,
            )
            seconds = time.perf_counter() - started
            rebuild = {
                "documents": total,
                "seconds": round(seconds, 1),
                "docs_per_s": round(total / seconds, 1),
                "index": index,
            }
            rebuild["index_stats"] = _index_stats(engine, index)
            # The rebuild merges the new index into one segment in the background
            # after the swap; the queries are measured on the merged index, as a
            # site would have it minutes after a rebuild.
            if engine.merge_task:
                started = time.perf_counter()
                engine.client.options(request_timeout=600).tasks.get(
                    task_id=engine.merge_task, wait_for_completion=True, timeout="600s"
                )
                rebuild["merge_seconds"] = round(time.perf_counter() - started, 1)
            queries = measure_queries(client, professional_client, "elasticsearch")
            return {"rebuild": rebuild, "engine": queries, "version": _elasticsearch_version(engine)}
        finally:
            engine.drop()


def _index_stats(engine, index):
    stats = engine.client.indices.stats(index=index).body["_all"]["primaries"]
    return {"documents": stats["docs"]["count"], "store_mb": round(stats["store"]["size_in_bytes"] / 1e6, 1)}


def _elasticsearch_version(engine):
    try:
        nodes = engine.client.nodes.info().body["nodes"]
        return "Elasticsearch " + next(iter(nodes.values()))["version"]
    except Exception:
        return "Elasticsearch"


# --- orchestrator -------------------------------------------------------------------------------------


class Servers:
    """Throwaway servers started with the .ci scripts (stopped in `stop`)."""

    def __init__(self):
        self.state_dir = tempfile.mkdtemp(prefix="ovi-bench-ci.")
        os.chmod(self.state_dir, 0o755)
        self.started = []

    def start(self, script, variable):
        env = {**os.environ, "STATE_DIR": self.state_dir, "ES_HEAP": os.environ.get("ES_HEAP", "1g")}
        print(f"Starting {script} ...", flush=True)
        process = subprocess.run(
            ["bash", str(ROOT / ".ci" / script), "start"], env=env, capture_output=True, text=True
        )
        if process.returncode != 0:
            print(process.stderr[-2000:], file=sys.stderr)
            subprocess.run(["bash", str(ROOT / ".ci" / script), "stop"], env=env, capture_output=True)
            return None
        self.started.append(script)
        env_file = Path(self.state_dir) / ("postgres.env" if script == "postgres.sh" else "elasticsearch.env")
        match = re.search(rf"{variable}='([^']+)'", env_file.read_text())
        return match.group(1) if match else None

    def stop(self):
        env = {**os.environ, "STATE_DIR": self.state_dir}
        for script in reversed(self.started):
            subprocess.run(["bash", str(ROOT / ".ci" / script), "stop"], env=env, capture_output=True)
        shutil.rmtree(self.state_dir, ignore_errors=True)


def main():
    begun = time.perf_counter()
    scale = float(os.environ.get("BENCH_SCALE", "1"))
    wanted = [
        e.strip()
        for e in os.environ.get("BENCH_ENGINES", "sqlite,postgresql,elasticsearch").split(",")
        if e.strip()
    ]
    work = Path(os.environ.get("OVI_VAR_DIR") or ROOT / "var") / "bench-national"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    servers = Servers()
    skipped = {}
    runs = []
    try:
        database_url = os.environ.get("DATABASE_URL", "")
        if "postgresql" in wanted:
            if not database_url.startswith("postgres"):
                database_url = servers.start("postgres.sh", "DATABASE_URL")
                if not database_url:
                    skipped["postgresql"] = (
                        "the throwaway PostgreSQL server (.ci/postgres.sh) could not be started"
                    )
        elasticsearch_url = ""
        if "elasticsearch" in wanted:
            elasticsearch_url = os.environ.get("ELASTICSEARCH_URL") or servers.start(
                "elasticsearch.sh", "ELASTICSEARCH_URL"
            )
            if not elasticsearch_url:
                skipped["elasticsearch"] = (
                    "the throwaway Elasticsearch node (.ci/elasticsearch.sh) could not be started"
                )
        postgres = "postgresql" in wanted and "postgresql" not in skipped
        plan = []
        if "sqlite" in wanted or (elasticsearch_url and not postgres):
            plan.append(("sqlite", "", elasticsearch_url if not postgres else ""))
        if postgres:
            plan.append(("postgresql", database_url, elasticsearch_url))
        for database, url, es_url in plan:
            runs.append(_run_worker_process(database, url, es_url, scale, work))
    finally:
        servers.stop()
    total_s = time.perf_counter() - begun
    payload = _payload(scale, runs, skipped, total_s, wanted)
    RESULTS_DIR.mkdir(exist_ok=True)
    (RESULTS_DIR / f"{RESULT_NAME}.json").write_text(json.dumps(payload, indent=2, ensure_ascii=False) + "\n")
    table = markdown(payload)
    (RESULTS_DIR / f"{RESULT_NAME}.md").write_text(table)
    print(table)
    failed = [run["database"] for run in runs if run.get("errors")]
    return 1 if failed else 0


def _run_worker_process(database, url, elasticsearch_url, scale, work):
    print(f"== {database}{' + elasticsearch' if elasticsearch_url else ''} (scale {scale})", flush=True)
    out = work / f"{database}.json"
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "ELASTICSEARCH_URL")}
    env["OVI_VAR_DIR"] = str(work / database)
    env.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.test")
    if url:
        env["DATABASE_URL"] = url
    args = {"database": database, "scale": scale, "out": str(out), "elasticsearch_url": elasticsearch_url}
    started = time.perf_counter()
    process = subprocess.run(
        [sys.executable, "-m", "bench.search_national", "--worker", json.dumps(args)], cwd=ROOT, env=env
    )
    if not out.exists():
        return {
            "database": database,
            "errors": [f"worker exited with {process.returncode} and wrote nothing"],
        }
    result = json.loads(out.read_text())
    result["wall_s"] = round(time.perf_counter() - started, 1)
    return result


def _payload(scale, runs, skipped, total_s, wanted):
    return {
        "benchmark": RESULT_NAME,
        "measured_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "scale": scale,
        "engines_wanted": wanted,
        "skipped": skipped,
        "machine": {
            "python": platform.python_version(),
            "processor": platform.machine(),
            "cpus": os.cpu_count(),
        },
        "rounds": _rounds(),
        "query_mix": QUERY_MIX,
        "suggest_mix": SUGGEST_MIX,
        "targets": TARGETS,
        "total_wall_s": round(total_s, 1),
        "runs": runs,
    }


def _verdict(value, target, higher_is_better=False):
    if value is None or target is None:
        return "–"
    ok = value >= target if higher_is_better else value <= target
    return "pass" if ok else "**fail**"


def markdown(payload):
    scale = payload["scale"]
    lines = [
        f"# Search at national scale (scale {scale})",
        "",
        f"Measured {payload['measured_at']} on {payload['machine']['cpus']} CPUs, Python "
        f"{payload['machine']['python']}; {payload['rounds']} measured rounds after one warm-up round; "
        f"total run {payload['total_wall_s'] / 60:.1f} min. Through GET /api/v1/search and /api/v1/suggest "
        "(Django test client). How to read this: docs/benchmarks.md.",
        "",
    ]
    for engine, reason in payload["skipped"].items():
        lines.append(f"- **{engine} skipped**: {reason}")
    rows = []
    rebuild_rows = []
    for run in payload["runs"]:
        database = run["database"]
        if run.get("errors"):
            lines.append(f"- **{database} failed**: {'; '.join(run['errors'])}")
        engine = run.get("database_engine")
        label = f"database engine, {run.get('database_version', database)}"
        target = TARGETS["search_p95_ms"].get(database)
        if engine:
            rows.append(_latency_row(label, "search", engine["search"], target))
            for category, summary in engine["search_by_category"].items():
                rows.append(_latency_row(label, f"search: {category}", summary, None))
            rows.append(_latency_row(label, "suggest", engine["suggest"], TARGETS["suggest_p95_ms"]))
        wagtail = run.get("wagtail")
        if wagtail:
            rows.append(
                _latency_row(
                    f"Wagtail stock search, {run.get('database_version', database)}",
                    "text queries (pages)",
                    wagtail["wagtail_search"],
                    None,
                )
            )
            rows.append(
                _latency_row(
                    label, "same text, type=operating_model", wagtail["ovi_api_operating_models"], None
                )
            )
        es = run.get("elasticsearch")
        if es:
            es_label = f"{es.get('version', 'Elasticsearch')} (with {database})"
            rows.append(
                _latency_row(
                    es_label, "search", es["engine"]["search"], TARGETS["search_p95_ms"]["elasticsearch"]
                )
            )
            for category, summary in es["engine"]["search_by_category"].items():
                rows.append(_latency_row(es_label, f"search: {category}", summary, None))
            rows.append(_latency_row(es_label, "suggest", es["engine"]["suggest"], TARGETS["suggest_p95_ms"]))
            rebuild = es["rebuild"]
            target = TARGETS["elasticsearch_rebuild_docs_per_s"]
            rebuild_rows.append(
                f"| Elasticsearch: bulk load of prepared documents (engine.rebuild) | {rebuild['documents']} | "
                f"{rebuild['seconds']} | {rebuild['docs_per_s']} | ≥ {target} | "
                f"{_verdict(rebuild['docs_per_s'], target, True)} |"
            )
        db = run.get("rebuild_database")
        if db:
            rebuild_rows.append(
                f"| {database}: search.indexing.rebuild() (build, analyse, write) | {db['documents']} | "
                f"{db['seconds']} | {db['docs_per_s']} | – | – |"
            )
            analysis = run.get("analysis", {})
            if analysis:
                rebuild_rows.append(
                    f"| {database}: Python analysis alone (sample) | {analysis['documents']} | "
                    f"{analysis['seconds']} | {analysis['docs_per_s']} | – | – |"
                )
            if es:
                total = db["seconds"] + es["rebuild"]["seconds"]
                rebuild_rows.append(
                    f"| {database} + Elasticsearch: whole rebuild (database part + Elasticsearch part) | "
                    f"{db['documents']} | {total:.1f} | {db['documents'] / total:.1f} | – | – |"
                )
        wagtail_index = run.get("wagtail_update_index")
        if wagtail_index:
            rebuild_rows.append(
                f"| {database}: Wagtail update_index (live pages) | {wagtail_index['live_pages']} | "
                f"{wagtail_index['seconds']} | {wagtail_index['pages_per_s']} | – | – |"
            )
    lines += [
        "",
        "## Latency (ms)",
        "",
        "| engine | measurement | n | p50 | p95 | mean | max | target p95 | result |",
        "|---|---|---:|---:|---:|---:|---:|---:|---|",
        *rows,
        "",
        "## Reindex throughput",
        "",
        "| what | documents | seconds | documents/s | target | result |",
        "|---|---:|---:|---:|---:|---|",
        *rebuild_rows,
        "",
        "The 2,000 documents/s target is compared with the Elasticsearch bulk load of prepared documents; "
        "the database part of a rebuild (Python analysis) is reported separately.",
        "",
    ]
    for run in payload["runs"]:
        if run.get("documents"):
            counts = ", ".join(
                f"{kind} {count}" for kind, count in sorted(run["documents"]["by_type"].items())
            )
            lines.append(f"Indexed on {run['database']}: {run['documents']['total']} documents ({counts}).")
            break
    return "\n".join(lines) + "\n"


def _latency_row(engine, measurement, summary, target):
    if not summary or not summary.get("n"):
        return f"| {engine} | {measurement} | 0 | – | – | – | – | – | – |"
    target_text = f"≤ {target}" if target else "–"
    return (
        f"| {engine} | {measurement} | {summary['n']} | {summary['p50']} | {summary['p95']} | {summary['mean']} | "
        f"{summary['max']} | {target_text} | {_verdict(summary['p95'], target)} |"
    )


def measure_kept_database():
    """The query mix (measure_queries) against the database of an earlier
    BENCH_KEEP=1 run, as it is: for tuning queries and indexes without
    regenerating the data. Prints the summaries; writes nothing."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.test")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.db import connection
    from django.test.utils import override_settings

    if connection.vendor == "sqlite":
        root = Path(os.environ.get("OVI_VAR_DIR") or ROOT / "var")
        connection.settings_dict["NAME"] = str(root / "bench-national" / "sqlite" / "bench-national.sqlite3")
    else:
        connection.settings_dict["NAME"] = BENCH_DATABASE
    connection.close()
    client, professional_client = _clients()
    elasticsearch_url = os.environ.get("ELASTICSEARCH_URL", "")
    with override_settings(ELASTICSEARCH_URL=""):
        result = measure_queries(client, professional_client, "database")
    result["database"] = _database_version(connection)
    result["rounds"] = _rounds()
    if elasticsearch_url:
        # Loaded from the kept database into a throwaway alias, measured, dropped.
        result["elasticsearch"] = run_elasticsearch(elasticsearch_url, client, professional_client)
    print(json.dumps(result, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    if len(sys.argv) > 2 and sys.argv[1] == "--worker":
        worker(json.loads(sys.argv[2]))
    elif len(sys.argv) > 1 and sys.argv[1] == "--queries":
        measure_kept_database()
    else:
        sys.exit(main())
