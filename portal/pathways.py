"""The door finder's logic: from a life situation and a place to the resident's door(s)
and the steps that follow. The pathway page and GET /api/v1/doors both use find_doors,
so they always give the same answer.

Nothing the resident types is stored: these functions only read.
"""

from dataclasses import dataclass, field

from django.db.models import Q

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from directory import selectors as directory_selectors
from directory.geography import normalise_postal_code, place_for_municipality, place_for_postal_code
from directory.models import LifeSituation
from directory.visibility import prefetch_service
from models_library import privacy

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

    @property
    def problem_message(self):
        return {
            "missing_place": _("Give your postal code or municipality."),
            "unknown_postal_code": _("We did not find that postal code. Check the five digits."),
            "unknown_municipality": _("We did not find that municipality. Check the spelling."),
        }.get(self.problem, "")


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


def find_doors(situation, *, postal_code="", municipality="", default_steps=(), user=None):
    """The most local entry points for the situation in the place, and what happens next
    (from an operating model `user` may see: models_library.privacy)."""
    place, problem = resolve_place(postal_code, municipality)
    answer = DoorAnswer(situation=situation, place=place, problem=problem)
    if place is None:
        return answer
    # The nearest rank first, in one small query; then only those doors with all
    # their relations (a county or national door list can be long, and is not shown
    # when a local door exists).
    ranked = directory_selectors.entry_points(situation, place)
    nearest = ranked.values_list("locality", flat=True).first()
    if nearest is not None:
        answer.doors = list(prefetch_service(ranked.filter(locality=nearest)))
        answer.scope = SCOPES[nearest]
    answer.model, answer.steps = next_steps(answer.doors, default_steps, user)
    return answer


def operating_model_for(doors, user=None):
    """The operating model the door follows: its own, or that of a team it belongs to;
    only a model `user` may see (a restricted one is passed over)."""
    from models_library.selectors import canonical_models

    slugs = []
    for door in doors:
        slugs.append(door.operating_model_slug)
        slugs.extend(team.operating_model_slug for team in door.teams.all())
    for slug in filter(None, slugs):
        model = canonical_models(user).filter(slug=slug).first()
        if model is not None:
            return model.specific
    return None


def next_steps(doors, default_steps=(), user=None):
    """(model, steps): the linked model's process, or the pathway's general steps."""
    model = operating_model_for(doors, user)
    if model is None:
        return None, [
            {"title": step.title, "description": step.description, "time": step.time, "language": None}
            for step in default_steps
        ]
    steps = []
    for step in model.steps.all():
        if step.time_limit_text:
            time = step.time_limit_text
        elif step.time_limit_days:
            time = ngettext("within %(days)s day", "within %(days)s days", step.time_limit_days) % {
                "days": step.time_limit_days
            }
        else:
            time = ""
        steps.append(
            {
                "title": step.localized_title,
                "description": step.description,
                "time": time,
                # Descriptions of models are written in Finnish (see docs/models-library.md).
                "language": model.locale.language_code,
            }
        )
    return model, steps


def pathways_using_model(model):
    """Pathway pages (in the active language) whose doors follow the operating model:
    public pages only (shown on the model's page, whoever asks)."""
    from directory.models import LifeSituation, Service
    from wagtail.models import Locale

    from portal.models import PathwayPage

    doors = Service.objects.public().filter(is_entry_point=True).filter(
        Q(operating_model_slug=model.slug) | Q(teams__operating_model_slug=model.slug)
    )
    situations = LifeSituation.objects.filter(pk__in=doors.values("life_situations"))
    pages = privacy.public(
        PathwayPage.objects.live().filter(locale=Locale.get_active(), life_situation__in=situations)
    )
    return [{"title": page.title, "url": page.url} for page in pages.order_by("path")]


def pathways_to_service(service):
    """Pathway pages (in the active language) for the life situations an entry point
    answers: public pages only (the directory's pages do not say who is asking)."""
    from wagtail.models import Locale

    from portal.models import PathwayPage

    pages = privacy.public(PathwayPage.objects.live()).filter(
        locale=Locale.get_active(), life_situation__in=service.life_situations.all()
    )
    return [{"title": page.title, "url": page.url} for page in pages.order_by("path")]
