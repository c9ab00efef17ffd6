"""The behavioural suite: the same expectations for every engine (see conftest)."""

from collections import Counter
from datetime import UTC, datetime

import pytest

from search import service
from search.documents import Area, SearchDocument
from search.models import FacetLabel, Synonym

from .corpus import CORPUS, LIPERI

# --- Finnish: inflection and compounds ---------------------------------------


def test_inflected_query_finds_the_base_form(indexed):
    assert indexed.keys("perhekeskukseen")[0] == "service:perhekeskus-liperi"


def test_compound_in_a_case_ending_finds_its_parts(indexed):
    for query in ("mielenterveyspalveluihin", "mielenterveys", "mielenterveyden"):
        assert "service:mielenterveys-kuopio" in indexed.keys(query), query
    # "palvelu" is the last part of "mielenterveyspalvelut" in the title.
    assert "service:mielenterveys-kuopio" in indexed.keys("palvelu")


def test_substance_problems(indexed):
    assert "service:paihde-joensuu" in indexed.keys("päihdeongelmiin")
    keys = indexed.keys("päihde")
    assert {"service:paihde-joensuu", "service:paihdetyo-kuopio"} <= set(keys)


def test_resident_worried_about_a_child_in_liperi(indexed):
    assert indexed.keys("huoli lapsesta Liperi")[0] == "service:perhekeskus-liperi"


def test_nurse_looking_for_a_substance_abuse_worker_in_kuopio(indexed):
    assert indexed.keys("päihdetyöntekijä Kuopio")[0] == "service:paihdetyo-kuopio"


def test_developer_looking_for_the_pair_work_model(indexed):
    assert indexed.keys("työparimalli")[0] == "operating_model:tyoparimalli"
    assert "operating_model:tyoparimalli" in indexed.keys("työparimallissa")


@pytest.mark.parametrize(
    "query, expected",
    [
        ("neuvolassa", "service:neuvola-joensuu"),  # -ssa
        ("kuraattorista", "service:kuraattori-kuopio"),  # -sta, and a compound part (koulukuraattori)
        ("terveysasemalle", "location:terveysasema-liperi"),  # -lle
        ("kriisipuhelimeen", "service:kriisipuhelin"),  # -seen
        ("neuvoloihin", "service:neuvola-joensuu"),  # -iin, plural
        ("lastensuojelusta", "service:lastensuojelu-joensuu"),
        ("kouluista", "service:kuraattori-kuopio"),  # -ista, plural, compound part of koulukuraattori
        ("nuorille", "service:nuoret-helsinki"),  # -ille, plural
        ("lapsiperheille", "service:perhekeskus-liperi"),
        ("oppilashuoltoon", "team:oppilashuolto-liperi"),
        ("aluetiimiin", "team:aluetiimi-liperi"),
        ("hyvinvointialueelle", "organisation:pohjois-karjala"),
        ("perheiden", "page:family-services"),
        ("palveluohjaajalle", "service:palveluohjaus-1"),
        ("terveys", "location:terveysasema-liperi"),  # first part of a compound
        ("keskus", "service:perhekeskus-liperi"),  # last part of a compound
    ],
)
def test_finnish_forms(indexed, query, expected):
    assert expected in indexed.keys(query)


def test_all_words_must_match_when_some_document_has_them_all(indexed):
    keys = indexed.keys("neuvola Liperi")
    assert keys == ["service:neuvola-liperi"]


def test_a_query_no_document_fully_matches_falls_back_to_any_word(indexed):
    keys = indexed.keys("neuvola Rovaniemi")
    assert "service:neuvola-joensuu" in keys


# --- Swedish and English ------------------------------------------------------


def test_swedish_query_uses_swedish_text_and_titles(indexed):
    results = indexed.search("familjecentralen", language="sv")
    assert results.results[0]["uid"] == "perhekeskus-liperi"
    assert results.results[0]["title"] == "Familjecentralen i Liperi"
    assert results.results[0]["url"] == "/sv/service/perhekeskus-liperi/"


def test_english_stemming(indexed):
    assert "page:family-services" in indexed.keys("family", language="en")
    assert "page:family-services" in indexed.keys("parent", language="en")


