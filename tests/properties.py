"""Shared Hypothesis settings and strategies of the property-based tests
(tests/search/test_properties.py, tests/directory/test_import_properties.py).

The "ovi" profile keeps each property to a bounded number of examples, so the
properties run in `make test` (SQLite) and on PostgreSQL in well under a
minute together; OVI_HYPOTHESIS_EXAMPLES raises it for a longer search.
Derandomized: the same examples every run, so a failure is repeatable.
"""

import os

from django.http import QueryDict
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

settings.register_profile(
    "ovi",
    max_examples=int(os.environ.get("OVI_HYPOTHESIS_EXAMPLES", "50")),
    deadline=None,
    derandomize="OVI_HYPOTHESIS_EXAMPLES" not in os.environ,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    database=None,
)
OVI = settings.get_profile("ovi")
# Properties that send a request or run a search per example: fewer examples.
OVI_REQUESTS = settings(OVI, max_examples=max(10, OVI.max_examples // 3))

# Text as a query string can carry it: any code point but surrogates, including
# NUL, other scripts' digits ("²", "٣"), quotes and FTS5/tsquery/Lucene operators.
HOSTILE_WORDS = [
    '"',
    "';--",
    "\x00",
    "²",
    "٣",
    "*",
    "NEAR(",
    "a OR b",
    "-",
    "+",
    "!",
    "&",
    "|",
    ":*",
    "(",
    ")",
    "^",
    "~",
    "\\",
    "/",
    "[",
    "]",
    "{",
    "}",
    "1e5",
    "0x10",
    "NaN",
    "inf",
    "-0",
    "00100\n",
    " 1",
    "9" * 5000,
]
text = st.one_of(
    st.text(st.characters(exclude_categories=["Cs"]), max_size=60), st.sampled_from(HOSTILE_WORDS)
)
numberish = st.one_of(
    st.integers(min_value=-(10**12), max_value=10**12).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(str),
    st.from_regex(r"[0-9]{1,12}", fullmatch=True),
    text,
)


def query_dicts(names, values=None):
    """QueryDicts over the given parameter names (and some unknown ones), each
    possibly repeated, with hostile values."""
    values = st.one_of(text, numberish) if values is None else values
    name = st.one_of(st.sampled_from(list(names)), st.text(max_size=10))
    pairs = st.lists(st.tuples(name, values), max_size=6)

    def build(items):
        query = QueryDict(mutable=True)
        for key, value in items:
            query.appendlist(key, value)
        return query

    return pairs.map(build)
