"""What the search page shows, as plain data: tabs, facet groups, results,
pagination and links that keep the rest of the search.

Everything a link changes starts from the parameters the search was read
from, so every state of the page has a shareable address and works without
JavaScript.
"""

import html
import re
from urllib.parse import urlencode

from django.utils.formats import number_format
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from . import documents
from .params import SINGLE_PARAMETERS, search_parameters

# Labels of result types and facets come from the registered sources' declarations
# (search.contracts.DocumentType and Facet; search.documents).


def type_labels():
    """{type: one result's kind}, e.g. "Service", for every declared result type."""
    return {t.name: t.label for t in documents.document_types()}


def facet_legends():
    """{facet: legend} of the filter panel's facets (every facet but `type`, the tabs)."""
    return {f.name: f.legend for f in documents.facets() if f.name != "type"}


# A result whose words were found in a text in another language than its title's.
MATCHED_IN = {
    "fi": _("Found in the Finnish text"),
    "sv": _("Found in the Swedish text"),
    "en": _("Found in the English text"),
}
# Where the page's error summary sends the user for each parameter.
FIELD_IDS = {
    "q": "search-q",
    "postal_code": "search-postal-code",
    "serves_municipality": "search-municipality",
    "sort": "search-sort",
    "open_now": "search-open-now",
}
SINGLE_PARAMETER_LABELS = {
    "q": _("Search words"),
    "postal_code": _("Postal code"),
    "serves_municipality": _("Municipality"),
    "near": _("Location"),
    "sort": _("Sort by"),
    "open_now": _("Open now"),
    "page": _("Page"),
    "page_size": _("Results per page"),
}


def parameter_labels():
    """{parameter: its name in the error summary}: the single parameters' and each
    facet's legend (`type`: "Result type")."""
    return {**SINGLE_PARAMETER_LABELS, **{f.name: f.legend for f in documents.facets()}}


SORT_LABELS = {"relevance": _("Relevance"), "distance": _("Distance")}
# The checkboxes shown at once; the rest of a long facet opens from "Show all".
FACET_VISIBLE_OPTIONS = 8
PAGINATION_WINDOW = 2
MARK = re.compile(r"(</?mark>)")
SAFE_URL = re.compile(r"^(/(?!/)|https?://)", re.IGNORECASE)


def page_params(params):
    """The search's own parameters as (name, value) pairs, in a stable order (the
    page's language comes from its address, so `lang` is dropped)."""
    pairs = []
    for name in search_parameters():
        if name == "lang":
            continue
        values = [value.strip() for value in params.getlist(name) if value.strip()]
        if name in SINGLE_PARAMETERS:
            values = values[-1:]
        pairs.extend((name, value) for value in values)
    return pairs


def link(pairs, **changes):
    """ "?…" with `changes` applied: None removes a parameter, a list replaces all its values.
    Any change other than the page number goes back to page 1."""
    if any(name != "page" for name in changes):
        changes.setdefault("page", None)
    kept = [(name, value) for name, value in pairs if name not in changes]
    for name, value in changes.items():
        if value is None:
            continue
        for item in value if isinstance(value, (list, tuple)) else [value]:
            kept.append((name, str(item)))
    return "?" + urlencode(kept)


def tabs(pairs, facets, selected_types):
    """ "All" and one tab per result type, with counts from the `type` facet
    (counted without the type filter, so every tab's count is what it would show).
    Professional-only types get a tab only when they have results. A tab with
    nothing to show is not a link (`url` None), unless it is the current one."""
    counts = {bucket["value"]: bucket["count"] for bucket in facets.get("type", [])}
    current = selected_types[0] if len(selected_types) == 1 else ""
    kinds = [
        kind
        for kind in documents.document_types()
        if not kind.professional_only or counts.get(kind.name) or kind.name == current
    ]
    items = [
        {
            "label": _("All"),
            "count": sum(counts.values()),
            "url": link(pairs, type=None),
            "current": current == "",
        }
    ]
    for kind in kinds:
        name = kind.name
        items.append(
            {
                "label": kind.tab_label,
                "count": counts.get(name, 0),
                "url": link(pairs, type=name) if counts.get(name) or current == name else None,
                "current": current == name,
            }
        )
    return items


def filter_panel_parameters():
    """Parameters that narrow the results and are set in the filter panel (the tabs,
    the words, the order and the paging are not counted as filters)."""
    return ("postal_code", "serves_municipality", "open_now") + tuple(facet_legends())


def active_filter_count(pairs):
    """How many filters of the filter panel are in use: each ticked facet value, the
    area and "open now" count one each. The narrow-screen disclosure shows it."""
    panel = filter_panel_parameters()
    return sum(
        1 for name, value in pairs if name in panel and (name != "open_now" or value.lower() in ("1", "true"))
    )


