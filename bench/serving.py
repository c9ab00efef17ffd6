"""Serving through the production stack: gunicorn (production settings, 2 sync
workers) + PostgreSQL + Redis (shared page cache), national-scale directory.

    python -m bench.serving                     # national scale (BENCH_SCALE=1)
    BENCH_SCALE=0.1 python -m bench.serving     # a quick run

Measured, each next to its target:

1. hello world (bench/hello.py under the same gunicorn settings) and the cached
   anonymous Finnish home page `/`, 16 concurrent connections, requests/s with
   `wrk` (Debian package; the load generator is a C program, so a Python
   client is not the bottleneck); target: the home page ≥ 50 % of hello world;
2. the uncached home page (OVI_PAGE_CACHE_SECONDS=0), one client, p95 ≤ 40 ms;
3. GET /api/v1/doors, uncached (page cache off), one client, p95 ≤ 25 ms, over
   every life situation × a set of postal codes (the busiest municipalities of
   the generated data and the big cities' centres);
4. a published change visible within 1 s: a service's name saved through the
   ORM in another process (`manage.py shell -c`), and a standard page's title
   published as a new revision, while the public page is polled through
   gunicorn (page cache on, as in production; task worker running).

Settings (environment): BENCH_SCALE (1.0), SERVING_SECONDS (wrk duration per
run, 20), SERVING_SAMPLES (single-client requests, 200), SERVING_CONNECTIONS (16).
Results: bench/results/serving.json and serving.md (docs/benchmarks.md).
"""

import http.client
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import threading
import time
from datetime import UTC, datetime
from urllib.parse import urlencode

from bench.stack import HOST, ROOT, Stack, log

RESULTS_DIR = ROOT / "bench" / "results"
TARGETS = {
    "home_cached_vs_hello_ratio": 0.5,
    "home_uncached_p95_ms": 40,
    "doors_uncached_p95_ms": 25,
    "publish_visible_s": 1.0,
}


def summarise(samples):
    ordered = sorted(samples)
    if not ordered:
        return {"n": 0}
    return {
        "n": len(ordered),
        "p50": round(statistics.median(ordered), 2),
        "p95": round(ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))], 2),
        "p99": round(ordered[min(len(ordered) - 1, round(0.99 * (len(ordered) - 1)))], 2),
        "mean": round(statistics.fmean(ordered), 2),
        "max": round(ordered[-1], 2),
    }


def timed_get(port, path, timeout=30):
    """(milliseconds, status, headers, body) of one GET on a fresh connection (gunicorn's
    sync workers close the connection after every answer, as a client sees it)."""
    started = time.perf_counter()
    connection = http.client.HTTPConnection(HOST, port, timeout=timeout)
    try:
        connection.request("GET", path, headers={"Host": f"{HOST}:{port}", "Accept-Language": "fi"})
        response = connection.getresponse()
        body = response.read()
        elapsed = (time.perf_counter() - started) * 1000
        return elapsed, response.status, dict(response.getheaders()), body
    finally:
        connection.close()


# --- wrk ----------------------------------------------------------------------------------------


def wrk(url, seconds, connections):
    binary = shutil.which("wrk")
    if not binary:
        raise RuntimeError("wrk is not installed (apt-get install -y wrk)")
    command = [binary, "-t1", f"-c{connections}", f"-d{seconds}s", "--latency", "--timeout", "10s", url]
    output = subprocess.run(command, capture_output=True, text=True, timeout=seconds + 60).stdout
    result = {"command": " ".join(command[1:]), "raw": output}
    match = re.search(r"Requests/sec:\s+([\d.]+)", output)
    result["requests_per_s"] = float(match.group(1)) if match else None
    match = re.search(r"(\d+) requests in", output)
    result["requests"] = int(match.group(1)) if match else None
    match = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    result["non_2xx"] = int(match.group(1)) if match else 0
    match = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output)
    result["socket_errors"] = sum(map(int, match.groups())) if match else 0
    for label in ("50%", "90%", "99%"):
        match = re.search(rf"^\s+{re.escape(label)}\s+([\d.]+)(us|ms|s)\s*$", output, re.M)
        if match:
            value, unit = float(match.group(1)), match.group(2)
            result[f"latency_{label.rstrip('%')}_ms"] = round(
                value / 1000 if unit == "us" else value * 1000 if unit == "s" else value, 2
            )
    return result


