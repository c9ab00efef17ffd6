"""The residents' vocabulary (issue 15): everyday words residents type lead to
the services whose texts use the service words, on the demo content and on
every engine of this run; the file stays valid; admins edit the mappings as
synonym snippets; a service word's own search is not widened by them."""

import json
from collections import Counter
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model

from search import analysers, morphology, service
from search.analysis import Analyser, build_query, parse_synonym_sets
from search.models import Synonym
from search.query import SearchQuery
from search.synonyms import VOCABULARY_PATH, VocabularyError, ensure_default_synonyms, load_vocabulary

from .conftest import require_elasticsearch

DIRECTORY = json.loads((Path(__file__).resolve().parents[2] / "directory/demo/directory.json").read_text())
# The Elasticsearch alias of the module's demo_index (tests/search/conftest.py).
DEMO_INDEX_ALIAS_PREFIX = "test_ovi_vocabulary"
SERVICES = {service["uid"]: service for service in DIRECTORY["services"]}


def classes(uid):
    return set(SERVICES[uid]["service_classes"]) if uid in SERVICES else set()


# --- the file -----------------------------------------------------------------


def test_every_entry_has_languages_terms_concepts_and_a_public_source():
    entries = load_vocabulary()
    by_language = Counter(entry.language for entry in entries)
    assert set(by_language) == {"fi", "sv", "en"}
    assert min(by_language.values()) >= 20, by_language  # broad, in each language
    for entry in entries:
        assert entry.terms and entry.concepts
        assert entry.source_name and entry.source_url.startswith("https://")
    seen = Counter((entry.language, term) for entry in entries for term in entry.terms)
    assert [key for key, count in seen.items() if count > 1] == []


@pytest.mark.parametrize(
    "mistake, message",
    [
        ('language = "de"', "language must be one of"),
        ('source = "nowhere"', "is not in [sources]"),
        ('terms = ["työkkäri", "työkkäri"]', "already in"),
    ],
)
def test_a_broken_entry_is_refused(tmp_path, mistake, message):
    entry = {"language": 'language = "fi"', "terms": 'terms = ["työkkäri"]', "source": 'source = "kela"'}
    key = mistake.split(" = ")[0]
    entry[key] = mistake
    path = tmp_path / "vocabulary.toml"
    path.write_text(
        '[sources]\nkela = { name = "Kela", url = "https://www.kela.fi/" }\n\n[[entry]]\n'
        + "\n".join(entry.values())
        + '\nconcepts = ["työllisyyspalvelut"]\n'
    )
    with pytest.raises(VocabularyError, match=message.replace("[", r"\[").replace("]", r"\]")):
        load_vocabulary(path)


def test_the_file_is_the_one_the_migration_loads(db):
    ensure_default_synonyms()
    for entry in load_vocabulary():
        row = Synonym.objects.get(language=entry.language, term=entry.term)
        assert row.one_way and row.source == entry.source
    assert VOCABULARY_PATH.name == "residents_vocabulary.toml"


# --- one way ------------------------------------------------------------------


def test_a_resident_word_finds_the_service_word_and_not_the_other_way_round():
    english = Analyser("en", morphology.get_morphology("auto", "en"))
    sets = parse_synonym_sets([("job centre, jobcentre", "employment services", True)])
    (group,) = build_query(english, "jobcentre", sets)
    assert ("employment", "service") in group.alternatives
    assert ("job", "centre") not in group.alternatives  # a sibling resident word is not added
    groups = build_query(english, "employment services", sets)
    assert all(("jobcentre",) not in g.alternatives for g in groups)


def test_the_longest_phrase_wins_and_every_set_of_it_adds_its_words():
    english = Analyser("en", morphology.get_morphology("auto", "en"))
    sets = parse_synonym_sets(
        [
            ("school", "education", True),
            ("skipping school", "school social worker", True),
            ("skipping school", "truancy", False),
        ]
    )
    (group,) = build_query(english, "skipping school", sets)
    assert group.words == ("skipping", "school")
    assert ("school", "social", "worker") in group.alternatives and ("truancy",) in group.alternatives
    assert ("education",) not in group.alternatives


# --- on the demo ----------------------------------------------------------------


@pytest.fixture(params=["database", "elasticsearch"])
def engine(request, demo_index, db, settings):
    service._down_until.clear()
    settings.ELASTICSEARCH_URL = require_elasticsearch() if request.param == "elasticsearch" else ""
    analysers.invalidate_synonyms()
    yield request.param
    analysers.invalidate_synonyms()


def services(text, language="fi", size=10):
    """The uids of the first `size` services a search finds, in order."""
    results = service.search(
        SearchQuery(text=text, language=language, filters={"type": ["service"]}, page_size=size)
    )
    return [result["uid"] for result in results.as_dict()["results"]]