def test_documents_without_a_translation_fall_back_to_finnish(indexed):
    results = indexed.search("Kuopio", language="sv", page_size=100)
    titles = {r["uid"]: r["title"] for r in results.results}
    assert titles["mielenterveys-kuopio"] == "Aikuisten mielenterveyspalvelut"


# --- languages of a query: matched in every language, the page's preferred ------


def test_a_swedish_word_on_a_finnish_page_finds_the_swedish_text(indexed):
    results = indexed.search("skolpsykolog")  # the Finnish page, no lang
    first = results.results[0]
    assert first["uid"] == "koulupsykologi-joensuu"
    # In the page's language, with the language that matched.
    assert (first["title"], first["url"]) == ("Koulupsykologi", "/service/koulupsykologi-joensuu/")
    assert first["matched_lang"] == "sv"
    # The snippet shows the Swedish words that matched, and says it is Swedish.
    assert "<mark>Skolpsykologen</mark>" in first["snippet"] and first["snippet"].lang == "sv"
    # Inflected, and in a sentence with a place.
    assert indexed.keys("skolpsykologen i Joensuu")[0] == "service:koulupsykologi-joensuu"
    assert indexed.keys("familjerådgivning")[0] == "service:perheneuvola-kuopio"


def test_an_english_phrase_finds_the_service_whose_english_text_matches(indexed):
    for text in ("family counselling", "family counselling Kuopio", "parenting worries"):
        first = indexed.search(text).results[0]
        assert (first["uid"], first["title"], first["matched_lang"]) == (
            "perheneuvola-kuopio",
            "Kuopion perheneuvola",
            "en",
        ), text
    # Every word must match, in one language: not every service in Kuopio.
    assert indexed.keys("family counselling Kuopio") == ["service:perheneuvola-kuopio"]


def test_a_finnish_word_still_ranks_finnish_matches_first(indexed):
    # "psykologi" is Finnish (a psychologist) and Swedish (psychology): on the
    # Finnish page the Finnish texts that have it come first, the Swedish after.
    results = indexed.search("psykologi").results
    matched = [(r["uid"], r["matched_lang"]) for r in results]
    assert ("perheneuvola-kuopio", "sv") in matched
    assert {"team:oppilashuolto-liperi", "service:koulupsykologi-joensuu"} <= set(indexed.keys("psykologi"))
    languages = [language for _, language in matched]
    assert languages == sorted(languages, key=lambda language: language != "fi"), matched
    # A word only Finnish has is matched in Finnish alone, as before.
    results = indexed.search("perhekeskukseen").results
    assert results[0]["uid"] == "perhekeskus-liperi" and results[0]["matched_lang"] == "fi"
    assert {r["matched_lang"] for r in results} == {"fi"}


def test_lang_is_a_preference_not_a_filter(indexed):
    # A Finnish word on the Swedish page finds the service whose Swedish text
    # does not have it, shown in Swedish.
    results = indexed.search("perhekeskus", language="sv").results
    found = next(r for r in results if r["uid"] == "perhekeskus-liperi")
    assert (found["title"], found["url"]) == ("Familjecentralen i Liperi", "/sv/service/perhekeskus-liperi/")
    assert found["matched_lang"] == "fi"
    # A Swedish word on the English page, an English one on the Swedish page.
    assert indexed.keys("skolpsykolog", language="en")[0] == "service:koulupsykologi-joensuu"
    first = indexed.search("family counselling", language="sv").results[0]
    assert (first["title"], first["matched_lang"]) == ("Familjerådgivningen i Kuopio", "en")
    # The language asked for is preferred: "psykologi" is in the Swedish text of
    # the family guidance clinic and the Finnish text of the pupil welfare team.
    swedish = indexed.keys("psykologi", language="sv")
    finnish = indexed.keys("psykologi")
    assert swedish.index("service:perheneuvola-kuopio") < swedish.index("team:oppilashuolto-liperi")
    assert finnish.index("team:oppilashuolto-liperi") < finnish.index("service:perheneuvola-kuopio")


