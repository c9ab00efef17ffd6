"""What the worker tests run in processes of their own (python -m tests.search.worker_script …),
with tests/search/worker_settings.py against the database the test prepared.
Each command prints one JSON line.

  backlog ROUNDS            queue ROUNDS index updates of every service and organisation
  edit SECONDS PERIOD OUT   admin-like saves every PERIOD s for SECONDS s: a directory service
                            saved with a revision, an operating model page revision published;
                            each save in a transaction, as the admin does; results to OUT
  verify IN                 which of the last saved words of IN are not in the index
  slow-update SECONDS       rename a service without indexing it, then queue slow_update_objects
  enqueue-update            rename a service and let the signal queue its index update
"""

import json
import sys
import time

import django

if __name__ == "__main__":
    django.setup()

from django_tasks import task  # noqa: E402

from search.tasks import update_objects  # noqa: E402


@task()
def slow_update_objects(items, seconds):
    """update_objects after a pause: long enough for a test to kill the worker running it."""
    time.sleep(seconds)
    return update_objects.call(items)


def word(number):
    """A made-up word per save ("kokeiluaaab"), letters only, so analysis keeps it whole."""
    letters = ""
    for _ in range(4):
        number, digit = divmod(number, 26)
        letters = chr(ord("a") + digit) + letters
    return f"kokeilu{letters}"


def _services(count):
    from directory.models import Service

    return list(Service.objects.filter(status="active").order_by("pk").values_list("pk", flat=True)[:count])


def _operating_models():
    from models_library.models import OperatingModelPage

    return list(
        OperatingModelPage.objects.live().filter(locale__language_code="fi").values_list("pk", flat=True)
    )


def backlog(rounds):
    from directory.models import Organisation, Service
    from search.documents import get_source

    queued = 0
    for _ in range(int(rounds)):
        for model, source_name in ((Service, "directory.service"), (Organisation, "directory.organisation")):
            source = get_source(source_name)
            for obj in model.objects.order_by("pk"):
                update_objects.enqueue([[source_name, obj.pk, source.key_for(obj)]])
                queued += 1
    return {"queued": queued}


def save_service(pk, new_word):
    from django.db import transaction

    from directory.models import Service
    from search.documents import get_source

    with transaction.atomic():
        service = Service.objects.get(pk=pk)
        service.name_fi = f"{service.name_fi.split(' kokeilu')[0]} {new_word}"
        service.save()
        service.save_revision()
    return get_source("directory.service").key_for(service)


def publish_operating_model(pk, new_word):
    from django.db import transaction

    from models_library.models import OperatingModelPage
    from search.documents import get_source

    with transaction.atomic():
        page = OperatingModelPage.objects.get(pk=pk)
        page.short_description = f"{page.short_description.split(' kokeilu')[0]} {new_word}"
        page.save_revision().publish()
    return get_source("models_library.operating_model").key_for(page)


def edit(seconds, period, out):
    seconds, period = float(seconds), float(period)
    targets = [(save_service, pk) for pk in _services(8)] + [
        (publish_operating_model, pk) for pk in _operating_models()
    ]
    saves = []
    started = time.monotonic()
    number = 0
    while time.monotonic() - started < seconds:
        tick = started + number * period
        time.sleep(max(0.0, tick - time.monotonic()))
        save, pk = targets[number % len(targets)]
        new_word = word(number)
        began = time.monotonic()
        try:
            key = save(pk, new_word)
            saves.append({"key": key, "word": new_word, "ok": True, "seconds": time.monotonic() - began})
        except Exception as error:
            saves.append(
                {
                    "kind": save.__name__,
                    "pk": pk,
                    "word": new_word,
                    "ok": False,
                    "error": repr(error),
                    "seconds": time.monotonic() - began,
                }
            )
        number += 1
    with open(out, "w") as file:
        json.dump(saves, file)
    failed = [s for s in saves if not s["ok"]]
    return {
        "saves": len(saves),
        "failed": len(failed),
        "slowest": max((s["seconds"] for s in saves), default=0),
    }


def verify(path):
    from search import service
    from search.models import SearchEntry
    from search.query import SearchQuery

    with open(path) as file:
        saves = [s for s in json.load(file) if s["ok"]]
    last = {}
    for save in saves:
        last[save["key"]] = save["word"]
    documents = {
        entry.key: json.dumps(entry.document) for entry in SearchEntry.objects.filter(key__in=list(last))
    }
    missing = sorted(key for key, new_word in last.items() if new_word not in documents.get(key, ""))
    # And the full-text side: a search for the last word finds its document.
    not_found = sorted(
        key
        for key, new_word in last.items()
        if key
        not in {
            f"{r['type']}:{r['uid']}" for r in service.search(SearchQuery(text=new_word)).as_dict()["results"]
        }
    )
    return {"checked": len(last), "missing": missing, "not_found": not_found}


def slow_update(seconds):
    from directory.models import Service
    from search.documents import get_source
    from search.signals import paused

    pk = _services(1)[0]
    new_word = word(int(time.time()) % 26**4)
    with paused():
        service = Service.objects.get(pk=pk)
        service.name_fi = f"{service.name_fi.split(' kokeilu')[0]} {new_word}"
        service.save()
    key = get_source("directory.service").key_for(service)
    # By its importable name: run as a script, this module is __main__.
    from tests.search.worker_script import slow_update_objects

    result = slow_update_objects.enqueue([["directory.service", pk, key]], float(seconds))
    return {"key": key, "word": new_word, "task": str(result.id)}


def enqueue_update():
    pk = _services(2)[1]
    new_word = word(int(time.time() * 7) % 26**4)
    return {"key": save_service(pk, new_word), "word": new_word}


def indexed(key, new_word):
    from search.models import SearchEntry

    entry = SearchEntry.objects.filter(key=key).first()
    return {"indexed": entry is not None and new_word in json.dumps(entry.document)}


COMMANDS = {
    "backlog": backlog,
    "edit": edit,
    "verify": verify,
    "slow-update": slow_update,
    "enqueue-update": enqueue_update,
    "indexed": indexed,
}

if __name__ == "__main__":
    print(json.dumps(COMMANDS[sys.argv[1]](*sys.argv[2:])))
