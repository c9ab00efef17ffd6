"""The one registry of contracts between apps (docs/architecture.md, "Contracts").

Imports run one way, portal → models_library → directory, and `search` imports no app.
When a lower app needs something only a higher one knows (the directory asking which
operating model a team follows, the library asking which pathways use a model), the
lower app declares a `Contract`: a name, a `typing.Protocol` saying what it needs, and
the answer it gets when nobody provides one. The higher app provides an implementation
at start-up, in its AppConfig.ready():

    from search import contracts
    from directory.contracts import OPERATING_MODELS
    contracts.provide(OPERATING_MODELS, LibraryOperatingModels())

and the lower app asks for it where it needs it:

    contracts.get(OPERATING_MODELS).resolve(uid)

The contract is declared by the app that consumes it (`directory/contracts.py`,
`models_library/contracts.py`), next to the code that needs it; only this mechanism
lives here, in `search`, because `search` imports no app and every app may import it.

Where many apps each add their own implementations (search's document sources), the
consumer declares a `Registry` instead: `register(REGISTRY, implementation)` adds one
under its `name`, `members(REGISTRY)` lists them, `registered(REGISTRY, implementation)`
adds one for a test.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Generic, Protocol, TypeVar, runtime_checkable

T = TypeVar("T")

__all__ = [
    "API_DESCRIPTIONS",
    "AUDIENCE",
    "DOCUMENT_SOURCES",
    "PLACES",
    "Audience",
    "ApiDescription",
    "Contract",
    "ContractError",
    "DocumentSource",
    "DocumentType",
    "Facet",
    "Places",
    "Registry",
    "get",
    "is_provided",
    "member",
    "members",
    "provide",
    "provided",
    "register",
    "registered",
    "unregister",
]


class ContractError(TypeError):
    """An implementation that does not have what the contract asks for."""


class Contract(Generic[T]):
    """What one app needs from another: `protocol` names the methods, `default` answers
    when no app provides an implementation (the lower app then works on its own)."""

    # `protocol` is a typing.Protocol marked @runtime_checkable; mypy takes T from the
    # declared type of the contract, so it checks `default` and provide()'s
    # implementations against the protocol statically too.
    def __init__(self, name: str, protocol: type, default: T) -> None:
        self.name = name
        self.protocol = protocol
        self.default = default
        _check(self, default)

    def __repr__(self) -> str:
        return f"<Contract {self.name}>"


_provided: dict[Contract, object] = {}


def _check(contract: Contract | Registry, implementation: object) -> None:
    # Protocols are @runtime_checkable: isinstance() checks that every member is there.
    if not isinstance(implementation, contract.protocol):
        methods = [name for name in vars(contract.protocol) if not name.startswith("_")]
        attributes = list(getattr(contract.protocol, "__annotations__", {}))
        missing = [name for name in methods if not callable(getattr(implementation, name, None))]
        missing += [name for name in attributes if not hasattr(implementation, name)]
        raise ContractError(
            f"{implementation!r} does not implement {contract.name} "
            f"({contract.protocol.__name__}); missing: {', '.join(sorted(missing)) or '?'}"
        )


def provide(contract: Contract[T], implementation: T) -> None:
    """Make `implementation` the answer to `contract` (called from AppConfig.ready).
    Providing again replaces the earlier implementation."""
    _check(contract, implementation)
    _provided[contract] = implementation


def get(contract: Contract[T]) -> T:
    """The provided implementation of `contract`, else its default."""
    return _provided.get(contract, contract.default)  # type: ignore[return-value]


def is_provided(contract: Contract) -> bool:
    return contract in _provided


@contextlib.contextmanager
def provided(contract: Contract[T], implementation: T | None) -> Iterator[T]:
    """Within the block, `implementation` answers `contract` (None: nobody provides it,
    so the default answers); the earlier state is restored afterwards. For tests."""
    had, previous = contract in _provided, _provided.get(contract)
    if implementation is None:
        _provided.pop(contract, None)
    else:
        provide(contract, implementation)
    try:
        yield get(contract)
    finally:
        if had:
            _provided[contract] = previous
        else:
            _provided.pop(contract, None)


# Registries: many implementations, each under its own name -------------------------------


class Registry(Generic[T]):
    """What one app collects from the others, many at a time: every implementation has a
    `name` (unique in the registry) and the members of `protocol`. `check(others, new)`,
    when given, refuses (ContractError) an implementation that contradicts the others."""

    def __init__(self, name: str, protocol: type, check: Callable[[list[T], T], None] | None = None) -> None:
        self.name = name
        self.protocol = protocol
        self.check = check
        self.members: dict[str, T] = {}
        # Changes with every registration, so consumers may cache what they derive.
        self.version = 0

    def __repr__(self) -> str:
        return f"<Registry {self.name}>"


def register(registry: Registry[T], implementation: T) -> T:
    """Add `implementation` under its `name` (called from AppConfig.ready); registering a
    name again replaces the earlier implementation."""
    _check(registry, implementation)
    name = getattr(implementation, "name", None)
    if not isinstance(name, str) or not name:
        raise ContractError(f"{implementation!r} has no name for {registry.name}")
    if registry.check is not None:
        registry.check([other for key, other in registry.members.items() if key != name], implementation)
    registry.members[name] = implementation
    registry.version += 1
    return implementation


def unregister(registry: Registry[T], name: str) -> None:
    if registry.members.pop(name, None) is not None:
        registry.version += 1


def members(registry: Registry[T]) -> list[T]:
    """The registered implementations, in the order they were registered."""
    return list(registry.members.values())


def member(registry: Registry[T], name: str) -> T:
    """The implementation registered as `name` (KeyError when there is none)."""
    return registry.members[name]


@contextlib.contextmanager
def registered(registry: Registry[T], implementation: T) -> Iterator[T]:
    """Within the block, `implementation` is registered (replacing one of the same name);
    the earlier state is restored afterwards. For tests."""
    name = getattr(implementation, "name", "")
    previous = registry.members.get(name)
    register(registry, implementation)
    try:
        yield implementation
    finally:
        if previous is None:
            unregister(registry, name)
        else:
            registry.members[name] = previous
            registry.version += 1


# Contracts `search` declares ------------------------------------------------------------
#
# A search needs two answers only the apps have; the directory provides them
# (DirectoryConfig.ready). Declared here because this is search's own module of
# contracts, as directory/contracts.py and models_library/contracts.py are theirs.


@runtime_checkable
class Audience(Protocol):
    def is_professional(self, user: Any) -> bool:
        """May `user` see professional-only documents?"""
        ...


@runtime_checkable
class Places(Protocol):
    def area_for_search(self, postal_code: str = "", municipality: str = "") -> dict | None:
        """The "serves my area" place: None when unknown, else {"municipality": code,
        "county": code or None, "name": str, "point": (lat, lon) or None}."""
        ...

    def place_names(self) -> dict[str, list[tuple[str, str]]]:
        """The gazetteer for places typed into a query: {municipality code:
        [(language, name), ...]}, the municipality's own names, e.g.
        {"853": [("fi", "Turku"), ("sv", "Åbo")]}."""
        ...

    def district_names(self) -> dict[str, list[tuple[str, str]]]:
        """Well-known districts and former municipalities inside municipalities, in
        the same shape ({"837": [("fi", "Hervanta")]}): a resident there is served
        as one of the municipality."""
        ...


class NobodyIsProfessional:
    """The default: every search is a public one."""

    def is_professional(self, user: Any) -> bool:
        return False


class NoPlaces:
    """The default: no place is known (search.params then refuses the area parameters)."""

    def area_for_search(self, postal_code: str = "", municipality: str = "") -> dict | None:
        return None

    def place_names(self) -> dict[str, list[tuple[str, str]]]:
        return {}

    def district_names(self) -> dict[str, list[tuple[str, str]]]:
        return {}


AUDIENCE: Contract[Audience] = Contract("search.audience", Audience, NobodyIsProfessional())
PLACES: Contract[Places] = Contract("search.places", Places, NoPlaces())


# Search's document sources ----------------------------------------------------------------
#
# Every app turns its objects into search documents through sources it registers in its
# AppConfig.ready (search.documents.register). A source describes itself: the document
# types it makes (a result tab each) and the facets a search can filter its documents by,
# with their labels and their description in the OpenAPI document. `search` builds its
# tabs, facet lists, parameters and API description from these, so it names no app's
# types or facets (docs/architecture.md, "Where a new document type or facet goes").


@dataclass(frozen=True)
class DocumentType:
    """A kind of search result: a tab of the search page and a value of the `type` facet."""

    name: str  # "service": the documents' `type`, the `type` parameter's value
    label: Any  # one result's kind (gettext_lazy): "Service"
    tab_label: Any  # the tab (gettext_lazy): "Services"
    position: int  # tabs and lists run from the lowest position
    # Only professionals ever get these documents; their tab shows only when it has results.
    professional_only: bool = False
    # English plural for the API's description ("services"); default: from the name.
    plural: str = ""

    @property
    def described_as(self) -> str:
        return self.plural or f"{self.name.replace('_', ' ')}s"


@dataclass(frozen=True)
class Facet:
    """A facet a search can be filtered by (a repeatable parameter of the same name) and
    counts: a fieldset of the search page's filter panel."""

    name: str  # the documents' facet name and the parameter's
    legend: Any  # the fieldset's legend and the parameter's name in error messages (gettext_lazy)
    position: int  # the filter panel and the API's parameters run from the lowest position
    # The values' labels are indexed as searchable text ("päihdetyöntekijä Kuopio" finds a
    # service whose municipality facet is Kuopio).
    searchable: bool = False
    # The API parameter's description (English) and example values.
    description: str = ""
    example: tuple[str, ...] = ()
    # Labels of values the documents give no label for ({value: gettext_lazy}).
    value_labels: Mapping[str, Any] = field(default_factory=dict, hash=False, compare=False)


