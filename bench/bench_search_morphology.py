"""Measure the morphology candidates for search analysis.

    .venv/bin/python bench/bench_search_morphology.py     # prints the Markdown tables
    .venv/bin/python -m bench bench_search_morphology     # latency rows for bench/results

Word lists: tests/search/data/morphology_{fi,sv,en}.tsv (form -> base form
[-> compound parts]). For each candidate, alone and inside the full pipeline
(search.analysis.Analyser: compound splitter, query groups):

- base form: the expected base form is among the word form's terms;
- base query finds form: a query typed in base form matches a text that has
  the inflected form (what a search user needs);
- form query finds base: the other way round;
- parts: a query for a compound part ("palvelu") matches the compound
  ("mielenterveyspalveluihin");
- cold µs/word: first analysis of each word, caches empty.

The results are recorded in docs/search-analysis.md.
"""

import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "search" / "data"
sys.path.insert(0, str(ROOT))

# After the path above: the project is not an installed package.
from search import morphology  # noqa: E402
from search.analysis import Analyser, build_query  # noqa: E402


def load_forms(language):
    rows = []
    for line in (DATA / f"morphology_{language}.tsv").read_text().splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        columns = line.split("\t")
        parts = columns[2].split(",") if len(columns) > 2 and columns[2] else []
        rows.append((columns[0], columns[1], parts))
    return rows


class Alone:
    """A backend without the pipeline: its first base form is the only term."""

    def __init__(self, backend):
        self.backend = backend

    def terms(self, text):
        return {a.lemma for word in text.split() for a in self.backend.analyse(word)[:1]} or {text}

    def finds(self, query, text):
        return bool(self.terms(query) & self.terms(text))


class Pipeline:
    label = "+ pipeline"

    def __init__(self, language, backend):
        self.analyser = Analyser(language, backend)

    def terms(self, text):
        return set(self.analyser.index_terms(text))

    def finds(self, query, text):
        text_terms = self.terms(text)
        groups = build_query(self.analyser, query)
        return bool(groups) and all(
            any(set(alternative) <= text_terms for alternative in group.alternatives) for group in groups
        )


class PipelineWithoutCoreWords(Pipeline):
    """The splitter with no core word list: what the pipeline owes to it."""

    label = "+ pipeline, no core words"

    def __init__(self, language, backend):
        super().__init__(language, backend)
        self.analyser.core_words = frozenset()


def fresh_backend(kind, language):
    if kind == "voikko":
        return morphology.VoikkoFinnish()
    if kind == "simplemma":
        return morphology.SimplemmaMorphology(language)
    return morphology.SnowballMorphology(language)


def measure(language, kind, wrap):
    rows = load_forms(language)
    timings = []
    # The first run is the cold one (dictionary load, empty caches); simplemma
    # keeps its dictionaries for the process, so later runs would look warm.
    for _ in range(1):
        backend = fresh_backend(kind, language)
        candidate = wrap(backend) if wrap is Alone else wrap(language, backend)
        started = time.perf_counter()
        backend.analyse("talo")  # loads simplemma's dictionary for the language
        load_ms = (time.perf_counter() - started) * 1000
        started = time.perf_counter()
        for form, _base, _parts in rows:
            candidate.terms(form)
        timings.append(((time.perf_counter() - started) / len(rows) * 1e6, load_ms))
    cold_us, load_ms = timings[0]
    base_hits = sum(base in candidate.terms(form) for form, base, _ in rows)
    query_base = sum(candidate.finds(base, form) for form, base, _ in rows)
    query_form = sum(candidate.finds(form, base) for form, base, _ in rows)
    part_total = sum(len(parts) for _, _, parts in rows)
    part_hits = sum(candidate.finds(part, form) for form, _, parts in rows for part in parts)
    return {
        "language": language,
        "candidate": f"{backend.name} {'alone' if wrap is Alone else wrap.label}",
        "forms": len(rows),
        "base_form": base_hits / len(rows),
        "base_query_finds_form": query_base / len(rows),
        "form_query_finds_base": query_form / len(rows),
        "parts": (part_hits / part_total) if part_total else None,
        "part_total": part_total,
        "cold_us_per_word": cold_us,
        "load_ms": load_ms,
    }


def candidates():
    kinds = ["simplemma"]
    try:
        import Stemmer  # noqa: F401  (PyStemmer is measured, not a dependency)

        kinds.append("snowball")
    except ImportError:
        pass
    if morphology.voikko_available():
        kinds.insert(0, "voikko")
    for language in ("fi", "sv", "en"):
        for kind in kinds:
            if kind == "voikko" and language != "fi":
                continue
            for wrap in (Alone, Pipeline):
                yield language, kind, wrap
            if language == "fi" and kind != "snowball":
                yield language, kind, PipelineWithoutCoreWords


def percent(value):
    return "–" if value is None else f"{value * 100:.0f} %"


def table(results):
    lines = [
        "| lang | candidate | forms | base form | base query finds form | form query finds base "
        "| compound parts | cold µs/word | first-word load ms |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in results:
        lines.append(
            f"| {r['language']} | {r['candidate']} | {r['forms']} | {percent(r['base_form'])} "
            f"| {percent(r['base_query_finds_form'])} | {percent(r['form_query_finds_base'])} "
            f"| {percent(r['parts'])} | {r['cold_us_per_word']:.0f} | {r['load_ms']:.0f} |"
        )
    return "\n".join(lines)


def misses(language, kind):
    """Forms the full pipeline gets wrong, for reading."""
    pipeline = Pipeline(language, fresh_backend(kind, language))
    out = []
    for form, base, parts in load_forms(language):
        missing = [p for p in parts if not pipeline.finds(p, form)]
        if not pipeline.finds(base, form) or missing:
            out.append(f"{form}: {sorted(pipeline.terms(form))} (want {base} {missing or ''})")
    return out


def run():
    """Rows for `python -m bench`: cold analysis latency per candidate."""
    rows = []
    for result in (measure(*args) for args in candidates()):
        rows.append(
            {
                "name": f"{result['language']} {result['candidate']} (cold, per word)",
                "unit": "µs",
                "p50": round(result["cold_us_per_word"], 1),
                "p95": round(result["cold_us_per_word"], 1),
                "samples": result["forms"],
                "target_p95": None,
            }
        )
    return rows


if __name__ == "__main__":
    results = [measure(*args) for args in candidates()]
    print(table(results))
    if "-v" in sys.argv:
        for kind in ("voikko", "simplemma", "snowball"):
            if kind == "voikko" and not morphology.voikko_available():
                continue
            print(f"\n## fi {kind} + pipeline misses")
            print("\n".join(misses("fi", kind)))
