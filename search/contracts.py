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
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any, Generic, Protocol, TypeVar, runtime_checkable

T = TypeVar("T")

__all__ = [
    "AUDIENCE",
    "PLACES",
    "Audience",
    "Contract",
    "ContractError",
    "Places",
    "get",
    "is_provided",
    "provide",
    "provided",
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


def _check(contract: Contract, implementation: object) -> None:
    # Protocols are @runtime_checkable: isinstance() checks that every method is there.
    if not isinstance(implementation, contract.protocol):
        wanted = [name for name in vars(contract.protocol) if not name.startswith("_")]
        missing = [name for name in wanted if not callable(getattr(implementation, name, None))]
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


class NobodyIsProfessional:
    """The default: every search is a public one."""

    def is_professional(self, user: Any) -> bool:
        return False


class NoPlaces:
    """The default: no place is known (search.params then refuses the area parameters)."""

    def area_for_search(self, postal_code: str = "", municipality: str = "") -> dict | None:
        return None


AUDIENCE: Contract[Audience] = Contract("search.audience", Audience, NobodyIsProfessional())
PLACES: Contract[Places] = Contract("search.places", Places, NoPlaces())