@runtime_checkable
class DocumentSource(Protocol):
    name: str  # unique, e.g. "directory.service"
    document_types: Sequence[DocumentType]  # the types of its documents
    facets: Sequence[Facet]  # the facets its documents may be filtered by

    def iter_documents(self) -> Iterable[Any]:
        """Every SearchDocument the source has now (for rebuild and check)."""
        ...

    def document_for(self, obj: Any) -> Any | None:
        """The SearchDocument of one object, or None when it must not be searchable."""
        ...

    def key_for(self, obj: Any) -> str:
        """The document key of the object, also when document_for gives None."""
        ...


def _declarations(source: DocumentSource) -> list[DocumentType | Facet]:
    return [*source.document_types, *source.facets]


def _agree(others: list[DocumentSource], source: DocumentSource) -> None:
    """Sources may share a type or a facet (a service and a location both have
    `municipality`), but they must declare it alike."""
    declared: dict[tuple[str, str], DocumentType | Facet] = {}
    for other in others:
        for item in _declarations(other):
            declared[(type(item).__name__, item.name)] = item
    for item in _declarations(source):
        if not isinstance(item, (DocumentType, Facet)):
            raise ContractError(f"{source.name}: {item!r} is not a DocumentType or Facet")
        earlier = declared.get((type(item).__name__, item.name))
        if earlier is not None and earlier != item:
            raise ContractError(
                f"{source.name} declares {type(item).__name__} {item.name!r} unlike another source"
            )


DOCUMENT_SOURCES: Registry[DocumentSource] = Registry("search.document_sources", DocumentSource, _agree)


# Other apps' endpoints in the API's OpenAPI document ----------------------------------------
#
# search.openapi writes the one OpenAPI document of /api/v1/; an app with an endpoint of its
# own there (the portal's doors) describes it and registers the description in its
# AppConfig.ready.


@runtime_checkable
class ApiDescription(Protocol):
    name: str  # unique, e.g. "portal.doors"
    summary: str  # for the API's description: "the one-door answer for a life situation and a place"

    def paths(self) -> dict:
        """The endpoints' OpenAPI path items, by path."""
        ...

    def schemas(self) -> dict:
        """The component schemas they refer to (#/components/schemas/<name>), by name."""
        ...


API_DESCRIPTIONS: Registry[ApiDescription] = Registry("search.api_descriptions", ApiDescription)