def test_the_language_of_a_query_is_told_by_the_index_vocabulary(indexed):
    from search.analysers import plan_query
    from search.query import SearchQuery

    def detected(text, language="fi"):
        return plan_query(SearchQuery(text=text, language=language)).detected

    assert detected("skolpsykolog") == "sv"  # only the Swedish index knows it
    assert detected("family counselling") == "en"
    assert detected("perheneuvolaan") == "fi"
    # Known in every index (Finnish text stands in for missing translations):
    # a tie, which goes to the page's language.
    assert detected("Kuopio") == "fi" and detected("Kuopio", "sv") == "sv"
    # A typo is told by the index where its correction is.
    assert detected("skolpsykolg") == "sv"


def test_typos_and_did_you_mean_in_the_language_of_the_query(indexed):
    results = indexed.search("skolpsykolg")
    assert results.results[0]["uid"] == "koulupsykologi-joensuu"
    assert results.did_you_mean == "skolpsykolog"
    assert indexed.search("perhekezkus", language="en").did_you_mean == "perhekeskus"


def test_suggest_completes_titles_in_any_language_shown_in_the_page_language(indexed):
    suggestions = indexed.suggest("familjerå")  # the Finnish page
    assert [(s["title"], s["matched_lang"]) for s in suggestions] == [("Kuopion perheneuvola", "sv")]
    # The page's language first.
    suggestions = indexed.suggest("perhe", language="sv")
    assert suggestions[0]["matched_lang"] in ("sv", "fi")
    assert indexed.suggest("skolpsyk", language="en")[0]["uid"] == "koulupsykologi-joensuu"


# --- synonyms -----------------------------------------------------------------


def test_domain_synonyms(indexed):
    sote = indexed.keys("sote")
    assert {"service:sote-outokumpu", "organisation:pohjois-karjala", "operating_model:tyoparimalli"} <= set(
        sote
    )
    assert "service:paihdetyo-kuopio" in indexed.keys("riippuvuus")
    assert {"service:mielenterveys-kuopio", "service:nuoret-helsinki"} <= set(indexed.keys("MT"))
    assert "service:neuvola-liperi" in indexed.keys("äitiysneuvola")


def test_a_multiword_synonym_finds_the_abbreviation(indexed):
    assert "operating_model:tyoparimalli" in indexed.keys("sosiaali- ja terveyspalvelut")


def test_synonyms_edited_by_an_admin_apply_to_the_next_search(indexed):
    assert "service:perhekeskus-liperi" not in indexed.keys("kasvatusneuvola")
    synonym = Synonym.objects.create(term="kasvatusneuvola", synonyms="perhekeskus", language="fi")
    assert "service:perhekeskus-liperi" in indexed.keys("kasvatusneuvolaan")
    synonym.delete()
    assert "service:perhekeskus-liperi" not in indexed.keys("kasvatusneuvola")


# --- typos and "did you mean" ------------------------------------------------


def test_one_typo_is_forgiven(indexed):
    results = indexed.search("perhekezkus")
    assert "perhekeskus-liperi" in [r["uid"] for r in results.results]
    assert results.did_you_mean == "perhekeskus"
    assert "service:perhekeskus-liperi" in indexed.keys("perhekeskuss")
    assert "service:mielenterveys-kuopio" in indexed.keys("mielenterveyz")
    assert "service:neuvola-joensuu" in indexed.keys("neuvolasa")


def test_did_you_mean_when_a_query_finds_little(indexed):
    results = indexed.search("perhkeskis")
    assert results.did_you_mean == "perhekeskus"
    assert indexed.search("perhekeskus").did_you_mean is None


def test_a_real_word_is_not_offered_as_another_word(indexed):
    # "kasvaa" (to grow) is in the dictionary but not in the index; the index
    # has "kasvu" one edit away. Matching may be forgiving; the suggestion is not.
    assert indexed.search("kasvaa").did_you_mean is None
    assert indexed.search("kasvuu").did_you_mean == "kasvu"


def test_short_words_are_not_corrected(indexed):
    assert indexed.search("ovx").count == 0


# --- facets -----------------------------------------------------------------


def facet_counts(results, facet):
    return {bucket["value"]: bucket["count"] for bucket in results.facets[facet]}


