"""`make screenshots`: PNGs of every page type (tests/browser/pages.py) at 360 and
1280 px, for review, into $OVI_VAR_DIR/screenshots/ (var/screenshots/ by default).

    make screenshots                          # Finnish
    SCREENSHOT_LANGS=fi,sv,en make screenshots
    SCREENSHOT_PAGES=service,operating-model make screenshots

It builds a site of its own in a temporary directory under the var directory (a
SQLite database, migrated, with the demo content), serves it with runserver on a
free port, photographs each page with the system Chromium through Playwright and
removes the temporary site again. Pages only professionals see are photographed
signed in as a professional; the others as an anonymous visitor (a page type
whose professional view differs is photographed both ways).
"""

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
WIDTHS = (360, 1280)
CHROMIUM = Path(os.environ.get("OVI_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"]


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def manage(env, *args, **kwargs):
    return subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True, **kwargs)


def wait_until_up(url, process, timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"runserver ended with {process.returncode}")
        try:
            urllib.request.urlopen(url + "/healthz", timeout=2)
            return
        except OSError:
            time.sleep(0.5)
    raise SystemExit(f"runserver did not answer at {url} in {timeout} s")


def main():
    var_dir = Path(os.environ.get("OVI_VAR_DIR", ROOT / "var")).resolve()
    out_dir = var_dir / "screenshots"
    languages = [code.strip() for code in os.environ.get("SCREENSHOT_LANGS", "fi").split(",") if code.strip()]
    only = {key.strip() for key in os.environ.get("SCREENSHOT_PAGES", "").split(",") if key.strip()}
    var_dir.mkdir(parents=True, exist_ok=True)
    out_dir.mkdir(parents=True, exist_ok=True)
    site_dir = Path(tempfile.mkdtemp(prefix="screenshots-site-", dir=var_dir))
    env = {
        **os.environ,
        "OVI_VAR_DIR": str(site_dir),
        "DJANGO_SETTINGS_MODULE": "portal.settings.dev",
        "ELASTICSEARCH_URL": "",
    }
    env.pop("DATABASE_URL", None)
    server = None
    try:
        print(f"Building the demo site in {site_dir} (migrate, load_demo)…", flush=True)
        manage(env, "migrate", "--noinput", "--verbosity", "0")
        manage(env, "load_demo", stdout=subprocess.DEVNULL)
        port = free_port()
        url = f"http://127.0.0.1:{port}"
        server = subprocess.Popen(
            [sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload", "--nothreading"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_until_up(url, server)
        # The page list reads its addresses from the same database.
        os.environ.update(
            {key: env[key] for key in ("OVI_VAR_DIR", "DJANGO_SETTINGS_MODULE", "ELASTICSEARCH_URL")}
        )
        os.environ.pop("DATABASE_URL", None)
        # Playwright's sync API runs an event loop in this thread (as in tests/browser/conftest.py).
        os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        sys.path.insert(0, str(ROOT))
        import django

        django.setup()
        written = photograph(url, out_dir, languages, only)
        print(f"{written} screenshots in {out_dir}")
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=10)
        shutil.rmtree(site_dir, ignore_errors=True)


def photograph(url, out_dir, languages, only):
    from playwright.sync_api import sync_playwright

    from tests.browser import pages

    cookie = pages.create_professional("screenshot-professional")
    states = [
        (page_type, language, user)
        for page_type in pages.PAGE_TYPES
        if not only or page_type.key in only
        for language in languages
        for user in page_type.users
    ]
    written = 0
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        contexts = {}
        for page_type, language, user in states:
            path = page_type.locate(language)
            for width in WIDTHS:
                key = (language, user, width)
                if key not in contexts:
                    context = browser.new_context(
                        viewport={"width": width, "height": 800 if width > 400 else 740},
                        locale={"fi": "fi-FI", "sv": "sv-FI", "en": "en-GB"}.get(language, language),
                    )
                    if user == pages.PROFESSIONAL:
                        context.add_cookies([{"name": cookie[0], "value": cookie[1], "url": url}])
                    contexts[key] = context.new_page()
                tab = contexts[key]
                tab.goto(url + path)
                if page_type.act is not None:
                    page_type.act(tab)
                suffix = "" if user == pages.ANONYMOUS else f"-{user}"
                target = out_dir / f"{page_type.key}-{language}{suffix}-{width}.png"
                tab.screenshot(path=str(target), full_page=True)
                written += 1
                print(f"  {target.name}  {path}", flush=True)
        browser.close()
    return written


if __name__ == "__main__":
    main()
