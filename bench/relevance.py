"""Run the judged relevance set (tests/search/relevance/queries.json) on every
search engine at hand, and on Wagtail's stock database search as a baseline.

    python -m bench.relevance                 # what the environment points at
    RELEVANCE_ENGINES=all python -m bench.relevance   # also start throwaway servers
    make relevance                            # the same, through the Makefile

Engines (RELEVANCE_ENGINES, or --engines; comma-separated):
    auto (default)  sqlite always; postgresql when DATABASE_URL points at
                    PostgreSQL; elasticsearch when ELASTICSEARCH_URL is set
    all             sqlite, postgresql and elasticsearch: servers that are not
                    configured are started with .ci/postgres.sh and
                    .ci/elasticsearch.sh (installing them if needed) and
                    stopped afterwards
    sqlite, postgresql, elasticsearch, simplemma
                    just those; "simplemma" is the database engine on SQLite
                    with Finnish analysed by simplemma instead of Voikko (the
                    analysis a machine without Voikko gets)

Each database configuration runs in its own process (Django reads
DATABASE_URL once): a fresh test database (under $OVI_VAR_DIR/relevance/, or
var/relevance/; on PostgreSQL a test_<name> database), `load_demo`, a
`search_index rebuild` and Wagtail's `update_index`, then the queries. The
Wagtail baseline searches `Page.objects.live().search(text)`, the stock
Wagtail database backend, on the same database. Elasticsearch gets its own
alias (relevance-ovi-<random>), dropped afterwards.

Queries judged `"blind": true` are sent without a language (as the API
without `lang` is: searched with the default language, Finnish); the others
with their page language.

Output: a table per engine with three rows: all queries, those searched with
their page language and the language-blind ones (queries, success@3,
success@10, MRR, target), the queries that missed at 3 with what came first,
and bench/results/relevance-<engine>.json. Exit status 1 when an engine is
below a success@3 target (0.95 with the page language, 0.90 language-blind)
or a run failed.
"""

import argparse
import json
import os
import shlex
import subprocess
import sys
import uuid
from datetime import UTC, datetime
from pathlib import Path

from bench.relevance_metrics import (
    CUTOFF,
    LANGUAGE_BLIND,
    PAGE_LANGUAGE,
    QUERIES_FILE,
    ROOT,
    TARGETS,
    Outcome,
    format_parts_table,
    format_table,
    load_queries,
    shortfalls,
    summarise,
    summarise_parts,
)

RESULTS_DIR = ROOT / "bench" / "results"
ENGINE_ORDER = ("sqlite", "simplemma", "postgresql", "elasticsearch")
BASELINE_PREFIX = "wagtail-"


# --- inside Django: searching -------------------------------------------------------------


def engine_keys(query, expected_engine):
    """The ranked result keys (and titles) of Ovi's search for a judged query, asked as
    GET /api/v1/search is: the parameters go through the same reader, so what it makes
    of the words (a place named in them, for one) is measured too."""
    from django.http import QueryDict

    from search import service
    from search.params import read_search_params

    params = QueryDict(mutable=True)
    params["q"] = query.text
    if not query.blind:
        params["lang"] = query.language
    params["page_size"] = str(CUTOFF)
    read = read_search_params(params, professional=query.professional, strict=True)
    if read.errors:
        raise RuntimeError(f"{query.id}: refused by the search parameters: {read.errors}")
    results = service.search(read.query)
    if results.engine != expected_engine:
        # Elasticsearch failed and the database answered: measuring the fallback
        # under Elasticsearch's name would be wrong.
        raise RuntimeError(f"{query.id}: answered by {results.engine}, not {expected_engine}")
    keys = [f"{result['type']}:{result['uid']}" for result in results.results]
    titles = [result["title"] for result in results.results]
    return keys, titles


def page_key(page):
    """The search document key of a Wagtail page: its source's key, or
    "wagtail-page:<translation key>" for pages no source indexes."""
    from search.documents import sources

    for source in sources():
        model = getattr(source, "model", None)
        if model is not None and isinstance(page, model):
            return source.key_for(page)
    return f"wagtail-page:{page.translation_key}"


def wagtail_keys(query):
    """What Wagtail's stock search (the default search view's query) ranks first."""
    from wagtail.models import Page

    pages = [page.specific for page in Page.objects.live().search(query.text)[:CUTOFF]]
    return [page_key(page) for page in pages], [page.title for page in pages]