def test_facet_counts_match_the_documents(indexed):
    results = indexed.search("")
    public = [d for d in CORPUS if d.visibility == "public"]
    assert results.count == len(public)
    assert facet_counts(results, "type") == Counter(d.type for d in public)
    assert facet_counts(results, "municipality") == Counter(
        m for d in public for m in d.facets.get("municipality", [])
    )
    assert facet_counts(results, "language")["fi"] == len(public)
    assert set(results.facets) == {
        "type",
        "sector",
        "municipality",
        "county",
        "target_group",
        "topic",
        "development_stage",
        "language",
    }


def test_facet_labels_are_in_the_query_language(indexed):
    fi = {b["value"]: b["label"] for b in indexed.search("").facets["type"]}
    sv = {b["value"]: b["label"] for b in indexed.search("", language="sv").facets["type"]}
    assert fi["service"] == "Palvelut" and sv["service"] == "Tjänster"
    municipalities = {
        b["value"]: b["label"] for b in indexed.search("", language="sv").facets["municipality"]
    }
    assert municipalities["091"] == "Helsingfors"


def test_a_facet_label_missing_in_the_language_falls_back_to_finnish_then_to_any(indexed):
    english = {b["value"]: b["label"] for b in indexed.search("", language="en").facets["municipality"]}
    assert english["091"] == "Helsinki"  # the corpus labels places in Finnish and Swedish only

    FacetLabel.objects.filter(facet="municipality", value="091").update(
        labels={"fi": "", "sv": "Helsingfors"}
    )
    english = {b["value"]: b["label"] for b in indexed.search("", language="en").facets["municipality"]}
    assert english["091"] == "Helsingfors"


def test_type_tabs_keep_their_counts_when_one_is_chosen(indexed):
    everything = facet_counts(indexed.search("Liperi"), "type")
    teams = indexed.search("Liperi", filters={"type": ["team"]})
    assert {r["type"] for r in teams.results} == {"team"}
    assert teams.count == everything["team"]
    # Disjunctive facets: the other tabs still show what they would give.
    assert facet_counts(teams, "type") == everything


def test_filters_of_different_facets_all_apply(indexed):
    keys = indexed.keys("", filters={"sector": ["school"], "municipality": ["297"]})
    assert keys == ["service:kuraattori-kuopio"]
    either = indexed.keys("", filters={"municipality": ["297", "426"], "type": ["location"]})
    assert either == ["location:terveysasema-liperi"]


# --- place: serves my area, distance ------------------------------------------


def test_serves_my_area_includes_far_away_services_that_cover_my_county(indexed):
    keys = indexed.keys("päihde", serves_municipality="426", serves_county="pk")
    assert "service:paihde-joensuu" in keys  # area: the whole Pohjois-Karjala county
    assert "service:paihdetyo-kuopio" not in keys  # serves Kuopio only


def test_nationwide_services_and_documents_without_a_place_serve_everyone(indexed):
    assert "service:kriisipuhelin" in indexed.keys("kriisipuhelin", serves_municipality="297")
    assert "operating_model:tyoparimalli" in indexed.keys("työparimalli", serves_municipality="297")
    assert "service:neuvola-joensuu" not in indexed.keys("neuvola", serves_municipality="297")


def test_distance_sort_from_coordinates(indexed):
    results = indexed.search("palveluohjaus", near=LIPERI[3], sort="distance", page_size=100)
    distances = [r["distance_m"] for r in results.results]
    assert results.results[0]["uid"] in {"palveluohjaus-5", "palveluohjaus-10"}  # the ones in Liperi
    assert distances[0] < 1000
    assert distances == sorted(distances)


def test_documents_without_a_location_come_last_in_distance_order(indexed):
    results = indexed.search("", near=LIPERI[3], sort="distance", page_size=100)
    distances = [r["distance_m"] for r in results.results]
    located = [d for d in distances if d is not None]
    assert located == sorted(located)
    assert distances[: len(located)] == located  # None only at the end


def test_relevance_order_still_reports_distances(indexed):
    results = indexed.search("perhekeskus", near=LIPERI[3])
    by_uid = {r["uid"]: r["distance_m"] for r in results.results}
    assert by_uid["perhekeskus-liperi"] < 1000
    assert by_uid["huoli-lapsesta"] is None


