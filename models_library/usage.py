"""Where an operating model is used: the directory's teams and services that follow it
(by the model's uid), and the pages other apps report (the portal's pathways, through
models_library.contracts.PAGES_USING_MODEL).

`LibraryOperatingModels` is the library's side of the directory's contract
(directory.contracts.OPERATING_MODELS), provided at start-up in ModelsLibraryConfig.ready.
"""

from __future__ import annotations

import uuid

from django.db.models import Q
from wagtail.models import Locale

from directory.contracts import OperatingModelRef, OperatingModelStage
from directory.models import DirectoryIndexPage, Municipality, Organisation, Service, Team
from models_library.choices import INACTIVE_STAGES, Stage
from models_library.models import OperatingModelPage


def directory_usage(model):
    """Teams and services that follow the model, and the municipalities they serve."""

    teams = list(Team.objects.filter(operating_model_uid=model.uid).select_related("organisation"))
    services = list(Service.objects.public().filter(operating_model_uid=model.uid))
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

    index = DirectoryIndexPage.objects.live().filter(locale=Locale.get_active()).first()
    return index.url_builder() if index else (lambda kind, uid: None)


class LibraryOperatingModels:
    """The operating models as the directory sees them (directory.contracts)."""

    def resolve(self, uid: uuid.UUID) -> OperatingModelRef | None:
        """Public models only (the directory's pages do not say who is asking), titled
        and linked in the active language."""
        return self.resolve_many([uid]).get(uid)

    def resolve_many(self, uids: list[uuid.UUID]) -> dict[uuid.UUID, OperatingModelRef]:
        """resolve() of each uid, with the same queries as one resolve() (the door finder
        resolves the models of all doors of an answer at once)."""
        from models_library.selectors import canonical_models, localized_models  # noqa: PLC0415 cycle: models_library.selectors imports this module

        if not uids:
            return {}
        pks = list(canonical_models().filter(translation_key__in=uids).values_list("pk", flat=True))
        return {
            shown.source.translation_key: OperatingModelRef(
                uid=shown.source.translation_key, title=shown.title, url=shown.url
            )
            for shown in localized_models(pks)
        }

    def stage(self, uid: uuid.UUID) -> OperatingModelStage | None:
        """Any Finnish page with the uid, published or not, since the directory's admin
        warns editors with it."""

        found = (
            OperatingModelPage.objects.filter(translation_key=uid, locale__language_code="fi")
            .values_list("stage", "title")
            .first()
        )
        if found is None:
            return None
        stage, title = found
        return OperatingModelStage(
            stage=stage, label=str(Stage(stage).label), active=stage not in INACTIVE_STAGES, title=title
        )

    def choices(self) -> list[tuple[uuid.UUID, str]]:
        """Every model (its Finnish page, published or not) for the directory's editors;
        a paused or ended one says so."""

        pages = (
            OperatingModelPage.objects.filter(locale__language_code="fi")
            .order_by("title")
            .values_list("translation_key", "title", "stage")
        )
        return [
            (uid, f"{title} ({Stage(stage).label})" if stage in INACTIVE_STAGES else title)
            for uid, title, stage in pages
        ]


def linked_implementers(model):
    """The model's implementing organisations, linked to the directory where they exist there
    (matched by business ID, else by Finnish name)."""

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
