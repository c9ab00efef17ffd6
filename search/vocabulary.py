"""The index vocabulary (SearchTerm): which terms the indexed documents have.

Every engine shares it (it lives in the database, which is always indexed),
so typo tolerance and "did you mean" behave alike on every engine.
"""

from collections import Counter

from django.db import connection
from django.db.models import F
from django.db.models.functions import Length

from .analysis import levenshtein
from .models import SearchTerm

MAX_TERM_LENGTH = 100
CHUNK = 500
NEAR_CANDIDATES = 50


def _chunks(items, size=CHUNK):
    items = list(items)
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _count_field(professional):
    return "total_count" if professional else "public_count"


def known_terms(language, terms, professional=False):
    """The subset of `terms` that documents visible to the user contain."""
    terms = {term for term in terms if term and len(term) <= MAX_TERM_LENGTH}
    found = set()
    count_field = _count_field(professional)
    if connection.vendor == "postgresql" and terms:
        # Typo tolerance asks about a thousand one-edit neighbours. Chunks of
        # IN (%s, ...) took 26 ms at national scale (composing and parsing the
        # statements, and a plan that used the trigram index for equality); one
        # array parameter, looked up pair by pair in the (language, term)
        # index, takes 4 ms.
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT term FROM {SearchTerm._meta.db_table} "
                f"WHERE (language, term) IN (SELECT %s, unnest(%s::text[])) AND {count_field} > 0",
                [language, list(terms)],
            )
            return {term for (term,) in cursor.fetchall()}
    for chunk in _chunks(terms):
        found.update(
            SearchTerm.objects.filter(
                language=language, term__in=chunk, **{f"{count_field}__gt": 0}
            ).values_list("term", flat=True)
        )
    return found


def term_counts(language, terms, professional=False):
    """{term: number of documents visible to the user that have it} for the
    terms of `terms` the index has (a few terms: did-you-mean's choices)."""
    terms = {term for term in terms if term and len(term) <= MAX_TERM_LENGTH}
    count_field = _count_field(professional)
    counts = {}
    for chunk in _chunks(terms):
        counts.update(
            SearchTerm.objects.filter(
                language=language, term__in=chunk, **{f"{count_field}__gt": 0}
            ).values_list("term", count_field)
        )
    return counts


def near_terms(language, word, max_distance=2, professional=False):
    """Index terms within `max_distance` edits of `word`: [(term, distance, doc count)].

    PostgreSQL narrows the candidates with a pg_trgm index; elsewhere the terms
    of about the right length are compared one by one (fine for the embedded
    engine's vocabulary sizes).
    """
    if len(word) < 3:
        return []
    count_field = _count_field(professional)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT term, {count_field} FROM ovi_search_searchterm "
                f"WHERE language = %s AND {count_field} > 0 AND term %% %s "
                "ORDER BY similarity(term, %s) DESC LIMIT %s",
                [language, word, word, NEAR_CANDIDATES],
            )
            rows = cursor.fetchall()
    else:
        rows = (
            SearchTerm.objects.filter(language=language, **{f"{count_field}__gt": 0})
            .annotate(length=Length("term"))
            .filter(length__gte=len(word) - max_distance, length__lte=len(word) + max_distance)
            .values_list("term", count_field)
        )
    result = []
    for term, count in rows:
        distance = levenshtein(word, term, max_distance)
        if 0 < distance <= max_distance:
            result.append((term, distance, count))
    return result


def apply_deltas(changes):
    """Update document counts. `changes` is a list of (old, new) pairs, each
    {language: (public terms, all terms)} as made by analysers.vocabulary_of
    ({} for a document that was not / is no longer indexed)."""
    public_delta = {}
    total_delta = {}
    for old, new in changes:
        for language in set(old) | set(new):
            old_public, old_all = old.get(language, (set(), set()))
            new_public, new_all = new.get(language, (set(), set()))
            public = public_delta.setdefault(language, Counter())
            total = total_delta.setdefault(language, Counter())
            for term in new_public - old_public:
                public[term] += 1
            for term in old_public - new_public:
                public[term] -= 1
            for term in new_all - old_all:
                total[term] += 1
            for term in old_all - new_all:
                total[term] -= 1
    for language in set(public_delta) | set(total_delta):
        public = {t: d for t, d in public_delta.get(language, {}).items() if d and len(t) <= MAX_TERM_LENGTH}
        total = {t: d for t, d in total_delta.get(language, {}).items() if d and len(t) <= MAX_TERM_LENGTH}
        new_terms = {t for t, d in total.items() if d > 0} | {t for t, d in public.items() if d > 0}
        for chunk in _chunks(new_terms):
            SearchTerm.objects.bulk_create(
                [SearchTerm(language=language, term=term) for term in chunk], ignore_conflicts=True
            )
        _apply(language, "public_count", public)
        _apply(language, "total_count", total)
        removed = [t for t, d in total.items() if d < 0]
        for chunk in _chunks(removed):
            SearchTerm.objects.filter(language=language, term__in=chunk, total_count__lte=0).delete()


def _apply(language, field, deltas):
    by_delta = {}
    for term, delta in deltas.items():
        by_delta.setdefault(delta, []).append(term)
    for delta, terms in by_delta.items():
        for chunk in _chunks(terms):
            SearchTerm.objects.filter(language=language, term__in=chunk).update(**{field: F(field) + delta})


def rebuild_vocabulary(vocabularies):
    """Replace the whole vocabulary. `vocabularies` iterates over
    {language: (public terms, all terms)}, one per indexed document."""
    public = {}
    total = {}
    for vocabulary in vocabularies:
        for language, (public_terms, all_terms) in vocabulary.items():
            public.setdefault(language, Counter()).update(public_terms)
            total.setdefault(language, Counter()).update(all_terms)
    SearchTerm.objects.all().delete()
    rows = [
        SearchTerm(
            language=language,
            term=term,
            public_count=public.get(language, {}).get(term, 0),
            total_count=count,
        )
        for language, counter in total.items()
        for term, count in counter.items()
        if len(term) <= MAX_TERM_LENGTH
    ]
    for chunk in _chunks(rows, 2000):
        SearchTerm.objects.bulk_create(chunk)
