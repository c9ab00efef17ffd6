"""Locust users for `make load` and `make faults` (bench/load.py, bench/faults.py).

The values requested (service URLs, postal codes, life situations, users) come
from the fixtures file the stack setup wrote (env LOAD_FIXTURES). Request names
group the statistics by request type (`GET home`, `GET doors API`, ...).

- Resident (weight 6): home page, door finder, a pathway page with a postal
  code (the doors), the search page, service and location pages.
- Professional (weight 2): signs in through the Wagtail admin login form
  (/admin/login/: the site has no sign-in of its own) as a member of the
  "professionals" group, then searches with filters (contact people, services
  in a municipality), opens service pages (which show contact people to
  professionals) and pathways (with the network map).
- ApiClient (weight 2): /api/v1/search, /api/v1/doors, /api/hsds/services.

Every answer but a 200 counts as a failure (the login's 302 is expected).
"""

import json
import os
import random
import time
from urllib.parse import urlencode

from locust import HttpUser, between, events, task

FIXTURES = json.loads(open(os.environ["LOAD_FIXTURES"]).read())
WAIT = (float(os.environ.get("LOAD_WAIT_MIN", "1")), float(os.environ.get("LOAD_WAIT_MAX", "3")))

SEARCH_WORDS = [
    "perhekeskus",
    "neuvola",
    "mielenterveyspalvelut",
    "päihdepalvelut",
    "kotihoito",
    "terveysasema",
    "nuorten työpaja",
    "talous- ja velkaneuvonta",
    "sosiaalipäivystys",
    "koulukuraattori",
    "perhekeskukseen",
    "palveluohjaus",
    "kriisiapu",
    "vanhusneuvonta",
    "lastensuojelu",
]
PRO_WORDS = [
    "vastuutyöntekijä",
    "palveluohjaaja",
    "sosiaaliohjaaja",
    "terveydenhoitaja",
    "päihdetyöntekijä",
    "koulukuraattori",
    "perhetyöntekijä",
]
MUNICIPALITIES = ["091", "049", "837", "564", "853", "297", "179", "092", "398", "167"]


# LOAD_EVENTS: one JSON line per request (time, name, status, ms, error), for the
# fault benchmark's windows (what happened during each outage).
_EVENTS = open(os.environ["LOAD_EVENTS"], "a", buffering=1) if os.environ.get("LOAD_EVENTS") else None


@events.request.add_listener
def _record(request_type, name, response_time, response_length, response=None, exception=None, **kwargs):
    if _EVENTS is None:
        return
    status = getattr(response, "status_code", None) or 0
    line = {
        "t": round(time.time(), 3),
        "name": f"{request_type} {name}",
        "status": status,
        "ms": round(response_time or 0, 1),
    }
    if exception is not None:
        line["error"] = str(exception)[:200]
    if response is not None and name.endswith("search API") and status == 200:
        try:
            line["engine"] = response.json().get("engine")
        except ValueError:
            pass
    _EVENTS.write(json.dumps(line) + "\n")


def _postal():
    return random.choice(FIXTURES["postal_codes"])


class Resident(HttpUser):
    weight = 6
    wait_time = between(*WAIT)

    @task(3)
    def home(self):
        self.client.get(FIXTURES["home"], name="GET home")

    @task(1)
    def door_finder(self):
        if FIXTURES.get("door_finder"):
            self.client.get(FIXTURES["door_finder"], name="GET door finder")

    @task(3)
    def pathway_with_postal_code(self):
        pathway = random.choice(FIXTURES["pathways"])
        self.client.get(
            f"{pathway['url']}?{urlencode({'postal_code': _postal()})}", name="GET pathway + postal code"
        )

    @task(3)
    def search_page(self):
        params = {"q": random.choice(SEARCH_WORDS)}
        if random.random() < 0.3:
            params["postal_code"] = _postal()
        self.client.get(f"{FIXTURES['search_page']}?{urlencode(params)}", name="GET search page")

    @task(3)
    def service_page(self):
        self.client.get(random.choice(FIXTURES["service_urls"]), name="GET service page")

    @task(1)
    def location_page(self):
        self.client.get(random.choice(FIXTURES["location_urls"]), name="GET location page")


