"""Search results whose title or snippet falls back to another language than the
page's are marked with that language (WCAG 3.1.2); the API answers plain strings."""

import json

import pytest
from bs4 import BeautifulSoup


def test_finnish_titles_and_snippets_are_marked_on_english_pages(client, indexed):
    html = BeautifulSoup(client.get("/en/haku/", {"q": "Liperi", "type": "service"}).content, "html.parser")

    title = next(h for h in html.select(".search-result__title") if "Liperin perhekeskus" in h.get_text())
    assert title.find("span", lang="fi").get_text() == "Liperin perhekeskus"
    snippet = title.find_parent("li").select_one(".search-result__snippet")
    assert snippet["lang"] == "fi"


def test_swedish_titles_are_not_marked_on_swedish_pages(client, indexed):
    html = BeautifulSoup(client.get("/sv/haku/", {"q": "Liperi", "type": "service"}).content, "html.parser")

    title = next(
        h for h in html.select(".search-result__title") if "Familjecentralen i Liperi" in h.get_text()
    )
    assert title.find(attrs={"lang": True}) is None


@pytest.mark.django_db
def test_the_api_answers_plain_strings(client, indexed):
    body = json.loads(client.get("/api/v1/search", {"q": "Liperi", "lang": "en"}).content)

    result = body["results"][0]
    assert set(result) == {"type", "uid", "title", "url", "snippet", "score", "distance_m", "matched_lang"}
    assert isinstance(result["title"], str)
