"""Operating models as the directory sees them: a slug, and whatever the models library says about it.

`directory` imports no other app, so a team stores only `operating_model_slug`.
The models library registers a resolver at start-up (AppConfig.ready):

    from directory.operating_models import register_resolver
    register_resolver(lambda slug: {"title": ..., "url": ...} or None)

Without one, the slug is shown as a readable name and not linked.
"""

_resolver = None


def register_resolver(resolver):
    global _resolver
    _resolver = resolver


def resolve(slug):
    """{"slug", "title", "url"} for an operating model slug, or None for an empty slug."""
    if not slug:
        return None
    found = _resolver(slug) if _resolver is not None else None
    if found:
        return {"slug": slug, "title": found.get("title") or slug, "url": found.get("url")}
    return {"slug": slug, "title": slug.replace("-", " ").replace("_", " ").capitalize(), "url": None}
