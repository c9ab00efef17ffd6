"""The engine contract and the flow every engine shares.

An engine stores documents and matches analysed query groups; everything
around matching (analysis, synonyms, typo tolerance, relaxing an AND that
found nothing, snippets, distances, facet labels, did-you-mean) happens here,
once, so that every engine answers alike.

    index(documents)                 add or replace SearchDocuments
    delete(keys)                     remove documents by key
    search(SearchQuery)              -> SearchResults
    suggest(prefix, language, professional, limit) -> [{title, type, uid, url}]
"""

from dataclasses import dataclass, field

from ..analysers import analyser_signature, did_you_mean, document_terms, get_analyser, plan_query
from ..analysis import normalise, tokenise
from ..documents import SearchDocument
from ..localization import LocalizedText
from ..query import SearchResults, document_attributes, nearest_distance_m
from ..snippets import make_snippet

# "A query finds little": below this many results, offer "did you mean".
DID_YOU_MEAN_BELOW = 3
# Score factor for a document whose title alone has every word of the query.
TITLE_MATCH_BOOST = 2.0
SUGGEST_MIN_PREFIX = 2


@dataclass
class PreparedDocument:
    """A document with everything an engine stores for it."""

    document: SearchDocument
    terms: dict  # analysers.document_terms
    attributes: dict  # query.document_attributes
    content_hash: str
    # The document as stored (SearchDocument.to_dict()) when it was read back from
    # the database: engines use it as is instead of converting the document again.
    data: dict | None = None

    @property
    def key(self):
        return self.document.key


def prepare(document):
    return PreparedDocument(
        document=document,
        terms=document_terms(document),
        attributes=document_attributes(document),
        content_hash=document.content_hash(analyser_signature()),
    )


@dataclass
class Match:
    """What an engine's matching returns: the total, the requested page and
    facet counts ({facet: {value: count}})."""

    count: int
    hits: list  # [(document dict, score)] for the requested page, in order
    facets: dict = field(default_factory=dict)


@dataclass
class PrefixQuery:
    """An autocomplete request: whole words typed so far (each a tuple of
    alternative terms) and the word being typed."""

    language: str
    words: list
    partial: str
    professional: bool
    limit: int


class SearchEngine:
    name = "base"

    # Storage -----------------------------------------------------------

    def index(self, documents):
        raise NotImplementedError

    def delete(self, keys):
        raise NotImplementedError

    # Matching (engine-specific) -------------------------------------------

    def match(self, query, groups, require_all=True):
        """Documents matching the groups (all of them, or any when
        require_all is False) and the query's filters: a Match."""
        raise NotImplementedError

    def near_miss(self, query):
        """A Match for a query that matched nothing, or None (no such feature)."""
        return

    def match_prefix(self, prefix_query):
        """[document dict] whose titles have the words and a word starting with the partial."""
        raise NotImplementedError

    def facet_labels(self, pairs, language):
        """{(facet, value): label} for display: in the language, else in Finnish,
        else in any language the label has.

        The shown facets' rows are read whole and matched against a set: a few
        hundred small rows at national scale (1.6 ms), cheaper than a query
        naming each shown value (4–6 ms, most of it building the statement)."""
        from ..models import FacetLabel

        shown = set(pairs)
        labels = {}
        for facet, value, names in FacetLabel.objects.filter(
            facet__in={facet for facet, _ in shown}
        ).values_list("facet", "value", "labels"):
            if (facet, value) in shown:
                names = names or {}
                labels[(facet, value)] = (
                    names.get(language)
                    or names.get("fi")
                    or next((name for name in names.values() if name), None)
                )
        return labels

    # The shared flow --------------------------------------------------------

    def search(self, query):
        groups = plan_query(query) if query.text.strip() else []
        match = self.match(query, groups, require_all=True)
        strict_count = match.count
        if match.count == 0 and len(groups) > 1:
            # Nothing has every word: rank the documents that have some.
            match = self.match(query, groups, require_all=False)
        if match.count == 0 and groups and not every_word_indexed(query, groups):
            match = self.near_miss(query) or match
        suggestion = None
        if groups and (strict_count < DID_YOU_MEAN_BELOW or any(g.corrections for g in groups)):
            suggestion = did_you_mean(query, groups)
            if suggestion == normalise(query.text):
                suggestion = None
        terms = set().union(*(group.highlight_terms for group in groups)) if groups else set()
        snippet_memos = {}
        results = [
            self._result(document, score, query, terms, snippet_memos) for document, score in match.hits
        ]
        return SearchResults(
            count=match.count,
            page=query.page,
            page_size=query.page_size,
            engine=self.name,
            results=results,
            facets=self._facets(match.facets, query),
            did_you_mean=suggestion,
        )

    def _result(self, data, score, query, terms, snippet_memos):
        document = SearchDocument.from_dict(data)
        language = query.language
        text_language = document.source_language(document.text, language)
        distance = nearest_distance_m(document.locations, query.near)
        return {
            "type": document.type,
            "uid": document.uid,
            "title": document.in_language(document.title, language),
            "url": document.in_language(document.url, language),
            # The snippet knows the language of the text it came from (a str to the API).
            "snippet": LocalizedText(
                make_snippet(
                    document,
                    language,
                    terms,
                    query.professional,
                    get_analyser(text_language),
                    snippet_memos.setdefault(text_language, {}),
                ),
                text_language,
            ),
            "score": round(float(score), 4),
            "distance_m": None if distance is None else round(distance),
        }

    def _facets(self, counts, query):
        pairs = {(facet, value) for facet, values in counts.items() for value in values}
        labels = self.facet_labels(pairs, query.language) if pairs else {}
        facets = {}
        for facet in query.facets:
            buckets = [
                {"value": value, "label": labels.get((facet, value)) or value, "count": count}
                for value, count in (counts.get(facet) or {}).items()
                if count > 0
            ]
            buckets.sort(key=lambda b: (-b["count"], str(b["label"]).casefold()))
            facets[facet] = buckets
        return facets

    def suggest(self, prefix, language="fi", professional=False, limit=8):
        tokens = tokenise(prefix)
        if not tokens or len(prefix.strip()) < SUGGEST_MIN_PREFIX:
            return []
        analyser = get_analyser(language)
        words = []
        for token in tokens[:-1]:
            if token in analyser.stopwords:
                continue
            word = analyser.word(token)
            words.append(tuple(dict.fromkeys((token.replace("-", ""), *word.lemmas))))
        partial = tokens[-1].replace("-", "")
        hits = self.match_prefix(PrefixQuery(language, words, partial, professional, limit))
        suggestions = []
        for data in hits:
            document = SearchDocument.from_dict(data)
            suggestions.append(
                {
                    "title": document.in_language(document.title, language),
                    "type": document.type,
                    "uid": document.uid,
                    "url": document.in_language(document.url, language),
                }
            )
        return suggestions


def every_word_indexed(query, groups):
    """True when each word of the query is in the index as typed (one of its
    own analyses, not a typo correction, occurs in a document the user may see).

    Such a query that finds nothing was emptied by its filters, not by a typo:
    the near-miss search (titles similar to the text) would only repeat the
    filtered search more slowly (at national scale 200 ms for "terveysasema" +
    open now + a postal code, with nothing to show for it)."""
    from ..vocabulary import known_terms

    present = known_terms(query.language, set().union(*(group.terms for group in groups)), query.professional)
    return all(group.found_as_typed(present) for group in groups)
