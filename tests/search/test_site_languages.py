"""The site's languages are read from the settings in one place,
search.localization (issue 14), and app code holds no copy of them."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from search import localization
from search.localization import DEFAULT_LANGUAGE, LANGUAGE_CODES, OTHER_LANGUAGES, site_languages

ROOT = Path(__file__).resolve().parents[2]
# A tuple or list of two or three language codes written out, as in ("fi", "sv", "en").
LANGUAGE_TUPLE = re.compile(r"""[(\[{]\s*["'](fi|sv|en)["'],\s*["'](fi|sv|en)["']""")
# Modules that still hold a copy, each for a reason; search's own ones are being
# reworked beside this change (the lead moves them to LANGUAGE_CODES after integration).
ALLOWED = {
    "search/places.py": "NAME_LANGUAGES: place names exist in Finnish and Swedish only",
    "search/analysis.py": "LANGUAGES and COMPOUND_LANGUAGES: to be read from search.localization",
    "search/params.py": "being refactored",
    "search/query.py": "being refactored",
    "search/synonyms.py": "being refactored",
    "directory/opendata/ptv.py": "",  # a docstring names PTV's language codes
}


def test_the_languages_are_the_settings_languages_default_first():
    assert DEFAULT_LANGUAGE == settings.LANGUAGE_CODE == "fi"
    assert LANGUAGE_CODES == ("fi", "sv", "en")
    assert set(LANGUAGE_CODES) == {code for code, _name in settings.LANGUAGES}
    assert set(LANGUAGE_CODES) == {code for code, _name in settings.WAGTAIL_CONTENT_LANGUAGES}
    assert OTHER_LANGUAGES == ("sv", "en")
    assert localization.FALLBACK_ORDER == LANGUAGE_CODES


@pytest.mark.parametrize(
    "languages, default, expected",
    [
        ([("fi", "Suomi"), ("sv", "Svenska"), ("en", "English")], "fi", ("fi", "sv", "en")),
        # The default comes first whatever its place in the settings; the others keep their order.
        ([("en", "English"), ("sv", "Svenska"), ("fi", "Suomi")], "fi", ("fi", "en", "sv")),
        ([("sv", "Svenska"), ("fi", "Suomi"), ("en", "English")], "fi", ("fi", "sv", "en")),
        ([("fi", "Suomi"), ("sv", "Svenska"), ("en", "English")], "sv", ("sv", "fi", "en")),
        ([("fi", "Suomi")], "fi", ("fi",)),
    ],
)
def test_site_languages_put_the_default_first_and_keep_the_settings_order(languages, default, expected):
    assert site_languages(languages, default) == expected


def test_a_default_language_that_is_not_a_site_language_is_a_configuration_error():
    with pytest.raises(ImproperlyConfigured):
        site_languages([("sv", "Svenska"), ("en", "English")], "fi")


def test_no_app_module_copies_the_language_tuple():
    copies = []
    for app in ("portal", "directory", "models_library", "search"):
        for path in (ROOT / app).rglob("*.py"):
            relative = path.relative_to(ROOT).as_posix()
            if "/migrations/" in relative or relative in ALLOWED or "/settings/" in relative:
                continue
            for number, line in enumerate(path.read_text().splitlines(), 1):
                if LANGUAGE_TUPLE.search(line):
                    copies.append(f"{relative}:{number}: {line.strip()}")
    assert not copies, "read the languages from search.localization:\n" + "\n".join(copies)
