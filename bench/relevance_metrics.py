"""The judged relevance set and its measures, in plain Python (no Django).

A judged query names the results a person expects for it; an engine answers
with a ranked list of result keys ("<type>:<uid>", the search document key).
For each query we take the rank of the first expected result (1-based, None
when it is not in the list), and over a set of queries:

- success@k: the share of queries with an expected result in the first k;
- MRR: the mean of 1/rank (0 when no expected result is in the list), over
  the list the engine was asked for (the first 10 results).

A query is searched in its page language (`lang` = its `language`) or, when
judged `"blind": true`, language-blind: sent without `lang`, as a Swedish or
English query typed on the Finnish page or into the API without `lang` is
(the API then searches in its default language, Finnish). The two kinds are
summarised apart, each against its own target.

bench/relevance.py runs the set; tests/search/relevance/ holds it.
"""

import json
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
QUERIES_FILE = ROOT / "tests" / "search" / "relevance" / "queries.json"
LANGUAGES = ("fi", "sv", "en")
CUTOFF = 10  # results asked for per query: success@10 and MRR look this deep
# success@3 every engine must reach: with the page language, and language-blind.
PAGE_LANGUAGE = "page language"
LANGUAGE_BLIND = "language-blind"
TARGETS = {PAGE_LANGUAGE: 0.95, LANGUAGE_BLIND: 0.90}
TARGET_SUCCESS_AT_3 = TARGETS[PAGE_LANGUAGE]
TARGET_SUCCESS_AT_3_BLIND = TARGETS[LANGUAGE_BLIND]


@dataclass(frozen=True)
class JudgedQuery:
    id: str
    text: str
    language: str
    relevant: tuple[str, ...]  # document keys, any of which is a right answer
    labels: dict = field(default_factory=dict)  # key -> human-readable name (for reports only)
    tags: tuple[str, ...] = ()
    professional: bool = False
    note: str = ""
    blind: bool = False  # sent without `lang` (language-blind); `language` is the one it is written in

    @property
    def part(self):
        """PAGE_LANGUAGE or LANGUAGE_BLIND: which summary (and target) the query counts in."""
        return LANGUAGE_BLIND if self.blind else PAGE_LANGUAGE


def load_queries(path=QUERIES_FILE):
    """The judged queries of a queries.json file; ValueError on a malformed file."""
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    queries = [parse_query(item) for item in data["queries"]]
    ids = [query.id for query in queries]
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    if duplicates:
        raise ValueError(f"duplicate query ids: {duplicates}")
    return queries


def parse_query(item):
    query_id = item.get("id") or "?"
    text = (item.get("q") or "").strip()
    language = item.get("language")
    relevant = item.get("relevant") or []
    if not text:
        raise ValueError(f"query {query_id}: empty text")
    if language not in LANGUAGES:
        raise ValueError(f"query {query_id}: language must be one of {LANGUAGES}, not {language!r}")
    if not relevant:
        raise ValueError(f"query {query_id}: no relevant results")
    blind = item.get("blind", False)
    if not isinstance(blind, bool):
        raise ValueError(f"query {query_id}: blind must be true or false, not {blind!r}")
    if blind and language == "fi":
        # Without `lang` the search runs in Finnish: a blind Finnish query is a Finnish one.
        raise ValueError(f"query {query_id}: a blind query is written in sv or en, not fi")
    keys, labels = [], {}
    for entry in relevant:
        key = entry["key"]
        kind, _, uid = key.partition(":")
        if not kind or not uid:
            raise ValueError(f"query {query_id}: {key!r} is not a <type>:<uid> key")
        keys.append(key)
        labels[key] = entry.get("label", "")
    return JudgedQuery(
        id=query_id,
        text=text,
        language=language,
        relevant=tuple(keys),
        labels=labels,
        tags=tuple(item.get("tags") or ()),
        professional=bool(item.get("professional", False)),
        note=item.get("note", ""),
        blind=blind,
    )


def first_relevant_rank(result_keys, relevant):
    """1-based rank of the first result that is relevant, or None."""
    relevant = set(relevant)
    for rank, key in enumerate(result_keys, start=1):
        if key in relevant:
            return rank
    return None


def success_at(rank, k):
    return rank is not None and rank <= k


def reciprocal_rank(rank):
    return 0.0 if rank is None else 1.0 / rank


@dataclass
class Outcome:
    """How one engine answered one judged query."""

    query: JudgedQuery
    result_keys: list  # the ranked keys the engine returned (at most CUTOFF)
    result_titles: list = field(default_factory=list)

    @property
    def rank(self):
        return first_relevant_rank(self.result_keys, self.query.relevant)


@dataclass
class Summary:
    queries: int
    success_at_3: float
    success_at_10: float
    mrr: float


def summarise(outcomes):
    """success@3, success@10 and MRR over outcomes (all zero for none)."""
    ranks = [outcome.rank for outcome in outcomes]
    count = len(ranks)
    if not count:
        return Summary(0, 0.0, 0.0, 0.0)
    return Summary(
        queries=count,
        success_at_3=sum(success_at(rank, 3) for rank in ranks) / count,
        success_at_10=sum(success_at(rank, 10) for rank in ranks) / count,
        mrr=sum(reciprocal_rank(rank) for rank in ranks) / count,
    )


def summarise_parts(outcomes):
    """{"all" | PAGE_LANGUAGE | LANGUAGE_BLIND: Summary}: the whole set and its two parts."""
    return {
        "all": summarise(outcomes),
        PAGE_LANGUAGE: summarise([o for o in outcomes if not o.query.blind]),
        LANGUAGE_BLIND: summarise([o for o in outcomes if o.query.blind]),
    }


def shortfalls(parts):
    """[(part, success@3, target)] of the parts below their success@3 target
    (parts with no queries are not judged)."""
    return [
        (part, parts[part].success_at_3, target)
        for part, target in TARGETS.items()
        if parts[part].queries and parts[part].success_at_3 < target
    ]


def format_parts_table(rows):
    """rows: [(engine label, {part: Summary})] -> a Markdown table with a row per
    engine and part (all, page language, language-blind) and the part's target."""
    lines = [
        "| engine | queries | n | success@3 | success@10 | MRR | target@3 |",
        "|---|---|---:|---:|---:|---:|---:|",
    ]
    for label, parts in rows:
        for part in ("all", PAGE_LANGUAGE, LANGUAGE_BLIND):
            summary = parts[part]
            target = f"{TARGETS[part]:.2f}" if part in TARGETS else ""
            lines.append(
                f"| {label} | {part} | {summary.queries} | {summary.success_at_3:.3f} | "
                f"{summary.success_at_10:.3f} | {summary.mrr:.3f} | {target} |"
            )
    return "\n".join(lines)


def format_table(rows):
    """rows: [(engine label, Summary)] -> a Markdown table."""
    lines = [
        "| engine | queries | success@3 | success@10 | MRR |",
        "|---|---:|---:|---:|---:|",
    ]
    for label, summary in rows:
        lines.append(
            f"| {label} | {summary.queries} | {summary.success_at_3:.3f} | "
            f"{summary.success_at_10:.3f} | {summary.mrr:.3f} |"
        )
    return "\n".join(lines)


def failures_at(outcomes, k=3):
    """The outcomes whose first relevant result is not in the first k."""
    return [outcome for outcome in outcomes if not success_at(outcome.rank, k)]
