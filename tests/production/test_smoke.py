"""Production smoke: Ovi as a county runs it, through a real browser.

The production settings, `collectstatic` with the manifest storage, the deploy
check, gunicorn with two workers and the task worker, against whatever
DATABASE_URL, ELASTICSEARCH_URL and REDIS_URL the environment gives (.ci/run
gives its PostgreSQL, Elasticsearch and Redis; without them SQLite, the database
search engine and the file cache). Chromium then walks the public site in
Finnish, Swedish and English, as a visitor behind the TLS proxy would (the
proxy's X-Forwarded-Proto header is sent), and every page type must answer
without a server error, with every asset served and no Content-Security-Policy
violation.

Slow (a server is set up from nothing), so it runs only with
OVI_PRODUCTION_SMOKE=1, as .ci/run sets.
"""

import json
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections import defaultdict
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent

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
    return UUID.sub("*", path) + ("?" + "&".join(sorted(part.split("=")[0] for part in query.split("&"))) if query else "")


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def production_environment(var_dir, port):
    unwanted = {"DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env = {key: value for key, value in os.environ.items() if key not in unwanted}
    env.update(
        DJANGO_SETTINGS_MODULE="portal.settings.production",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="127.0.0.1,localhost",
        WAGTAILADMIN_BASE_URL=f"https://127.0.0.1:{port}",
        OVI_VAR_DIR=str(var_dir),
        OVI_DEMO_NOTICE="1",
        OVI_BIND=f"127.0.0.1:{port}",
        WEB_CONCURRENCY="2",
        OVI_ACCESS_LOG="",
        CACHE_KEY_PREFIX=f"smoke-{secrets.token_hex(4)}",
    )
    return env


def manage(env, *args, timeout=900):
    result = subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout
    )
    assert result.returncode == 0, f"manage.py {' '.join(args)}:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
    return result


def get(url, headers=None, timeout=10):
    request = urllib.request.Request(url, headers={"X-Forwarded-Proto": "https", **(headers or {})})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    var_dir = tmp_path_factory.mktemp("production-var")
    port = free_port()
    env = production_environment(var_dir, port)

    # A server whose static files were never collected is not ready.
    manage(env, "migrate", "--noinput")
    unready = subprocess.run(
        [sys.executable, "-c", "import django, os; django.setup(); from portal.health import static_files_status;"
         " print(static_files_status()['ok'])"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
    )
    assert unready.stdout.strip() == "False", unready.stderr

    manage(env, "collectstatic", "--noinput", "--verbosity", "0")
    deploy = manage(env, "check", "--deploy", "--fail-level", "WARNING")
    assert "WARNING" not in deploy.stderr
    manage(env, "load_demo")
    manage(env, "search_index", "rebuild")

    logs = var_dir / "logs"
    logs.mkdir()
    processes = [
        subprocess.Popen(
            [str(BIN / "gunicorn"), "-c", "python:portal.gunicorn_conf", "portal.wsgi"],
            cwd=ROOT, env=env, stdout=open(logs / "gunicorn.log", "w"), stderr=subprocess.STDOUT,
        ),
        subprocess.Popen(
            [sys.executable, "manage.py", "db_worker"],
            cwd=ROOT, env=env, stdout=open(logs / "worker.log", "w"), stderr=subprocess.STDOUT,
        ),
    ]
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                status, _, body = get(base + "/readyz", timeout=2)
                if status == 200:
                    break
            except OSError:
                pass
            assert time.monotonic() < deadline, (logs / "gunicorn.log").read_text()[-3000:]
            assert processes[0].poll() is None, (logs / "gunicorn.log").read_text()[-3000:]
            time.sleep(0.5)
        yield {"base": base, "env": env, "logs": logs}
    finally:
        for process in processes:
            process.send_signal(signal.SIGTERM)
        for process in processes:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()


def test_readyz_reports_the_database_and_the_collected_static_files(server):
    status, headers, body = get(server["base"] + "/readyz")
    report = json.loads(body)

    assert status == 200
    assert report["static"] == {"ok": True, "missing": []}
    assert report["database"]["reachable"] is True
    assert "no-cache" in headers["Cache-Control"]


def test_plain_http_is_sent_to_https_except_the_probes(server):
    request = urllib.request.Request(server["base"] + "/")
    opener = urllib.request.build_opener(NoRedirect)
    with pytest.raises(urllib.error.HTTPError) as redirect:
        opener.open(request, timeout=10)
    assert redirect.value.code == 301
    assert redirect.value.headers["Location"].startswith("https://")

    with urllib.request.urlopen(server["base"] + "/healthz", timeout=10) as response:
        assert response.status == 200


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


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
    status, headers, body = get(server["base"] + path)

    assert status == 200
    assert headers["Content-Type"].startswith("application/json")
    json.loads(body)


def test_an_anonymous_page_is_cached_and_a_published_change_shows_at_once(server):
    url = server["base"] + "/"
    get(url)
    status, headers, body = get(url)
    assert status == 200 and headers["X-Cache"] == "hit"
    assert "max-age=0" in headers["Cache-Control"] and headers["ETag"]

    not_modified, _, _ = get(url, headers={"If-None-Match": headers["ETag"]})
    assert not_modified == 304

    # An editor changes the home page in another process (as the admin would).
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
    status, headers, body = get(url)
    assert marker in body.decode(), "a published change must be visible on the next request"
    assert time.monotonic() - started < 1


def test_uploaded_media_is_not_served_by_the_application(server):
    # The reverse proxy serves MEDIA_ROOT (docs/deployment.md); without
    # OVI_SERVE_MEDIA Django does not expose the directory.
    media = Path(server["env"]["OVI_VAR_DIR"]) / "media"
    media.mkdir(exist_ok=True)
    (media / "probe.txt").write_text("media")

    status, _, _ = get(server["base"] + "/media/probe.txt")

    assert status == 404


def test_every_public_page_type_works_in_a_browser_in_three_languages(server, browser):
    base = server["base"]
    context = browser.new_context(extra_http_headers={"X-Forwarded-Proto": "https"}, locale="fi-FI")
    context.add_init_script(
        "window.__csp = []; document.addEventListener('securitypolicyviolation',"
        " e => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI));"
    )
    page = context.new_page()
    problems = []
    page.on("response", lambda r: r.status >= 400 and r.url.startswith(base) and r.request.resource_type != "document"
            and problems.append(f"{r.status} {r.url}"))
    page.on("requestfailed", lambda r: problems.append(f"failed {r.url}"))
    page.on("console", lambda m: m.type == "error" and "status of 404" not in m.text
            and problems.append(f"console {m.text} on {page.url}"))
    broken_links = []
    referrers = {}

    seen_types = defaultdict(set)
    server_errors = []
    queue = [(language, path) for language, home in LANGUAGE_HOMES.items() for path in [home, *FORM_PAGES[language]]]
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
    context = browser.new_context(extra_http_headers={"X-Forwarded-Proto": "https"})
    page = context.new_page()
    for prefix in ("", "/sv", "/en"):
        response = page.goto(server["base"] + prefix + "/ei-ole-olemassa/")
        assert response.status == 404
        assert page.locator("link[rel=stylesheet]").count() >= 1
    context.close()
