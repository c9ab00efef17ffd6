"""Load test: locust (headless) against gunicorn + PostgreSQL + Elasticsearch +
Redis with the national-scale directory, task worker running.

    make load                                   # 50 users, spawn rate 10, 5 minutes, BENCH_SCALE=1
    BENCH_SCALE=0.1 LOAD_TIME=60s make load     # a quick run

Users (bench/locustfile.py): residents, signed-in professionals and API
clients. Reported per request type: requests, req/s, p50/p95/p99 (ms) and
failures; the error count must be 0.

Settings (environment): BENCH_SCALE (1.0), LOAD_USERS (50), LOAD_SPAWN_RATE (10),
LOAD_TIME (5m), LOAD_WORKERS (gunicorn workers; default the production
configuration's: 2 per CPU), LOAD_WAIT_MIN / LOAD_WAIT_MAX (seconds between a
user's requests, 1 and 3).
Results: bench/results/load.json and load.md.
"""

import csv
import json
import os
import platform
import re
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

from bench.stack import PYTHON, ROOT, Stack, log

RESULTS_DIR = ROOT / "bench" / "results"
LOCUST = str(Path(PYTHON).parent / "locust")


def parse_duration(text):
    match = re.fullmatch(r"(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s?)?", text.strip())
    if not match or not any(match.groups()):
        raise ValueError(f"bad duration {text!r} (e.g. 5m, 60s, 1h30m)")
    hours, minutes, seconds = (int(g or 0) for g in match.groups())
    return hours * 3600 + minutes * 60 + seconds


def start_locust(stack, url, *, users, spawn_rate, run_time_s, prefix):
    """Start locust headless in the background; returns the Popen (killed with the stack)."""
    env = {**os.environ, "LOAD_FIXTURES": str(stack.dir / "fixtures.json")}
    command = [
        LOCUST,
        "-f",
        str(ROOT / "bench" / "locustfile.py"),
        "--headless",
        "--host",
        url,
        "--users",
        str(users),
        "--spawn-rate",
        str(spawn_rate),
        "--run-time",
        f"{run_time_s}s",
        "--stop-timeout",
        "10",
        "--csv",
        str(prefix),
        "--only-summary",
        "--loglevel",
        "WARNING",
        "--exit-code-on-error",
        "0",
    ]
    log_file = open(stack.logs / f"{Path(prefix).name}-locust.log", "w")
    process = subprocess.Popen(
        command, cwd=ROOT, env=env, stdout=log_file, stderr=subprocess.STDOUT, start_new_session=True
    )
    stack.processes.append(process)
    return process


def wait_locust(process, run_time_s):
    try:
        process.wait(timeout=run_time_s + 120)
    except subprocess.TimeoutExpired:
        log("locust did not finish in time; killing it")
        os.killpg(process.pid, 9)
        process.wait(timeout=10)
    return process.returncode


def read_locust(prefix):
    """Per request type: requests, failures, req/s, p50/p95/p99, from locust's CSV files."""
    rows = {}
    with open(f"{prefix}_stats.csv", newline="") as handle:
        for row in csv.DictReader(handle):
            name = row["Name"] if row["Type"] in ("", None) else f"{row['Name']}"
            rows[name] = {
                "method": row["Type"],
                "requests": int(row["Request Count"]),
                "failures": int(row["Failure Count"]),
                "req_per_s": round(float(row["Requests/s"]), 2),
                "p50_ms": _number(row.get("50%")),
                "p95_ms": _number(row.get("95%")),
                "p99_ms": _number(row.get("99%")),
                "max_ms": _number(row.get("Max Response Time")),
                "mean_ms": _number(row.get("Average Response Time")),
            }
    failures = []
    path = Path(f"{prefix}_failures.csv")
    if path.exists():
        with open(path, newline="") as handle:
            for row in csv.DictReader(handle):
                failures.append(
                    {
                        "method": row["Method"],
                        "name": row["Name"],
                        "error": row["Error"][:300],
                        "occurrences": int(row["Occurrences"]),
                    }
                )
    exceptions = []
    path = Path(f"{prefix}_exceptions.csv")
    if path.exists():
        with open(path, newline="") as handle:
            for row in csv.DictReader(handle):
                exceptions.append({k: (v or "")[:500] for k, v in row.items()})
    return rows, failures, exceptions


def _number(value):
    try:
        return round(float(value), 1)
    except (TypeError, ValueError):
        return None


