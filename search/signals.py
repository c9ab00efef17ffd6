"""Keeping the index up to date as records change: signal handlers that queue
index update tasks (search/tasks.py) when the database transaction commits.

`search` imports no app models: each app connects its own models from its
search_documents.py with the helpers here.

    watch(Service, "directory.service",
          related=lambda service: [("directory.organisation", service.organisation), ...])
    watch(ServiceChannel, related=lambda channel: [("directory.service", channel.service)])
    watch_pages(OperatingModelPage, "models_library.operating_model")

- A save queues an update of the object's document (the task fetches the
  object again with `source.get_object(pk)`, so it indexes what was committed)
  and of the documents `related(obj)` names, before and after the change (a
  location's document lists its services: moving a service from one location
  to another changes both).
- A delete queues a delete of the key computed now, while the object exists,
  and updates of the related documents (read before the delete cascades).
- Wagtail pages are indexed on `page_published` and `page_unpublished`, and on
  `post_delete` (one document holds a page and its translations, so what is left
  of them is indexed again, or the document removed).

Within one transaction (savepoint level) every document is queued once: one
`update_objects` and one `delete_documents` task per commit. `paused()` turns all of this off
in the current thread, for bulk loads that end with a full rebuild
(load_demo, imports).
"""

import logging
import threading
from contextlib import contextmanager

from django.core.exceptions import ObjectDoesNotExist
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete, pre_save
from wagtail.signals import page_published, page_unpublished

from . import tasks
from .documents import get_source

logger = logging.getLogger(__name__)

_local = threading.local()


# Pausing ---------------------------------------------------------------------------------


@contextmanager
def paused():
    """No index updates are queued in this thread inside the block (it may nest).
    The caller rebuilds the index afterwards (search.indexing.rebuild)."""
    _local.paused = getattr(_local, "paused", 0) + 1
    try:
        yield
    finally:
        _local.paused -= 1


def is_paused():
    return getattr(_local, "paused", 0) > 0


# Batching per transaction ----------------------------------------------------------------------


class _Batch:
    """What one transaction changed: updates {(source, pk): key} and deleted keys."""

    def __init__(self, using):
        self.using = using
        self.updates = {}
        self.deletes = {}

    def flush(self):
        if _batches().get(self.using) is self:
            del _batches()[self.using]

        deleted = set(self.deletes)
        updates = [[source, pk, key] for (source, pk), key in self.updates.items()]
        try:
            if updates:
                tasks.update_objects.enqueue(updates)
            if deleted:
                tasks.delete_documents.enqueue(sorted(deleted))
        except Exception:
            # The change itself is committed; `search_index repair` finds what was missed.
            logger.exception("Could not queue search index updates for %s", sorted(deleted) or updates)


def _batches():
    if not hasattr(_local, "batches"):
        _local.batches = {}
    return _local.batches


def _current_batch(using):
    """The batch of the transaction (or savepoint) in progress, registered to
    flush on commit.

    It is reused while its flush waits in the connection's on-commit list
    registered at the same savepoint level: a rolled-back savepoint or
    transaction drops it from there, so the next change starts anew."""
    connection = connections[using]
    batch = _batches().get(using)
    savepoints = set(connection.savepoint_ids)
    if batch is not None and any(
        callback == batch.flush and sids == savepoints for sids, callback, _ in connection.run_on_commit
    ):
        return batch
    batch = _Batch(using)
    _batches()[using] = batch
    transaction.on_commit(batch.flush, using=using)
    return batch


def _schedule(using, add):
    if connections[using].in_atomic_block:
        add(_current_batch(using))
    else:  # autocommit: the change is already committed
        batch = _Batch(using)
        add(batch)
        batch.flush()


def _pk(value):
    return value if isinstance(value, int) else str(value)


def schedule_update(source_name, obj, using=DEFAULT_DB_ALIAS):
    """Index `obj` through the source once the transaction commits."""
    if is_paused() or obj is None or obj.pk is None:
        return
    key = get_source(source_name).key_for(obj)
    _schedule(using, lambda batch: batch.updates.__setitem__((source_name, _pk(obj.pk)), key))


def schedule_delete(key, using=DEFAULT_DB_ALIAS):
    """Remove a document once the transaction commits."""
    if is_paused() or not key:
        return
    _schedule(using, lambda batch: batch.deletes.__setitem__(key, True))


# Connecting models --------------------------------------------------------------------------------


def _related(related, instance):
    """The (source name, object) pairs `related` names; objects that are gone
    (deleted together with this one) are skipped: their own delete removes them."""
    if related is None:
        return []
    try:
        return [(name, obj) for name, obj in related(instance) if obj is not None]
    except ObjectDoesNotExist:
        return []