# --- open now -----------------------------------------------------------------


def test_open_now_uses_helsinki_time(indexed):
    # Monday 13 January 2025; Helsinki is UTC+2 in winter.
    before_opening = datetime(2025, 1, 13, 5, 30, tzinfo=UTC)  # 07:30 in Helsinki
    after_opening = datetime(2025, 1, 13, 6, 30, tzinfo=UTC)  # 08:30 in Helsinki
    assert "service:perhekeskus-liperi" not in indexed.keys("", open_now=True, now=before_opening)
    assert "service:perhekeskus-liperi" in indexed.keys("", open_now=True, now=after_opening)


def test_open_now_on_a_saturday(indexed):
    saturday_noon = datetime(2025, 1, 18, 10, 0, tzinfo=UTC)
    keys = set(indexed.keys("", open_now=True, now=saturday_noon))
    assert keys == {"service:nuoret-helsinki", "service:kriisipuhelin"}


def test_always_open_and_documents_without_hours(indexed):
    sunday_night = datetime(2025, 1, 19, 1, 0, tzinfo=UTC)
    assert indexed.keys("", open_now=True, now=sunday_night) == ["service:kriisipuhelin"]


# --- professional-only documents and fields -----------------------------------


def test_professional_only_documents_are_invisible_to_anonymous_users(indexed):
    assert indexed.search("erityiskonsultaatio").count == 0
    assert "service:konsultaatio" not in indexed.keys("")
    assert "service:konsultaatio" in indexed.keys("erityiskonsultaatio", professional=True)
    assert "service:konsultaatio" in indexed.keys("", professional=True)


def test_professional_only_fields_are_not_searched_or_shown_for_anonymous_users(indexed):
    assert indexed.search("takaovinumero").count == 0
    pro = indexed.search("takaovinumero", professional=True)
    assert [r["uid"] for r in pro.results] == ["paihdetyo-kuopio"]
    assert "<mark>takaovinumero</mark>" in pro.results[0]["snippet"]
    anonymous = indexed.search("päihdetyöntekijä")
    snippet = next(r["snippet"] for r in anonymous.results if r["uid"] == "paihdetyo-kuopio")
    assert "takaovinumero" not in snippet and "040" not in snippet


def test_suggest_and_did_you_mean_reveal_nothing_professional(indexed):
    assert indexed.suggest("erityiskons") == []
    assert [s["uid"] for s in indexed.suggest("erityiskons", professional=True)] == ["konsultaatio"]
    anonymous = indexed.search("erityiskonsultaatiot")
    assert anonymous.count == 0
    assert "erityiskonsultaatio" not in (anonymous.did_you_mean or "")
    assert indexed.search("takaovinumeero").did_you_mean is None


def test_facet_counts_leave_out_what_anonymous_users_cannot_see(indexed):
    anonymous = facet_counts(indexed.search("", filters={"municipality": ["297"]}), "type")
    professional = facet_counts(
        indexed.search("", filters={"municipality": ["297"]}, professional=True), "type"
    )
    assert professional["service"] == anonymous["service"] + 1


# --- results, pagination, snippets, autocomplete ------------------------------


def test_result_shape(indexed):
    results = indexed.search("perhekeskus").as_dict()
    assert set(results) >= {"count", "page", "page_size", "engine", "results", "facets"}
    result = results["results"][0]
    assert set(result) == {"type", "uid", "title", "url", "snippet", "score", "distance_m", "matched_lang"}
    assert result["url"] == f"/{result['type']}/{result['uid']}/"
    assert result["matched_lang"] == "fi"


def test_pagination(indexed):
    seen = []
    for page in (1, 2, 3):
        results = indexed.search("palveluohjaus", page=page, page_size=4)
        assert results.count == 10 and results.page == page
        seen += [r["uid"] for r in results.results]
    assert len(seen) == 10 and len(set(seen)) == 10
    past_the_end = indexed.search("palveluohjaus", page=4, page_size=4)
    assert past_the_end.count == 10 and past_the_end.results == []


