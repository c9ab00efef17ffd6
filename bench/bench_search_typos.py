"""Typos inside long compounds and inflected words (issue 15), over the demo.

    OVI_VAR_DIR=/tmp/var-typos .venv/bin/python manage.py load_demo
    OVI_VAR_DIR=/tmp/var-typos .venv/bin/python bench/bench_search_typos.py [-v]

For each word of WORDS (10+ letters, from the demo's public documents: Finnish
and Swedish compounds, inflected words, long English words; "en compound" are
Finnish compounds reached through the English columns' Finnish fallback text)
every one-edit typo is searched for: a letter left out, two swapped, one
replaced and one put in at every position (the letters drawn with a fixed
seed). Typos that are words the index knows are skipped. Counted: the word's
document is among the first 50 results ("found"), did-you-mean is the word
as written ("exact") or a form of the same base form ("same base").
The results are recorded in docs/search-analysis.md.
"""

import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.dev")

import django  # noqa: E402

django.setup()

from search import service  # noqa: E402
from search.analysers import get_analyser  # noqa: E402
from search.models import SearchTerm  # noqa: E402
from search.query import SearchQuery  # noqa: E402

ALPHA = "abcdefghijklmnopqrstuvwxyzåäö"
# "<language> <kind>": {word: the demo document it comes from}
WORDS = {
    "en compound": {
        "asiakasryhmiä": "operating_model:0a96fca2-80b2-4bf1-abe2-e07b8af6e8db",
        "diakoniatyöntekijä": "service:4db6dbf6-4a18-43c4-9ab9-c1d0fa726785",
        "hyvinvointialueen": "operating_model:e5355280-9e24-4227-be80-1e88ce05b846",
        "koulukuraattorit": "service:074b3e55-cd68-4eeb-9fbe-f5161945cb05",
        "perhekeskus": "operating_model:bd037438-1246-47a9-8e92-018b594892d2",
        "perheneuvolan": "location:00a2585e-7f66-49af-b750-e8757709c087",
        "päihdelainsäädännön": "operating_model:e5355280-9e24-4227-be80-1e88ce05b846",
        "terveyspalveluihin": "operating_model:e20c2e36-0417-45cf-9ed1-fee458e6253d",
    },
    "en inflected": {
        "befriending": "location:94c1d04f-e676-4454-b1ef-e2743c11ec34",
        "challenges": "team:e8ec4013-e5b7-46b2-ac6d-32c55d11c6e1",
        "continuing": "service:57955f1f-5e8d-46f8-90d8-9b47d810adb0",
        "facilities": "service:1e3cc948-7879-479f-8808-7310744967df",
        "jobseekers": "service:d9a94239-ef99-43fe-84c1-b2471d9a15be",
        "preventing": "service:57955f1f-5e8d-46f8-90d8-9b47d810adb0",
        "recognised": "service:7169bfc8-6a30-4752-8983-a6886e571e2f",
        "wednesdays": "service:d26376ec-aed0-4b9d-b578-ac4e85ccf12a",
    },
    "en long": {
        "anonymously": "pathway:8b16351a-133b-56b6-8137-4d915fc65197",
        "department": "service:4c8e2a6f-3b1d-4f7a-9e52-8d0b6c4a1f73",
        "geriatrician": "service:c23b38b4-10ac-4365-8761-79e752d6cb10",
        "government": "pathway:8b16351a-133b-56b6-8137-4d915fc65197",
        "preventive": "service:eaed318f-131e-479d-88f4-9ff35f8c3473",
        "psychiatric": "service:306ac61e-4b13-4261-91dd-2d2730c5d828",
        "relationship": "pathway:8b16351a-133b-56b6-8137-4d915fc65197",
        "supplementary": "service:eaed318f-131e-479d-88f4-9ff35f8c3473",
    },
    "fi compound": {
        "erotilanteissa": "service:26ea5afc-6923-404e-9def-0431b7571373",
        "etukäteissuunnitelma": "operating_model:bd037438-1246-47a9-8e92-018b594892d2",
        "hankesalkut": "operating_model:0a96fca2-80b2-4bf1-abe2-e07b8af6e8db",
        "lastenvaunuille": "location:38609252-9de7-483e-88f7-cb5dfef66d66",
        "lyhytterapeuttinen": "service:857ce4d3-e18f-4ebd-85de-58abbe0761c3",
        "nuorisotakuuta": "service:2d1a17de-8523-4cca-93c4-08b58b4808b7",
        "palveluneuvonnan": "service:fa2b5433-9460-4d98-9d04-ae5f9fa71717",
        "terveyskeskus": "operating_model:0a96fca2-80b2-4bf1-abe2-e07b8af6e8db",
    },
    "fi inflected": {
        "ammatillisen": "service:57955f1f-5e8d-46f8-90d8-9b47d810adb0",
        "hakemusten": "service:8d3dcb1e-41bd-4dc8-8f95-a299de076d4f",
        "jalkautuvaan": "operating_model:e20c2e36-0417-45cf-9ed1-fee458e6253d",
        "näppäimistöllä": "page:f71d416f-5010-58ce-b886-884a518ccf53",
        "selvityksessä": "pathway:df455657-3f40-509b-976a-15befb011725",
        "toimenpiteistä": "operating_model:bd037438-1246-47a9-8e92-018b594892d2",
        "turvallisuuden": "service:0b786911-e8a7-45dc-92de-1015c80866cb",
        "varhaisessa": "operating_model:e20c2e36-0417-45cf-9ed1-fee458e6253d",
    },
    "sv compound": {
        "barnrådgivningen": "location:00a2585e-7f66-49af-b750-e8757709c087",
        "chefsgrupp": "operating_model:e5355280-9e24-4227-be80-1e88ce05b846",
        "daghemspersonal": "service:aff6fc50-2273-4003-8962-f9127dd4941e",
        "handledare": "service:2d1a17de-8523-4cca-93c4-08b58b4808b7",
        "jourhjälpen": "organisation:e7f1b3c5-2d4a-4e69-8b07-1c9a5d3f6e28",
        "perhekeskus": "operating_model:bd037438-1246-47a9-8e92-018b594892d2",
        "tammerforsregionens": "location:43d97b07-3746-4a85-b905-8a74d969904b",
        "terveysneuvonnan": "service:1e3cc948-7879-479f-8808-7310744967df",
    },
    "sv inflected": {
        "ansökningar": "service:8d3dcb1e-41bd-4dc8-8f95-a299de076d4f",
        "avgiftsbelagd": "service:2788e5ed-75ad-49a9-b974-2021493b5c98",
        "hyresskulder": "service:5f6f211b-c346-4d4d-937f-4fe408b5ee8b",
        "identifieras": "operating_model:bd037438-1246-47a9-8e92-018b594892d2",
        "parrelationen": "service:8ed2a8fb-66a8-4dbb-8352-3772fb6c7614",
        "psykiatriska": "service:59878ca9-4f9d-45e6-96c1-0e3dbafdf74b",
        "riktningen": "service:7169bfc8-6a30-4752-8983-a6886e571e2f",
        "socialarbetaren": "pathway:fa0ca682-6163-5725-93ec-2a82d2312f26",
    },
}
rng = random.Random(15)


