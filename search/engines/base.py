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

from dataclasses import dataclass, field, replace

from ..analysers import analyser_signature, did_you_mean, document_terms, get_analyser, plan_query
from ..analysis import LANGUAGES, normalise, tokenise
from ..documents import SearchDocument
from ..localization import LocalizedText, text_language
from ..models import FacetLabel
from ..query import MAX_PAGE_SIZE, RELEVANCE, SearchResults, document_attributes, nearest_distance_m
from ..snippets import make_snippet

# "A query finds little": below this many results, offer "did you mean".
DID_YOU_MEAN_BELOW = 3
# Score factor for a document whose title alone has every word of the query.
TITLE_MATCH_BOOST = 2.0
# "Local first" moves a document up to its place's tier only when it matches
# well: a score of at least this share of the best result's (SearchQuery.local_first).
LOCAL_MIN_SCORE_RATIO = 0.5
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
    # The hits' analysed terms (analysers.document_terms), in the same order,
    # when several languages were matched: which one matched is told from them.
    terms: list | None = None


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

    def match(self, query, languages, require_all=True):
        """Documents matching the query in any of `languages`
        ([analysers.LanguageGroups]: the query's groups in one language, matched
        against that language's fields, scores times the weight; a document's
        score is its best language's) and the query's filters: a Match. A
        document matches in a language when it has all of the groups there (or
        any, when require_all is False). No languages: every document (browsing).
        With more than one language the Match carries the hits' terms."""
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
        # The query is matched in every language whose index can match it,
        # weighted toward its own language and the page's (analysers.plan_query).
        plan = plan_query(query) if query.text.strip() else None
        plan = plan or None  # nothing but stop words: browse, as with no words
        languages = plan.strict if plan else []
        require_all = True
        match = self._match(query, languages, True) if plan else self.match(query, [], True)
        strict_count = match.count
        if match.count == 0 and plan and any(len(item.groups) > 1 for item in plan.relaxed):
            # Nothing has every word: rank the documents that have some.
            languages, require_all = plan.relaxed, False
            match = self._match(query, languages, False)
        near_miss = False
        if match.count == 0 and plan and not every_word_indexed(query, plan):
            near = self.near_miss(replace(query, language=plan.detected))
            if near is not None:
                match, near_miss = near, True
        local_count = None
        if query.local_first and query.sort == RELEVANCE and match.count and not near_miss:
            match, local_count = self._local_first(query, match, plan, languages, require_all)
        suggestion = None
        if plan and (strict_count < DID_YOU_MEAN_BELOW or any(g.corrections for g in plan.groups)):
            suggestion = did_you_mean(query, plan.groups, plan.detected)
            if suggestion == normalise(query.text):
                suggestion = None
        terms = plan.highlight_terms if plan else set()
        snippet_memos = {}
        results = []
        for index, (document, score) in enumerate(match.hits):
            if near_miss or not languages:
                column = None
            elif len(languages) == 1 or match.terms is None:
                column = languages[0].language
            else:
                column = plan.matched_language(
                    SearchDocument.from_dict(document), match.terms[index], require_all, query.professional
                )
            results.append(self._result(document, score, query, terms, snippet_memos, column))
        return SearchResults(
            count=match.count,
            page=query.page,
            page_size=query.page_size,
            engine=self.name,
            results=results,
            facets=self._facets(match.facets, query),
            did_you_mean=suggestion,
            local_count=local_count,
        )

    def _local_first(self, query, match, plan, languages, require_all):
        """The page's hits ordered local → county → the rest, relevance within each
        (SearchQuery.local_first), and the number of local results.

        Engine-neutral: the tiers are the same match with the `municipality` and
        then the `county` facet of the place added (a document in or serving the
        municipality has both facets, so each tier holds the one before it); the
        page is read off the tiers' top hits up to its end, each document taken at
        its first tier. Only good matches move up a tier: the query's words
        themselves (whole_words_match) and a score of at least
        LOCAL_MIN_SCORE_RATIO of the best (a local document that barely matches
        does not bury the one that matches well); the rest keep their place in
        the relevance order after them. Count and facet counts stay those of the
        whole search."""

        def run(tier_query):
            return (
                self._match(tier_query, languages, require_all) if plan else self.match(tier_query, [], True)
            )

        def top(tier_query, wanted, good_only):
            hits, terms, count, page = [], [], 0, 1
            size = min(wanted, MAX_PAGE_SIZE)
            while len(hits) < wanted:
                found = run(replace(tier_query, page=page, page_size=size))
                count = found.count if page == 1 else count
                hits += found.hits
                terms += found.terms if found.terms is not None else [None] * len(found.hits)
                if len(found.hits) < size or (good_only and found.hits[-1][1] < threshold):
                    break
                page += 1
            return hits[:wanted], terms[:wanted], count

        tiers = []
        if query.serves_municipality and "municipality" not in query.filters:
            tiers.append(("municipality", query.serves_municipality))
        if query.serves_county and "county" not in query.filters:
            tiers.append(("county", query.serves_county))
        if not tiers:
            return match, None
        memo = {}  # a local document is in the county's tier too: check it once

        def well_matched(document):
            if document["key"] not in memo:
                memo[document["key"]] = whole_words_match(plan, document, require_all, query.professional)
            return memo[document["key"]]

        wanted = query.offset + query.page_size
        first = (
            match.hits[:1] if query.offset == 0 else run(replace(query, page=1, page_size=1, facets=())).hits
        )
        threshold = first[0][1] * LOCAL_MIN_SCORE_RATIO if first else 0
        ordered, ordered_terms, seen, local_count = [], [], set(), None
        for facet, value in [*tiers, (None, None)]:
            if facet is None and query.offset == 0:
                hits, terms = match.hits, match.terms or [None] * len(match.hits)
            else:
                filters = query.filters if facet is None else {**query.filters, facet: [value]}
                hits, terms, count = top(
                    replace(query, filters=filters, facets=()), wanted, facet is not None
                )
            if facet is not None:
                good = [
                    index
                    for index, (document, score) in enumerate(hits)
                    if score >= threshold and well_matched(document)
                ]
                if facet == "municipality":
                    # Every good one when all fetched are good (then the tier's count), else those fetched.
                    local_count = count if len(good) == len(hits) else len(good)
                hits, terms = [hits[i] for i in good], [terms[i] for i in good]
            for (document, score), hit_terms in zip(hits, terms, strict=True):
                if document["key"] not in seen:
                    seen.add(document["key"])
                    ordered.append((document, score))
                    ordered_terms.append(hit_terms)
            if len(ordered) >= wanted:
                break
        page = slice(query.offset, wanted)
        page_terms = ordered_terms[page]
        return (
            replace(
                match,
                hits=ordered[page],
                terms=None if match.terms is None or any(t is None for t in page_terms) else page_terms,
            ),
            local_count,
        )

    def _match(self, query, languages, require_all):
        if not languages:
            # No language's index has the words: nothing can match.
            return Match(count=0, hits=[], facets={})
        return self.match(query, languages, require_all)

    def _result(self, data, score, query, terms, snippet_memos, column=None):
        """A result in the query's language. `column`: the language whose index
        fields matched (None: no text match); `matched_lang` is the language of
        the text there (a document without text of its own in that language
        has its Finnish text in its fields)."""
        document = SearchDocument.from_dict(data)
        language = query.language
        matched = matched_language(document, column)
        snippet = self._snippet(document, language, terms, query, snippet_memos)
        if matched and matched != snippet.lang and "<mark>" not in snippet:
            # Matched in another language's text: show the words that matched there.
            other = self._snippet(document, column, terms, query, snippet_memos)
            if "<mark>" in other:
                snippet = other
        distance = nearest_distance_m(document.locations, query.near)
        return {
            "type": document.type,
            "uid": document.uid,
            "title": document.in_language(document.title, language),
            "url": document.in_language(document.url, language),
            "snippet": snippet,
            "score": round(float(score), 4),
            "distance_m": None if distance is None else round(distance),
            "matched_lang": matched,
        }

    @staticmethod
    def _snippet(document, language, terms, query, snippet_memos):
        """The snippet of the document's text in `language`; it knows the
        language of the text it came from (a str to the API)."""
        text_language = document.source_language(document.text, language)
        return LocalizedText(
            make_snippet(
                document,
                language,
                terms,
                query.professional,
                get_analyser(text_language),
                snippet_memos.setdefault(text_language, {}),
            ),
            text_language,
        )

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
        partial = tokens[-1].replace("-", "")
        suggestions, seen = [], set()
        # Titles in the page's language first, then in the others, so that a
        # prefix typed in any language is completed; shown in the page's language.
        for matched in dict.fromkeys([language, *LANGUAGES]):
            if len(suggestions) >= limit:
                break
            analyser = get_analyser(matched)
            words = []
            for token in tokens[:-1]:
                if token in analyser.stopwords:
                    continue
                word = analyser.word(token)
                words.append(tuple(dict.fromkeys((token.replace("-", ""), *word.lemmas))))
            for data in self.match_prefix(PrefixQuery(matched, words, partial, professional, limit)):
                document = SearchDocument.from_dict(data)
                if document.key in seen or len(suggestions) >= limit:
                    continue
                seen.add(document.key)
                title = document.in_language(document.title, language)
                suggestions.append(
                    {
                        "title": title,
                        "type": document.type,
                        "uid": document.uid,
                        "url": document.in_language(document.url, language),
                        # The language the title is in (a Finnish fallback on a Swedish
                        # page is "fi"), so the list can mark it (WCAG 3.1.2).
                        "lang": text_language(title, language),
                        # The language of the title that starts like the prefix.
                        "matched_lang": document.source_language(document.title, matched),
                    }
                )
        return suggestions


