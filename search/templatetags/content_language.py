"""Marking text whose language differs from the page's (WCAG 3.1.2).

    {% load content_language %}
    <div class="prose"{% lang_attr service.description %}>{{ service.description|linebreaks }}</div>
    <h3>{{ result.title|with_lang }}</h3>

Both read the language a LocalizedText carries (search.localization.localized,
search.localization.in_language); a plain string, an empty text or a text in the
page's language gets no mark.
"""

from django import template
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe

from ..localization import differing_language

register = template.Library()


def _page_language(context):
    return context.get("LANGUAGE_CODE") if context is not None else None


@register.simple_tag(takes_context=True)
def lang_attr(context, value):
    """` lang="fi"` for an element holding `value` when it is in another language
    than the page; nothing otherwise."""
    lang = differing_language(value, _page_language(context))
    return format_html(' lang="{}"', lang) if lang else ""


@register.filter(needs_autoescape=True)
def with_lang(value, autoescape=True):
    """`value`, escaped, inside <span lang="…"> when it is in another language than
    the page; just `value` otherwise."""
    text = conditional_escape(value) if autoescape else value
    lang = differing_language(value)
    if not lang:
        return text
    return mark_safe(f'<span lang="{lang}">{text}</span>')  # noqa: S308 - text escaped above
