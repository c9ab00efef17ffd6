"""The task worker's safety nets, in-process (the real processes are in
test_worker_processes.py): a task that meets a transient database error is
retried instead of FAILED, tasks of dead workers are recovered by the lease,
and the Elasticsearch queue keeps one row per key and one waiting replay.

Transactional tests: the worker claims tasks in transactions of its own.
serialized_rollback puts back the reference data that emptying the tables at
the end would lose (as in test_task_worker.py).
"""

import datetime

import pytest
from django.core.management import call_command
from django.db import OperationalError
from django.utils import timezone
from django_tasks import task
from django_tasks_db.models import DBTaskResult

from search import service, tasks
from search.management.commands.db_worker import recover_abandoned_tasks
from search.models import PendingIndexUpdate, WorkerHeartbeat

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
CLOSED_PORT = "http://127.0.0.1:9"
calls = []


@task()
def locked_once():
    """Fails like a write that found SQLite locked, the first time only."""
    calls.append(1)
    if len(calls) == 1:
        raise OperationalError("database is locked")
    return len(calls)


@task()
def finish():
    return "done"


@task()
def broken():
    raise ValueError("a bug, not the database")


def run_worker(*args):
    call_command("db_worker", "--batch", "--no-reload", "--no-startup-delay", *args, verbosity=0)


@pytest.fixture
def database_tasks(settings):
    settings.TASKS = DATABASE_TASKS
    settings.ELASTICSEARCH_URL = ""
    calls.clear()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_transient_database_error_retries_the_task_instead_of_failing_it(database_tasks):
    result = locked_once.enqueue()

    run_worker()
    row = DBTaskResult.objects.get(id=result.id)
    assert row.status == "READY" and row.run_after > timezone.now() - datetime.timedelta(seconds=1)

    row.run_after = timezone.now()
    row.save(update_fields=["run_after"])
    run_worker()
    row.refresh_from_db()
    assert row.status == "SUCCESSFUL" and row.return_value == 2 and len(row.worker_ids) == 2


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_other_errors_still_fail_the_task(database_tasks):
    result = broken.enqueue()
    run_worker()
    row = DBTaskResult.objects.get(id=result.id)
    assert row.status == "FAILED" and row.exception_class_path == "builtins.ValueError"


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_transient_error_fails_the_task_after_the_last_attempt(database_tasks):
    result = locked_once.enqueue()
    run_worker("--max-attempts", "1")
    assert DBTaskResult.objects.get(id=result.id).status == "FAILED"


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_worker_leaves_no_heartbeat_behind_when_it_stops(database_tasks):
    run_worker()
    assert not WorkerHeartbeat.objects.exists()


def running_task(worker_id, started_seconds_ago, claims=1):
    result = finish.enqueue()
    started = timezone.now() - datetime.timedelta(seconds=started_seconds_ago)
    DBTaskResult.objects.filter(id=result.id).update(
        status="RUNNING",
        started_at=started,
        worker_ids=[f"earlier-{n}" for n in range(claims - 1)] + [worker_id],
    )
    return result.id


def beat(worker_id, seconds_ago):
    seen = timezone.now() - datetime.timedelta(seconds=seconds_ago)
    WorkerHeartbeat.objects.create(worker_id=worker_id, started=seen, last_seen=seen)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_tasks_of_dead_workers_are_recovered_and_those_of_live_ones_are_not(database_tasks):
    beat("alive", 1)
    beat("dead", 120)
    alive = running_task("alive", 300)
    dead = running_task("dead", 300)
    vanished = running_task("never-seen", 300)
    just_claimed = running_task("never-seen", 1)
    worn_out = running_task("dead", 300, claims=10)

    assert recover_abandoned_tasks(lease=60, max_attempts=10) == 3

    status = {str(id): status for id, status in DBTaskResult.objects.values_list("id", "status")}
    assert status[alive] == "RUNNING" and status[just_claimed] == "RUNNING"
    assert status[dead] == "READY" and status[vanished] == "READY"
    assert status[worn_out] == "FAILED"
    assert DBTaskResult.objects.get(id=worn_out).exception_class_path.endswith("WorkerLost")


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_starting_worker_finishes_a_task_its_dead_predecessor_left_running(database_tasks):
    beat("dead", 120)
    task_id = running_task("dead", 300)
    run_worker("--lease", "60")
    row = DBTaskResult.objects.get(id=task_id)
    assert row.status == "SUCCESSFUL" and len(row.worker_ids) == 2


# --- the Elasticsearch queue during an outage --------------------------------------------


@pytest.mark.django_db
def test_an_outage_queues_one_row_per_key_and_one_replay_task(settings, content_documents):
    settings.TASKS = DATABASE_TASKS
    settings.ELASTICSEARCH_URL = CLOSED_PORT
    service._down_until.clear()

    for _ in range(5):
        tasks.update_objects.call(content_documents)
    tasks.delete_documents.call(["service:gone"])

    keys = sorted(key for _source, _pk, key in content_documents) + ["service:gone"]
    assert sorted(PendingIndexUpdate.objects.values_list("key", flat=True)) == sorted(set(keys))
    replays = DBTaskResult.objects.filter(task_path="search.tasks.replay_pending")
    assert replays.count() == 1 and replays.get().run_after > timezone.now()


@pytest.mark.django_db
def test_a_key_queued_again_gets_a_newer_row(settings):
    settings.ELASTICSEARCH_URL = CLOSED_PORT
    service._down_until.clear()
    service.delete_documents(["service:a"])
    first = PendingIndexUpdate.objects.get(key="service:a").id
    service.delete_documents(["service:a", "service:b"])
    # A replay that read the first row removes rows up to its id: never this newer one.
    assert PendingIndexUpdate.objects.get(key="service:a").id > first
    assert PendingIndexUpdate.objects.count() == 2


@pytest.fixture
def content_documents(db):
    """[source, pk, key] items for a few directory records."""
    from tests.directory.factories import OrganisationFactory, ServiceFactory

    organisation = OrganisationFactory()
    services = [ServiceFactory(organisation=organisation) for _ in range(3)]
    return [["directory.service", s.pk, f"service:{s.uid}"] for s in services] + [
        ["directory.organisation", organisation.pk, f"organisation:{organisation.uid}"]
    ]


@pytest.mark.django_db
def test_leftover_queue_without_elasticsearch_is_dropped_by_check_and_repair(settings, capsys):
    settings.ELASTICSEARCH_URL = ""
    PendingIndexUpdate.objects.create(key="service:x", action="index")

    call_command("search_index", "repair")
    assert not PendingIndexUpdate.objects.exists()
    assert "Dropped 1 queued Elasticsearch updates" in capsys.readouterr().err

    PendingIndexUpdate.objects.create(key="service:y", action="delete")
    call_command("search_index", "check")
    assert not PendingIndexUpdate.objects.exists()


@pytest.mark.django_db
def test_clear_queue(settings, capsys):
    settings.ELASTICSEARCH_URL = CLOSED_PORT
    PendingIndexUpdate.objects.create(key="service:x", action="index")
    PendingIndexUpdate.objects.create(key="service:y", action="delete")

    call_command("search_index", "clear-queue")

    assert not PendingIndexUpdate.objects.exists()
    assert "Dropped 2 queued Elasticsearch updates" in capsys.readouterr().out
