"""The door finder's logic: from a life situation and a place to the resident's door(s)
and the steps that follow. The pathway page and GET /api/v1/doors both use find_doors,
so they always give the same answer.

Nothing the resident types is stored: these functions only read.
"""

import datetime
import re
from dataclasses import dataclass, field

from django.db.models import Q
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from wagtail.models import Locale

from directory import contracts as directory_contracts
from directory import hours as hours_lib
from directory import selectors as directory_selectors
from directory.contracts import PageLink
from directory.geography import normalise_postal_code, place_for_municipality, place_for_postal_code
from directory.models import LifeSituation, Service
from directory.presenters import attach_reference_relations, prefetch_service, reference_table
from directory.visibility import can_see_professional_data
from models_library import privacy
from models_library.choices import INACTIVE_STAGES
from models_library.selectors import canonical_models
from portal.caching import memoized, memoized_many
from portal.models import PathwayPage
from search.localization import LocalizedText

# Locality ranks from directory.selectors, grouped into what the resident is told.
LOCAL, COUNTY, NATIONAL = "local", "county", "national"
SCOPES = {0: LOCAL, 1: LOCAL, 2: COUNTY, 3: NATIONAL}
NONE = "none"


@dataclass
class DoorAnswer:
    situation: LifeSituation
    place: object = None
    problem: str = ""  # "", "missing_place", "unknown_postal_code", "unknown_municipality"
    doors: list = field(default_factory=list)
    scope: str = NONE
    model: object = None
    steps: list = field(default_factory=list)
    # The moment the answer is for (aware, Europe/Helsinki) and what is open then.
    at: object = None
    statuses: dict = field(default_factory=dict)  # service pk -> hours.OpenStatus
    # The next most local doors beneath the nearest ones (county or national), and their scope.
    more_doors: list = field(default_factory=list)
    more_scope: str = NONE
    # When no shown door is open at `at`: [(service, status)] open then (LifeSituation.after_hours_help).
    after_hours: list = field(default_factory=list)
    # Who organises services for the place: {"county": Organisation|None, "municipality": ...}.
    organisers: dict = field(default_factory=dict)
    # The operating models the doors name, resolved at once: {uid: data or None}
    # (directory.contracts.operating_models; presenters.service_data(operating_models=)).
    operating_models: dict = field(default_factory=dict)

    def status_of(self, door):
        return self.statuses.get(door.pk)

    @property
    def door_open(self):
        """Is one of the nearest doors open at `at`?"""
        return any(self.statuses[door.pk].is_open for door in self.doors)

    @property
    def problem_message(self):
        return {
            "missing_place": _("Give your postal code or municipality."),
            "unknown_postal_code": _("We did not find that postal code. Check the five digits."),
            "unknown_municipality": _("We did not find that municipality. Check the spelling."),
        }.get(self.problem, "")


# ISO 8601 date and time, minutes required, seconds optional, an optional offset or Z.
# Nothing else (no date alone, no week dates, no space for "T"): a moment is either
# clearly given or refused.
MOMENT = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:\d{2})?", re.ASCII)


def parse_moment(value):
    """(aware datetime or None, error) from an `at=` parameter. Empty means now (None, False);
    a naive time is Helsinki wall-clock time; anything not strictly ISO 8601 is an error."""
    value = (value or "").strip()
    if not value:
        return None, False
    if len(value) > 40 or not MOMENT.fullmatch(value):
        return None, True
    try:
        moment = datetime.datetime.fromisoformat(value)
    except ValueError:  # 2026-02-30T10:00, 25:00 ...
        return None, True
    if moment.tzinfo is None:
        moment = hours_lib.to_aware(moment)
    return moment.astimezone(hours_lib.HELSINKI), False


def resolve_place(postal_code="", municipality=""):
    """(place, problem) from what the resident typed; the postal code wins when both are given."""
    if (postal_code or "").strip():
        if normalise_postal_code(postal_code) is None:
            return None, "unknown_postal_code"
        place = place_for_postal_code(postal_code)
        return (place, "") if place else (None, "unknown_postal_code")
    if (municipality or "").strip():
        place = place_for_municipality(municipality[:100])
        return (place, "") if place else (None, "unknown_municipality")
    return None, "missing_place"


@dataclass(frozen=True)
class _DoorsOfPlace:
    """What find_doors reads from the content alone (not the clock, not the user's rights
    beyond anonymity): the same for every anonymous resident until the content changes."""

    place: object
    problem: str
    scope: str = NONE
    door_pks: tuple = ()
    more_pks: tuple = ()
    more_scope: str = NONE
    help_pks: tuple = ()
    organisers: dict = field(default_factory=dict)