# model -> (source name or None, related): what watch() was told, for many-to-many changes.
_watched = {}


def _on_m2m_changed(sender, instance, action, model, pk_set, using=DEFAULT_DB_ALIAS, **kwargs):
    """A many-to-many change (a service's areas, a person's services, ...): the documents
    of the objects on both sides and of what shows them, as on a save.

    This is not only for code that changes a relation on its own: a modelcluster
    ClusterableModel (services, teams, ...) writes its many-to-many fields in save()
    *after* post_save, so outside a transaction the update queued on post_save runs (or
    reaches the worker) before the new areas are written; this queues it again after."""
    if is_paused() or action not in ("post_add", "post_remove", "post_clear"):
        return
    if action != "post_clear" and not pk_set:  # nothing was added or removed
        return
    objects = [instance]
    if pk_set and model._meta.concrete_model in _watched:
        objects += list(model._default_manager.using(using).filter(pk__in=pk_set))
    for obj in objects:
        entry = _watched.get(type(obj)._meta.concrete_model)
        if entry is None:
            continue
        source_name, related = entry
        if source_name:
            schedule_update(source_name, obj, using)
        for name, other in _related(related, obj):
            schedule_update(name, other, using)


def watch(model, source_name=None, related=None):
    """Queue index updates when instances of `model` are saved or deleted, or their
    many-to-many relations change.

    `source_name`: the source whose documents these objects are (None for rows
    that are only part of another document, such as opening hours).
    `related(instance)`: [(source name, object)] whose documents show this one.
    """

    def saving(sender, instance, raw=False, **kwargs):
        # What showed this object before the change (its old service, location,
        # people, ...) must be indexed too: read it while the database still has it.
        if raw or is_paused() or related is None or instance.pk is None:
            return
        before = model._default_manager.filter(pk=instance.pk).first()
        instance._ovi_search_related_before = _related(related, before) if before is not None else []

    def saved(sender, instance, raw=False, using=DEFAULT_DB_ALIAS, **kwargs):
        if raw or is_paused():
            return
        if source_name:
            schedule_update(source_name, instance, using)
        before = instance.__dict__.pop("_ovi_search_related_before", [])
        for name, obj in before + _related(related, instance):
            schedule_update(name, obj, using)

    def deleting(sender, instance, **kwargs):
        # Before the delete cascades: the rows that link this object to the
        # documents showing it are about to go as well.
        if not is_paused():
            instance._ovi_search_related_before = _related(related, instance)

    def deleted(sender, instance, using=DEFAULT_DB_ALIAS, **kwargs):
        if is_paused():
            return
        if source_name:
            schedule_delete(get_source(source_name).key_for(instance), using)
        for name, obj in instance.__dict__.pop("_ovi_search_related_before", []):
            schedule_update(name, obj, using)

    uid = f"ovi-search-{model._meta.label_lower}-{source_name}"
    _watched[model._meta.concrete_model] = (source_name, related)
    for field in model._meta.many_to_many:
        through = field.remote_field.through
        m2m_changed.connect(
            _on_m2m_changed,
            sender=through,
            weak=False,
            dispatch_uid=f"ovi-search-m2m-{through._meta.label_lower}",
        )
    pre_save.connect(saving, sender=model, weak=False, dispatch_uid=f"{uid}-saving")
    post_save.connect(saved, sender=model, weak=False, dispatch_uid=f"{uid}-save")
    pre_delete.connect(deleting, sender=model, weak=False, dispatch_uid=f"{uid}-deleting")
    post_delete.connect(deleted, sender=model, weak=False, dispatch_uid=f"{uid}-delete")


def watch_pages(model, source_name):
    """Queue index updates when pages of `model` (a Wagtail page class) are
    published, unpublished or deleted."""

    def changed(sender, instance, **kwargs):
        if not is_paused():
            schedule_update(source_name, instance)

    def deleted(sender, instance, using=DEFAULT_DB_ALIAS, **kwargs):
        if is_paused():
            return
        # The document is shared with the page's translations: index what is
        # left of them, or remove the document when nothing is.
        translations = model.objects.filter(translation_key=instance.translation_key)
        remaining = translations.exclude(pk=instance.pk).first()
        if remaining is not None:
            schedule_update(source_name, remaining, using)
        else:
            schedule_delete(get_source(source_name).key_for(instance), using)

    uid = f"ovi-search-{model._meta.label_lower}-{source_name}"
    page_published.connect(changed, sender=model, weak=False, dispatch_uid=f"{uid}-published")
    page_unpublished.connect(changed, sender=model, weak=False, dispatch_uid=f"{uid}-unpublished")
    post_delete.connect(deleted, sender=model, weak=False, dispatch_uid=f"{uid}-delete")
