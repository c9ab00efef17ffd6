"""Highlighted snippets, made in Python for every engine.

Engines index analysed terms, not the original text, so their own
highlighters could only mark base forms. Here each word of the original text
is analysed and marked when it shares a term with the query: "perhekeskukseen"
is marked for a search for "perhekeskus". Professional-only text is used only
for professionals.
"""

import re
from html import escape  # the standard library's: no lazy-string wrapper around each word

from .analysis import normalise

WORD = re.compile(r"[^\W_]+(?:-[^\W_]+)*")
SNIPPET_WORDS = 30
MAX_TEXT_CHARS = 5000  # longer texts are cut before analysis; snippets come from the start


def make_snippet(document, language, terms, professional, analyser, memo=None):
    """HTML: a window of about SNIPPET_WORDS words with the most matches,
    matching words in <mark>, everything else escaped. memo: {word: matches},
    shared by the snippets of one search that use the same analyser (the same
    words recur in every result, and analysing them was most of a search's time)."""
    parts = [document.in_language(document.text, language)]
    if professional:
        parts.append(document.in_language(document.professional_text, language))
    text = "\n".join(part for part in parts if part)[:MAX_TEXT_CHARS]
    if not text:
        return ""
    words = list(WORD.finditer(text))
    if not words:
        return escape(text[:200])
    if memo is None:
        memo = {}
    hits = [_matches(analyser, match.group(0), terms, memo) for match in words]
    prefix = [0]
    for hit in hits:
        prefix.append(prefix[-1] + hit)
    width = min(SNIPPET_WORDS, len(words))
    best_start = max(range(len(words) - width + 1), key=lambda s: (prefix[s + width] - prefix[s], -s))
    if prefix[-1]:
        # Start a little before the first match so it has some context.
        first = next(i for i in range(best_start, len(words)) if hits[i])
        best_start = max(0, min(best_start, first - 3))
    end = min(len(words), best_start + SNIPPET_WORDS)
    out = []
    position = words[best_start].start()
    for index in range(best_start, end):
        match = words[index]
        out.append(escape(text[position : match.start()]))
        word = escape(match.group(0))
        out.append(f"<mark>{word}</mark>" if hits[index] else word)
        position = match.end()
    snippet = "".join(out).strip()
    if best_start > 0:
        snippet = "… " + snippet
    if end < len(words):
        snippet += " …"
    return snippet


def _matches(analyser, word, terms, memo):
    if not terms:
        return False
    found = memo.get(word)
    if found is None:
        found = any(
            not terms.isdisjoint(analyser.word(token).terms) for token in WORD.findall(normalise(word))
        )
        memo[word] = found
    return found