# --- the measurements -------------------------------------------------------------------------------


def measure_throughput(stack, seconds, connections):
    hello = stack.start_gunicorn(app="bench.hello:application", name="gunicorn-hello", port=_other_port())
    try:
        wrk(f"{hello.url}/", 3, connections)  # warm-up
        hello_result = wrk(f"{hello.url}/", seconds, connections)
    finally:
        stack.stop_gunicorn(hello)
    web = stack.start_gunicorn(name="gunicorn-cached")
    try:
        for _ in range(3):
            _, status, headers, _ = timed_get(web.port, "/")
        before = headers.get("X-Cache")
        wrk(f"{web.url}/", 3, connections)
        home = wrk(f"{web.url}/", seconds, connections)
        _, status, headers, _ = timed_get(web.port, "/")
        home["x_cache_before"] = before
        home["x_cache_after"] = headers.get("X-Cache")
    finally:
        stack.stop_gunicorn(web)
    ratio = (
        (home["requests_per_s"] or 0) / hello_result["requests_per_s"]
        if hello_result["requests_per_s"]
        else None
    )
    return {
        "hello": hello_result,
        "home_cached": home,
        "ratio": round(ratio, 3) if ratio is not None else None,
    }


def _other_port():
    from bench.stack import free_port

    return free_port()