def _doors_of_place(situation, place, problem, organisers):
    """`organisers()`: area_organisers of the place (asked only when it has no doors)."""
    if place is None:
        return _DoorsOfPlace(place=None, problem=problem)
    # Which services to show comes from one small query of ids (the ranked doors and the
    # after-hours help chosen for the situation); then all of them are read with their
    # relations at once. A county or national door list can be long: only the nearest
    # rank and the next one outwards are read whole.
    found = directory_selectors.doors_and_help(situation, place)
    ranked = [(pk, locality) for pk, locality, is_door, _ in found if is_door]
    door_pks, more_pks, scope, more_scope = [], [], NONE, NONE
    if ranked:
        nearest = ranked[0][1]
        scope = SCOPES[nearest]
        door_pks = [pk for pk, locality in ranked if locality == nearest]
        # The next scope outwards (local -> county -> national), when it has doors.
        widest_of_scope = max(rank for rank, name in SCOPES.items() if name == scope)
        following = next((locality for _, locality in ranked if locality > widest_of_scope), None)
        if following is not None:
            more_pks = [pk for pk, locality in ranked if locality == following]
            more_scope = SCOPES[following]
    help_pks = [pk for pk, _, _, is_help in found if is_help and pk not in door_pks and pk not in more_pks]
    return _DoorsOfPlace(
        place=place,
        problem=problem,
        scope=scope,
        door_pks=tuple(door_pks),
        more_pks=tuple(more_pks),
        more_scope=more_scope,
        help_pks=tuple(help_pks),
        organisers={} if door_pks else organisers(),
    )


def _read_services(pks, professional):
    return {
        service.pk: service
        for service in prefetch_service(Service.objects.filter(pk__in=pks), professional=professional)
    }


def _read_residents_services(pks):
    """_read_services() for residents: the small reference tables (sectors, languages,
    municipalities ...) are read whole once per content generation, and the services'
    links to all of them in one query, instead of a query per relation."""

    def table(relation):
        return memoized(("reference_table", relation), lambda: reference_table(relation), shared=True)

    services = prefetch_service(Service.objects.filter(pk__in=pks), professional=False, reference=False)
    return {service.pk: service for service in attach_reference_relations(services, table)}


def _services_to_present(pks, user, anonymous):
    """{pk: Service} with everything the presenters read. Residents' doors are memoized
    one service at a time, so the county's and the country's doors, shared by many
    places, are read once per content generation."""
    if not anonymous:
        return _read_services(pks, can_see_professional_data(user))
    memo = memoized_many(
        [("door_service", pk) for pk in pks],
        lambda keys: {
            ("door_service", pk): service
            for pk, service in _read_residents_services([k[1] for k in keys]).items()
        },
        shared=True,
    )
    return {key[1]: service for key, service in memo.items()}


def _is_anonymous(user):
    return user is None or not user.is_authenticated


def find_doors(
    situation, *, postal_code="", municipality="", pathway=None, default_steps=(), user=None, at=None
):
    """The most local entry points for the situation in the place, and what happens next
    (from an operating model `user` may see: models_library.privacy, else the general
    steps of `pathway` or `default_steps`), as at the moment `at` (aware datetime; default
    now): each door's open status, the next most local doors, the help open then when the
    doors are closed, and who organises the services of the place.

    For anonymous residents what depends on the content alone (the doors, their records,
    the steps) is memoized per content generation (portal.caching.memoized: any edit
    starts a new one); only the open statuses are worked out on each call, because they
    depend on the clock. Signed-in users' answers depend on their rights and are read
    anew each time."""
    at = at or hours_lib.now()
    if pathway is not None:
        default_steps = pathway.default_steps.all()
    anonymous = _is_anonymous(user)
    if anonymous:
        # The place and its organisers are the same for every situation asked about there.
        where = (postal_code or "", municipality or "")
        place, problem = memoized(
            ("door_place", *where), lambda: resolve_place(postal_code, municipality), shared=True
        )
        found = memoized(
            ("doors_of_place", situation.pk, *where),
            lambda: _doors_of_place(
                situation,
                place,
                problem,
                lambda: memoized(
                    ("area_organisers", *where),
                    lambda: directory_selectors.area_organisers(place),
                    shared=True,
                ),
            ),
            shared=True,
        )
    else:
        place, problem = resolve_place(postal_code, municipality)
        found = _doors_of_place(situation, place, problem, lambda: directory_selectors.area_organisers(place))
    answer = DoorAnswer(situation=situation, place=found.place, problem=found.problem, at=at)
    if found.place is None:
        return answer
    services = _services_to_present(found.door_pks + found.more_pks + found.help_pks, user, anonymous)
    answer.scope, answer.more_scope = found.scope, found.more_scope
    answer.doors = [services[pk] for pk in found.door_pks]
    answer.more_doors = [services[pk] for pk in found.more_pks]
    for door in answer.doors + answer.more_doors:
        answer.statuses[door.pk] = directory_selectors.service_status(door, at)
    if not answer.door_open:
        answer.after_hours = [
            (service, status)
            for service, status in (
                (services[pk], directory_selectors.service_status(services[pk], at)) for pk in found.help_pks
            )
            if status.is_open
        ]
    answer.organisers = found.organisers
    answer.operating_models = _operating_models(
        answer.doors + answer.more_doors + [service for service, _ in answer.after_hours], anonymous
    )
    if anonymous and (pathway is not None or not default_steps):
        # The steps depend on the doors only through the models they name (most name
        # none, so places share them); they are written in the active language.
        key = (
            "door_steps",
            _model_uids(answer.doors),
            pathway.pk if pathway else None,
            translation.get_language(),
        )
        answer.model, answer.steps = memoized(
            key, lambda: next_steps(answer.doors, default_steps, user), shared=True
        )
    else:
        answer.model, answer.steps = next_steps(answer.doors, default_steps, user)
    return answer