def stats_table(rows):
    lines = [
        "| request type | requests | req/s | p50 (ms) | p95 (ms) | p99 (ms) | max (ms) | failures |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for name, row in sorted(rows.items(), key=lambda item: (item[0] == "Aggregated", item[0])):
        label = f"**{name}**" if name == "Aggregated" else name
        lines.append(
            f"| {label} | {row['requests']} | {row['req_per_s']} | {row['p50_ms']} | {row['p95_ms']} | "
            f"{row['p99_ms']} | {row['max_ms']} | {row['failures']} |"
        )
    return lines


def markdown(payload):
    total = payload["requests"]["Aggregated"]
    lines = [
        f"# Load test (scale {payload['scale']})",
        "",
        f"Measured {payload['measured_at']} on {payload['machine']['cpus']} CPUs: locust {payload['locust']} "
        f"(same machine), {payload['users']} users (spawn rate {payload['spawn_rate']}/s, wait "
        f"{payload['wait_s'][0]}–{payload['wait_s'][1]} s between a user's requests), {payload['run_time_s']} s; "
        f"gunicorn {payload['gunicorn_workers']} sync workers, production settings, PostgreSQL 15, "
        f"Elasticsearch 8.19, Redis page cache, task worker; {payload['documents']} search documents. "
        "Percentiles are locust's (rounded to its buckets). "
        f"Machine load average at the end: {payload['machine']['load_average_at_end']} (other jobs share the CPUs). "
        "How to read this: docs/benchmarks.md.",
        "",
        f"- throughput: **{total['req_per_s']} req/s**, {total['requests']} requests",
        f"- errors: **{payload['errors']}** (target 0): {'pass' if payload['errors'] == 0 else '**fail**'}",
        "",
        *stats_table(payload["requests"]),
        "",
    ]
    if payload["failures"]:
        lines += ["## Failures", "", "| request | error | occurrences |", "|---|---|---:|"]
        lines += [
            f"| {f['method']} {f['name']} | {f['error']} | {f['occurrences']} |" for f in payload["failures"]
        ]
        lines.append("")
    if payload.get("server_errors"):
        lines += ["## Server log errors (gunicorn)", "", "```", *payload["server_errors"][:20], "```", ""]
    return "\n".join(lines) + "\n"


def server_errors(stack):
    """Tracebacks and error lines from the gunicorn logs."""
    from collections import Counter

    found = Counter()
    for path in stack.logs.glob("gunicorn*.log"):
        for line in path.read_text(errors="replace").splitlines():
            if re.search(
                r"^Internal Server Error|^[\w.]+(Error|Exception)\b|\[CRITICAL\]|WORKER TIMEOUT|"
                r"\[ERROR\]|unavailable, using the database engine",
                line,
            ):
                # Counted by kind: numbers, ports and paths vary.
                found[re.sub(r"\d+", "N", line[:200])] += 1
    return [f"{count} × {line}" for line, count in found.most_common()]


def main():
    begun = time.perf_counter()
    scale = float(os.environ.get("BENCH_SCALE", "1"))
    with Stack(postgres=True, elasticsearch=True, redis=True, scale=scale, name="load") as stack:
        return run(stack, begun=begun)


def run(stack, begun=None):
    """The load test on a started stack (main() above, or bench.production's shared one);
    writes bench/results/load.{json,md}. Exit code: 0 when there was no error.
    gunicorn and the task worker it starts are left running (stopped with the stack)."""
    if begun is None:
        begun = time.perf_counter()
    scale = stack.scale
    users = int(os.environ.get("LOAD_USERS", "50"))
    spawn_rate = float(os.environ.get("LOAD_SPAWN_RATE", "10"))
    run_time_s = parse_duration(os.environ.get("LOAD_TIME", "5m"))
    workers = int(os.environ["LOAD_WORKERS"]) if os.environ.get("LOAD_WORKERS") else None
    web = stack.start_gunicorn(workers=workers)
    worker_count = len(web.worker_pids())
    stack.start_worker()
    prefix = stack.dir / "load"
    log(f"locust: {users} users for {run_time_s}s against {web.url}")
    process = start_locust(
        stack, web.url, users=users, spawn_rate=spawn_rate, run_time_s=run_time_s, prefix=prefix
    )
    wait_locust(process, run_time_s)
    rows, failures, exceptions = read_locust(prefix)
    errors_in_log = server_errors(stack)
    info = {
        "name": stack.name,
        "documents": stack.fixtures["documents"],
        "counts": stack.fixtures["counts"],
        "timings": stack.timings,
    }
    errors = sum(row["failures"] for name, row in rows.items() if name != "Aggregated")
    payload = {
        "benchmark": "load",
        "measured_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "scale": scale,
        "machine": {
            "python": platform.python_version(),
            "processor": platform.machine(),
            "cpus": os.cpu_count(),
            "load_average_at_end": [round(x, 2) for x in os.getloadavg()],
        },
        "locust": _version("locust"),
        "users": users,
        "spawn_rate": spawn_rate,
        "run_time_s": run_time_s,
        "wait_s": [float(os.environ.get("LOAD_WAIT_MIN", "1")), float(os.environ.get("LOAD_WAIT_MAX", "3"))],
        "gunicorn_workers": worker_count,
        "documents": info["documents"],
        "stack": info,
        "errors": errors,
        "target_errors": 0,
        "pass": errors == 0,
        "requests": rows,
        "failures": failures,
        "exceptions": exceptions,
        "server_errors": errors_in_log[:200],
        "total_wall_s": round(time.perf_counter() - begun, 1),
    }
    RESULTS_DIR.mkdir(exist_ok=True)
    (RESULTS_DIR / "load.json").write_text(json.dumps(payload, indent=2, ensure_ascii=False) + "\n")
    table = markdown(payload)
    (RESULTS_DIR / "load.md").write_text(table)
    print(table)
    return 0 if payload["pass"] else 1


def _version(name):
    from importlib.metadata import version

    try:
        return version(name)
    except Exception:
        return "?"


if __name__ == "__main__":
    sys.exit(main())
