"""Small benchmark harness: timing helpers and result files.

Benchmarks are modules named bench/bench_*.py with a `run()` function that
returns a list of result rows ({"name", "unit", "value", ...}). The runner
writes them to bench/results/<module>.json and a Markdown table.
"""

import json
import platform
import statistics
import time
from datetime import UTC, datetime
from pathlib import Path

RESULTS_DIR = Path(__file__).resolve().parent / "results"


def percentile(samples, fraction):
    ordered = sorted(samples)
    index = min(len(ordered) - 1, max(0, round(fraction * (len(ordered) - 1))))
    return ordered[index]


def latency(name, call, *, repeat=200, warmup=20, target_p95_ms=None):
    """Call `call` repeatedly and report p50/p95 latency in milliseconds."""
    for _ in range(warmup):
        call()
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        call()
        samples.append((time.perf_counter() - started) * 1000)
    return {
        "name": name,
        "unit": "ms",
        "p50": round(statistics.median(samples), 2),
        "p95": round(percentile(samples, 0.95), 2),
        "samples": repeat,
        "target_p95": target_p95_ms,
    }


def write_results(module_name, rows):
    RESULTS_DIR.mkdir(exist_ok=True)
    payload = {
        "benchmark": module_name,
        "measured_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": {"python": platform.python_version(), "processor": platform.machine()},
        "results": rows,
    }
    (RESULTS_DIR / f"{module_name}.json").write_text(json.dumps(payload, indent=2) + "\n")
    lines = [
        f"# {module_name}",
        "",
        "| measurement | p50 (ms) | p95 (ms) | target p95 (ms) | samples |",
        "|---|---:|---:|---:|---:|",
    ]
    for row in rows:
        target = row.get("target_p95") or "–"
        lines.append(f"| {row['name']} | {row['p50']} | {row['p95']} | {target} | {row['samples']} |")
    table = "\n".join(lines) + "\n"
    (RESULTS_DIR / f"{module_name}.md").write_text(table)
    return table
