"""Server-side render time of the site shell's pages (no network)."""

from django.test import Client

from bench.harness import latency
from portal.demo import load_site_shell


def run():
    load_site_shell()
    client = Client()
    rows = []
    for path in ("/", "/sv/", "/en/accessibility/"):

        def get(path=path):
            response = client.get(path)
            assert response.status_code == 200, (path, response.status_code)

        rows.append(latency(f"GET {path}", get))
    return rows
