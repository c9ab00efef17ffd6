"""Coverage of the one-door pathways in a wellbeing services county, for planners:
which municipalities have a door for a life situation that serves the whole
municipality, which have one only for some postal code areas, which are caught only
by a county-wide door, and which have none; which doors have information nobody has
verified in 12 months, and which follow an operating model that has ended or is paused.

The rules match the door finder (directory.selectors.entry_points): a door serves a
whole municipality when it lists the municipality and none of its postal code areas;
a door that lists postal code areas of a municipality serves only those areas
(Hervanta, 33720, is not all of Tampere). A door listing the county serves every
municipality in it. Nationwide doors are not counted: they are nobody's local door.

Used by the admin report (portal.admin_views), the professionals' page
(portal.coverage_views) and its CSV export (coverage_csv_rows).
"""

from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

from directory.choices import ServiceStatus
from directory.models import LifeSituation, Service
from models_library.choices import Stage
from models_library.models import OperatingModelPage
from models_library.selectors import inactive_model_uids

COVERED, PARTIAL, COUNTY_WIDE, MISSING = "covered", "partial", "county_wide", "missing"
STATUS_LABELS = {
    COVERED: _("Covered"),
    PARTIAL: _("Partly covered (postal code areas)"),
    COUNTY_WIDE: _("County-wide door only"),
    MISSING: _("No door"),
}


@dataclass
class PartialDoor:
    door: Service
    postal_codes: list  # the door's postal code areas in the municipality


@dataclass
class MunicipalityCoverage:
    municipality: object
    status: str = MISSING
    doors: list = field(default_factory=list)  # doors serving the whole municipality
    partial: list = field(default_factory=list)  # PartialDoor: doors for some postal code areas
    county_wide: list = field(default_factory=list)  # county-level doors that catch it

    @property
    def status_label(self):
        return STATUS_LABELS[self.status]

    def all_doors(self):
        found = {}
        for door in [*self.doors, *(p.door for p in self.partial), *self.county_wide]:
            found.setdefault(door.pk, door)
        return list(found.values())


@dataclass
class InactiveModelDoor:
    door: Service
    model: dict  # {"uid", "title", "stage", "stage_label"}


@dataclass
class SituationCoverage:
    situation: LifeSituation
    municipalities: list = field(default_factory=list)  # MunicipalityCoverage, one per municipality
    county_wide: list = field(default_factory=list)  # county-level doors
    stale: list = field(default_factory=list)  # doors in the county needing verification
    inactive_model: list = field(default_factory=list)  # InactiveModelDoor

    @property
    def missing(self):
        """Municipalities with no local door for the whole municipality (partial, county-wide only or none)."""
        return [row.municipality for row in self.municipalities if row.status != COVERED]

    @property
    def partial(self):
        return [row for row in self.municipalities if row.status == PARTIAL]


def inactive_models():
    """{uid: {"uid", "title", "stage", "stage_label"}} of the operating models that are
    paused or ended (models_library.selectors.inactive_model_uids decides which)."""

    labels = dict(Stage.choices)
    pages = OperatingModelPage.objects.filter(
        locale__language_code="fi", translation_key__in=inactive_model_uids()
    ).values_list("translation_key", "title", "stage")
    return {
        uid: {"uid": uid, "title": title, "stage": stage, "stage_label": labels.get(stage, stage)}
        for uid, title, stage in pages
    }


def _followed_models(door, inactive):
    uids = [door.operating_model_uid, *(team.operating_model_uid for team in door.teams.all())]
    seen = []
    for uid in uids:
        if uid in inactive and inactive[uid] not in seen:
            seen.append(inactive[uid])
    return seen


def county_coverage(county):
    """[SituationCoverage] for every life situation, in the county's municipalities."""
    municipalities = list(county.municipalities.order_by("name_fi"))
    county_ids = {m.pk for m in municipalities}
    doors = list(
        Service.objects.filter(status=ServiceStatus.ACTIVE, is_entry_point=True)
        .select_related("organisation")
        .prefetch_related("life_situations", "municipalities", "postal_codes", "counties", "teams")
        .order_by("name_fi")
    )
    inactive = inactive_models()
    result = []
    for situation in LifeSituation.objects.all():
        rows = {m.pk: MunicipalityCoverage(municipality=m) for m in municipalities}
        coverage = SituationCoverage(situation=situation, municipalities=list(rows.values()))
        for door in doors:
            if situation not in door.life_situations.all():
                continue
            areas = {}
            for postal_code in door.postal_codes.all():
                areas.setdefault(postal_code.municipality_id, []).append(postal_code)
            whole = {m.pk for m in door.municipalities.all()} - set(areas)
            serves_county = county in door.counties.all()
            for pk in whole & county_ids:
                rows[pk].doors.append(door)
            for pk in set(areas) & county_ids:
                rows[pk].partial.append(
                    PartialDoor(door=door, postal_codes=sorted(areas[pk], key=lambda p: p.code))
                )
            if serves_county:
                coverage.county_wide.append(door)
                for row in rows.values():
                    row.county_wide.append(door)
            if not (serves_county or (whole | set(areas)) & county_ids):
                continue
            if door.needs_verification():
                coverage.stale.append(door)
            for model in _followed_models(door, inactive):
                coverage.inactive_model.append(InactiveModelDoor(door=door, model=model))
        for row in coverage.municipalities:
            if row.doors:
                row.status = COVERED
            elif row.partial:
                row.status = PARTIAL
            elif row.county_wide:
                row.status = COUNTY_WIDE
        result.append(coverage)
    return result


# CSV -----------------------------------------------------------------------------------


def postal_area_label(postal_code):
    return f"{postal_code.code} {postal_code.name_fi.title()}"


def coverage_csv_header():
    return [
        _("County code"),
        _("Wellbeing services county"),
        _("Life situation"),
        _("Municipality code"),
        _("Municipality"),
        _("Status"),
        _("Status description"),
        _("Doors for the whole municipality"),
        _("Doors for some postal code areas"),
        _("County-wide doors"),
        _("Not verified in 12 months"),
        _("Following an ended or paused operating model"),
    ]


def coverage_csv_rows(county, coverage=None):
    """One row per life situation × municipality: the status (covered, partial,
    county_wide or missing), the doors, and the doors needing attention."""
    coverage = county_coverage(county) if coverage is None else coverage
    rows = []
    for item in coverage:
        stale = {door.pk for door in item.stale}
        inactive = {}
        for entry in item.inactive_model:
            inactive.setdefault(entry.door.pk, []).append(entry.model)
        for row in item.municipalities:
            doors = row.all_doors()
            rows.append(
                [
                    county.code,
                    county.name,
                    item.situation.name,
                    row.municipality.code,
                    row.municipality.name,
                    row.status,
                    str(row.status_label),
                    "; ".join(door.name for door in row.doors),
                    "; ".join(
                        f"{p.door.name} ({', '.join(postal_area_label(pc) for pc in p.postal_codes)})"
                        for p in row.partial
                    ),
                    "; ".join(door.name for door in row.county_wide),
                    "; ".join(door.name for door in doors if door.pk in stale),
                    "; ".join(
                        f"{door.name} ({model['title']} – {model['stage_label']})"
                        for door in doors
                        for model in inactive.get(door.pk, [])
                    ),
                ]
            )
    return rows


def coverage_csv_filename(county):
    return f"one-door-coverage-{county.code}.csv"
