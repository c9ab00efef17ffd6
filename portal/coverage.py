"""Coverage of the one-door pathways in a wellbeing services county, for planners:
which municipalities have no local entry point for a life situation, and which
entry points have information nobody has verified in 12 months."""

from dataclasses import dataclass, field

from directory.choices import ServiceStatus
from directory.models import LifeSituation, Service


@dataclass
class SituationCoverage:
    situation: LifeSituation
    missing: list = field(default_factory=list)  # municipalities with no local door
    county_wide: list = field(default_factory=list)  # county-level doors that catch them
    stale: list = field(default_factory=list)  # doors in the county needing verification


def county_coverage(county):
    municipalities = list(county.municipalities.order_by("name_fi"))
    county_ids = {m.pk for m in municipalities}
    doors = list(
        Service.objects.filter(status=ServiceStatus.ACTIVE, is_entry_point=True)
        .select_related("organisation")
        .prefetch_related("life_situations", "municipalities", "postal_codes", "counties")
    )
    result = []
    for situation in LifeSituation.objects.all():
        covered, county_wide, stale = set(), [], []
        for door in doors:
            if situation not in door.life_situations.all():
                continue
            local = {m.pk for m in door.municipalities.all()} | {p.municipality_id for p in door.postal_codes.all()}
            covered |= local
            serves_county = county in door.counties.all()
            if serves_county:
                county_wide.append(door)
            if (serves_county or local & county_ids) and door.needs_verification():
                stale.append(door)
        result.append(
            SituationCoverage(
                situation=situation,
                missing=[m for m in municipalities if m.pk not in covered],
                county_wide=county_wide,
                stale=stale,
            )
        )
    return result
