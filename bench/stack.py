"""The production stack on loopback, for the serving, load and fault benchmarks.

    with Stack(postgres=True, elasticsearch=True, redis=True, scale=0.1) as stack:
        web = stack.start_gunicorn()          # portal.wsgi, production settings, 2 sync workers
        stack.start_worker()                  # manage.py db_worker
        ... requests to web.url ...

What `Stack.start()` does, every step bounded in time:

1. throwaway servers: PostgreSQL 15 (.ci/postgres.sh), Elasticsearch 8.19
   (.ci/elasticsearch.sh) and Redis (Debian's redis-server, a free loopback
   port, no persistence), each only when asked for; all listen on 127.0.0.1;
2. a var dir of its own (OVI_VAR_DIR: file cache when there is no Redis,
   static root, SQLite when there is no PostgreSQL) and a random SECRET_KEY;
3. `manage.py collectstatic` and `migrate` with the production settings;
4. one setup process (`python -m bench.stack --setup`): the demo content
   (what `load_demo` loads), the national-scale directory rows at BENCH_SCALE
   (bench/national_rows.py, when `scale` is given), professional users
   (group "professionals", see directory/roles.py) and one search index
   rebuild (database engine and, with Elasticsearch, the alias); it writes
   `fixtures.json` (URLs, uids, postal codes, users) for the load generators.

Processes started here run in their own process groups and are killed on
`stop()` (also on exit, SIGTERM and SIGINT); the servers are stopped with the
.ci scripts. Nothing listens anywhere but 127.0.0.1.

Environment: BENCH_SCALE (national data; 1.0 = ~160,000 documents),
BENCH_STACK_DIR (keep the work dir there instead of a temp dir),
ES_HEAP (Elasticsearch heap, default 1g).
"""

import atexit
import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = (
    str(ROOT / ".venv" / "bin" / "python") if (ROOT / ".venv" / "bin" / "python").exists() else sys.executable
)
GUNICORN = str(Path(PYTHON).parent / "gunicorn")
HOST = "127.0.0.1"
PROFESSIONAL_PASSWORD = "bench-Professional-" + "2026"
PROFESSIONAL_USERS = 20
SETUP_TIMEOUT = int(os.environ.get("BENCH_SETUP_TIMEOUT", "5400"))


def log(message):
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def free_port():
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def http_get(url, timeout=5.0, headers=None):
    """(status, headers, body bytes); status 0 on a connection error."""
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers or {}), error.read() if error.fp else b""
    except (urllib.error.URLError, OSError, TimeoutError) as error:
        return 0, {}, str(error).encode()