def evaluate(queries, search):
    """[Outcome] of `search(query) -> (keys, titles)` over the judged queries."""
    outcomes = []
    for query in queries:
        keys, titles = search(query)
        outcomes.append(Outcome(query, keys[:CUTOFF], titles[:CUTOFF]))
    return outcomes


def indexed_keys():
    from search.models import SearchEntry

    return set(SearchEntry.objects.values_list("key", flat=True))


def missing_judgements(queries, keys):
    """{query id: [judged keys that are not in the index]}."""
    missing = {}
    for query in queries:
        absent = [key for key in query.relevant if key not in keys]
        if absent:
            missing[query.id] = absent
    return missing


def page_answerable(query):
    """A query that has a Wagtail page among its right answers (the baseline can find it)."""
    return any(key.split(":", 1)[0] in ("operating_model", "pathway", "page") for key in query.relevant)


# --- inside Django: one database configuration --------------------------------------------


def prepare_demo_index():
    """Demo content, Ovi's index and Wagtail's index on the current (empty) database."""
    from django.core.management import call_command

    from portal.demo import load_all
    from search import indexing

    load_all()
    report = indexing.rebuild()
    if report.elasticsearch_error:
        raise RuntimeError(f"Elasticsearch rebuild failed: {report.elasticsearch_error}")
    call_command("update_index", verbosity=0)
    return report


def measure(config, labels, queries_path):
    """Run the set in this process on the database `config` ("sqlite" or
    "postgresql") for the engine labels asked for (the config itself, with its
    Wagtail baseline; "elasticsearch"; "simplemma"). Returns {label: payload}."""
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection

    from search import analysers, indexing, service

    queries = load_queries(queries_path)
    es_url = settings.ELASTICSEARCH_URL if "elasticsearch" in labels else ""
    es_alias = f"relevance-ovi-{uuid.uuid4().hex[:12]}"
    settings.ELASTICSEARCH_URL = es_url
    if es_url:
        settings.OVI_SEARCH_ES_ALIAS = es_alias
        settings.OVI_SEARCH_ES_REPLICAS = 0

    def run(label, search, **extra):
        keys = indexed_keys()
        context = {
            "database": connection.vendor,
            "documents": len(keys),
            "finnish_morphology": analysers.configured_kind("fi"),
            **extra,
        }
        payloads[label] = result_payload(label, queries, evaluate(queries, search), keys, context)

    database_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    payloads = {}
    try:
        prepare_demo_index()
        if es_url:
            run("elasticsearch", lambda q: engine_keys(q, "elasticsearch"), alias=es_alias)
        settings.ELASTICSEARCH_URL = ""
        if config in labels:
            run(config, lambda q: engine_keys(q, "database"))
            run(
                BASELINE_PREFIX + config,
                wagtail_keys,
                covers="Wagtail pages only: operating models, "
                "pathways, standard pages, library and directory index pages; no directory records",
            )
        if "simplemma" in labels:
            # Finnish as a machine without Voikko analyses it (the embedded default there).
            settings.OVI_SEARCH_MORPHOLOGY = {"fi": "simplemma", "sv": "auto", "en": "auto"}
            analysers.refresh_analysers()
            indexing.rebuild()
            run("simplemma", lambda q: engine_keys(q, "database"))
    finally:
        if es_url:
            settings.ELASTICSEARCH_URL = es_url
            engine = service.elasticsearch_engine()
            if engine is not None:
                engine.drop()
        connection.creation.destroy_test_db(database_name, verbosity=0)
    return payloads


def result_payload(label, queries, outcomes, keys, context):
    parts = summarise_parts(outcomes)
    answerable = [o for o in outcomes if page_answerable(o.query)]
    return {
        "engine": label,
        "measured_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "queries_file": str(QUERIES_FILE.relative_to(ROOT)),
        "cutoff": CUTOFF,
        "context": context,
        "summary": vars(parts["all"]),
        "summary_page_language": vars(parts[PAGE_LANGUAGE]),
        "summary_language_blind": vars(parts[LANGUAGE_BLIND]),
        "targets": TARGETS,
        "summary_page_answerable": vars(summarise(answerable)),
        "missing_judged_keys": missing_judgements(queries, keys),
        "outcomes": [
            {
                "id": o.query.id,
                "q": o.query.text,
                "language": o.query.language,
                "blind": o.query.blind,
                "tags": list(o.query.tags),
                "professional": o.query.professional,
                "rank": o.rank,
                "results": [{"key": k, "title": t} for k, t in zip(o.result_keys, o.result_titles)],
            }
            for o in outcomes
        ],
    }


