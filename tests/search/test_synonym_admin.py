"""Synonyms are Wagtail snippets that admins edit."""

import pytest
from django.contrib.auth import get_user_model

from search import analysers
from search.models import Synonym


@pytest.mark.django_db
def test_admin_lists_and_edits_synonyms(client):
    admin = get_user_model().objects.create_superuser("hakuadmin", "hakuadmin@example.com", "x")
    client.force_login(admin)
    response = client.get("/admin/snippets/ovi_search/synonym/?q=sote")
    assert response.status_code == 200
    assert "sote" in response.content.decode()  # a default synonym from migration 0003
    response = client.post(
        "/admin/snippets/ovi_search/synonym/add/",
        {"term": "lasu", "synonyms": "lastensuojelu", "language": "fi"},
    )
    assert response.status_code == 302
    assert Synonym.objects.filter(term="lasu", language="fi").exists()


@pytest.mark.django_db
def test_saving_a_synonym_refreshes_the_cached_table():
    analysers.synonym_sets("fi")  # cache it
    Synonym.objects.create(term="kotoutuminen", synonyms="integroituminen", language="fi")
    phrases = {p for s in analysers.synonym_sets("fi") for p in s.phrases}
    assert "integroituminen" in phrases
