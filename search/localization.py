"""Texts that know their language, for the language of parts (WCAG 3.1.2).

Every app shows content in the visitor's language when it exists and falls back
to Finnish, the language every record has. The fallback is marked here, at the
source, once: `localized()` and `in_language()` return a `LocalizedText`, a str
that carries the language it is in; templates mark it with
`{% load content_language %}` (`{% lang_attr text %}` on an element, or
`{{ text|with_lang }}` inline), which writes `lang="fi"` only when the text's
language differs from the page's.

It lives in search, the layer every app depends on and which imports no app
(DESIGN.md: portal → models_library → directory; search imports no app), so
all of them may use it. It imports nothing but Django.
"""

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils import translation


def site_languages(languages, default):
    """The language codes of `languages` (settings.LANGUAGES' (code, name) pairs), the
    `default` first and the others in their settings order."""
    codes = [code for code, _name in languages]
    if default not in codes:
        raise ImproperlyConfigured(f"LANGUAGE_CODE {default!r} is not one of LANGUAGES {codes}")
    return (default, *(code for code in codes if code != default))


# The one place the app code reads the site's languages from (issue 14): Finnish, the
# default (settings.LANGUAGE_CODE), whose texts are the fields without a language suffix
# (`title`, `name_fi`), then the translations (`title_sv`, `title_en`), in the order of
# settings.LANGUAGES (WAGTAIL_CONTENT_LANGUAGES is the same list).
DEFAULT_LANGUAGE = settings.LANGUAGE_CODE
LANGUAGE_CODES = site_languages(settings.LANGUAGES, DEFAULT_LANGUAGE)
OTHER_LANGUAGES = LANGUAGE_CODES[1:]  # the languages a text is translated into
FALLBACK_ORDER = LANGUAGE_CODES


def active_language():
    """The active language as a two-letter code ("fi" when none is active)."""
    return (translation.get_language() or DEFAULT_LANGUAGE)[:2]


class LocalizedText(str):
    """A str that knows its language (`lang`). Compares, hashes, slices and
    serialises (JSON, pickle) as the plain string it is."""

    __slots__ = ("lang",)

    def __new__(cls, value="", lang=DEFAULT_LANGUAGE):
        text = super().__new__(cls, value or "")
        text.lang = lang or DEFAULT_LANGUAGE
        return text

    def __reduce__(self):
        return (LocalizedText, (str(self), self.lang))

    @property
    def is_fallback(self):
        """True when shown in a language other than the active one."""
        return self.lang != active_language()


def text_language(value, default=None):
    """The language `value` is in: its `lang` when it knows it, else `default`."""
    return getattr(value, "lang", None) or default


def differing_language(value, page_language=None):
    """The language code to mark on `value` (non-empty and in another language
    than the page), else ""."""
    lang = getattr(value, "lang", None)
    if not lang or not str(value).strip():
        return ""
    return lang if lang != (page_language or active_language())[:2] else ""


def localized(obj, field, language=None):
    """`obj`'s `field` in the active language as a LocalizedText.

    Per-language fields are `<field>_sv` and `<field>_en`; the Finnish value is
    `<field>_fi` where the model has one (the directory), else `<field>` itself
    (the models library's translated fields). An empty translation falls back to
    Finnish, marked as Finnish.
    """
    language = (language or active_language())[:2]
    if language != DEFAULT_LANGUAGE:
        value = getattr(obj, f"{field}_{language}", "")
        if value:
            return LocalizedText(value, language)
    finnish = f"{field}_{DEFAULT_LANGUAGE}"
    value = getattr(obj, finnish) if hasattr(obj, finnish) else getattr(obj, field, "")
    return LocalizedText(value or "", DEFAULT_LANGUAGE)


class LocalizedFields:
    """`obj`'s texts for a template, each through `localized()`: `texts.core_idea`
    is `localized(obj, "core_idea")`, in the active language where `obj` has it
    (`core_idea_sv`), else the Finnish text marked as Finnish. A record whose texts
    exist only in Finnish (an operating model's sections) is thereby marked text
    by text, not as a whole: `{% lang_attr model.texts.core_idea %}`."""

    __slots__ = ("_obj", "_language")

    def __init__(self, obj, language=None):
        self._obj = obj
        self._language = language

    def __getattr__(self, field):
        if field.startswith("_"):
            raise AttributeError(field)
        return localized(self._obj, field, self._language)


def in_language(mapping, language=None):
    """A {language: text} mapping's text for `language`, then Finnish, Swedish,
    English, as a LocalizedText ("" in `language` when none has one). A plain str
    is taken as being in `language`."""
    language = (language or active_language())[:2]
    if isinstance(mapping, LocalizedText):
        return mapping
    if isinstance(mapping, str):
        return LocalizedText(mapping, language)
    mapping = mapping or {}
    for candidate in (language, *FALLBACK_ORDER):
        if mapping.get(candidate):
            return LocalizedText(mapping[candidate], candidate)
    return LocalizedText("", language)


def translations(obj, field="name"):
    """{language: text} of `obj`'s per-language fields `<field>_fi`, `_sv`, `_en`
    ("" where one is missing): what a search document or an export carries."""
    return {language: getattr(obj, f"{field}_{language}", "") or "" for language in FALLBACK_ORDER}


def in_every_language(text):
    """A lazily translated UI string (gettext_lazy) as {language: text}."""
    labels = {}
    for language in FALLBACK_ORDER:
        with translation.override(language):
            labels[language] = str(text)
    return labels
