"""Publishing rules of the library: what a model needs before it can be published.

Drafts can be saved with anything; publishing (or submitting for review) needs
the core sections and no placeholder text.
"""

import difflib
import re
import unicodedata

# The core sections a reader needs to judge whether a model fits them.
REQUIRED_TO_PUBLISH = (
    "short_description",
    "core_idea",
    "operating_environment",
    "target_group_insight",
    "conditions_for_adoption",
)

PLACEHOLDER_PATTERN = re.compile(
    r"lorem\s+ipsum|\btäydentyy\b|\btäydennetään\b|\btbd\b|\btodo\b|\bplaceholder\b"
    r"|\bkirjoita tähän\b|\bteksti tähän\b|\btulossa myöhemmin\b|\bxxx+\b|\?\?\?",
    re.IGNORECASE,
)

SIMILAR_TITLE_RATIO = 0.72


def find_placeholder(text):
    """The placeholder phrase in `text`, or None."""
    if not text:
        return None
    match = PLACEHOLDER_PATTERN.search(str(text))
    return match.group(0) if match else None


def missing_required(values):
    """Names of the required sections that are empty in `values` (a field → value mapping)."""
    return [name for name in REQUIRED_TO_PUBLISH if not str(values.get(name) or "").strip()]


def normalise_title(title):
    text = unicodedata.normalize("NFKC", title).casefold()
    return re.sub(r"[\W_]+", "", text)


def title_similarity(first, second):
    a, b = normalise_title(first), normalise_title(second)
    if not a or not b:
        return 0.0
    if a in b or b in a:
        return 1.0 if a == b else max(0.8, len(min(a, b, key=len)) / len(max(a, b, key=len)))
    return difflib.SequenceMatcher(None, a, b).ratio()


def similar_models(title, exclude_key=None, candidates=None):
    """Existing operating models whose titles are close to `title`, most similar first."""
    if candidates is None:
        from models_library.models import OperatingModelPage

        candidates = OperatingModelPage.objects.all()
    if exclude_key:
        candidates = candidates.exclude(translation_key=exclude_key)
    best = {}
    for page in candidates.only("id", "title", "translation_key", "url_path"):
        ratio = title_similarity(title, page.title)
        if ratio >= SIMILAR_TITLE_RATIO and ratio > best.get(page.translation_key, (0, None))[0]:
            best[page.translation_key] = (ratio, page)
    return [page for ratio, page in sorted(best.values(), key=lambda item: -item[0])]
