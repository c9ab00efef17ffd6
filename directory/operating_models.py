"""Operating models as the directory sees them: a slug, and whatever the models library says about it.

`directory` imports no other app, so a team stores only `operating_model_slug`.
The models library registers a resolver at start-up (AppConfig.ready):

    from directory.operating_models import register_resolver
    register_resolver(lambda slug: {"title": ..., "url": ...} or None)

Without one, the slug is shown as a readable name and not linked.

It also registers a stage reader, so the directory's admin can warn editors when a
service or team follows a paused or ended model:

    from directory.operating_models import register_stage_reader
    register_stage_reader(lambda slug: {"active": bool, "label": "Ended"} or None)
"""

_resolver = None
_stage_reader = None


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


def register_stage_reader(reader):
    global _stage_reader
    _stage_reader = reader


def inactive_stage(slug):
    """The stage label ("Ended", "Paused") when the model behind the slug is no longer
    active, else None (also for an unknown slug or without a registered reader)."""
    if not slug or _stage_reader is None:
        return None
    found = _stage_reader(slug)
    if found and not found.get("active", True):
        return found.get("label") or ""
    return None