class Professional(HttpUser):
    weight = 2
    wait_time = between(*WAIT)

    def on_start(self):
        self.signed_in = False
        username = random.choice(FIXTURES["users"])
        with self.client.get("/admin/login/", name="GET admin login form", catch_response=True) as response:
            token = self.client.cookies.get("csrftoken")
            if response.status_code != 200 or not token:
                response.failure(f"login form: HTTP {response.status_code}, csrftoken {bool(token)}")
                return
        with self.client.post(
            "/admin/login/",
            data={
                "username": username,
                "password": FIXTURES["password"],
                "csrfmiddlewaretoken": token,
                "next": "/",
            },
            headers={"Referer": f"{self.host}/admin/login/"},
            allow_redirects=False,
            name="POST admin login",
            catch_response=True,
        ) as response:
            if response.status_code == 302 and self.client.cookies.get("sessionid"):
                response.success()
                self.signed_in = True
            else:
                response.failure(f"sign-in failed: HTTP {response.status_code}")

    @task(4)
    def search_with_filters(self):
        kind = random.choice(
            [
                {"q": random.choice(PRO_WORDS), "type": "contact_person"},
                {
                    "q": random.choice(SEARCH_WORDS),
                    "type": "service",
                    "municipality": random.choice(MUNICIPALITIES),
                },
                {"q": random.choice(PRO_WORDS), "postal_code": _postal()},
            ]
        )
        with self.client.get(
            f"/api/v1/search?{urlencode(kind)}", name="GET pro search API (filters)", catch_response=True
        ) as response:
            if response.status_code != 200:
                response.failure(f"HTTP {response.status_code}")
                return
            try:
                results = response.json()["results"]
            except (ValueError, KeyError):
                response.failure("not a search answer")
                return
        urls = [r["url"] for r in results[:5] if r.get("url") and r["url"].startswith("/")]
        if urls:
            self.client.get(random.choice(urls), name="GET pro search result (contact person / service)")

    @task(2)
    def search_page(self):
        params = {"q": random.choice(PRO_WORDS), "type": random.choice(["contact_person", "service", "team"])}
        self.client.get(f"{FIXTURES['search_page']}?{urlencode(params)}", name="GET pro search page")

    @task(3)
    def service_page(self):
        with self.client.get(
            random.choice(FIXTURES["service_urls"]), name="GET pro service page", catch_response=True
        ) as response:
            if (
                response.status_code == 200
                and self.signed_in
                and "private" not in response.headers.get("Cache-Control", "")
            ):
                response.failure("a signed-in answer was not private")

    @task(1)
    def pathway(self):
        pathway = random.choice(FIXTURES["pathways"])
        self.client.get(
            f"{pathway['url']}?{urlencode({'postal_code': _postal()})}", name="GET pro pathway + postal code"
        )


class ApiClient(HttpUser):
    weight = 2
    wait_time = between(*WAIT)

    @task(3)
    def search(self):
        params = {"q": random.choice(SEARCH_WORDS)}
        roll = random.random()
        if roll < 0.2:
            params["postal_code"] = _postal()
        elif roll < 0.4:
            params.update(type="service", municipality=random.choice(MUNICIPALITIES))
        self.client.get(f"/api/v1/search?{urlencode(params)}", name="GET search API")

    @task(3)
    def doors(self):
        params = {"situation": random.choice(FIXTURES["situations"]), "postal_code": _postal()}
        self.client.get(f"/api/v1/doors?{urlencode(params)}", name="GET doors API")

    @task(1)
    def hsds_services(self):
        params = {"page": random.randint(1, 20), "per_page": 20}
        self.client.get(f"/api/hsds/services?{urlencode(params)}", name="GET HSDS services")

    @task(1)
    def hsds_service(self):
        uid = random.choice(FIXTURES["service_uids"])
        self.client.get(f"/api/hsds/services/{uid}", name="GET HSDS service")
