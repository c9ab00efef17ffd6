"""Fault injection under load: the production stack of `make load` (gunicorn +
PostgreSQL + Elasticsearch + Redis + task worker, national-scale directory)
with locust running (bench/locustfile.py), while this script, in order:

1. kills Elasticsearch (SIGKILL) and starts it again on the same data after
   FAULT_ES_DOWN seconds; an editor process saves a service every second from
   the kill until Elasticsearch is healthy again (index-updating edits during
   the outage, each logged with its commit time);
2. stops PostgreSQL (pg_ctl fast shutdown: open connections are cut) and starts
   it again after FAULT_PG_DOWN seconds;
3. SIGKILLs one gunicorn worker;
4. SIGKILLs the task worker in the middle of a task (a transaction that saves
   FAULT_TASK_SIZE services queues one large index update; the kill comes
   when that task is RUNNING) and starts a new worker.

Locust runs from the start until the faults are done (FAULT_TIME is an upper bound).

Two probes run beside locust, both uncached (they send a dummy session cookie,
which the page cache never serves): a search probe (GET /api/v1/search every
0.5 s: status and the engine that answered) and a service probe (/, the doors
API, a service page and /readyz in turn, every 0.25 s). Every locust request is
logged with its time (LOAD_EVENTS), so each outage has its own window.

Reported (bench/results/faults.{json,md}):
- failed searches during the Elasticsearch outage (target 0: the database engine answers);
- status codes during the PostgreSQL outage (only 503s allowed besides
  answers served from the page cache; no 500s) and the time from the server's
  restart to normal service (every probe answer 200 from then on);
- the killed task: its status after a new worker ran for up to FAULT_WORKER_WAIT s
  (a task left RUNNING for ever is a failure; the worker's lease is 60 s) and
  whether its updates reached the index;
- the gunicorn worker: failed requests around the kill, and the replacement worker;
- after the worker caught up: `manage.py search_index check` clean, every
  document edited during the Elasticsearch outage current in the database
  index and in Elasticsearch, and every committed edit present in the database.

Settings (environment): BENCH_SCALE (1.0), FAULT_USERS (50), FAULT_TIME (7m: the
longest locust may run; the faults take 4-6 minutes), FAULT_ES_DOWN (20 s),
FAULT_PG_DOWN (10 s), FAULT_TASK_SIZE (50), FAULT_WORKER_WAIT (150 s), LOAD_WAIT_MIN/MAX.
"""

import json
import os
import platform
import re
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlencode

from bench.load import parse_duration, read_locust, server_errors, start_locust, stats_table, wait_locust
from bench.stack import PYTHON, ROOT, Stack, http_get, log, wait_until

RESULTS_DIR = ROOT / "bench" / "results"
EDITED_SERVICES = 20  # the editor saves the first 20 sampled services; the large edit the next ones
PROBE_COOKIE = {
    "Cookie": "sessionid=bench-fault-probe"
}  # no such session: anonymous, never from the page cache
SEARCH_WORDS = ["perhekeskus", "neuvola", "terveysasema", "kotihoito", "päihdepalvelut", "palveluohjaus"]


# --- probes ----------------------------------------------------------------------------------------


# The longest wait for the worker to catch up after the faults, before the check.
CATCH_UP_SECONDS = 600


class Probe(threading.Thread):
    def __init__(self, name, base_url, paths, interval):
        super().__init__(daemon=True, name=name)
        self.base_url = base_url
        self.paths = paths
        self.interval = interval
        self.samples = []  # (time, label, status, ms, engine)
        self.stopped = threading.Event()

    def run(self):
        number = 0
        deadline = time.monotonic() + 3600
        while not self.stopped.is_set() and time.monotonic() < deadline:
            label, path = self.paths[number % len(self.paths)]
            number += 1
            started = time.perf_counter()
            status, headers, body = http_get(self.base_url + path, timeout=15, headers=PROBE_COOKIE)
            elapsed = (time.perf_counter() - started) * 1000
            engine = None
            if label == "search" and status == 200:
                try:
                    engine = json.loads(body).get("engine")
                except ValueError:
                    engine = "?"
            self.samples.append((time.time(), label, status, round(elapsed, 1), engine))
            self.stopped.wait(self.interval)

    def window(self, start, end):
        return [s for s in self.samples if start <= s[0] <= end]


def status_counts(samples, key=lambda s: s[1]):
    counts = {}
    for sample in samples:
        counts.setdefault(key(sample), Counter())[str(sample[2])] += 1
    return {k: dict(v) for k, v in counts.items()}


