"""Where an operating model is used: the directory's teams and services that follow it,
and whatever other apps report (the portal's pathways) through registered providers.

models_library may not import portal, so the portal registers a provider at start-up.
"""

from django.db.models import Q

_providers = []


def register_provider(provider):
    """provider(model) -> list of {"title", "url"} dicts of pages that use the model."""
    if provider not in _providers:
        _providers.append(provider)


def pages_using(model):
    found = []
    for provider in _providers:
        found.extend(provider(model))
    return found


def directory_usage(model):
    """Teams and services that follow the model, and the municipalities they serve."""
    from directory.models import Municipality, Service, Team

    teams = list(Team.objects.filter(operating_model_slug=model.slug).select_related("organisation"))
    services = list(Service.objects.public().filter(operating_model_slug=model.slug))
    team_areas = Team.municipalities.through.objects.filter(team__in=teams).values("municipality_id")
    service_areas = Service.municipalities.through.objects.filter(service__in=services).values(
        "municipality_id"
    )
    municipalities = Municipality.objects.filter(Q(pk__in=team_areas) | Q(pk__in=service_areas)).order_by(
        "name_fi"
    )
    url_for = _directory_urls()
    return {
        "teams": [{"name": team.name, "url": url_for("team", team.uid)} for team in teams],
        "services": [{"name": service.name, "url": url_for("service", service.uid)} for service in services],
        "municipalities": list(municipalities),
    }


def _directory_urls():
    from wagtail.models import Locale

    from directory.models import DirectoryIndexPage

    index = DirectoryIndexPage.objects.live().filter(locale=Locale.get_active()).first()
    return index.url_builder() if index else (lambda kind, uid: None)


def resolve_for_directory(slug):
    """The directory's view of an operating model (see directory.operating_models):
    public models only (the directory's pages do not say who is asking)."""
    from models_library.selectors import canonical_models, localized_models

    model = canonical_models().filter(slug=slug).first()
    if model is None:
        return None
    shown = localized_models([model.pk])[0]
    return {"title": shown.title, "url": shown.url}


def stage_for_directory(slug):
    """The stage of an operating model as the directory's admin needs it (see
    directory.operating_models.register_stage_reader): any Finnish page with the slug,
    published or not, since the warning is for editors."""
    from models_library.choices import INACTIVE_STAGES, Stage
    from models_library.models import OperatingModelPage

    stage = (
        OperatingModelPage.objects.filter(slug=slug, locale__language_code="fi")
        .values_list("stage", flat=True)
        .first()
    )
    if stage is None:
        return None
    return {"stage": stage, "label": str(Stage(stage).label), "active": stage not in INACTIVE_STAGES}


def linked_implementers(model):
    """The model's implementing organisations, linked to the directory where they exist there
    (matched by business ID, else by Finnish name)."""
    from directory.models import Organisation

    implementers = list(model.implementers.all())
    if not implementers:
        return []
    # One query over matching rows only; the directory holds tens of thousands of organisations.
    wanted = Q(business_id__in=[i.business_id for i in implementers if i.business_id])
    for implementer in implementers:
        wanted |= Q(name_fi__iexact=implementer.name)
    candidates = list(Organisation.objects.filter(wanted).only("uid", "name_fi", "business_id"))
    url_for = _directory_urls()
    linked = []
    for implementer in implementers:
        match = next(
            (
                org
                for org in candidates
                if implementer.business_id and org.business_id == implementer.business_id
            ),
            None,
        ) or next((org for org in candidates if org.name_fi.casefold() == implementer.name.casefold()), None)
        linked.append(
            {"name": implementer.name, "url": url_for("organisation", match.uid) if match else None}
        )
    return linked