def test_concepts_are_words_of_the_demo_services(demo_index, db):
    """Each entry leads somewhere: at least one of its service words is in the index."""
    from search.analysis import _phrase_conjunction
    from search.vocabulary import known_terms

    lost = []
    for entry in load_vocabulary():
        analyser = analysers.get_analyser(entry.language)
        conjunctions = [_phrase_conjunction(analyser, concept) for concept in entry.concepts]
        present = known_terms(entry.language, {t for c in conjunctions for t in c}, False)
        if not any(set(conjunction) <= present for conjunction in conjunctions):
            lost.append((entry.language, entry.terms[0]))
    assert lost == []


def test_tyokkari_finds_the_employment_services(engine):
    found = services("työkkäri")
    assert len(found) >= 4
    assert all("Työllisyyspalvelut" in classes(uid) for uid in found[:4]), found


def test_masennus_finds_the_mental_health_services(engine):
    found = services("masennus")
    mental_health = [uid for uid in found if "Mielenterveys- ja päihdepalvelut" in classes(uid)]
    assert len(mental_health) >= 5
    assert found[:5] == mental_health[:5]


def test_a_child_who_will_not_go_to_school_finds_school_social_work_in_every_town(engine):
    found = services("lapsi ei mene kouluun")
    school = [uid for uid in found if "Oppilas- ja opiskelijahuolto" in classes(uid)]
    towns = {town for uid in school for town in SERVICES[uid]["areas"]["municipalities"]}
    assert len(school) >= 5 and len(towns) >= 5, [SERVICES[uid]["name"]["fi"] for uid in found]
    assert set(found[:5]) <= set(school)
    # Inflected and in other words too.
    assert set(services("lapseni ei halua mennä kouluun")[:5]) & set(school)
    assert set(services("koulusta lintsaaminen")[:3]) <= set(school)


@pytest.mark.parametrize(
    "text, language, service_class",
    [
        ("dagis", "sv", "Varhaiskasvatus"),
        ("arbetsförmedlingen", "sv", "Työllisyyspalvelut"),
        ("skilsmässa", "sv", "Perheneuvonta"),
        ("job centre", "en", "Työllisyyspalvelut"),
        ("depression", "en", "Mielenterveys- ja päihdepalvelut"),
        ("grandma", "en", "Ikääntyneiden palvelut"),
        ("divorce", "en", "Perheneuvonta"),
        ("mummo", "fi", "Ikääntyneiden palvelut"),
        ("päiväkoti", "fi", "Varhaiskasvatus"),
        ("nuokkari", "fi", "Nuorisotyö"),
        ("rahat loppu", "fi", "Taloudellinen tuki"),
        ("eroriita", "fi", "Perheneuvonta"),
    ],
)
def test_everyday_words_in_three_languages(engine, text, language, service_class):
    found = services(text, language)
    assert found and service_class in classes(found[0]), [SERVICES[uid]["name"]["fi"] for uid in found]


@pytest.mark.parametrize(
    "text", ["mielenterveys", "työllisyyspalvelut", "varhaiskasvatus", "koulukuraattori", "omaishoito"]
)
def test_a_service_word_is_not_widened_by_the_residents_words(engine, text):
    assert not any(
        text in {t.strip() for t in row.term.split(",")} for row in Synonym.objects.filter(one_way=True)
    )
    with_vocabulary = services(text, size=20)
    vocabulary = list(Synonym.objects.filter(one_way=True).values())
    Synonym.objects.filter(one_way=True).delete()
    analysers.invalidate_synonyms()
    try:
        assert services(text, size=20) == with_vocabulary
    finally:
        Synonym.objects.bulk_create(Synonym(**row) for row in vocabulary)
        analysers.invalidate_synonyms()


def test_an_admin_edit_of_an_entry_takes_effect(engine, client):
    admin = get_user_model().objects.create_superuser("sanastoadmin", "sanasto@example.com", "x")
    client.force_login(admin)
    row = Synonym.objects.get(language="fi", term__startswith="työkkäri,")
    assert "Työllisyyspalvelut" in classes(services("työkkäri")[0])
    response = client.post(
        f"/admin/snippets/ovi_search/synonym/edit/{row.pk}/",
        {
            "term": row.term,
            "synonyms": "asumisneuvonta",
            "language": "fi",
            "one_way": "on",
            "source": row.source,
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert "Asumisneuvonta" in classes(services("työkkäri")[0])
    # The edited row stays as the admin left it when the defaults are ensured again.
    ensure_default_synonyms()
    assert Synonym.objects.get(pk=row.pk).synonyms == "asumisneuvonta"