def wait_until(predicate, timeout, interval=0.2, what="condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(interval)
    raise TimeoutError(f"{what} not reached within {timeout}s")


def _kill_group(process, grace=10):
    """SIGTERM the process group, SIGKILL what is left after `grace` seconds."""
    if process is None or process.poll() is not None:
        return
    try:
        os.killpg(process.pid, signal.SIGTERM)
    except ProcessLookupError:
        return
    try:
        process.wait(timeout=grace)
    except subprocess.TimeoutExpired:
        try:
            os.killpg(process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        process.wait(timeout=10)


class Gunicorn:
    def __init__(self, process, port, log_path):
        self.process = process
        self.port = port
        self.url = f"http://{HOST}:{port}"
        self.log_path = log_path

    def worker_pids(self):
        import psutil

        try:
            return sorted(child.pid for child in psutil.Process(self.process.pid).children())
        except psutil.NoSuchProcess:
            return []


class Stack:
    def __init__(self, *, postgres=True, elasticsearch=False, redis=True, scale=None, name="stack"):
        self.want_postgres = postgres
        self.want_elasticsearch = elasticsearch
        self.want_redis = redis
        self.scale = scale
        self.name = name
        keep = os.environ.get("BENCH_STACK_DIR")
        if keep:
            self.dir = Path(keep)
            shutil.rmtree(self.dir, ignore_errors=True)
            self.dir.mkdir(parents=True)
        else:
            self.dir = Path(tempfile.mkdtemp(prefix=f"ovi-bench-{name}."))
        os.chmod(self.dir, 0o755)
        self.state_dir = self.dir / "ci"
        self.state_dir.mkdir()
        os.chmod(self.state_dir, 0o755)
        self.var_dir = self.dir / "var"
        self.var_dir.mkdir()
        self.logs = self.dir / "logs"
        self.logs.mkdir()
        self.database_url = ""
        self.elasticsearch_url = ""
        self.redis_url = ""
        self.redis = None
        self.redis_port = None
        self.processes = []  # everything started with Popen, killed on stop()
        self.started_scripts = []
        self.gunicorns = []
        self.worker = None
        self.fixtures = {}
        self.timings = {}
        self._stopped = False
        self.secret_key = secrets.token_urlsafe(50)
        self.web_port = free_port()

    # --- lifecycle -------------------------------------------------------------------------

    def __enter__(self):
        atexit.register(self.stop)
        for signum in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
            signal.signal(signum, self._on_signal)
        try:
            self.start()
        except BaseException:
            self.stop()
            raise
        return self

    def __exit__(self, *exc):
        self.stop()

    def _on_signal(self, signum, frame):
        log(f"signal {signum}: stopping the stack")
        self.stop()
        sys.exit(128 + signum)

    def start(self):
        began = time.perf_counter()
        if self.want_postgres:
            self.database_url = self._script("postgres.sh", "DATABASE_URL", timeout=300)
        if self.want_elasticsearch:
            self.elasticsearch_url = self._script("elasticsearch.sh", "ELASTICSEARCH_URL", timeout=600)
        if self.want_redis:
            self._start_redis()
        self.timings["servers_s"] = round(time.perf_counter() - began, 1)
        step = time.perf_counter()
        self.manage("collectstatic", "--noinput", "--verbosity", "0", timeout=600)
        self.manage("migrate", "--noinput", "--verbosity", "0", timeout=900)
        self.timings["collectstatic_migrate_s"] = round(time.perf_counter() - step, 1)
        step = time.perf_counter()
        args = {"scale": self.scale, "out": str(self.dir / "fixtures.json")}
        log(
            f"setup: demo content{f', national rows at scale {self.scale}' if self.scale else ''}, index rebuild"
        )
        self.run(
            [PYTHON, "-m", "bench.stack", "--setup", json.dumps(args)],
            timeout=SETUP_TIMEOUT,
            log_name="setup",
        )
        self.fixtures = json.loads((self.dir / "fixtures.json").read_text())
        self.timings.update(self.fixtures.get("timings", {}))
        self.timings["setup_s"] = round(time.perf_counter() - step, 1)
        log(f"stack ready in {time.perf_counter() - began:.0f}s ({self.dir})")

    def stop(self):
        if self._stopped:
            return
        self._stopped = True
        for process in reversed(self.processes):
            _kill_group(process)
        if self.redis is not None:
            _kill_group(self.redis)
        env = {**os.environ, "STATE_DIR": str(self.state_dir)}
        for script in reversed(self.started_scripts):
            try:
                subprocess.run(
                    ["bash", str(ROOT / ".ci" / script), "stop"], env=env, capture_output=True, timeout=120
                )
            except subprocess.TimeoutExpired:
                log(f"{script} stop timed out")
        if not os.environ.get("BENCH_STACK_DIR"):
            shutil.rmtree(self.dir, ignore_errors=True)

    # --- servers -----------------------------------------------------------------------------

    def _script(self, script, variable, timeout):
        env = {**os.environ, "STATE_DIR": str(self.state_dir), "ES_HEAP": os.environ.get("ES_HEAP", "1g")}
        log(f"starting {script}")
        self.started_scripts.append(script)
        process = subprocess.run(
            ["bash", str(ROOT / ".ci" / script), "start"],
            env=env,
            capture_output=True,
            text=True,
            timeout=timeout,
        )
        if process.returncode != 0:
            raise RuntimeError(f"{script} start failed:\n{process.stderr[-3000:]}")
        env_file = self.state_dir / ("postgres.env" if script == "postgres.sh" else "elasticsearch.env")
        match = re.search(rf"{variable}='([^']+)'", env_file.read_text())
        if not match:
            raise RuntimeError(f"{script}: no {variable} in {env_file}")
        return match.group(1)

    def _start_redis(self):
        binary = shutil.which("redis-server")
        if not binary:
            raise RuntimeError("redis-server is not installed (apt-get install -y redis-server)")
        port = free_port()
        data = self.dir / "redis"
        data.mkdir()
        self.redis = subprocess.Popen(
            [
                binary,
                "--bind",
                HOST,
                "--port",
                str(port),
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(data),
                "--daemonize",
                "no",
                "--protected-mode",
                "yes",
                "--maxmemory",
                "512mb",
                "--maxmemory-policy",
                "allkeys-lru",
            ],
            stdout=open(self.logs / "redis.log", "w"),
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self.redis_url = f"redis://{HOST}:{port}/0"
        self.redis_port = port

        def ready():
            try:
                with socket.create_connection((HOST, port), timeout=1) as sock:
                    sock.sendall(b"PING\r\n")
                    return sock.recv(16).startswith(b"+PONG")
            except OSError:
                return False

        wait_until(ready, 20, what="redis")
        log(f"redis on {HOST}:{port}")

    def flush_redis(self):
        """Empty Redis (page cache, content generation): as after setup, nothing carried over."""
        if not self.redis_port:
            return
        with socket.create_connection((HOST, self.redis_port), timeout=10) as sock:
            sock.sendall(b"FLUSHALL\r\n")
            answer = sock.recv(64)
        if not answer.startswith(b"+OK"):
            raise RuntimeError(f"redis FLUSHALL: {answer!r}")

    def pg_state(self):
        text = (self.state_dir / "postgres.state").read_text()
        return dict(re.findall(r"^(\w+)='([^']*)'", text, re.M))

    def _pg_ctl(self, *args, timeout=120):
        state = self.pg_state()
        command = ["/usr/lib/postgresql/15/bin/pg_ctl", "-D", f"{state['PG_DIR']}/data", *args]
        if os.getuid() == 0:
            command = ["runuser", "-u", os.environ.get("OVI_CI_USER", "ovici"), "--", *command]
        return subprocess.run(command, capture_output=True, text=True, timeout=timeout)

    def pg_stop(self):
        """Stop PostgreSQL (fast shutdown: open connections are cut)."""
        result = self._pg_ctl("-m", "fast", "-w", "-t", "60", "stop")
        if result.returncode != 0:
            raise RuntimeError(f"pg_ctl stop: {result.stderr}")

    def pg_start(self):
        """Start PostgreSQL again with the options .ci/postgres.sh started it with."""
        state = self.pg_state()
        pg_dir, port = state["PG_DIR"], state["PG_PORT"]
        options = (
            f"-c listen_addresses={HOST} -c port={port} -c unix_socket_directories={pg_dir} "
            "-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
        )
        result = self._pg_ctl("-l", f"{pg_dir}/server.log", "-w", "-t", "60", "-o", options, "start")
        if result.returncode != 0:
            raise RuntimeError(f"pg_ctl start: {result.stderr}")

    def es_state(self):
        text = (self.state_dir / "elasticsearch.state").read_text()
        return dict(re.findall(r"^(\w+)='([^']*)'", text, re.M))

    def es_pid(self):
        path = Path(self.es_state()["ES_DIR"]) / "es.pid"
        return int(path.read_text().strip()) if path.exists() and path.read_text().strip() else None

    def es_kill(self):
        """SIGKILL the Elasticsearch node (its data stays for the restart)."""
        pid = self.es_pid()
        if pid:
            os.kill(pid, signal.SIGKILL)
            wait_until(lambda: not _alive(pid), 30, what="elasticsearch gone")
        return pid

    def es_start(self, timeout=180):
        """Start the node again on the same data, port and settings; wait for yellow."""
        es_dir = Path(self.es_state()["ES_DIR"])
        home = next(es_dir.glob("elasticsearch-*"))
        jdk = _find_jdk17()
        heap = os.environ.get("ES_HEAP", "1g")
        command = [
            "env",
            f"ES_JAVA_HOME={jdk}",
            f"ES_TMPDIR={es_dir}/tmp",
            f"CLI_JAVA_OPTS=-Djava.io.tmpdir={es_dir}/tmp",
            f"ES_JAVA_OPTS=-Xms{heap} -Xmx{heap}",
            str(home / "bin" / "elasticsearch"),
            "-d",
            "-p",
            str(es_dir / "es.pid"),
        ]
        if os.getuid() == 0:
            command = ["runuser", "-u", os.environ.get("OVI_CI_USER", "ovici"), "--", *command]
        (es_dir / "es.pid").unlink(missing_ok=True)
        result = subprocess.run(command, capture_output=True, text=True, timeout=timeout)
        if result.returncode != 0:
            raise RuntimeError(f"elasticsearch restart: {result.stdout[-2000:]} {result.stderr[-2000:]}")

        def healthy():
            status, _, body = http_get(
                f"{self.elasticsearch_url}/_cluster/health?wait_for_status=yellow&timeout=2s"
            )
            return status == 200 and b'"timed_out":false' in body

        wait_until(healthy, timeout, interval=1, what="elasticsearch healthy")

    # --- the application -------------------------------------------------------------------------

    def env(self, **overrides):
        env = {
            k: v
            for k, v in os.environ.items()
            if k not in ("DATABASE_URL", "ELASTICSEARCH_URL", "REDIS_URL", "OVI_PAGE_CACHE_SECONDS")
        }
        env.update(
            DJANGO_SETTINGS_MODULE="portal.settings.production",
            SECRET_KEY=self.secret_key,
            ALLOWED_HOSTS="127.0.0.1,localhost",
            WAGTAILADMIN_BASE_URL=f"http://{HOST}:{self.web_port}",
            OVI_HTTPS="0",
            OVI_SERVE_MEDIA="1",
            OVI_DEMO_NOTICE="1",
            OVI_VAR_DIR=str(self.var_dir),
            OVI_ACCESS_LOG="",
            PYTHONUNBUFFERED="1",
        )
        if self.database_url:
            env["DATABASE_URL"] = self.database_url
        if self.elasticsearch_url:
            env["ELASTICSEARCH_URL"] = self.elasticsearch_url
        if self.redis_url:
            env["REDIS_URL"] = self.redis_url
        env.update({k: str(v) for k, v in overrides.items()})
        return env

    def run(self, command, timeout, log_name=None, env=None, check=True):
        """Run a command to completion (bounded); output to logs/<log_name>.log."""
        log_path = self.logs / f"{log_name or Path(command[-1]).name}.log"
        with open(log_path, "a") as out:
            process = subprocess.Popen(
                command,
                cwd=ROOT,
                env=env or self.env(),
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
            self.processes.append(process)  # killed by stop() if we are interrupted meanwhile
            try:
                code = process.wait(timeout=timeout)
            except subprocess.TimeoutExpired as expired:
                _kill_group(process, grace=5)
                raise RuntimeError(
                    f"{' '.join(command[:4])} timed out after {timeout}s (log {log_path})"
                ) from expired
            finally:
                if process.poll() is not None:
                    self.processes.remove(process)
        if check and code != 0:
            tail = log_path.read_text()[-3000:]
            raise RuntimeError(f"{' '.join(command[:4])} exited with {code}:\n{tail}")
        return code

    def manage(self, *args, timeout=600, env=None, check=True, log_name=None):
        return self.run(
            [PYTHON, "manage.py", *args],
            timeout=timeout,
            env=env,
            check=check,
            log_name=log_name or f"manage-{args[0]}",
        )

    def manage_output(self, *args, timeout=600, env=None):
        """(exit code, output) of a manage.py command."""
        try:
            result = subprocess.run(
                [PYTHON, "manage.py", *args],
                cwd=ROOT,
                env=env or self.env(),
                capture_output=True,
                text=True,
                timeout=timeout,
            )
        except subprocess.TimeoutExpired:
            return -1, f"timed out after {timeout}s"
        return result.returncode, result.stdout + result.stderr

    def start_gunicorn(self, app="portal.wsgi", workers=2, port=None, name="gunicorn", **env_overrides):
        port = port or self.web_port
        log_path = self.logs / f"{name}.log"
        if workers:
            env_overrides["WEB_CONCURRENCY"] = workers
        env = self.env(OVI_BIND=f"{HOST}:{port}", **env_overrides)
        process = subprocess.Popen(
            [GUNICORN, "-c", "python:portal.gunicorn_conf", app],
            cwd=ROOT,
            env=env,
            stdout=open(log_path, "a"),
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self.processes.append(process)
        web = Gunicorn(process, port, log_path)

        def ready():
            if process.poll() is not None:
                raise RuntimeError(
                    f"gunicorn exited with {process.returncode}: {log_path.read_text()[-2000:]}"
                )
            return http_get(f"{web.url}/healthz", timeout=2)[0] == 200 and len(web.worker_pids()) >= (
                workers or 1
            )

        wait_until(ready, 60, what=f"gunicorn {app}")
        self.gunicorns.append(web)
        log(f"gunicorn {app} on {web.url}, workers {web.worker_pids()}")
        return web

    def stop_gunicorn(self, web):
        _kill_group(web.process, grace=25)
        if web in self.gunicorns:
            self.gunicorns.remove(web)

    def start_worker(self):
        log_path = self.logs / "db_worker.log"
        process = subprocess.Popen(
            [PYTHON, "manage.py", "db_worker"],
            cwd=ROOT,
            env=self.env(),
            stdout=open(log_path, "a"),
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self.processes.append(process)
        self.worker = process
        return process

    def stop_worker(self, grace=60):
        """Stop the task worker with SIGTERM (it finishes the task it runs; SIGKILL after `grace` s)."""
        _kill_group(self.worker, grace=grace)
        self.worker = None

    def use_logs(self, name):
        """Logs of the processes started from now on in logs/<name>/ (one directory per
        benchmark on a shared stack: load and faults read the gunicorn and worker logs)."""
        self.logs = self.dir / "logs" / name
        self.logs.mkdir(parents=True, exist_ok=True)

    def kill_worker(self):
        """SIGKILL the task worker (no cleanup, as on a crash)."""
        if self.worker is not None and self.worker.poll() is None:
            os.killpg(self.worker.pid, signal.SIGKILL)
            self.worker.wait(timeout=10)
        return self.worker.pid if self.worker else None


def _alive(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:  # a zombie is gone for our purposes
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().split(")")[-1].split()[0] != "Z"
    except OSError:
        return False


def _find_jdk17():
    for candidate in [
        os.environ.get("ES_JAVA_HOME"),
        os.environ.get("JAVA_HOME"),
        "/usr/lib/jvm/java-17-openjdk-amd64",
        *sorted(map(str, Path("/usr/lib/jvm").glob("java-17-openjdk-*"))),
    ]:
        if candidate and Path(candidate, "bin", "java").exists():
            return candidate
    raise RuntimeError("no JDK 17 for Elasticsearch")


# --- the setup process (inside Django) --------------------------------------------------------------


def setup(args):
    """Demo content, national rows, professional users, one index rebuild; fixtures.json."""
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.test.utils import override_settings

    from portal.demo import _load_content
    from search import indexing
    from search.signals import paused

    timings = {}
    started = time.perf_counter()
    inline_tasks = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    with paused(), override_settings(TASKS=inline_tasks):
        _load_content()
    timings["demo_content_s"] = round(time.perf_counter() - started, 1)
    counts = {}
    if args.get("scale"):
        from bench import national_rows

        started = time.perf_counter()
        with override_settings(TASKS=inline_tasks):
            counts = national_rows.load(float(args["scale"]))
        timings["national_rows_s"] = round(time.perf_counter() - started, 1)
    users = _professionals()
    started = time.perf_counter()
    state = {"last": 0.0}

    def progress(done, total):
        now = time.monotonic()
        if now - state["last"] > 15 or done == total:
            state["last"] = now
            log(f"  index rebuild {done}/{total}")

    from search import service

    if service.elasticsearch_engine() is not None:
        # The engine's 3 s request timeout (search/engines/elasticsearch.py) also bounds the
        # index creation, settings, refresh and alias calls of a rebuild; on this shared
        # 2-CPU machine those time out (docs/benchmarks.md). The setup process only (not
        # the site) gives them 60 s.
        engine = service.elasticsearch_engine()
        engine.client = engine.client.options(request_timeout=60)
    report = indexing.rebuild(progress=progress)
    timings["index_rebuild_s"] = round(time.perf_counter() - started, 1)
    # The Elasticsearch part can time out on a busy machine (see docs/benchmarks.md);
    # it is tried again on its own (the database part is done), twice at most.
    es_errors = []
    for _attempt in range(2):
        if not report.elasticsearch_error:
            break
        es_errors.append(report.elasticsearch_error)
        log(f"Elasticsearch part of the rebuild failed ({report.elasticsearch_error}); trying it again")
        time.sleep(10)
        from search import service
        from search.engines.elasticsearch import ElasticsearchUnavailable
        from search.models import PendingIndexUpdate

        try:
            report.elasticsearch_index = service.elasticsearch_engine().rebuild(indexing._prepared_entries())
            report.elasticsearch_error = None
            PendingIndexUpdate.objects.all().delete()  # nothing was written since the rebuild began
        except ElasticsearchUnavailable as error:
            report.elasticsearch_error = str(error)
    timings["elasticsearch_rebuild_errors"] = es_errors
    if report.elasticsearch_error:
        raise RuntimeError(f"Elasticsearch rebuild failed: {report.elasticsearch_error}")
    fixtures = _fixtures()
    fixtures.update(
        scale=args.get("scale"),
        counts=counts,
        documents=report.documents,
        users=users,
        password=PROFESSIONAL_PASSWORD,
        timings=timings,
        elasticsearch_index=report.elasticsearch_index,
    )
    Path(args["out"]).write_text(json.dumps(fixtures, indent=1, ensure_ascii=False))
    log(f"setup done: {report.documents} documents indexed; {timings}")


def _professionals():
    from django.contrib.auth.models import Group, User

    from directory.roles import PROFESSIONALS_GROUP

    group, _ = Group.objects.get_or_create(name=PROFESSIONALS_GROUP)
    names = []
    for number in range(1, PROFESSIONAL_USERS + 1):
        user, _ = User.objects.get_or_create(
            username=f"bench-pro-{number}", defaults={"email": f"bench-pro-{number}@example.invalid"}
        )
        user.set_password(PROFESSIONAL_PASSWORD)
        user.save()
        user.groups.add(group)
        names.append(user.username)
    return names


def _fixtures():
    """What the load generators request: real URLs and values of this database."""
    import random

    from django.db.models import Count
    from django.utils import translation
    from wagtail.models import Locale

    from directory.models import (
        DirectoryIndexPage,
        LifeSituation,
        Location,
        Organisation,
        PostalCode,
        Service,
    )
    from portal.models import HomePage, PathwayIndexPage, PathwayPage

    rng = random.Random(20261124)
    fi = Locale.objects.get(language_code="fi")
    directory = DirectoryIndexPage.objects.live().filter(locale=fi).first()
    url_for = directory.url_builder()

    def sample(queryset, n):
        ids = list(queryset.values_list("uid", flat=True)[:50000])
        return [str(uid) for uid in rng.sample(ids, min(n, len(ids)))]

    services = sample(Service.objects.public(), 400)
    situations = list(LifeSituation.objects.values_list("slug", flat=True))
    # Postal codes where residents live: weighted like the generated data (by the
    # number of services per municipality), plus the big cities' centres.
    busy = list(
        Service.objects.public()
        .values("municipalities__code")
        .annotate(n=Count("id"))
        .order_by("-n")
        .values_list("municipalities__code", flat=True)[:16]
    )
    postal_codes = []
    for code in busy:
        if code:
            postal_codes += list(
                PostalCode.objects.filter(municipality__code=code)
                .order_by("code")
                .values_list("code", flat=True)[:1]
            )
    postal_codes = sorted(
        set(
            postal_codes
            + [
                "00100",
                "00530",
                "02100",
                "33100",
                "20100",
                "90100",
                "40100",
                "70100",
                "80100",
                "96100",
                "15100",
                "65100",
            ]
        )
    )
    postal_codes = [code for code in postal_codes if PostalCode.objects.filter(code=code).exists()]
    with translation.override("fi"):
        pathways = [
            {"url": page.url, "situation": page.life_situation.slug}
            for page in PathwayPage.objects.live().filter(locale=fi).select_related("life_situation")
        ]
        pathway_index = PathwayIndexPage.objects.live().filter(locale=fi).first()
        home = HomePage.objects.live().filter(locale=fi).first()
        demo_services = [
            str(uid)
            for uid in Service.objects.public().filter(uid__in=_demo_uids()).values_list("uid", flat=True)
        ]
    return {
        "home": home.url if home else "/",
        "door_finder": pathway_index.url if pathway_index else None,
        "pathways": pathways,
        "search_page": "/haku/",
        "situations": situations,
        "postal_codes": postal_codes,
        "service_uids": services,
        "service_urls": [url_for("service", uid) for uid in services],
        "demo_service_uids": demo_services,
        "organisation_urls": [
            url_for("organisation", uid) for uid in sample(Organisation.objects.all(), 100)
        ],
        "location_urls": [url_for("location", uid) for uid in sample(Location.objects.all(), 200)],
        "directory_url": directory.url,
    }


def _demo_uids():
    data = json.loads((ROOT / "directory" / "demo" / "directory.json").read_text())
    return [item["uid"] for item in data["services"]]


if __name__ == "__main__":
    if len(sys.argv) > 2 and sys.argv[1] == "--setup":
        setup(json.loads(sys.argv[2]))
    else:
        print(__doc__)