def test_titles_rank_above_body_text(indexed):
    keys = indexed.keys("perhekeskus")
    assert keys.index("service:perhekeskus-liperi") < len(keys)
    assert indexed.keys("terveysasema")[0] == "location:terveysasema-liperi"


def test_snippets_mark_inflected_forms_only(indexed):
    result = indexed.search("perhekeskus").results
    snippet = next(r["snippet"] for r in result if r["uid"] == "perhekeskus-liperi")
    assert "<mark>perhekeskukseen</mark>" in snippet
    assert "<mark>Perhekeskus</mark>" in snippet
    assert "<mark>lapsiperheitä</mark>" not in snippet  # shares only the part "perhe"


def test_snippets_escape_html(indexed):
    service.index_documents(
        [
            SearchDocument(
                type="page",
                uid="html",
                title={"fi": "Merkintäkoe"},
                text={"fi": "Merkintäkoe <script>alert(1)</script> & muuta"},
            )
        ]
    )
    snippet = indexed.search("merkintäkoe").results[0]["snippet"]
    assert "<script>" not in snippet and "&lt;script&gt;" in snippet


def test_autocomplete(indexed):
    assert "perhekeskus-liperi" in [s["uid"] for s in indexed.suggest("perhek")]
    assert [s["title"] for s in indexed.suggest("Liperin perhe")] == ["Liperin perhekeskus"]
    assert indexed.suggest("p") == []
    swedish = indexed.suggest("familjec", language="sv")
    assert swedish and swedish[0]["title"] == "Familjecentralen i Liperi"


# --- index updates ------------------------------------------------------------


def test_index_update_and_delete(indexed):
    new = SearchDocument(
        type="service",
        uid="uusi",
        title={"fi": "Vauvaperheiden kotipalvelu"},
        text={"fi": "Kotipalvelu auttaa vauvaperheitä arjessa."},
        area=Area(municipalities=["426"]),
    )
    service.index_documents([new])
    assert "service:uusi" in indexed.keys("kotipalveluun")
    new.text = {"fi": "Siivousapua vauvaperheille."}
    new.title = {"fi": "Vauvaperheiden siivousapu"}
    service.index_documents([new])
    assert "service:uusi" not in indexed.keys("kotipalvelu")
    assert "service:uusi" in indexed.keys("siivousapu")
    service.delete_documents(["service:uusi"])
    assert "service:uusi" not in indexed.keys("siivousapu")
    # The vocabulary forgot the word too: no typo correction towards it.
    assert indexed.search("siivousapuu").did_you_mean is None


def test_words_run_together_still_match(indexed):
    assert indexed.keys("liperinperhekeskus")[0] == "service:perhekeskus-liperi"


@pytest.mark.parametrize("engine_name", ["database"])
def test_postgresql_finds_near_misses_by_title_similarity(indexed):
    from django.db import connection

    from search.engines.database import DatabaseEngine
    from search.query import SearchQuery

    near = DatabaseEngine().near_miss(SearchQuery(text="Liperin perhekesk"))
    if connection.vendor == "postgresql":
        assert [document["uid"] for document, _ in near.hits][0] == "perhekeskus-liperi"
    else:
        assert near is None  # SQLite has no trigram index; typo tolerance and did-you-mean remain
    if connection.vendor == "postgresql":
        # Through the whole search too: "perhekesk" is no word of the index.
        assert indexed.keys("Liperin perhekesk")[0] == "service:perhekeskus-liperi"


def test_a_query_is_only_a_near_miss_when_a_word_is_not_in_the_index(indexed):
    # A query of indexed words that finds nothing was emptied by its filters:
    # no title-similarity search (slow at national scale) is run for it.
    from search.analysers import plan_query
    from search.engines.base import every_word_indexed
    from search.query import SearchQuery

    def indexed_as_typed(text):
        query = SearchQuery(text=text)
        return every_word_indexed(query, plan_query(query))

    assert indexed_as_typed("perhekeskus Liperi")
    assert indexed_as_typed("perhekeskukseen")  # an inflected form is the word's own analysis
    assert not indexed_as_typed("perhekesk")
    assert not indexed_as_typed("perhekeskus Ylitornio")