def read_events(path):
    events = []
    if Path(path).exists():
        for line in Path(path).read_text().splitlines():
            try:
                events.append(json.loads(line))
            except ValueError:
                pass
    return events


def event_window(events, start, end):
    return [e for e in events if start <= e["t"] <= end]


def event_statuses(events):
    counts = {}
    for event in events:
        counts.setdefault(event["name"], Counter())[str(event["status"])] += 1
    return {k: dict(v) for k, v in sorted(counts.items())}


# --- helper processes inside Django -----------------------------------------------------------------


def editor(args):
    """Save one service per second until the stop file appears; log each edit."""
    _django()
    from directory.models import Service

    uids = args["uids"]
    log_path = Path(args["log"])
    stop_path = Path(args["stop"])
    deadline = time.monotonic() + args.get("max_seconds", 600)
    number = 0
    with open(log_path, "a", buffering=1) as out:
        while not stop_path.exists() and time.monotonic() < deadline:
            number += 1
            uid = uids[number % len(uids)]
            name = f"Vikatesti {number} {int(time.time())}"
            started = time.time()
            try:
                service = Service.objects.get(uid=uid)
                service.name_fi = name
                service.save()
                out.write(
                    json.dumps({"n": number, "uid": uid, "name": name, "committed": time.time()}) + "\n"
                )
            except Exception as error:  # recorded: an edit refused is not an edit lost
                out.write(
                    json.dumps(
                        {"n": number, "uid": uid, "name": name, "error": repr(error)[:300], "at": started}
                    )
                    + "\n"
                )
                from django.db import connection

                connection.close()
            time.sleep(max(0.0, 1.0 - (time.time() - started)))


def big_edit(args):
    """Save many services in one transaction (one large index update task); print the tasks it
    queued, then the first of its index updates to start running (bounded)."""
    _django()
    from datetime import datetime as _datetime

    from django.db import transaction
    from django_tasks_db.models import DBTaskResult

    from directory.models import Service

    before = _datetime.fromtimestamp(time.time() - 1, tz=UTC)
    with transaction.atomic():
        for service in Service.objects.filter(uid__in=args["uids"]):
            service.name_fi = f"{service.name_fi.split(' [')[0]} [iso muokkaus {args['mark']}]"[:200]
            service.save()
    tasks = list(DBTaskResult.objects.filter(enqueued_at__gte=before).values_list("id", "task_path"))
    ids = [str(task_id) for task_id, _path in tasks]
    index_tasks = [str(task_id) for task_id, path in tasks if path == "search.tasks.update_objects"]
    print(
        "TASKS",
        json.dumps({"all": len(tasks), "ids": ids, "index": index_tasks, "committed": time.time()}),
        flush=True,
    )
    # The kill comes while one of the edit's tasks runs: its index update when the worker
    # reaches it within the first half of the time allowed, otherwise whichever runs.
    started = time.monotonic()
    deadline = started + args.get("timeout", 180)
    while ids and time.monotonic() < deadline:
        wanted = index_tasks if time.monotonic() - started < args.get("timeout", 180) / 2 else ids
        running = (
            DBTaskResult.objects.filter(id__in=wanted, status="RUNNING")
            .values_list("id", "task_path")
            .first()
        )
        if running:
            print("RUNNING", running[0], time.time(), running[1], flush=True)
            return
        time.sleep(0.02)
    print("RUNNING", "none", time.time(), "-", flush=True)


def task_status(args):
    _django()
    from django_tasks_db.models import DBTaskResult

    from search.models import PendingIndexUpdate

    ids = args.get("ids") or ([args["id"]] if args.get("id") else [])
    tasks = {
        str(task.id): {
            "status": task.status,
            "path": task.task_path,
            "started_at": str(task.started_at),
            "finished_at": str(task.finished_at),
            "worker_ids": task.worker_ids,
            "exception": task.exception_class_path,
        }
        for task in DBTaskResult.objects.filter(id__in=ids)
    }
    counts = Counter(DBTaskResult.objects.values_list("status", flat=True))
    print(
        "RESULT",
        json.dumps(
            {
                "tasks": tasks,
                "task": tasks.get(ids[0]) if ids else None,
                "tasks_by_status": dict(counts),
                "running": [
                    str(i) for i in DBTaskResult.objects.filter(status="RUNNING").values_list("id", flat=True)
                ],
                "ready_or_running": DBTaskResult.objects.filter(status__in=["READY", "RUNNING"]).count(),
                "pending_index_updates": PendingIndexUpdate.objects.count(),
            }
        ),
        flush=True,
    )