def facet_groups(facets, filters, labels_for_missing=None):
    """Fieldsets of checkboxes: each facet's values with counts; chosen values stay
    listed (first) even when nothing is left to count for them, so they can be unticked."""
    groups = []
    for facet in documents.facets():
        name = facet.name
        if name == "type":
            continue  # the tabs
        chosen = filters.get(name, [])
        buckets = {bucket["value"]: bucket for bucket in facets.get(name, [])}
        options = []
        for value in chosen:
            bucket = buckets.pop(value, None)
            label = bucket["label"] if bucket else (labels_for_missing or {}).get((name, value), value)
            count = bucket["count"] if bucket else 0
            options.append({"value": value, "label": label, "count": count, "checked": True})
        options.extend(
            {"value": b["value"], "label": b["label"], "count": b["count"], "checked": False}
            for b in buckets.values()
        )
        if not options:
            continue
        if facet.value_labels:  # values the documents give no label for (languages)
            for option in options:
                if option["label"] == option["value"]:
                    option["label"] = facet.value_labels.get(option["value"], option["value"])
        for number, option in enumerate(options):
            option["id"] = f"facet-{name}-{number}"
        visible = max(FACET_VISIBLE_OPTIONS, len(chosen))
        groups.append(
            {
                "name": name,
                "legend": facet.legend,
                "options": options[:visible],
                "more": options[visible:],
            }
        )
    return groups


def error_list(errors):
    """The error summary: a label, the messages and the field to go to, per parameter."""
    labels = parameter_labels()
    return [
        {
            "field_id": FIELD_IDS.get(name, "filters-title"),
            "label": labels.get(name, name),
            "messages": [str(message) for message in messages],
        }
        for name, messages in errors.items()
    ]


def safe_snippet(snippet):
    """The engine's snippet as safe HTML: only <mark> and </mark> survive;
    everything else is (re-)escaped, so a text that reached us unescaped cannot
    inject markup."""
    parts = []
    open_marks = 0
    for part in MARK.split(snippet or ""):
        if part == "<mark>" and open_marks == 0:
            parts.append(part)
            open_marks = 1
        elif part == "</mark>" and open_marks == 1:
            parts.append(part)
            open_marks = 0
        elif part not in ("<mark>", "</mark>"):
            parts.append(html.escape(html.unescape(part), quote=False))
    if open_marks:
        parts.append("</mark>")
    return mark_safe("".join(parts))  # noqa: S308 - built from escaped parts above


def safe_url(url):
    """Result URLs come from the apps' documents; only site paths and http(s) links are linked."""
    return url if url and SAFE_URL.match(url) else None


def distance_text(metres):
    if metres is None:
        return ""
    if metres < 1000:
        return _("%(distance)s m") % {"distance": number_format(max(10, round(metres, -1)), 0)}
    kilometres = metres / 1000
    return _("%(distance)s km") % {"distance": number_format(kilometres, 1 if kilometres < 10 else 0)}


def results(items):
    labels = type_labels()
    return [
        {
            "title": item["title"],
            "url": safe_url(item["url"]),
            "type": item["type"],
            "type_label": labels.get(item["type"], item["type"]),
            "snippet": safe_snippet(item["snippet"]),
            # The engine's LocalizedText: the page marks a snippet in another language with it.
            "snippet_text": item["snippet"],
            "distance": distance_text(item["distance_m"]),
            "matched_in": matched_in(item),
        }
        for item in items
    ]


def matched_in(item):
    """A note ("Found in the Swedish text") when the words matched a text in
    another language than the title shown (a translation, or the Finnish
    original of a translated title), else None."""
    matched = item.get("matched_lang")
    title_language = getattr(item["title"], "lang", None)
    if matched and title_language and matched != title_language:
        return MATCHED_IN.get(matched)
    return None


def pagination(pairs, count, page, page_size):
    """None for a single page; otherwise previous/next and a window of page numbers
    around the current one, with the first and last page."""
    last = max(1, -(-count // page_size))
    if last <= 1:
        return None
    numbers = sorted(
        {1, last} | set(range(max(1, page - PAGINATION_WINDOW), min(last, page + PAGINATION_WINDOW) + 1))
    )
    items = []
    previous = None
    for number in numbers:
        if previous is not None and number > previous + 1:
            items.append({"gap": True})
        items.append({"number": number, "url": link(pairs, page=number), "current": number == page})
        previous = number
    return {
        "items": items,
        "previous": link(pairs, page=page - 1) if page > 1 else None,
        "next": link(pairs, page=page + 1) if page < last else None,
        "last": last,
    }
