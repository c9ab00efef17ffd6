"""What the directory needs from the apps above it, as contracts of the one registry
(`search.contracts`; docs/architecture.md, "Contracts").

`directory` imports no other app. A team or service stores only the `uid` of the
operating model it follows (`operating_model_uid`); the models library provides
`OPERATING_MODELS` (title, address, stage and the editors' choices), the portal
provides `PATHWAYS_TO_SERVICE` (the residents' pathways that lead to an entry point).
Without a provider the directory still works: no model is named and no pathway listed.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any, Protocol, runtime_checkable

from search import contracts


@dataclass(frozen=True)
class OperatingModelRef:
    """An operating model as the directory shows it: its stable uid, title in the
    active language and address (None when it has none to link to)."""

    uid: uuid.UUID
    title: str
    url: str | None = None


@dataclass(frozen=True)
class OperatingModelStage:
    """The development stage of a model (`label` translated; `active` is False for a
    paused or ended one) and its Finnish title, for editors."""

    stage: str
    label: str
    active: bool
    title: str = ""


@dataclass(frozen=True)
class PageLink:
    title: str
    url: str | None


@runtime_checkable
class OperatingModelDirectory(Protocol):
    def resolve(self, uid: uuid.UUID) -> OperatingModelRef | None:
        """The public model with this uid, or None (unknown, unpublished or restricted)."""
        ...

    def resolve_many(self, uids: list[uuid.UUID]) -> dict[uuid.UUID, OperatingModelRef]:
        """resolve() of each uid in one read: {uid: model} of those found."""
        ...

    def stage(self, uid: uuid.UUID) -> OperatingModelStage | None:
        """The stage of the model with this uid, published or not (for editors)."""
        ...

    def choices(self) -> list[tuple[uuid.UUID, str]]:
        """(uid, label) of every model an editor may link a team or service to."""
        ...


@runtime_checkable
class PathwaysToService(Protocol):
    def pathways_to(self, service: Any) -> list[PageLink]:
        """Public pathway pages (in the active language) that lead to an entry point."""
        ...


class NoOperatingModels:
    """The default: the directory knows no operating models."""

    def resolve(self, uid: uuid.UUID) -> OperatingModelRef | None:
        return None

    def resolve_many(self, uids: list[uuid.UUID]) -> dict[uuid.UUID, OperatingModelRef]:
        return {}

    def stage(self, uid: uuid.UUID) -> OperatingModelStage | None:
        return None

    def choices(self) -> list[tuple[uuid.UUID, str]]:
        return []


class NoPathways:
    """The default: no pathways lead to any service."""

    def pathways_to(self, service: Any) -> list[PageLink]:
        return []


OPERATING_MODELS: contracts.Contract[OperatingModelDirectory] = contracts.Contract(
    "directory.operating_models", OperatingModelDirectory, NoOperatingModels()
)
PATHWAYS_TO_SERVICE: contracts.Contract[PathwaysToService] = contracts.Contract(
    "directory.pathways_to_service", PathwaysToService, NoPathways()
)


def _as_uid(value: uuid.UUID | str | None) -> uuid.UUID | None:
    if not value:
        return None
    if isinstance(value, uuid.UUID):
        return value
    try:
        return uuid.UUID(str(value))
    except ValueError:
        return None


def operating_model(uid: uuid.UUID | str | None) -> dict | None:
    """{"uid", "title", "url"} of the model a team or service follows, as plain data for
    the directory's representations (directory.presenters), or None."""
    uid = _as_uid(uid)
    if uid is None:
        return None
    return _model_data(contracts.get(OPERATING_MODELS).resolve(uid))


def operating_models(uids) -> dict[uuid.UUID, dict | None]:
    """operating_model() of each of `uids` (uids or their text) in one read: {uid: data or
    None} for each valid uid. The door finder resolves all doors of an answer at once."""
    wanted = list(dict.fromkeys(filter(None, map(_as_uid, uids))))
    found = contracts.get(OPERATING_MODELS).resolve_many(wanted) if wanted else {}
    return {uid: _model_data(found.get(uid)) for uid in wanted}


def _model_data(ref: OperatingModelRef | None) -> dict | None:
    return None if ref is None else {"uid": ref.uid, "title": ref.title, "url": ref.url}


def operating_model_stage(uid: uuid.UUID | str | None) -> OperatingModelStage | None:
    uid = _as_uid(uid)
    return contracts.get(OPERATING_MODELS).stage(uid) if uid is not None else None


def inactive_stage(uid: uuid.UUID | str | None) -> str | None:
    """The stage label ("Ended", "Paused") when the model with this uid is no longer
    active, else None (also for no uid, an unknown one, or without a provider)."""
    found = operating_model_stage(uid)
    if found is not None and not found.active:
        return found.label or ""
    return None


def operating_model_choices() -> list[tuple[uuid.UUID, str]]:
    return list(contracts.get(OPERATING_MODELS).choices())


def pathways_to(service: Any) -> list[PageLink]:
    """The pathways that lead to `service`: none unless it is an entry point."""
    if not service.is_entry_point:
        return []
    return list(contracts.get(PATHWAYS_TO_SERVICE).pathways_to(service))
