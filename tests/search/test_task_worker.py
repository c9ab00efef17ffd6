"""The production path of index updates: the database task backend
(django-tasks-db) stores the task when the change commits, and
`manage.py db_worker` runs it.

A transactional test: the worker takes its tasks in a transaction of its own,
which cannot nest in a test's. serialized_rollback puts back the reference data
(geography, synonyms) that emptying the tables at the end would lose.
"""

import pytest
from django.core.management import call_command
from django_tasks_db.models import DBTaskResult

from search import analysers
from search.models import SearchEntry
from search.synonyms import ensure_default_synonyms
from tests.directory.factories import OrganisationFactory, ServiceFactory
from tests.search.content import keys

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_changes_are_indexed_by_the_database_worker(settings):
    settings.TASKS = DATABASE_TASKS
    settings.ELASTICSEARCH_URL = ""
    ensure_default_synonyms()
    analysers.invalidate_synonyms()

    service = ServiceFactory(name_fi="Työpajan seepravalmennus", organisation=OrganisationFactory())
    key = f"service:{service.uid}"

    # Queued in the database, not run yet.
    queued = DBTaskResult.objects.filter(task_path="search.tasks.update_objects")
    assert queued.exists() and {task.status for task in queued} == {"READY"}
    assert not SearchEntry.objects.filter(key=key).exists()

    call_command("db_worker", "--batch", "--no-reload", "--no-startup-delay", verbosity=0)

    assert {task.status for task in queued.all()} == {"SUCCESSFUL"}
    assert keys("seepravalmennus") == [key]

    service.delete()
    call_command("db_worker", "--batch", "--no-reload", "--no-startup-delay", verbosity=0)

    assert keys("seepravalmennus") == []
    deleted = DBTaskResult.objects.get(task_path="search.tasks.delete_documents")
    assert deleted.status == "SUCCESSFUL" and deleted.args_kwargs["args"] == [[key]]