def _stale_differences(keys):
    """For stale keys: which fields of the indexed document differ from what its source
    renders now, with both values (shortened), to tell a lost update from a document
    that renders differently each time."""
    from search.documents import iter_all_documents
    from search.models import SearchEntry

    if not keys:
        return {}
    wanted = set(keys)
    fresh = {document.key: document.to_dict() for document in iter_all_documents() if document.key in wanted}
    stored = dict(SearchEntry.objects.filter(key__in=wanted).values_list("key", "document"))
    out = {}
    for key in keys:
        now, then = fresh.get(key) or {}, stored.get(key) or {}
        out[key] = {
            field: {"indexed": repr(then.get(field))[:300], "now": repr(now.get(field))[:300]}
            for field in sorted(set(now) | set(then))
            if now.get(field) != then.get(field)
        }
    return out


def verify(args):
    """Full check: index vs registry vs Elasticsearch, the outage edits, and the edits in the database."""
    _django()
    from directory.models import Service
    from search import indexing
    from search.documents import get_source

    report = indexing.check()
    edits = args["edits"]
    source = get_source("directory.service")
    last_name = {}
    for edit in edits:
        if "committed" in edit:
            last_name[edit["uid"]] = edit["name"]
    services = {str(s.uid): s for s in Service.objects.filter(uid__in=list(last_name))}
    lost = [
        uid for uid, name in last_name.items() if services.get(uid) is None or services[uid].name_fi != name
    ]
    outage_keys = sorted({source.key_for(services[uid]) for uid in last_name if uid in services})
    es = report.elasticsearch or {}
    problems = set(report.missing) | set(report.stale)
    es_problems = set(es.get("missing", [])) | set(es.get("stale", []))
    stale_differences = _stale_differences(report.stale[:5])
    big_keys = []
    if args.get("big_uids"):
        big_keys = sorted(source.key_for(s) for s in Service.objects.filter(uid__in=args["big_uids"]))
    print(
        "RESULT",
        json.dumps(
            {
                "check_ok": report.ok,
                "missing": report.missing[:50],
                "stale": report.stale[:50],
                "extra": report.extra[:50],
                "counts": {
                    "missing": len(report.missing),
                    "stale": len(report.stale),
                    "extra": len(report.extra),
                    "pending_updates": report.pending_updates,
                },
                "elasticsearch": {k: (v[:50] if isinstance(v, list) else v) for k, v in es.items()},
                "elasticsearch_counts": {k: len(v) for k, v in es.items() if isinstance(v, list)},
                "outage_edit_keys": len(outage_keys),
                "outage_keys_not_current_in_database_index": sorted(problems & set(outage_keys)),
                "outage_keys_not_current_in_elasticsearch": sorted(es_problems & set(outage_keys)),
                "edits_committed": sum(1 for e in edits if "committed" in e),
                "edits_refused": sum(1 for e in edits if "error" in e),
                "edits_lost": lost,
                "big_edit_keys": len(big_keys),
                "big_edit_keys_not_current": len((problems | es_problems) & set(big_keys)),
                "stale_differences": stale_differences,
            }
        ),
        flush=True,
    )


def _django():
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def helper(stack, name, args, timeout=300):
    """Run a helper above in a process of its own (production settings); its RESULT/TASK lines."""
    try:
        result = subprocess.run(
            [PYTHON, "-m", "bench.faults", f"--{name}", json.dumps(args)],
            cwd=ROOT,
            env=stack.env(),
            capture_output=True,
            text=True,
            timeout=timeout,
        )
    except subprocess.TimeoutExpired:
        return {"error": f"{name} timed out after {timeout}s"}
    match = re.search(r"^RESULT (.*)$", result.stdout, re.M)
    if not match:
        return {"error": f"{name} exited {result.returncode}: {(result.stdout + result.stderr)[-2000:]}"}
    return json.loads(match.group(1))


# --- the faults ---------------------------------------------------------------------------------------