def every_word_indexed(query, plan):
    """True when each word of the query is in the index as typed, in some
    language (one of its own analyses, not a typo correction, occurs in a
    document the user may see).

    Such a query that finds nothing was emptied by its filters, not by a typo:
    the near-miss search (titles similar to the text) would only repeat the
    filtered search more slowly (at national scale 200 ms for "terveysasema" +
    open now + a postal code, with nothing to show for it)."""
    known = {
        word
        for language, groups in plan.analysed.items()
        for group in groups
        if group.found_as_typed(plan.present[language])
        for word in group.words
    }
    return all(word in known for group in plan.groups for word in group.words)


def whole_words_match(plan, data, require_all, professional):
    """Whether the document (as stored) has the query's words themselves: a base
    form or a synonym of each (of any, when relaxed), in one language matched; not
    only the two halves of a compound found apart, nor a typo's correction.
    Without words (browsing) every document does."""
    if not plan:
        return True
    terms = document_terms(SearchDocument.from_dict(data))
    for item in plan.strict if require_all else plan.relaxed:
        fields = terms.get(item.language) or {}
        present = set(fields.get("title", "").split()) | set(fields.get("text", "").split())
        if professional:
            present |= set(fields.get("pro", "").split())
        found = [
            any(
                all(term in present for term in alternative)
                for alternative in group.exact_alternatives
                if alternative not in group.splits
            )
            for group in item.groups
        ]
        if all(found) if require_all else any(found):
            return True
    return False


def matched_language(document, column):
    """The language of the text a document's `column` language fields hold:
    that language when the document has content in it, else the language its
    text falls back to (None for no column)."""
    if column is None:
        return None
    if column in document.content_languages:
        return column
    return document.source_language(document.text, column)