def _operating_models(services, anonymous):
    """{uid: data or None} of the operating models the services name, in one read. The
    directory shows public models only, whoever asks; still, only residents' answers use
    the memo (in the active language), signed-in users' are read anew."""
    uids = [service.operating_model_uid for service in services if service.operating_model_uid]
    if not anonymous:
        return directory_contracts.operating_models(uids)
    language = translation.get_language()
    memo = memoized_many(
        [("door_operating_model", uid, language) for uid in dict.fromkeys(uids)],
        lambda keys: {
            ("door_operating_model", uid, language): data
            for uid, data in directory_contracts.operating_models([key[1] for key in keys]).items()
        },
        shared=True,
    )
    return {key[1]: data for key, data in memo.items()}


def _model_uids(doors):
    """The uids of the models the doors or their teams follow, in the doors' order."""
    uids = []
    for door in doors:
        uids.append(door.operating_model_uid)
        uids.extend(team.operating_model_uid for team in door.teams.all())
    return tuple(dict.fromkeys(filter(None, uids)))


def operating_model_for(doors, user=None):
    """The operating model the door follows: its own, or that of a team it belongs to;
    only a model `user` may see (a restricted one is passed over) and only one still
    in use (a paused or ended model is passed over: models_library.choices.INACTIVE_STAGES)."""

    wanted = _model_uids(doors)
    if not wanted:
        return None
    # One query for every candidate, then the first in the doors' order.
    usable = {
        model.translation_key: model
        for model in canonical_models(user)
        .filter(translation_key__in=wanted)
        .exclude(stage__in=INACTIVE_STAGES)
    }
    first = next((usable[uid] for uid in wanted if uid in usable), None)
    return first.specific if first is not None else None


def next_steps(doors, default_steps=(), user=None):
    """(model, steps): the linked model's process, or the pathway's general steps.

    Each step is {"title", "description", "language", "time", "time_language",
    "professional_description"}. `description` is what a resident is told: a model
    step's resident text (in the active language, else Finnish, and `language` says
    which), or nothing when the step has none, so that only its title is shown. The
    model's own description of the step is written for professionals: it is given as
    `professional_description` to professionals only (directory.visibility), and is
    None for everyone else (docs/models-library.md)."""

    model = operating_model_for(doors, user)
    if model is None:
        return None, [
            {
                "title": step.title,
                "description": step.description,
                "language": None,
                "time": step.time,
                "time_language": None,
                "professional_description": None,
            }
            for step in default_steps
        ]
    professional = can_see_professional_data(user)
    steps = []
    for step in model.steps.all():
        time_language = None
        if step.time_limit_text:
            # Time limit texts of models are written in Finnish (see docs/models-library.md).
            time_language = model.locale.language_code
            time = LocalizedText(step.time_limit_text, time_language)
        elif step.time_limit_days:
            time = ngettext("within %(days)s day", "within %(days)s days", step.time_limit_days) % {
                "days": step.time_limit_days
            }
        else:
            time = ""
        text, language = step.localized_resident_text
        steps.append(
            {
                "title": step.localized_title,
                "description": text,
                "language": language,
                "time": time,
                "time_language": time_language,
                # Descriptions of models are written in Finnish, for professionals.
                "professional_description": (step.description or None) if professional else None,
            }
        )
    return model, steps


def pathways_using_model(model):
    """Pathway pages (in the active language) whose doors follow the operating model:
    public pages only (shown on the model's page, whoever asks)."""

    doors = (
        Service.objects.public()
        .filter(is_entry_point=True)
        .filter(Q(operating_model_uid=model.uid) | Q(teams__operating_model_uid=model.uid))
    )
    situations = LifeSituation.objects.filter(pk__in=doors.values("life_situations"))
    pages = privacy.public(
        PathwayPage.objects.live().filter(locale=Locale.get_active(), life_situation__in=situations)
    )
    return [PageLink(title=page.title, url=page.url) for page in pages.order_by("path")]


def pathways_to_service(service):
    """Pathway pages (in the active language) for the life situations an entry point
    answers: public pages only (the directory's pages do not say who is asking)."""

    pages = privacy.public(PathwayPage.objects.live()).filter(
        locale=Locale.get_active(), life_situation__in=service.life_situations.all()
    )
    return [PageLink(title=page.title, url=page.url) for page in pages.order_by("path")]


class PathwayLinks:
    """The portal's side of the contracts directory.contracts.PATHWAYS_TO_SERVICE and
    models_library.contracts.PAGES_USING_MODEL (provided in PortalConfig.ready)."""

    def pathways_to(self, service):
        return pathways_to_service(service)

    def pages_using(self, model):
        return pathways_using_model(model)
