"""Production smoke: Ovi as a county runs it, through a real browser.

The production settings, `collectstatic` with the manifest storage, the deploy
check, gunicorn with two workers and the task worker, against whatever
DATABASE_URL, ELASTICSEARCH_URL and REDIS_URL the environment gives (.ci/run
gives its PostgreSQL, Elasticsearch and Redis; without them SQLite, the database
search engine and the file cache). The documented deployment files are what
runs: gunicorn and the worker from the systemd units' ExecStart with the
documented environment file, and nginx from docs/deploy/nginx.conf with a
self-signed certificate (where nginx is installed; .ci/run installs it). Chromium
then walks the public site through the proxy in Finnish, Swedish and English,
and every page type must answer without a server error, with every asset served
and no Content-Security-Policy violation.

Slow (a server is set up from nothing), so it runs only with
OVI_PRODUCTION_SMOKE=1, as .ci/run sets.
"""

import configparser
import http.client
import http.server
import json
import os
import re
import secrets
import shlex
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections import defaultdict
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
DEPLOY = ROOT / "docs" / "deploy"

pytestmark = [
    pytest.mark.production,
    pytest.mark.skipif(os.environ.get("OVI_PRODUCTION_SMOKE") != "1", reason="set OVI_PRODUCTION_SMOKE=1"),
]

LANGUAGE_HOMES = {"fi": "/", "sv": "/sv/", "en": "/en/"}
# Every public page type, by the class its template puts on <body>.
PAGE_TYPES = {
    "template-home",
    "template-standard",
    "template-models-library",
    "template-operating-model",
    "template-compare",
    "template-directory",
    "template-directory-service",
    "template-directory-organisation",
    "template-directory-location",
    "template-directory-team",
    "template-door-finder",
    "template-pathway",
    "template-search",
}
# Pages reached through forms, which a link crawler does not submit.
FORM_PAGES = {
    "fi": ["/haku/?q=perhekeskus", "/haku/?q=nuori&type=service", "/toimintamallit/vertaa/"],
    "sv": ["/sv/haku/?q=familjecentral", "/sv/verksamhetsmodeller/vertaa/"],
    "en": ["/en/haku/?q=family+centre", "/en/operating-models/vertaa/"],
}
SKIPPED_PREFIXES = ("/admin/", "/django-admin/", "/documents/", "/i18n/", "/api/")
MAX_PAGES = 300
# Links are followed by their shape (the address with record ids left out), a few
# of each: enough to reach every page type in every language in a few minutes.
MAX_PER_SHAPE = 3
UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


def shape(path, query):
    return UUID.sub("*", path) + (
        "?" + "&".join(sorted(part.split("=")[0] for part in query.split("&"))) if query else ""
    )


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def read_unit(name):
    """[Service] of a documented systemd unit, with the install path made this clone."""
    unit = configparser.ConfigParser(interpolation=None, strict=False)
    unit.optionxform = str  # systemd keys are case-sensitive
    unit.read_string((DEPLOY / name).read_text())
    service = dict(unit["Service"])
    command = service["ExecStart"].replace("/srv/ovi/.venv/bin/", f"{BIN}/")
    return shlex.split(command), service


def read_env_file(path):
    pairs = (
        line.split("=", 1) for line in path.read_text().splitlines() if line and not line.startswith("#")
    )
    return {key.strip(): value.strip() for key, value in pairs}