# --- outside Django: orchestration ------------------------------------------------------------


def _is_postgres(url):
    return url.startswith(("postgres://", "postgresql://", "pgsql://"))


def wanted_engines(spec, env):
    spec = (spec or "auto").strip().lower()
    if spec == "auto":
        engines = ["sqlite"]
        if _is_postgres(env.get("DATABASE_URL", "")):
            engines.append("postgresql")
        if env.get("ELASTICSEARCH_URL"):
            engines.append("elasticsearch")
        return engines
    if spec == "all":
        return ["sqlite", "simplemma", "postgresql", "elasticsearch"]
    engines = [name.strip() for name in spec.split(",") if name.strip()]
    unknown = [name for name in engines if name not in ENGINE_ORDER]
    if unknown:
        raise SystemExit(f"unknown engines {unknown}; choose from auto, all, {', '.join(ENGINE_ORDER)}")
    return engines


def start_server(script, state_dir, variable):
    """Start a throwaway server with a .ci script; returns the URL it exported."""
    env = {**os.environ, "STATE_DIR": str(state_dir)}
    subprocess.run(["bash", str(ROOT / ".ci" / script), "start"], check=True, env=env, cwd=ROOT)
    env_file = state_dir / script.replace(".sh", ".env")
    for line in env_file.read_text().splitlines():
        words = shlex.split(line)
        if len(words) == 2 and words[0] == "export" and words[1].startswith(f"{variable}="):
            return words[1].split("=", 1)[1]
    raise RuntimeError(f"{env_file} does not export {variable}")


def stop_server(script, state_dir):
    env = {**os.environ, "STATE_DIR": str(state_dir)}
    subprocess.run(["bash", str(ROOT / ".ci" / script), "stop"], check=False, env=env, cwd=ROOT)


def run_child(config, labels, env, var_dir, queries_path):
    """One database configuration in a child process; its payloads from a JSON file."""
    out_file = var_dir / f"{config}.json"
    out_file.unlink(missing_ok=True)
    child_env = {
        **env,
        "OVI_VAR_DIR": str(var_dir / config),
        "DJANGO_SETTINGS_MODULE": "portal.settings.test",
    }
    command = [
        sys.executable,
        "-m",
        "bench.relevance",
        "--measure",
        config,
        "--labels",
        ",".join(labels),
        "--out",
        str(out_file),
        "--queries",
        str(queries_path),
    ]
    completed = subprocess.run(command, env=child_env, cwd=ROOT)
    if completed.returncode != 0 or not out_file.exists():
        print(f"relevance: the {config} run failed (exit {completed.returncode})", file=sys.stderr)
        return {}
    return json.loads(out_file.read_text())


def payload_parts(payload):
    """{"all" | PAGE_LANGUAGE | LANGUAGE_BLIND: Summary} of a result payload."""
    from bench.relevance_metrics import Summary

    return {
        "all": Summary(**payload["summary"]),
        PAGE_LANGUAGE: Summary(**payload["summary_page_language"]),
        LANGUAGE_BLIND: Summary(**payload["summary_language_blind"]),
    }