def typos(word):
    out = []
    for i in range(len(word)):
        out.append(("del", word[:i] + word[i + 1 :]))
        c = rng.choice([a for a in ALPHA if a != word[i]])
        out.append(("sub", word[:i] + c + word[i + 1 :]))
        if i < len(word) - 1 and word[i] != word[i + 1]:
            out.append(("tra", word[:i] + word[i + 1] + word[i] + word[i + 2 :]))
    for i in range(len(word) + 1):
        out.append(("ins", word[:i] + rng.choice(ALPHA) + word[i:]))
    return [(k, t) for k, t in dict((t, (k, t)) for k, t in out).values() if t != word]


def main(verbose=False):
    counts = {
        language: dict(SearchTerm.objects.filter(language=language).values_list("term", "public_count"))
        for language in ("fi", "sv", "en")
    }
    latencies = []
    for name, words in WORDS.items():
        lang = name.split()[0]
        an = get_analyser(lang)
        tot = found = dym_form = dym_base = realword = 0
        misses = []
        for word, key in sorted(words.items()):
            lemmas = set(an.word(word).lemmas)
            for op, typo in typos(word):
                tw = an.word(typo)
                if an.morphology.is_known(typo) and any(counts[lang].get(lemma) for lemma in tw.lemmas):
                    realword += 1
                    continue
                t0 = time.perf_counter()
                r = service.search(SearchQuery(text=typo, language=lang, page_size=50))
                latencies.append(time.perf_counter() - t0)
                tot += 1
                ok = key in [f"{x['type']}:{x['uid']}" for x in r.results]
                found += ok
                s = r.did_you_mean
                dym_form += s == word
                same_base = s is not None and (s == word or bool(set(an.word(s).lemmas) & lemmas))
                dym_base += same_base
                if not (ok and same_base):
                    misses.append((op, typo, word, ok, s))
        print(
            f"| {name} | {len(words)} | {tot} | {found / tot:.1%} | {dym_form / tot:.1%} | {dym_base / tot:.1%} |"
            f" {realword} |"
        )
        if verbose:
            for miss in misses:
                print("   miss", miss)
    lat = sorted(latencies)
    print(
        f"latency per search: mean {statistics.mean(lat) * 1000:.1f} ms, "
        f"p95 {lat[int(len(lat) * 0.95)] * 1000:.1f} ms over {len(lat)}"
    )


if __name__ == "__main__":
    main(verbose="-v" in sys.argv)