def production_environment(var_dir, port):
    """The documented /etc/ovi/ovi.env with this machine's servers and addresses."""
    unwanted = {"DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env = {key: value for key, value in os.environ.items() if key not in unwanted}
    documented = read_env_file(DEPLOY / "ovi.env")
    # The servers this run has (or none: SQLite, database search, file cache).
    for name in ("DATABASE_URL", "ELASTICSEARCH_URL", "REDIS_URL"):
        documented.pop(name)
        if os.environ.get(name):
            documented[name] = os.environ[name]
    documented.pop("EMAIL_HOST")
    env.update(documented)
    env.update(
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="127.0.0.1,localhost",
        WAGTAILADMIN_BASE_URL="https://127.0.0.1",
        OVI_VAR_DIR=str(var_dir),
        OVI_DEMO_NOTICE="1",
        OVI_BIND=f"127.0.0.1:{port}",
        WEB_CONCURRENCY="2",
        CACHE_KEY_PREFIX=f"smoke-{secrets.token_hex(4)}",
        EMAIL_BACKEND="django.core.mail.backends.console.EmailBackend",
    )
    return env


def manage(env, *args, timeout=900):
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    assert result.returncode == 0, (
        f"manage.py {' '.join(args)}:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
    )
    return result


def get(url, headers=None, timeout=10, data=None):
    request = urllib.request.Request(url, headers=headers or {}, data=data)
    try:
        with urllib.request.urlopen(request, timeout=timeout, context=INSECURE) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


INSECURE = ssl.create_default_context()
INSECURE.check_hostname = False
INSECURE.verify_mode = ssl.CERT_NONE


def start_nginx(work, app_port, media_root, first_try_port=None):
    """docs/deploy/nginx.conf in front of gunicorn, with a self-signed certificate.
    `first_try_port`: the upstream's first peer goes there instead (the backup peer
    stays gunicorn), to see what nginx does when the first try fails."""
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    if not Path(nginx).exists():
        if os.environ.get("OVI_REQUIRE_NGINX") == "1":
            pytest.fail("nginx not found (apt-get install nginx-light)")
        return None
    certs = work / "certs"
    certs.mkdir()
    subprocess.run(
        [
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "1",
            "-subj",
            "/CN=127.0.0.1",
            "-keyout",
            str(certs / "privkey.pem"),
            "-out",
            str(certs / "fullchain.pem"),
        ],
        check=True,
        capture_output=True,
        timeout=60,
    )
    http_port, https_port = free_port(), free_port()
    server = (
        (DEPLOY / "nginx.conf")
        .read_text()
        .replace("127.0.0.1:8000", f"127.0.0.1:{app_port}")
        .replace("listen 80;", f"listen 127.0.0.1:{http_port};")
        .replace("listen 443 ssl;", f"listen 127.0.0.1:{https_port} ssl;")
        .replace("/etc/ssl/ovi/", f"{certs}/")
        .replace("/srv/ovi/var/media/", f"{media_root}/")
        .replace("/var/log/nginx/ovi.access.log", f"{work}/access.log")
    )
    if first_try_port:
        first = f"server 127.0.0.1:{app_port} max_fails=0;"
        assert first in server, "the documented upstream no longer has its first peer"
        server = server.replace(first, f"server 127.0.0.1:{first_try_port} max_fails=0;")
    user = "user root;" if os.geteuid() == 0 else ""
    temp = "".join(
        f"{kind}_temp_path {work}/{kind};\n" for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    (work / "nginx.conf").write_text(
        f"{user}\nworker_processes 1;\npid {work}/nginx.pid;\nerror_log {work}/error.log;\n"
        f"events {{ worker_connections 512; }}\n"
        f"http {{\ninclude /etc/nginx/mime.types;\n{temp}{server}\n}}\n"
    )
    process = subprocess.Popen([nginx, "-p", str(work), "-c", str(work / "nginx.conf"), "-g", "daemon off;"])
    return {
        "process": process,
        "http": f"http://127.0.0.1:{http_port}",
        "https": f"https://127.0.0.1:{https_port}",
        "access_log": work / "access.log",
    }


class PurgeRecorder(http.server.BaseHTTPRequestHandler):
    """Stands in for a Varnish that takes Wagtail's frontend-cache PURGE requests."""

    purged = []

    def do_PURGE(self):  # noqa: N802 - the HTTP method's name
        self.purged.append(self.path)
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def purges():
    recorder = http.server.ThreadingHTTPServer(("127.0.0.1", 0), PurgeRecorder)
    thread = threading.Thread(target=recorder.serve_forever, daemon=True)
    thread.start()
    yield recorder
    recorder.shutdown()


@pytest.fixture(scope="module")
def server(tmp_path_factory, purges):
    var_dir = tmp_path_factory.mktemp("production-var")
    port = free_port()
    env = production_environment(var_dir, port)
    env["OVI_FRONTEND_CACHE_URL"] = f"http://127.0.0.1:{purges.server_address[1]}"

    # A server whose static files were never collected is not ready.
    manage(env, "migrate", "--noinput")
    unready = subprocess.run(
        [
            sys.executable,
            "-c",
            "import django; django.setup(); from portal.health import static_files_status;"
            " print(static_files_status()['ok'])",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert unready.stdout.strip() == "False", unready.stderr

    manage(env, "collectstatic", "--noinput", "--verbosity", "0")
    deploy = manage(env, "check", "--deploy", "--fail-level", "WARNING")
    assert "WARNING" not in deploy.stderr
    manage(env, "load_demo")
    manage(env, "search_index", "rebuild")

    logs = var_dir / "logs"
    logs.mkdir()
    (var_dir / "media").mkdir(exist_ok=True)
    web_command, web_unit = read_unit("ovi-web.service")
    worker_command, _ = read_unit("ovi-worker.service")
    processes = [
        subprocess.Popen(
            web_command, cwd=ROOT, env=env, stdout=open(logs / "gunicorn.log", "w"), stderr=subprocess.STDOUT
        ),
        subprocess.Popen(
            worker_command, cwd=ROOT, env=env, stdout=open(logs / "worker.log", "w"), stderr=subprocess.STDOUT
        ),
    ]
    app = f"http://127.0.0.1:{port}"
    proxy = None
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if get(app + "/readyz", timeout=2)[0] == 200:
                    break
            except OSError:
                pass
            assert time.monotonic() < deadline, (logs / "gunicorn.log").read_text()[-3000:]
            assert processes[0].poll() is None, (logs / "gunicorn.log").read_text()[-3000:]
            time.sleep(0.5)
        proxy = start_nginx(tmp_path_factory.mktemp("nginx"), port, var_dir / "media")
        if proxy:
            deadline = time.monotonic() + 20
            while True:
                try:
                    if get(proxy["https"] + "/healthz", timeout=2)[0] == 200:
                        break
                except OSError:
                    pass
                assert time.monotonic() < deadline, "nginx did not start"
                time.sleep(0.3)
        yield {
            "app": app,
            "proxy": proxy,
            "env": env,
            "logs": logs,
            "var": var_dir,
            "base": proxy["https"] if proxy else app,
            "headers": {} if proxy else {"X-Forwarded-Proto": "https"},
        }
    finally:
        if proxy:
            proxy["process"].terminate()
            proxy["process"].wait(timeout=10)
        for process in processes:
            process.send_signal(signal.SIGTERM)
        for process in processes:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()


def fetch(server, path, headers=None, **kwargs):
    return get(server["base"] + path, headers={**server["headers"], **(headers or {})}, **kwargs)


def test_readyz_reports_the_database_and_the_collected_static_files(server):
    status, headers, body = fetch(server, "/readyz")
    report = json.loads(body)

    assert status == 200
    assert report["static"] == {"ok": True, "missing": []}
    assert report["database"]["reachable"] is True
    assert "no-cache" in headers["Cache-Control"]


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def first_answer(url):
    opener = urllib.request.build_opener(NoRedirect, urllib.request.HTTPSHandler(context=INSECURE))
    try:
        with opener.open(url, timeout=10) as response:
            return response.status, response.headers
    except urllib.error.HTTPError as error:
        return error.code, error.headers


def test_plain_http_is_sent_to_https_except_the_probes(server):
    # Straight to gunicorn, as if the proxy had not said the request came over TLS.
    status, headers = first_answer(server["app"] + "/")
    assert status == 301 and headers["Location"].startswith("https://")
    assert first_answer(server["app"] + "/healthz")[0] == 200
    if server["proxy"]:
        status, headers = first_answer(server["proxy"]["http"] + "/palvelut/")
        assert status == 301 and headers["Location"].startswith("https://")


def test_https_answers_carry_the_security_headers(server):
    status, headers, _ = fetch(server, "/")

    assert status == 200
    assert headers["Strict-Transport-Security"].startswith("max-age=31536000")
    assert "default-src 'self'" in headers["Content-Security-Policy"]
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/search?q=perhekeskus",
        "/api/v1/suggest?q=perhe",
        "/api/v1/doors?situation=huoli-lapsesta-tai-perheesta&postal_code=80100",
        "/api/v1/openapi.json",
        "/api/hsds/services",
        "/api/hsds/organizations",
    ],
)
def test_the_apis_answer_json(server, path):
    status, headers, body = fetch(server, path)

    assert status == 200
    assert headers["Content-Type"].startswith("application/json")
    json.loads(body)


def test_an_anonymous_page_is_cached_and_a_published_change_shows_at_once(server):
    fetch(server, "/")
    status, headers, body = fetch(server, "/")
    assert status == 200 and headers["X-Cache"] == "hit"
    assert "max-age=0" in headers["Cache-Control"] and headers["ETag"]
    assert fetch(server, "/", headers={"If-None-Match": headers["ETag"]})[0] == 304

    purged_before = len(PurgeRecorder.purged)
    # An editor publishes a change in another process (as through the admin).
    marker = f"Ovi {secrets.token_hex(3)}"
    manage(
        server["env"],
        "shell",
        "-c",
        "from portal.models import HomePage;"
        "home = HomePage.objects.get(locale__language_code='fi');"
        f"home.title = {marker!r}; home.save_revision().publish()",
    )
    started = time.monotonic()
    status, headers, body = fetch(server, "/")
    assert marker in body.decode(), "a published change must be visible on the next request"
    assert time.monotonic() - started < 1
    # And a proxy or CDN in front was told to drop its copies of the home page
    # (Wagtail purges each address the page has, such as /fi/ with i18n). Wagtail
    # sends the PURGE from a background task, so the task worker sends it soon after.
    deadline = time.monotonic() + 60
    while len(PurgeRecorder.purged) <= purged_before and time.monotonic() < deadline:
        time.sleep(0.2)
    assert len(PurgeRecorder.purged) > purged_before


def test_uploaded_images_are_served_and_documents_never_straight_from_disk(server):
    media = server["var"] / "media"
    (media / "original_images").mkdir(parents=True, exist_ok=True)
    (media / "documents").mkdir(parents=True, exist_ok=True)
    (media / "original_images" / "probe.png").write_bytes(PNG)
    (media / "documents" / "private.pdf").write_bytes(b"%PDF-1.4 private")

    # gunicorn itself never exposes the media directory (no OVI_SERVE_MEDIA).
    assert (
        get(server["app"] + "/media/original_images/probe.png", headers={"X-Forwarded-Proto": "https"})[0]
        == 404
    )
    if not server["proxy"]:
        pytest.skip("no nginx: the proxy's media rules are tested in CI")
    status, headers, body = fetch(server, "/media/original_images/probe.png")
    assert status == 200 and body == PNG and headers["Content-Type"] == "image/png"
    assert headers["X-Content-Type-Options"] == "nosniff"
    # Documents go through Wagtail's view, which checks collection privacy.
    assert fetch(server, "/media/documents/private.pdf")[0] == 404


def test_the_proxy_limits_request_size_and_keeps_query_strings_out_of_its_log(server):
    if not server["proxy"]:
        pytest.skip("no nginx: tested in CI")
    # A 13 MB upload is refused from its Content-Length, before a byte of the body.
    connection = http.client.HTTPSConnection(urlsplit(server["base"]).netloc, context=INSECURE, timeout=10)
    connection.putrequest("POST", "/haku/")
    connection.putheader("Content-Length", str(13 * 1024 * 1024))
    connection.endheaders()
    assert connection.getresponse().status == 413
    connection.close()

    fetch(server, "/api/v1/doors?situation=huoli-lapsesta-tai-perheesta&postal_code=80100")
    fetch(server, "/haku/?q=velkaneuvonta+salainen")
    time.sleep(0.5)
    log = server["proxy"]["access_log"].read_text()
    assert "/api/v1/doors" in log and "/haku/" in log
    assert "80100" not in log and "salainen" not in log


class DyingWorker(threading.Thread):
    """An app server whose worker dies with every request: it reads the request and
    closes the connection without a byte of answer, as a SIGKILLed gunicorn worker does."""

    def __init__(self):
        super().__init__(daemon=True)
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.port = self.sock.getsockname()[1]
        self.requests = []

    def run(self):
        while True:
            try:
                connection, _ = self.sock.accept()
            except OSError:
                return
            with connection:
                received = b""
                while b"\r\n\r\n" not in received:
                    chunk = connection.recv(65536)
                    if not chunk:
                        break
                    received += chunk
                self.requests.append(received.split(b" ", 1)[0].decode())


def test_a_get_whose_worker_dies_is_answered_by_another_and_a_post_is_not_repeated(server, tmp_path):
    if not server["proxy"]:
        pytest.skip("no nginx: tested in CI")
    dying = DyingWorker()
    dying.start()
    app_port = urlsplit(server["app"]).port
    proxy = start_nginx(tmp_path, app_port, server["var"] / "media", first_try_port=dying.port)
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                status = get(proxy["https"] + "/api/v1/search?q=neuvola", timeout=5)[0]
                break
            except OSError:
                assert time.monotonic() < deadline, "nginx did not start"
                time.sleep(0.3)
        assert status == 200
        assert "GET" in dying.requests  # the first try did reach the dying worker

        # A form sent to a worker that died may have been acted on: never sent twice.
        # Had nginx sent it on to gunicorn, gunicorn's answer (a 403 for the missing
        # CSRF token) would have come back instead of the proxy's 502.
        status = get(proxy["https"] + "/haku/", data=b"q=neuvola")[0]
        assert status == 502
        assert dying.requests.count("POST") == 1
    finally:
        proxy["process"].terminate()
        proxy["process"].wait(timeout=10)
        dying.sock.close()


# A 1×1 transparent PNG.
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000001e221bc330000000049454e44ae426082"
)


def test_the_review_digest_unit_mails_the_moderators(server):
    """The documented timer's service: what systemd would run weekly, with the production environment."""
    command, unit = read_unit("ovi-review-digest.service")
    assert unit["Type"] == "oneshot"
    manage(
        server["env"],
        "shell",
        "-c",
        "from django.contrib.auth import get_user_model; from django.contrib.auth.models import Group;"
        "from models_library.demo import MODERATORS;"
        "user = get_user_model().objects.create_user('digest-moderator', 'moderaattori@example.org', 'x-' * 8);"
        "user.groups.add(Group.objects.get_or_create(name=MODERATORS)[0])",
    )

    result = subprocess.run(command, cwd=ROOT, env=server["env"], capture_output=True, text=True, timeout=120)

    assert result.returncode == 0, result.stderr
    # The console mail backend of the smoke: the digest to the moderator, with the report's address.
    assert "To: moderaattori@example.org" in result.stdout
    assert "https://127.0.0.1/admin/models-library/review/" in result.stdout
    assert "Sent the review digest" in result.stdout


def test_every_public_page_type_works_in_a_browser_in_three_languages(server, browser):
    base = server["base"]
    context = browser.new_context(
        extra_http_headers=server["headers"], ignore_https_errors=True, locale="fi-FI"
    )
    context.add_init_script(
        "window.__csp = []; document.addEventListener('securitypolicyviolation',"
        " e => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI));"
    )
    page = context.new_page()
    problems = []
    page.on(
        "response",
        lambda r: (
            r.status >= 400
            and r.url.startswith(base)
            and r.request.resource_type != "document"
            and problems.append(f"{r.status} {r.url}")
        ),
    )
    page.on("requestfailed", lambda r: problems.append(f"failed {r.url}"))
    page.on(
        "console",
        lambda m: (
            m.type == "error"
            and "status of 404" not in m.text
            and problems.append(f"console {m.text} on {page.url}")
        ),
    )
    broken_links = []
    referrers = {}

    seen_types = defaultdict(set)
    server_errors = []
    queue = [
        (language, path)
        for language, home in LANGUAGE_HOMES.items()
        for path in [home, *FORM_PAGES[language]]
    ]
    queued = {path for _, path in queue}
    per_shape = defaultdict(int)
    visited = 0
    maps_seen = 0
    while queue and visited < MAX_PAGES:
        language, path = queue.pop(0)
        response = page.goto(base + path)
        visited += 1
        if response.status >= 500:
            server_errors.append(f"{response.status} {path}")
            continue
        if response.status == 404:
            broken_links.append(f"{path} (linked from {referrers[path]})")
            continue
        page_language = page.locator("html").get_attribute("lang")
        body_class = page.locator("body").get_attribute("class") or ""
        for name in body_class.split():
            seen_types[page_language].add(name)
        if page.locator("[data-directory-map]:not([hidden]), .leaflet-container").count():
            assert page.evaluate("typeof window.L") == "object", f"the map script did not load on {path}"
            maps_seen += 1
        violations = page.evaluate("window.__csp")
        assert not violations, f"CSP violations on {path}: {violations}"
        for href in page.eval_on_selector_all("a[href]", "links => links.map(a => a.getAttribute('href'))"):
            target = urlsplit(urljoin(base + path, href))
            if target.netloc != urlsplit(base).netloc or target.path.startswith(SKIPPED_PREFIXES):
                continue
            if re.search(r"\.(xml|csv|json|pdf|txt)$", target.path):
                continue
            link = target.path + (f"?{target.query}" if target.query else "")
            if link in queued or per_shape[shape(target.path, target.query)] >= MAX_PER_SHAPE:
                continue
            per_shape[shape(target.path, target.query)] += 1
            referrers[link] = path
            queued.add(link)
            queue.append((page_language, link))
    context.close()

    assert not server_errors, server_errors
    assert not broken_links, broken_links
    assert not problems, problems[:20]
    assert maps_seen, "no page showed a map"
    for language in LANGUAGE_HOMES:
        missing = PAGE_TYPES - seen_types[language]
        assert not missing, f"{language}: page types never reached: {sorted(missing)} (visited {visited})"


def test_a_missing_page_answers_404_with_the_site_look(server, browser):
    context = browser.new_context(extra_http_headers=server["headers"], ignore_https_errors=True)
    page = context.new_page()
    for prefix in ("", "/sv", "/en"):
        response = page.goto(server["base"] + prefix + "/ei-ole-olemassa/")
        assert response.status == 404
        assert page.locator("link[rel=stylesheet]").count() >= 1
    context.close()
