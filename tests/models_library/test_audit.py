"""The audit trail of operating-model imports: who created, changed and published
which model, in Wagtail's page log (directory.audit)."""

import json

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from wagtail.models import PageLogEntry

from directory import audit
from models_library.models import OperatingModelPage
from tests.models_library.factories import document, model_record

pytestmark = pytest.mark.django_db


def test_import_models_records_the_user_the_file_and_the_publication(library, tmp_path):
    importer = get_user_model().objects.create_user(username="kehittaja", password="x")
    path = tmp_path / "models.json"
    path.write_text(json.dumps(document(model_record("a"))), encoding="utf-8")

    call_command("import_models", str(path), "--user", "kehittaja")

    page = OperatingModelPage.objects.get(slug="a", locale__language_code="fi")
    (created,) = PageLogEntry.objects.filter(page=page, action=audit.IMPORT_CREATE)
    assert created.user == importer
    assert created.data["source"] == "import_models"
    assert created.data["file"] == str(path)
    published = PageLogEntry.objects.filter(page=page, action="wagtail.publish")
    assert [entry.user for entry in published] == [importer]


def test_a_changed_model_is_recorded_and_an_unchanged_one_is_not(library, tmp_path):
    path = tmp_path / "models.json"
    path.write_text(json.dumps(document(model_record("a"))), encoding="utf-8")
    call_command("import_models", str(path))
    page = OperatingModelPage.objects.get(slug="a", locale__language_code="fi")
    assert PageLogEntry.objects.get(page=page, action=audit.IMPORT_CREATE).data["source"] == "import_models"

    call_command("import_models", str(path))
    assert not PageLogEntry.objects.filter(page=page, action=audit.IMPORT_EDIT).exists()

    path.write_text(json.dumps(document(model_record("a", stage="established"))), encoding="utf-8")
    call_command("import_models", str(path))
    (edited,) = PageLogEntry.objects.filter(page=page, action=audit.IMPORT_EDIT)
    assert edited.user is None
