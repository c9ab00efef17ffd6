"""The residents' pathways that lead to an entry-point service.

Pathways are portal pages and `directory` imports no other app, so the portal
registers a provider at start-up:

    from directory.pathway_links import register_provider
    register_provider(lambda service: [{"title": ..., "url": ...}, ...])
"""

_provider = None


def register_provider(provider):
    global _provider
    _provider = provider


def pathways_to(service):
    if _provider is None or not service.is_entry_point:
        return []
    return _provider(service)