def elasticsearch_outage(stack, down_s, edit_uids):
    edit_log = stack.dir / "edits.jsonl"
    stop_file = stack.dir / "edits.stop"
    out = {"down_s": down_s}
    out["killed_at"] = time.time()
    out["pid"] = stack.es_kill()
    log(f"fault: Elasticsearch killed (pid {out['pid']})")
    editor_process = subprocess.Popen(
        [
            PYTHON,
            "-m",
            "bench.faults",
            "--editor",
            json.dumps({"uids": edit_uids, "log": str(edit_log), "stop": str(stop_file), "max_seconds": 900}),
        ],
        cwd=ROOT,
        env=stack.env(),
        stdout=open(stack.logs / "editor.log", "a"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    stack.processes.append(editor_process)
    time.sleep(down_s)
    out["restart_at"] = time.time()
    try:
        stack.es_start()
        out["healthy_at"] = time.time()
        log(f"fault: Elasticsearch healthy again after {out['healthy_at'] - out['killed_at']:.0f}s")
    except Exception as error:
        out["restart_error"] = str(error)
        log(f"fault: Elasticsearch restart failed: {error}")
    time.sleep(3)
    stop_file.write_text("stop")
    try:
        editor_process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(editor_process.pid, signal.SIGKILL)
    out["edits"] = read_events(edit_log)
    out["edits_ended_at"] = time.time()
    return out


def postgres_outage(stack, down_s, probe):
    out = {"down_s": down_s}
    out["stop_at"] = time.time()
    stack.pg_stop()
    out["stopped_at"] = time.time()
    log("fault: PostgreSQL stopped")
    time.sleep(down_s)
    stack.pg_start()
    out["started_at"] = time.time()
    log("fault: PostgreSQL started again")
    # Normal service: every probe answer 200 for 10 s in a row (bounded: 120 s)
    deadline = time.time() + 120
    while time.time() < deadline:
        time.sleep(1)
        recent = probe.window(out["started_at"], time.time())
        bad = [s for s in recent if s[2] != 200]
        last_bad = max((s[0] for s in bad), default=None)
        since = last_bad if last_bad is not None else out["started_at"]
        if time.time() - since >= 10 and any(s[0] > since for s in recent):
            first_good = min(s[0] for s in recent if s[0] > since)
            out["normal_at"] = first_good if last_bad is not None else min(s[0] for s in recent)
            break
    return out


def worker_kill(stack, size, wait_s):
    out = {"size": size}
    uids = stack.fixtures["service_uids"][
        EDITED_SERVICES : EDITED_SERVICES + size
    ]  # not the editor's services
    out["uids"] = uids
    process = subprocess.Popen(
        [
            PYTHON,
            "-m",
            "bench.faults",
            "--big-edit",
            json.dumps({"uids": uids, "mark": int(time.time()), "timeout": 180}),
        ],
        cwd=ROOT,
        env=stack.env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    stack.processes.append(process)
    index_tasks, edit_tasks, running = [], [], None
    for line in process.stdout:  # bounded by the helper's own timeout
        if line.startswith("TASKS "):
            info = json.loads(line[6:])
            index_tasks = info["index"]
            edit_tasks = info["ids"]
            out["tasks_queued"] = info["all"]
            out["committed_at"] = info["committed"]
        elif line.startswith("RUNNING "):
            running = line.split()[1]
            out["running_seen_at"] = float(line.split()[2])
            out["running_task_path"] = line.split()[3]
            break
    out["index_tasks"] = index_tasks
    out["edit_task_count"] = len(edit_tasks)
    # Followed after the restart: the index updates and the task that was running.
    watched = list(dict.fromkeys(index_tasks + ([running] if running and running != "none" else [])))
    out["killed_at"] = time.time()
    out["killed_pid"] = stack.kill_worker()
    out["task_id"] = running if running != "none" else None
    log(
        f"fault: task worker killed ({len(index_tasks)} index update task(s) of the edit queued; "
        f"the edit's task running: {running})"
    )
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
    out["status_after_kill"] = helper(stack, "task-status", {"ids": watched}, timeout=120)
    # What the killed worker was running (RUNNING now, with no live worker): followed too.
    killed = out["status_after_kill"].get("running") or []
    out["killed_tasks"] = killed
    if killed:
        out["task_id"] = killed[0]
        watched = list(dict.fromkeys(watched + killed))
    time.sleep(2)
    stack.start_worker()
    out["restarted_at"] = time.time()
    final = None
    deadline = time.monotonic() + wait_s
    while time.monotonic() < deadline:
        final = helper(stack, "task-status", {"ids": watched}, timeout=120)
        statuses = [t["status"] for t in (final.get("tasks") or {}).values()]
        if statuses and all(status in ("SUCCESSFUL", "FAILED") for status in statuses):
            out["settled_after_restart_s"] = round(time.time() - out["restarted_at"], 1)
            break
        time.sleep(3)
    out["status_after_restart"] = final
    tasks = (final or {}).get("tasks") or {}
    out["final_status"] = tasks.get(out["task_id"], {}).get("status") if out["task_id"] else None
    out["final_statuses"] = dict(Counter(t["status"] for t in tasks.values()))
    return out


def gunicorn_worker_kill(stack, web):
    out = {}
    pids = web.worker_pids()
    out["workers_before"] = pids
    victim = pids[0]
    out["killed_pid"] = victim
    out["killed_at"] = time.time()
    os.kill(victim, signal.SIGKILL)
    log(f"fault: gunicorn worker {victim} killed")
    try:
        wait_until(
            lambda: len(web.worker_pids()) >= len(pids) and victim not in web.worker_pids(),
            30,
            what="gunicorn worker replaced",
        )
        out["replaced_at"] = time.time()
    except TimeoutError:
        out["replaced_at"] = None
    out["workers_after"] = web.worker_pids()
    return out


# --- main ---------------------------------------------------------------------------------------------


def main():
    begun = time.perf_counter()
    scale = float(os.environ.get("BENCH_SCALE", "1"))
    with Stack(postgres=True, elasticsearch=True, redis=True, scale=scale, name="faults") as stack:
        return run(stack, begun=begun)


def run(stack, begun=None):
    """The faults under load on a started stack (main() above, or bench.production's shared
    one, where it runs last: it kills Elasticsearch, PostgreSQL and workers); writes
    bench/results/faults.{json,md}. Exit code: 0 when every requirement is met."""
    if begun is None:
        begun = time.perf_counter()
    scale = stack.scale
    users = int(os.environ.get("FAULT_USERS", "50"))
    run_time_s = parse_duration(os.environ.get("FAULT_TIME", "7m"))
    es_down = float(os.environ.get("FAULT_ES_DOWN", "20"))
    pg_down = float(os.environ.get("FAULT_PG_DOWN", "10"))
    task_size = int(os.environ.get("FAULT_TASK_SIZE", "50"))
    worker_wait = float(os.environ.get("FAULT_WORKER_WAIT", "150"))
    faults = {}
    web = stack.start_gunicorn(
        workers=int(os.environ["LOAD_WORKERS"]) if os.environ.get("LOAD_WORKERS") else None
    )
    stack.start_worker()
    fixtures = stack.fixtures
    search_probe = Probe(
        "search-probe",
        web.url,
        [("search", f"/api/v1/search?{urlencode({'q': word})}") for word in SEARCH_WORDS],
        0.5,
    )
    service_probe = Probe(
        "service-probe",
        web.url,
        [
            ("home", "/"),
            (
                "doors API",
                f"/api/v1/doors?{urlencode({'situation': fixtures['situations'][0], 'postal_code': '00100'})}",
            ),
            ("service page", fixtures["service_urls"][0]),
            ("readyz", "/readyz"),
        ],
        0.25,
    )
    events_path = stack.dir / "events.jsonl"
    os.environ["LOAD_EVENTS"] = str(events_path)
    prefix = stack.dir / "faults"
    locust = start_locust(stack, web.url, users=users, spawn_rate=10, run_time_s=run_time_s, prefix=prefix)
    os.environ.pop("LOAD_EVENTS")
    search_probe.start()
    service_probe.start()
    started = time.time()
    time.sleep(min(20, max(5, run_time_s / 10)))  # users spawned, caches warm
    edit_uids = fixtures["service_uids"][:EDITED_SERVICES]
    try:
        faults["elasticsearch"] = elasticsearch_outage(stack, es_down, edit_uids)
        time.sleep(10)
        faults["postgresql"] = postgres_outage(stack, pg_down, service_probe)
        time.sleep(5)
        faults["gunicorn_worker"] = gunicorn_worker_kill(stack, web)
        time.sleep(10)
        faults["task_worker"] = worker_kill(stack, task_size, worker_wait)
        time.sleep(10)
    except Exception as error:
        import traceback

        traceback.print_exc()
        faults["error"] = f"{error.__class__.__name__}: {error}"
    faults_done = time.time()
    # FAULT_TIME bounds the load; it ends when the faults are done.
    if locust.poll() is None:
        log(f"faults done after {faults_done - started:.0f}s; stopping locust")
        os.kill(locust.pid, signal.SIGTERM)
    else:
        log(f"**locust ended before the faults were done** ({faults_done - started:.0f}s); raise FAULT_TIME")
        faults["locust_ended_early"] = True
    wait_locust(locust, 30)
    run_time_s = round(min(run_time_s, time.time() - started))
    search_probe.stopped.set()
    service_probe.stopped.set()
    rows, failures, exceptions = read_locust(prefix)
    events = read_events(events_path)

    # Catch up: no task waiting or running, no Elasticsearch update queued (bounded), then
    # verify. A task still RUNNING (at national scale, re-rendering the related documents
    # of a large edit takes minutes) would otherwise be checked half-way.
    catch_up = {}
    deadline = time.monotonic() + CATCH_UP_SECONDS
    status = {}
    while time.monotonic() < deadline:
        status = helper(stack, "task-status", {}, timeout=120)
        by_status = status.get("tasks_by_status", {})
        busy = by_status.get("READY", 0) + by_status.get("RUNNING", 0)
        if not busy and not status.get("pending_index_updates"):
            break
        # Searches replay the queue; without load, one search does it.
        http_get(f"{web.url}/api/v1/search?q=neuvola", headers=PROBE_COOKIE)
        time.sleep(3)
    catch_up["status"] = status
    catch_up["waited_s"] = round(CATCH_UP_SECONDS - max(0, deadline - time.monotonic()), 1)
    edits = faults.get("elasticsearch", {}).get("edits", [])
    verification = helper(
        stack,
        "verify",
        {"edits": edits, "big_uids": faults.get("task_worker", {}).get("uids")},
        timeout=900,
    )
    code, output = stack.manage_output("search_index", "check", timeout=900)
    check_command = {"exit_code": code, "output": output[-3000:]}
    log_errors = server_errors(stack)
    info = {
        "name": stack.name,
        "documents": fixtures["documents"],
        "counts": fixtures["counts"],
        "timings": stack.timings,
    }
    worker_log = (stack.logs / "db_worker.log").read_text(errors="replace")[-4000:]

    payload = analyse(
        scale,
        users,
        run_time_s,
        faults,
        search_probe,
        service_probe,
        events,
        rows,
        failures,
        exceptions,
        catch_up,
        verification,
        check_command,
        log_errors,
        info,
        worker_log,
    )
    payload["total_wall_s"] = round(time.perf_counter() - begun, 1)
    RESULTS_DIR.mkdir(exist_ok=True)
    (RESULTS_DIR / "faults.json").write_text(
        json.dumps(payload, indent=2, ensure_ascii=False, default=str) + "\n"
    )
    table = markdown(payload)
    (RESULTS_DIR / "faults.md").write_text(table)
    print(table)
    return 0 if all(item["pass"] for item in payload["verdicts"].values()) else 1


def analyse(
    scale,
    users,
    run_time_s,
    faults,
    search_probe,
    service_probe,
    events,
    rows,
    failures,
    exceptions,
    catch_up,
    verification,
    check_command,
    log_errors,
    info,
    worker_log,
):
    verdicts = {}
    es = faults.get("elasticsearch", {})
    es_window = (es.get("killed_at", 0), es.get("edits_ended_at", es.get("healthy_at", 0)) + 10)
    es_probe = search_probe.window(*es_window)
    es_events = [e for e in event_window(events, *es_window) if "search" in e["name"].lower()]
    failed_searches = sum(1 for s in es_probe if s[2] != 200) + sum(
        1 for e in es_events if e["status"] != 200
    )
    engines = Counter(s[4] for s in es_probe if s[2] == 200) + Counter(
        e.get("engine") for e in es_events if e["status"] == 200 and e.get("engine")
    )
    verdicts["failed_searches_during_es_outage"] = {
        "value": failed_searches,
        "target": "0",
        "pass": failed_searches == 0 and bool(es_probe),
    }
    es_summary = {
        "window_s": round(es_window[1] - es_window[0], 1),
        "healthy_after_s": round(es["healthy_at"] - es["killed_at"], 1) if es.get("healthy_at") else None,
        "searches": len(es_probe) + len(es_events),
        "failed": failed_searches,
        "engines": dict(engines),
        "probe_statuses": status_counts(es_probe),
        "locust_search_statuses": event_statuses(es_events),
        "edits_committed": sum(1 for e in es.get("edits", []) if "committed" in e),
        "edits_refused": sum(1 for e in es.get("edits", []) if "error" in e),
        "restart_error": es.get("restart_error"),
    }

    pg = faults.get("postgresql", {})
    pg_summary = {}
    if pg:
        window = (pg["stop_at"], pg["started_at"])
        outage_events = event_window(events, *window)
        outage_probe = service_probe.window(*window)
        statuses = Counter(str(e["status"]) for e in outage_events) + Counter(str(s[2]) for s in outage_probe)
        server_500 = sum(n for status, n in statuses.items() if status.startswith("5") and status != "503")
        other = sum(
            n for status, n in statuses.items() if status not in ("200", "503") and not status.startswith("5")
        )
        recovery = event_window(events, pg["started_at"], pg.get("normal_at", pg["started_at"]) + 5)
        pg_summary = {
            "down_s": round(pg["started_at"] - pg["stop_at"], 1),
            "statuses": dict(statuses),
            "by_request_type": event_statuses(outage_events),
            "probe": status_counts(outage_probe),
            "time_to_normal_s": round(pg["normal_at"] - pg["started_at"], 2) if pg.get("normal_at") else None,
            "statuses_after_restart_until_normal": dict(Counter(str(e["status"]) for e in recovery)),
            "errors_sample": sorted({e.get("error", "") for e in outage_events if e.get("error")})[:10],
        }
        verdicts["no_500_during_pg_outage"] = {
            "value": f"{server_500} × 5xx other than 503, {other} × other non-200 (connection errors: status 0)",
            "target": "only 503 (or 200 from the cache)",
            "pass": server_500 == 0 and other == 0,
        }
        verdicts["time_to_normal_after_pg_restart_s"] = {
            "value": pg_summary["time_to_normal_s"],
            "target": "reported (no fixed target)",
            "pass": pg_summary["time_to_normal_s"] is not None,
        }

    tw = faults.get("task_worker", {})
    if tw:
        verdicts["killed_task_finished"] = {
            "value": f"task {tw.get('task_id')} RUNNING when the worker was killed → {tw.get('final_status')} "
            f"after the new worker ran up to {os.environ.get('FAULT_WORKER_WAIT', '150')} s "
            f"(index tasks of the edit: {tw.get('final_statuses')})",
            "target": "SUCCESSFUL (run again) after the restart; never stuck RUNNING",
            "pass": bool(tw.get("task_id")) and tw.get("final_status") == "SUCCESSFUL",
        }

    gw = faults.get("gunicorn_worker", {})
    gw_summary = {}
    if gw:
        window = (gw["killed_at"] - 1, gw["killed_at"] + 5)
        around = event_window(events, *window)
        failed = [e for e in around if e["status"] != 200]
        gw_summary = {
            "replaced_after_s": round(gw["replaced_at"] - gw["killed_at"], 2)
            if gw.get("replaced_at")
            else None,
            "requests_around_kill": len(around),
            "failed_around_kill": len(failed),
            "failures": [{"name": e["name"], "status": e["status"], "error": e.get("error")} for e in failed][
                :10
            ],
            "workers_before": gw["workers_before"],
            "workers_after": gw["workers_after"],
        }
        verdicts["gunicorn_worker_replaced"] = {
            "value": f"replaced after {gw_summary['replaced_after_s']} s; {len(failed)} failed requests around the kill",
            "target": "replaced; no failed request",
            "pass": gw.get("replaced_at") is not None and not failed,
        }

    v = verification or {}
    verdicts["outage_updates_in_index"] = {
        "value": (
            f"{v.get('outage_edit_keys')} documents edited during the outage; not current: "
            f"database index {len(v.get('outage_keys_not_current_in_database_index', []))}, "
            f"Elasticsearch {len(v.get('outage_keys_not_current_in_elasticsearch', []))}"
        )
        if "error" not in v
        else v["error"][:500],
        "target": "all current",
        "pass": "error" not in v
        and v.get("outage_edit_keys", 0) > 0
        and not v.get("outage_keys_not_current_in_database_index")
        and not v.get("outage_keys_not_current_in_elasticsearch"),
    }
    verdicts["search_index_check_clean"] = {
        "value": f"exit {check_command['exit_code']}",
        "target": "exit 0 (clean)",
        "pass": check_command["exit_code"] == 0,
    }
    verdicts["no_edit_lost"] = {
        "value": f"{v.get('edits_committed')} committed, {len(v.get('edits_lost', []) or [])} lost, "
        f"{v.get('edits_refused')} refused",
        "target": "0 lost",
        "pass": "error" not in v and not v.get("edits_lost") and (v.get("edits_committed") or 0) > 0,
    }
    total_failures = sum(row["failures"] for name, row in rows.items() if name != "Aggregated")
    return {
        "benchmark": "faults",
        "measured_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "scale": scale,
        "machine": {
            "python": platform.python_version(),
            "processor": platform.machine(),
            "cpus": os.cpu_count(),
            "load_average_at_end": [round(x, 2) for x in os.getloadavg()],
        },
        "users": users,
        "run_time_s": run_time_s,
        "stack": info,
        "verdicts": verdicts,
        "elasticsearch_outage": es_summary,
        "postgresql_outage": pg_summary,
        "task_worker": {k: v for k, v in tw.items() if k != "uids"},
        "gunicorn_worker": gw_summary,
        "catch_up": catch_up,
        "verification": verification,
        "search_index_check": check_command,
        "locust": {
            "requests": rows,
            "failures": failures,
            "exceptions": exceptions,
            "failures_total": total_failures,
        },
        "server_errors": log_errors[:200],
        "worker_log_tail": worker_log,
        "fault_error": faults.get("error"),
    }


def markdown(payload):
    lines = [
        f"# Faults under load (scale {payload['scale']})",
        "",
        f"Measured {payload['measured_at']} on {payload['machine']['cpus']} CPUs: {payload['users']} locust users for "
        f"{payload['run_time_s']} s against gunicorn + PostgreSQL 15 + Elasticsearch 8.19 + Redis + task worker; "
        f"{payload['stack']['documents']} search documents. Machine load average at the end: "
        f"{payload['machine']['load_average_at_end']}. How to read this: docs/benchmarks.md.",
        "",
    ]
    if payload.get("fault_error"):
        lines += [f"**The fault sequence stopped early: {payload['fault_error']}**", ""]
    lines += ["| requirement | measured | target | result |", "|---|---|---|---|"]
    for name, item in payload["verdicts"].items():
        lines.append(
            f"| {name.replace('_', ' ')} | {item['value']} | {item['target']} | "
            f"{'pass' if item['pass'] else '**fail**'} |"
        )
    es = payload["elasticsearch_outage"]
    pg = payload["postgresql_outage"]
    tw = payload["task_worker"]
    gw = payload["gunicorn_worker"]
    lines += [
        "",
        "## Elasticsearch killed and restarted",
        "",
        f"Healthy again {es.get('healthy_after_s')} s after the kill; window {es.get('window_s')} s; "
        f"{es.get('searches')} searches (probe + locust), {es.get('failed')} failed; engines that answered: "
        f"{es.get('engines')}; edits during the outage: {es.get('edits_committed')} committed, "
        f"{es.get('edits_refused')} refused.",
        "",
        "## PostgreSQL restarted",
        "",
        f"Down {pg.get('down_s')} s. Status codes during the outage (locust + probe): {pg.get('statuses')}. "
        f"Time from the restart to normal service (every probe answer 200 from then on): "
        f"{pg.get('time_to_normal_s')} s.",
        "",
        "By request type (locust) during the outage:",
        "",
        "| request type | statuses |",
        "|---|---|",
        *[f"| {name} | {counts} |" for name, counts in (pg.get("by_request_type") or {}).items()],
        "",
        f"Probe (uncached): {pg.get('probe')}",
        "",
        "## Task worker killed during a task",
        "",
        f"{tw.get('size')} services saved in one transaction queued {tw.get('tasks_queued')} tasks, "
        f"{len(tw.get('index_tasks') or [])} of them index updates. Task {tw.get('task_id')} "
        f"({tw.get('running_task_path')}) was RUNNING when the "
        f"worker was killed; right after the kill: "
        f"{((tw.get('status_after_kill') or {}).get('tasks') or {}).get(tw.get('task_id') or '', {}).get('status')}; "
        f"after a new worker ran (up to {os.environ.get('FAULT_WORKER_WAIT', '150')} s): **{tw.get('final_status')}** "
        f"(settled after {tw.get('settled_after_restart_s')} s; all tasks by status: "
        f"{(tw.get('status_after_restart') or {}).get('tasks_by_status')}).",
        "",
        "## gunicorn worker killed",
        "",
        f"Workers {gw.get('workers_before')} → {gw.get('workers_after')}; replaced after {gw.get('replaced_after_s')} s; "
        f"{gw.get('failed_around_kill')} of {gw.get('requests_around_kill')} requests failed within 5 s of the kill "
        f"{gw.get('failures') or ''}.",
        "",
        "## After the faults",
        "",
        f"Catch-up: {payload['catch_up'].get('status')}.",
        "",
        f"Verification: {json.dumps({k: v for k, v in (payload['verification'] or {}).items() if k not in ('missing', 'stale', 'extra')}, ensure_ascii=False)[:1500]}",
        "",
        "`manage.py search_index check`:",
        "",
        "```",
        payload["search_index_check"]["output"].strip()[-1500:],
        "```",
        "",
        "## Whole run (locust)",
        "",
        *stats_table(payload["locust"]["requests"]),
        "",
    ]
    if payload["locust"]["failures"]:
        lines += ["| failed request | error | occurrences |", "|---|---|---:|"]
        lines += [
            f"| {f['method']} {f['name']} | {f['error'][:200]} | {f['occurrences']} |"
            for f in payload["locust"]["failures"]
        ]
        lines.append("")
    if payload.get("server_errors"):
        lines += ["Server log (first error lines):", "", "```", *payload["server_errors"][:15], "```", ""]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    if len(sys.argv) > 2 and sys.argv[1].startswith("--"):
        {"--editor": editor, "--big-edit": big_edit, "--task-status": task_status, "--verify": verify}[
            sys.argv[1]
        ](json.loads(sys.argv[2]))
    else:
        sys.exit(main())
