"""Serving, load and faults on ONE production stack: the stack's setup (PostgreSQL,
Elasticsearch, Redis, collectstatic, migrate, demo content, national rows, index
rebuild) takes 20-30 minutes at national scale, so the three share it.

    python -m bench.production                  # national scale (BENCH_SCALE=1)
    make bench-production

In this order, each as `python -m bench.<name>` runs it (same measurements, same
bench/results/<name>.{json,md}):

1. bench.serving, on the fresh stack (as on its own, but with Elasticsearch
   running: load and faults need it);
2. bench.load;
3. bench.faults, last: it kills Elasticsearch, PostgreSQL and the workers.

Between two of them: every gunicorn stopped (the next starts its own, so no worker
has answered its queries yet), the task queue drained (the edits of the one before
are in the index) and the worker stopped, Redis emptied (no page cache carried
over), and the logs in logs/<name>/ of the stack's dir (load and faults read the
gunicorn and worker logs).

Settings (environment): BENCH_SCALE (1.0) and those of each module (SERVING_*,
LOAD_*, FAULT_*; see their docstrings), BENCH_STACK_DIR (keep the work dir),
BENCH_PRODUCTION_TIMEOUT (the whole run at most, seconds: 14400; then everything
started is stopped).
"""

import os
import signal
import sys
import time
import traceback

from bench import faults, load, serving
from bench.stack import Stack, log

PHASES = (("serving", serving), ("load", load), ("faults", faults))  # faults last: it kills servers
DRAIN_TIMEOUT = 300


class OutOfTime(BaseException):
    """BENCH_PRODUCTION_TIMEOUT reached (a BaseException: no phase's `except Exception` stops it)."""


def _out_of_time(signum, frame):
    raise OutOfTime("bench.production: BENCH_PRODUCTION_TIMEOUT reached")


def reset(stack):
    """Between two benchmarks: the next one finds the stack as after setup."""
    for web in list(stack.gunicorns):
        stack.stop_gunicorn(web)
    if stack.worker is not None and stack.worker.poll() is None:
        # Let the worker finish what the last benchmark queued (its edits' index updates),
        # so the next one neither pays for them nor finds the index stale.
        deadline = time.monotonic() + DRAIN_TIMEOUT
        while True:
            status = faults.helper(stack, "task-status", {}, timeout=120)
            if "error" in status:
                log(f"reset: task status unknown: {status['error'][:500]}")
                break
            if not status["ready_or_running"]:
                break
            if time.monotonic() > deadline:
                log(f"reset: tasks still queued after {DRAIN_TIMEOUT}s: {status['tasks_by_status']}")
                break
            time.sleep(2)
        if status.get("pending_index_updates"):
            log(f"reset: {status['pending_index_updates']} Elasticsearch updates still queued")
    stack.stop_worker()
    stack.flush_redis()


def main():
    scale = float(os.environ.get("BENCH_SCALE", "1"))
    limit = int(os.environ.get("BENCH_PRODUCTION_TIMEOUT", "14400"))
    signal.signal(signal.SIGALRM, _out_of_time)
    signal.alarm(limit)
    begun = time.perf_counter()
    seconds, codes = {}, {}
    with Stack(postgres=True, elasticsearch=True, redis=True, scale=scale, name="production") as stack:
        seconds["setup"] = round(time.perf_counter() - begun, 1)
        log(f"stack set up in {seconds['setup']} s: {stack.timings}")
        for number, (name, module) in enumerate(PHASES):
            if number:
                started = time.perf_counter()
                reset(stack)
                seconds[f"reset before {name}"] = round(time.perf_counter() - started, 1)
            stack.use_logs(name)
            started = time.perf_counter()
            log(f"--- {name} ---")
            try:
                codes[name] = module.run(stack)
            except Exception:
                # The other benchmarks still run on the stack (its setup is the costly part).
                traceback.print_exc()
                codes[name] = "error"
            seconds[name] = round(time.perf_counter() - started, 1)
            log(f"{name} done in {seconds[name]} s (exit {codes[name]})")
        signal.alarm(0)  # the stack's own stop() is bounded; it must not be cut short
    seconds["total"] = round(time.perf_counter() - begun, 1)
    print("bench.production, seconds per phase: " + ", ".join(f"{k} {v}" for k, v in seconds.items()))
    print(f"stack setup: {stack.timings}")
    print("exit codes: " + ", ".join(f"{k} {v}" for k, v in codes.items()))
    if "error" in codes.values():
        return 2
    return 0 if all(code == 0 for code in codes.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
