"""The directory demo loader on a database without the demo: in a module of its own,
as tests/directory/test_demo.py shares one loaded demo between its tests."""

import pytest

from directory.demo import load_directory_demo
from directory.models import Language, Sector, Service

pytestmark = pytest.mark.django_db


def test_demo_loads_on_a_database_whose_vocabularies_were_emptied(db):
    Sector.objects.all().delete()
    Language.objects.all().delete()

    load_directory_demo()

    assert Service.objects.filter(sectors__slug="health_care").exists()
