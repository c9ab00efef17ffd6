"""The general analysis and ranking fixes the relevance set led to
(docs/search-relevance.md, "Changes"), on every engine of the run."""

import pytest

from search import service
from search.analysers import get_analyser
from search.analysis import diacritic_variants, suspended_hyphen_pairs
from search.documents import SearchDocument

FILLER = " ".join(["Asiakas saa neuvontaa arkisin ja viikonloppuisin."] * 60)
SOME_TEXT = " ".join(["Asiakas saa neuvontaa arkisin ja viikonloppuisin."] * 4)


def document(uid, title, text="", pro="", sv_title="", sv_text=""):
    return SearchDocument(
        type="service",
        uid=uid,
        title={"fi": title, **({"sv": sv_title} if sv_title else {})},
        text={"fi": text, **({"sv": sv_text} if sv_text else {})},
        professional_text={"fi": pro} if pro else {},
    )


# --- analysis -------------------------------------------------------------------


def test_suspended_hyphens_pair_each_first_part_with_the_compound():
    assert suspended_hyphen_pairs("Mielenterveys- ja päihdepalvelujen vastaanotto") == [
        ("mielenterveys", "päihdepalvelujen")
    ]
    assert suspended_hyphen_pairs("sosiaali-, terveys- tai pelastuspalvelut") == [
        ("sosiaali", "pelastuspalvelut"),
        ("terveys", "pelastuspalvelut"),
    ]
    assert suspended_hyphen_pairs("Mödra- och barnrådgivningen") == [("mödra", "barnrådgivningen")]
    assert suspended_hyphen_pairs("sote-keskus ja neuvola") == []
    assert suspended_hyphen_pairs("kunta-. Alue") == []


def test_plain_keyboard_spellings():
    assert diacritic_variants("ylojarvi", "fi") == {"ylöjärvi", "ylöjarvi", "ylojärvi"}
    assert "åbo" in diacritic_variants("abo", "sv")
    assert diacritic_variants("kela", "en") == set()
    assert diacritic_variants("kela", "fi") == {"kelä"}


@pytest.mark.django_db
def test_words_whose_every_base_form_is_a_stop_word_are_left_out():
    assert [w.surface for w in get_analyser("fi").words("olen raskaana, en jaksa")] == ["raskaana", "jaksa"]
    assert [w.surface for w in get_analyser("en").words("I'm worried about my child")] == ["worried", "child"]
    assert [w.surface for w in get_analyser("sv").words("oro för mitt barn")] == ["oro", "barn"]
    # A word that may also be something else stays ("heitä": them, or throw).
    assert [w.surface for w in get_analyser("fi").words("heitä")] == ["heitä"]


# --- engines --------------------------------------------------------------------


def test_coordinated_compounds_are_found_by_the_compound(indexed):
    service.index_documents(
        [
            document(
                "coordinated",
                "Mielenterveys- ja päihdepalvelujen vastaanotto",
                sv_title="Mödra- och barnrådgivningen",
            )
        ]
    )
    assert "service:coordinated" in indexed.keys("mielenterveyspalveluihin")
    assert "service:coordinated" in indexed.keys("mödrarådgivning", language="sv")


def test_words_typed_without_finnish_letters(indexed):
    service.index_documents([document("ylojarvi", "Ylöjärven perheneuvola")])
    assert indexed.keys("ylojarvi perheneuvola")[0] == "service:ylojarvi"


def test_a_title_with_every_query_word_ranks_first(indexed):
    service.index_documents(
        [
            document("in-title", "Seeprapiha Lehmo", SOME_TEXT),
            document("in-text", "Seeprapiha", "Lehmon seeprapiha."),
        ]
    )
    assert indexed.keys("seeprapiha Lehmo")[:2] == ["service:in-title", "service:in-text"]


def test_public_ranking_is_not_weighed_down_by_professional_text(indexed):
    service.index_documents(
        [
            document("short-title", "Kirahvitupa", pro=FILLER),
            document("long-title", "Kirahvitupa ja perhekahvila", "Avoin kohtaamispaikka."),
        ]
    )
    assert indexed.keys("kirahvitupa")[:2] == ["service:short-title", "service:long-title"]
