"""What production settings do that the test settings do not: checked in a subprocess."""

import json

from tests.portal.test_project import run_manage

PRODUCTION = {
    "DJANGO_SETTINGS_MODULE": "portal.settings.production",
    "SECRET_KEY": "x7!k2p#q9v@m4z$w8r&t6y^u3i*o1e%a5s_d0f-g+h=j~lB4nM8qR2tV6wY0zC3eF7",
    "ALLOWED_HOSTS": "testserver",
    "WAGTAILADMIN_BASE_URL": "https://ovi.example.org",
}

# Asks the production site for a few addresses through Django's test client (no
# database needed for these) and prints status codes as JSON.
PROBE = """
import json
from django.test import Client
client = Client(HTTP_X_FORWARDED_PROTO="https")
print(json.dumps({path: client.get(path).status_code for path in %r}))
"""


def probe(tmp_path, paths, **env):
    result = run_manage("shell", "-c", PROBE % (paths,), OVI_VAR_DIR=str(tmp_path), **PRODUCTION, **env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_readyz_is_unready_until_static_files_are_collected(tmp_path):
    # No collectstatic: the manifest is missing, every page would fail to render.
    assert probe(tmp_path, ["/healthz", "/readyz"]) == {"/healthz": 200, "/readyz": 503}


def test_media_is_served_by_the_application_only_when_asked(tmp_path):
    (tmp_path / "media" / "original_images").mkdir(parents=True)
    (tmp_path / "media" / "original_images" / "kuva.png").write_bytes(b"\x89PNG\r\n\x1a\n")

    served = probe(tmp_path, ["/media/original_images/kuva.png"], OVI_SERVE_MEDIA="1")
    assert served["/media/original_images/kuva.png"] == 200

    # Without it, the address is not Django's static file view (the proxy serves it).
    resolved = run_manage(
        "shell",
        "-c",
        "from django.urls import Resolver404, resolve\n"
        "try:\n    print(resolve('/media/original_images/kuva.png').func.__module__)\n"
        "except Resolver404:\n    print('not found')",
        OVI_VAR_DIR=str(tmp_path),
        OVI_SERVE_MEDIA="0",
        **PRODUCTION,
    )
    assert resolved.returncode == 0, resolved.stderr
    assert resolved.stdout.strip() != "django.views.static"
