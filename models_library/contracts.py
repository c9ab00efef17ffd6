"""What the models library needs from the portal above it, as contracts of the one
registry (`search.contracts`; docs/architecture.md, "Contracts").

models_library may not import portal: the portal provides `PAGES_USING_MODEL` (the
pathway pages whose doors follow a model). Without a provider no page is listed.
"""

from __future__ import annotations

from typing import Any, Protocol, runtime_checkable

from directory.contracts import PageLink
from search import contracts


@runtime_checkable
class PagesUsingModel(Protocol):
    def pages_using(self, model: Any) -> list[PageLink]:
        """Public pages (in the active language) that use the operating model page."""
        ...


class NoPages:
    """The default: no page uses any model."""

    def pages_using(self, model: Any) -> list[PageLink]:
        return []


PAGES_USING_MODEL: contracts.Contract[PagesUsingModel] = contracts.Contract(
    "models_library.pages_using_model", PagesUsingModel, NoPages()
)


def pages_using(model: Any) -> list[PageLink]:
    return list(contracts.get(PAGES_USING_MODEL).pages_using(model))