def measure_single_client(stack, samples):
    web = stack.start_gunicorn(name="gunicorn-uncached", OVI_PAGE_CACHE_SECONDS=0)
    try:
        # Uncached home page
        for _ in range(20):
            _, status, headers, _ = timed_get(web.port, "/")
        if status != 200 or headers.get("X-Cache") == "hit":
            raise RuntimeError(f"home page uncached warm-up: {status} X-Cache={headers.get('X-Cache')}")
        home = []
        statuses = {}
        for _ in range(samples):
            elapsed, status, headers, _ = timed_get(web.port, "/")
            statuses[status] = statuses.get(status, 0) + 1
            home.append(elapsed)
        home_result = {**summarise(home), "statuses": statuses, "x_cache": headers.get("X-Cache")}

        # Door finder API: every situation x the postal codes, rounds until `samples`
        fixtures = stack.fixtures
        mix = [
            {"situation": s, "postal_code": p}
            for s in fixtures["situations"]
            for p in fixtures["postal_codes"]
        ]
        # The warm-up round is the first answer to each query since the server started:
        # what find_doors reads from the content is not yet memoized in the worker that
        # answers (portal.pathways), as after any edit. Reported beside the target.
        first_answers, first_statuses = [], {}
        for params in mix:
            elapsed, status, _, _ = timed_get(web.port, f"/api/v1/doors?{urlencode(params)}")
            first_answers.append(elapsed)
            first_statuses[status] = first_statuses.get(status, 0) + 1
        doors, statuses, scopes, door_counts = [], {}, {}, []
        per_query = {}
        rounds = max(1, -(-samples // len(mix)))
        for _ in range(rounds):
            for params in mix:
                elapsed, status, headers, body = timed_get(web.port, f"/api/v1/doors?{urlencode(params)}")
                statuses[status] = statuses.get(status, 0) + 1
                doors.append(elapsed)
                per_query.setdefault(f"{params['situation']}@{params['postal_code']}", []).append(elapsed)
                if status == 200:
                    data = json.loads(body)
                    scopes[data["scope"]] = scopes.get(data["scope"], 0) + 1
                    door_counts.append(len(data["doors"]))
        slowest = sorted(((statistics.median(v), k) for k, v in per_query.items()), reverse=True)[:5]
        doors_result = {
            **summarise(doors),
            "statuses": statuses,
            "scopes": scopes,
            "rounds": rounds,
            "mix_size": len(mix),
            "situations": fixtures["situations"],
            "postal_codes": fixtures["postal_codes"],
            "doors_per_answer": summarise(door_counts),
            "slowest_medians_ms": [{"query": k, "median_ms": round(v, 2)} for v, k in slowest],
            "x_cache": headers.get("X-Cache"),
            "first_answers": {**summarise(first_answers), "statuses": first_statuses},
        }
    finally:
        stack.stop_gunicorn(web)
    return home_result, doors_result


EDIT_SERVICE = """
import time
from directory.models import Service
service = Service.objects.get(uid={uid!r})
service.name_fi = {name!r}
print("SAVING", repr(time.time()))
service.save()
print("COMMITTED", repr(time.time()))
"""

EDIT_PAGE = """
import time
from portal.models import StandardPage
page = StandardPage.objects.get(id={page_id}).specific
page.title = {name!r}
print("SAVING", repr(time.time()))
page.save_revision().publish()
print("COMMITTED", repr(time.time()))
"""


def measure_publish(stack, trials=3):
    """Edit in another process, poll the public page until the new text shows."""
    web = stack.start_gunicorn(name="gunicorn-publish")
    stack.start_worker()
    results = []
    try:
        targets = [
            ("service name", EDIT_SERVICE, {"uid": uid}, url)
            for uid, url in zip(
                stack.fixtures["service_uids"][:trials], stack.fixtures["service_urls"][:trials]
            )
        ]
        targets += [
            ("page title", EDIT_PAGE, {"page_id": page["id"]}, page["url"])
            for page in stack.fixtures.get("standard_pages", [])[:trials]
        ]
        for number, (kind, template, args, url) in enumerate(targets, 1):
            marker = f"Muokattu {number} {int(time.time())}"
            for _ in range(3):  # the page is in the shared cache before the edit
                _, status, headers, body = timed_get(web.port, url)
            cached_before = headers.get("X-Cache")
            if status != 200:
                results.append({"kind": kind, "url": url, "error": f"HTTP {status} before the edit"})
                continue
            seen = {}
            stop = threading.Event()

            def poll(url=url, marker=marker, seen=seen, stop=stop):
                deadline = time.monotonic() + 90
                while not stop.is_set() and time.monotonic() < deadline:
                    _, status, headers, body = timed_get(web.port, url)
                    if status == 200 and marker.encode() in body:
                        seen["at"] = time.time()
                        seen["x_cache"] = headers.get("X-Cache")
                        return
                    time.sleep(0.01)

            poller = threading.Thread(target=poll, daemon=True)
            poller.start()
            code, output = stack.manage_output(
                "shell", "-c", template.format(name=marker, **args), timeout=120
            )
            match = re.search(r"COMMITTED ([\d.]+)", output)
            if code != 0 or not match:
                stop.set()
                results.append({"kind": kind, "url": url, "error": output[-1500:]})
                continue
            committed = float(match.group(1))
            saving = re.search(r"SAVING ([\d.]+)", output)
            poller.join(timeout=30)
            stop.set()
            entry = {"kind": kind, "url": url, "cached_before": cached_before}
            if "at" in seen:
                # From the moment save()/publish() returned (clamped at 0: the poll may see the change
                # while publish() still runs its after-commit work), and from the call itself.
                entry.update(
                    visible_after_s=round(max(0.0, seen["at"] - committed), 3),
                    x_cache=seen.get("x_cache"),
                    from_save_call_s=round(seen["at"] - float(saving.group(1)), 3) if saving else None,
                )
            else:
                entry["error"] = "not visible within 30 s of the commit"
            results.append(entry)
            log(f"publish: {entry}")
    finally:
        stack.stop_gunicorn(web)
    delays = [r["visible_after_s"] for r in results if "visible_after_s" in r]
    return {
        "trials": results,
        "max_s": max(delays) if delays else None,
        "all_visible": bool(results) and all("visible_after_s" in r for r in results),
    }


# --- report ------------------------------------------------------------------------------------------


def verdict(ok):
    return "pass" if ok else "**fail**"


def markdown(payload):
    r = payload["results"]
    t = payload["throughput"]
    lines = [
        f"# Serving through the production stack (scale {payload['scale']})",
        "",
        f"Measured {payload['measured_at']} on {payload['machine']['cpus']} CPUs; gunicorn "
        f"{payload['stack']['gunicorn']}, 2 sync workers, production settings, PostgreSQL 15, Redis page cache; "
        + (
            # bench.production: one stack for serving, load and faults, so Elasticsearch runs here too
            "Elasticsearch 8.19 running too (one stack shared with the load and fault runs: bench.production); "
            if payload["stack"].get("elasticsearch")
            else ""
        )
        + f"{payload['stack']['documents']} search documents. Load generator: {payload['load_generator']} "
        f"(1 thread, {payload['connections']} connections, {payload['seconds']} s per run) on the same 2 CPUs. "
        f"Machine load average (1, 5, 15 min) at the end: {payload['load_average_at_end']} "
        "(other jobs share these CPUs: figures are pessimistic when it is above ~1). "
        "How to read this: docs/benchmarks.md.",
        "",
        "| measurement | value | target | result |",
        "|---|---:|---:|---|",
        f"| hello world (bench/hello.py), req/s | {t['hello']['requests_per_s']} | – | – |",
        f"| cached home page `/` (X-Cache: {t['home_cached'].get('x_cache_after')}), req/s | "
        f"{t['home_cached']['requests_per_s']} | – | – |",
        f"| cached home page / hello world | {r['home_cached_vs_hello_ratio']['value']:.0%} | ≥ 50 % | "
        f"{verdict(r['home_cached_vs_hello_ratio']['pass'])} |",
        f"| uncached home page, one client, p95 (ms) | {r['home_uncached_p95_ms']['value']} | ≤ 40 | "
        f"{verdict(r['home_uncached_p95_ms']['pass'])} |",
        f"| GET /api/v1/doors, uncached, one client, p95 (ms) | {r['doors_uncached_p95_ms']['value']} | ≤ 25 | "
        f"{verdict(r['doors_uncached_p95_ms']['pass'])} |",
        f"| published change visible, worst of {len(payload['publish']['trials'])} (s) | "
        f"{r['publish_visible_s']['value']} | ≤ 1 | {verdict(r['publish_visible_s']['pass'])} |",
        "",
        "## Details",
        "",
        "| measurement | n | p50 | p95 | p99 | max | errors |",
        "|---|---:|---:|---:|---:|---:|---|",
    ]
    for label, key in (("hello world (wrk)", "hello"), ("cached home page (wrk)", "home_cached")):
        w = t[key]
        lines.append(
            f"| {label} | {w['requests']} | {w.get('latency_50_ms')} | – | {w.get('latency_99_ms')} | – | "
            f"non-2xx {w['non_2xx']}, socket {w['socket_errors']} |"
        )
    for label, s in (
        ("uncached home page, one client", payload["home_uncached"]),
        ("doors API, uncached, one client", payload["doors"]),
        (
            "doors API, first answer to each query (content not memoized)",
            payload["doors"].get("first_answers"),
        ),
    ):
        if not s:
            continue
        lines.append(
            f"| {label} | {s['n']} | {s['p50']} | {s['p95']} | {s['p99']} | {s['max']} | "
            f"statuses {s['statuses']} |"
        )
    d = payload["doors"]
    lines += [
        "",
        f"Door finder mix: {len(d['situations'])} life situations × {len(d['postal_codes'])} postal codes "
        f"({d['mix_size']} queries, {d['rounds']} rounds after a warm-up round); answers by scope {d['scopes']}, "
        f"doors per answer p50 {d['doors_per_answer'].get('p50')} max {d['doors_per_answer'].get('max')}. "
        f"Slowest medians: "
        + ", ".join(f"{q['query']} {q['median_ms']} ms" for q in d["slowest_medians_ms"])
        + ".",
        "",
        "Published change (edit committed in another process → first poll through gunicorn that shows it; "
        "page cache on, task worker running):",
        "",
    ]
    for trial in payload["publish"]["trials"]:
        shown = (
            f"{trial['visible_after_s']} s (X-Cache {trial.get('x_cache')})"
            if "visible_after_s" in trial
            else f"**{trial.get('error', '')[:300]}**"
        )
        if "from_save_call_s" in trial:
            shown += f"; {trial['from_save_call_s']} s from the start of the save call"
        lines.append(f"- {trial['kind']} `{trial['url']}`: {shown}")
    lines.append("")
    return "\n".join(lines) + "\n"


def main():
    begun = time.perf_counter()
    load_at_start = [round(x, 2) for x in os.getloadavg()]
    scale = float(os.environ.get("BENCH_SCALE", "1"))
    with Stack(postgres=True, elasticsearch=False, redis=True, scale=scale, name="serving") as stack:
        return run(stack, begun=begun, load_at_start=load_at_start)


def run(stack, begun=None, load_at_start=None):
    """The measurements on a started stack (main() above, or bench.production's shared
    one); writes bench/results/serving.{json,md}. Exit code: 0 when every target is met."""
    if begun is None:
        begun = time.perf_counter()
    if load_at_start is None:
        load_at_start = [round(x, 2) for x in os.getloadavg()]
    scale = stack.scale
    seconds = int(os.environ.get("SERVING_SECONDS", "20"))
    samples = int(os.environ.get("SERVING_SAMPLES", "200"))
    connections = int(os.environ.get("SERVING_CONNECTIONS", "16"))
    _add_standard_pages(stack)
    throughput = measure_throughput(stack, seconds, connections)
    home, doors = measure_single_client(stack, samples)
    publish = measure_publish(stack)
    stack_info = {
        "name": stack.name,
        "elasticsearch": bool(stack.elasticsearch_url),
        "documents": stack.fixtures["documents"],
        "counts": stack.fixtures["counts"],
        "timings": stack.timings,
        "gunicorn": _gunicorn_version(),
    }
    ratio = throughput["ratio"]
    results = {
        "home_cached_vs_hello_ratio": {
            "value": ratio,
            "target": TARGETS["home_cached_vs_hello_ratio"],
            "pass": ratio is not None and ratio >= TARGETS["home_cached_vs_hello_ratio"],
        },
        "home_uncached_p95_ms": {
            "value": home["p95"],
            "target": TARGETS["home_uncached_p95_ms"],
            "pass": home["p95"] <= TARGETS["home_uncached_p95_ms"],
        },
        "doors_uncached_p95_ms": {
            "value": doors["p95"],
            "target": TARGETS["doors_uncached_p95_ms"],
            "pass": doors["p95"] <= TARGETS["doors_uncached_p95_ms"],
        },
        "publish_visible_s": {
            "value": publish["max_s"],
            "target": TARGETS["publish_visible_s"],
            "pass": publish["all_visible"] and publish["max_s"] <= TARGETS["publish_visible_s"],
        },
    }
    payload = {
        "benchmark": "serving",
        "measured_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "scale": scale,
        "machine": {
            "python": platform.python_version(),
            "processor": platform.machine(),
            "cpus": os.cpu_count(),
        },
        "load_generator": _wrk_version(),
        "load_average_at_start": load_at_start,
        "load_average_at_end": [round(x, 2) for x in os.getloadavg()],
        "seconds": seconds,
        "connections": connections,
        "stack": stack_info,
        "targets": TARGETS,
        "results": results,
        "throughput": {
            k: ({kk: vv for kk, vv in v.items() if kk != "raw"} if isinstance(v, dict) else v)
            for k, v in throughput.items()
        },
        "wrk_output": {k: throughput[k]["raw"] for k in ("hello", "home_cached")},
        "home_uncached": home,
        "doors": doors,
        "publish": publish,
        "total_wall_s": round(time.perf_counter() - begun, 1),
    }
    RESULTS_DIR.mkdir(exist_ok=True)
    (RESULTS_DIR / "serving.json").write_text(json.dumps(payload, indent=2, ensure_ascii=False) + "\n")
    table = markdown(payload)
    (RESULTS_DIR / "serving.md").write_text(table)
    print(table)
    return 0 if all(item["pass"] for item in results.values()) else 1


def _add_standard_pages(stack):
    """The Finnish standard pages (id, url) for the page-title edit."""
    code, output = stack.manage_output(
        "shell",
        "-c",
        (
            "import json\nfrom portal.models import StandardPage\n"
            "print('PAGES', json.dumps([{'id': p.id, 'url': p.url} for p in "
            "StandardPage.objects.live().filter(locale__language_code='fi').order_by('id')]))"
        ),
        timeout=120,
    )
    match = re.search(r"PAGES (.*)", output)
    stack.fixtures["standard_pages"] = json.loads(match.group(1)) if match else []


def _gunicorn_version():
    from importlib.metadata import version

    try:
        return version("gunicorn")
    except Exception:
        return "?"


def _wrk_version():
    try:
        output = subprocess.run(["wrk", "-v"], capture_output=True, text=True, timeout=10)
        match = re.search(r"wrk ([\d.]+)", output.stdout + output.stderr)
        return f"wrk {match.group(1)}" if match else "wrk"
    except Exception:
        return "wrk"


if __name__ == "__main__":
    sys.exit(main())