def report(payloads):
    """Print the tables and the misses; returns True when every engine meets both targets."""
    from bench.relevance_metrics import Summary

    labels = sorted(payloads, key=_label_order)
    print()
    print(format_parts_table([(label, payload_parts(payloads[label])) for label in labels]))
    answerable = [(label, Summary(**payloads[label]["summary_page_answerable"])) for label in labels]
    if answerable and answerable[0][1].queries:
        print()
        print(
            f"Queries with a Wagtail page among their answers (what the baseline can find at all): "
            f"{answerable[0][1].queries}"
        )
        print(format_table(answerable))
    ok = True
    for label in labels:
        payload = payloads[label]
        missed = [o for o in payload["outcomes"] if o["rank"] is None or o["rank"] > 3]
        if label.startswith(BASELINE_PREFIX):
            print(f"\n{label}: {len(missed)} queries missed at 3 (baseline, not listed)")
            continue
        below = shortfalls(payload_parts(payload))
        if below:
            ok = False
        verdict = "; ".join(f"{part} {value:.3f} < {target:.2f}" for part, value, target in below)
        print(
            f"\n{label}: {len(missed)} queries missed at 3" + (f" (below target: {verdict})" if below else "")
        )
        for outcome in missed:
            first = outcome["results"][0] if outcome["results"] else None
            came = f"{first['title']} ({first['key'].split(':')[0]})" if first else "(no results)"
            rank = outcome["rank"] or "-"
            sent = "no lang" if outcome.get("blind") else outcome["language"]
            print(
                f"  {outcome['id']:<45} {outcome['q']!r:<42} [{sent}] rank {rank!s:<3} first: {came}"
                f"  tags: {','.join(outcome['tags'])}"
            )
        if payload["missing_judged_keys"]:
            print(f"  judged results missing from the index: {payload['missing_judged_keys']}")
    return ok


def _label_order(label):
    base = label.removeprefix(BASELINE_PREFIX)
    position = ENGINE_ORDER.index(base) if base in ENGINE_ORDER else len(ENGINE_ORDER)
    return (label.startswith(BASELINE_PREFIX), position, label)


def write_results(payloads):
    RESULTS_DIR.mkdir(exist_ok=True)
    for label, payload in payloads.items():
        path = RESULTS_DIR / f"relevance-{label}.json"
        path.write_text(json.dumps(payload, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


def orchestrate(spec, queries_path):
    env = dict(os.environ)
    engines = wanted_engines(spec, env)
    base_var = Path(env.get("OVI_VAR_DIR") or ROOT / "var") / "relevance"
    base_var.mkdir(parents=True, exist_ok=True)
    state_dir = base_var / "ci"
    started = []
    try:
        if "postgresql" in engines and not _is_postgres(env.get("DATABASE_URL", "")):
            env["DATABASE_URL"] = start_server("postgres.sh", state_dir, "DATABASE_URL")
            started.append("postgres.sh")
        if "elasticsearch" in engines and not env.get("ELASTICSEARCH_URL"):
            env["ELASTICSEARCH_URL"] = start_server("elasticsearch.sh", state_dir, "ELASTICSEARCH_URL")
            started.append("elasticsearch.sh")

        payloads = {}
        sqlite_labels = [label for label in ("sqlite", "elasticsearch", "simplemma") if label in engines]
        if sqlite_labels:
            sqlite_env = {k: v for k, v in env.items() if k != "DATABASE_URL"}
            payloads.update(run_child("sqlite", sqlite_labels, sqlite_env, base_var, queries_path))
        if "postgresql" in engines:
            pg_env = {k: v for k, v in env.items() if k != "ELASTICSEARCH_URL"}
            payloads.update(run_child("postgresql", ["postgresql"], pg_env, base_var, queries_path))
    finally:
        for script in reversed(started):
            stop_server(script, state_dir)

    write_results(payloads)
    ok = report(payloads)
    expected = set(engines) | {BASELINE_PREFIX + e for e in engines if e in ("sqlite", "postgresql")}
    failed_runs = sorted(expected - set(payloads))
    if failed_runs:
        print(f"\nno results for: {', '.join(failed_runs)}", file=sys.stderr)
    print(
        f"\nResults in {RESULTS_DIR.relative_to(ROOT)}/relevance-<engine>.json; "
        "targets on every engine: success@3 >= "
        + " and ".join(f"{target:.2f} {part}" for part, target in TARGETS.items())
        + "."
    )
    return 0 if ok and not failed_runs else 1


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--engines", default=os.environ.get("RELEVANCE_ENGINES", "auto"))
    parser.add_argument("--queries", default=str(QUERIES_FILE))
    parser.add_argument("--measure", help=argparse.SUPPRESS)  # child process: sqlite | postgresql
    parser.add_argument("--labels", help=argparse.SUPPRESS)
    parser.add_argument("--out", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.measure:
        payloads = measure(args.measure, args.labels.split(","), args.queries)
        Path(args.out).write_text(json.dumps(payloads, ensure_ascii=False), encoding="utf-8")
        return 0
    return orchestrate(args.engines, Path(args.queries))


if __name__ == "__main__":
    sys.exit(main())
