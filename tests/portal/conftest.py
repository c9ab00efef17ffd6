import pytest
from django.db import transaction

from portal.demo import load_all


@pytest.fixture(scope="module")
def demo_content(django_db_setup, django_db_blocker):
    """The whole demo, loaded once per test module and rolled back after it."""
    with django_db_blocker.unblock(), transaction.atomic():
        load_all()
        yield
        transaction.set_rollback(True)


@pytest.fixture
def demo(demo_content, db):
    return None
