"""National-scale directory *rows* for the production-stack benchmarks
(bench/serving.py, bench/load.py, bench/faults.py).

bench/national.py makes search documents only (no rows), which is right for
the search benchmark but not for a running site: the door finder
(GET /api/v1/doors), the service pages, the HSDS API and `search_index check`
all read the directory tables. Here the same generated records
(`NationalData(scale)`, fixed seed) are written as real rows with
`bulk_create`: organisations, locations, services (sectors, target groups,
life situations, areas served, entry points), services at locations and
contact people, and the operating models as real pages
(`bench.national.create_model_pages`). The search index is then built by the
caller from the registered sources (`search.indexing.rebuild()`), as a site
would after an import.

Left out, to keep the load inside the time budget: teams, opening hours and
service channels (the generated hours are not written, so "open now" finds
only the demo records).

Run inside Django (bench/stack.py calls `load(scale)` from its setup process).
"""

import sys
import time

BATCH = 2000


def _log(message):
    print(f"  national rows: {message}", file=sys.stderr, flush=True)


def load(scale, progress=True):
    """Create the national rows for `scale`; returns counts per kind."""
    from django.db import transaction

    from bench.national import NationalData, create_model_pages
    from directory.models import (
        ContactPerson,
        LifeSituation,
        Location,
        Municipality,
        Organisation,
        PostalCode,
        Sector,
        Service,
        ServiceAtLocation,
        TargetGroup,
        WellbeingCounty,
    )
    from search.signals import paused

    started = time.perf_counter()
    data = NationalData(scale)
    _log(f"generated scale {scale} in {time.perf_counter() - started:.1f}s")
    municipalities = {m.code: m.pk for m in Municipality.objects.all()}
    counties = {c.code: c.pk for c in WellbeingCounty.objects.all()}
    postal_codes = dict(PostalCode.objects.values_list("code", "pk"))
    sectors = {s.slug: s.pk for s in Sector.objects.all()}
    targets = {t.slug: t.pk for t in TargetGroup.objects.all()}
    situations = {s.slug: s.pk for s in LifeSituation.objects.all()}
    counts = {}

    with paused(), transaction.atomic():
        # Organisations
        orgs = [
            Organisation(
                uid=_uid("organisation", org.index),
                name_fi=org.name[:200],
                name_sv=(org.name_sv or "")[:200],
                organisation_type=org.type,
                municipality_id=municipalities.get(org.municipality.code) if org.municipality else None,
            )
            for org in data.organisations
        ]
        Organisation.objects.bulk_create(orgs, batch_size=BATCH)
        org_pk = dict(Organisation.objects.filter(uid__in=[o.uid for o in orgs]).values_list("uid", "pk"))
        org_ids = [org_pk[o.uid] for o in orgs]
        counts["organisation"] = len(orgs)
        _log(f"{len(orgs)} organisations")

        # Locations
        locations = []
        for loc in data.locations:
            code, office_fi, _office_sv = loc.postal_code
            locations.append(
                Location(
                    uid=_uid("location", loc.index),
                    organisation_id=org_ids[loc.organisation],
                    name_fi=loc.name[:200],
                    name_sv=(loc.name_sv if loc.municipality.bilingual else "")[:200],
                    name_en=(loc.name_en or "")[:200],
                    street_address_fi=loc.street[:200],
                    postal_code=code,
                    post_office=office_fi or "",
                    municipality_id=municipalities.get(loc.municipality.code),
                    latitude=round(loc.point[0], 6),
                    longitude=round(loc.point[1], 6),
                )
            )
        for start in range(0, len(locations), BATCH):
            Location.objects.bulk_create(locations[start : start + BATCH])
        location_pk = dict(
            Location.objects.filter(uid__in=[loc.uid for loc in locations]).values_list("uid", "pk")
        )
        location_ids = [location_pk[loc.uid] for loc in locations]
        counts["location"] = len(locations)
        _log(f"{len(locations)} locations")

        # Services and their many-to-many rows
        services = []
        for svc in data.services:
            kind = svc.kind
            text = list(kind["text"])
            services.append(
                Service(
                    uid=_uid("service", svc.index),
                    organisation_id=org_ids[svc.organisation],
                    name_fi=svc.title["fi"][:200],
                    name_sv=svc.title.get("sv", "")[:200],
                    name_en=svc.title.get("en", "")[:200],
                    summary_fi=(text[0] if text else "")[:300],
                    description_fi=" ".join(text[1:]),
                    summary_sv=(kind["sv_text"][0] if kind["sv_text"] and "sv" in svc.title else "")[:300],
                    summary_en=(kind["en_text"][0] if kind["en_text"] and "en" in svc.title else "")[:300],
                    status="active",
                    nationwide=svc.area[2],
                    is_entry_point=svc.entry_point,
                )
            )
        for start in range(0, len(services), BATCH):
            Service.objects.bulk_create(services[start : start + BATCH])
        service_pk = dict(Service.objects.filter(uid__in=[s.uid for s in services]).values_list("uid", "pk"))
        service_ids = [service_pk[s.uid] for s in services]
        through = {
            "sectors": (Service.sectors.through, "sector_id"),
            "target_groups": (Service.target_groups.through, "targetgroup_id"),
            "life_situations": (Service.life_situations.through, "lifesituation_id"),
            "municipalities": (Service.municipalities.through, "municipality_id"),
            "counties": (Service.counties.through, "wellbeingcounty_id"),
        }
        rows = {name: [] for name in through}
        for svc, pk in zip(data.services, service_ids):
            kind = svc.kind
            wanted = {
                "sectors": [sectors.get(kind["sector"])],
                "target_groups": [targets.get(slug) for slug in kind["targets"]],
                "life_situations": [situations.get(slug) for slug in kind["topics"]],
                "municipalities": [municipalities.get(code) for code in svc.area[0]],
                "counties": [counties.get(code) for code in svc.area[1]],
            }
            for name, ids in wanted.items():
                model, column = through[name]
                for other in dict.fromkeys(i for i in ids if i is not None):
                    rows[name].append(model(service_id=pk, **{column: other}))
        for name, objs in rows.items():
            through[name][0].objects.bulk_create(objs, batch_size=BATCH)
        counts["service"] = len(services)
        counts["service_entry_points"] = sum(1 for s in data.services if s.entry_point)
        _log(f"{len(services)} services ({counts['service_entry_points']} entry points)")

        # Services at locations
        sals = [
            ServiceAtLocation(
                uid=_uid("service_at_location", f"{svc.index}:{loc}"),
                service_id=pk,
                location_id=location_ids[loc],
            )
            for svc, pk in zip(data.services, service_ids)
            for loc in svc.location_ids
        ]
        ServiceAtLocation.objects.bulk_create(sals, batch_size=BATCH)
        counts["service_at_location"] = len(sals)

        # Contact people (professional-only)
        people = [
            ContactPerson(
                uid=_uid("contact_person", person.index),
                organisation_id=org_ids[person.organisation],
                name=person.name[:150],
                title_fi=person.title[:150],
                role=person.role if person.role in _roles() else "",
                phone=person.phone,
                email=person.email,
                expertise_fi=", ".join(person.expertise),
            )
            for person in data.people
        ]
        ContactPerson.objects.bulk_create(people, batch_size=BATCH)
        person_pk = dict(
            ContactPerson.objects.filter(uid__in=[p.uid for p in people]).values_list("uid", "pk")
        )
        links = [
            ContactPerson.services.through(contactperson_id=person_pk[p.uid], service_id=service_ids[s])
            for p, person in zip(people, data.people)
            for s in person.service_ids
        ]
        ContactPerson.services.through.objects.bulk_create(links, batch_size=BATCH)
        counts["contact_person"] = len(people)
        _log(f"{len(people)} contact people")
    del postal_codes

    started = time.perf_counter()
    counts["operating_model"] = create_model_pages(data, progress=_page_progress() if progress else None)
    _log(f"{counts['operating_model']} operating model pages in {time.perf_counter() - started:.1f}s")
    return counts


def _roles():
    from directory.choices import ContactRole

    return set(ContactRole.values)


def _page_progress():
    state = {"last": 0.0}

    def report(done, total):
        now = time.monotonic()
        if now - state["last"] > 15 or done == total:
            state["last"] = now
            _log(f"operating model pages {done}/{total}")

    return report


def _uid(kind, index):
    import uuid

    from bench.national import NAMESPACE

    return uuid.uuid5(NAMESPACE, f"rows:{kind}:{index}")
