"""Property-based tests of the import readers (docs/security.md, "Input handling").

Files that are valid imports, with one value anywhere in one record replaced by
arbitrary JSON, and files of arbitrary bytes: the PTV and HSDS importers
answer with a report or ImportFileError, the operating-models importer with
ImportRejected or a written document, nothing else; and a rejected import leaves
the database exactly as it was.
"""

import copy
import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from directory.models import (
    ContactPerson,
    Location,
    Organisation,
    Service,
    ServiceAtLocation,
    ServiceChannel,
)
from directory.opendata.hsds import export_hsds
from directory.opendata.hsds_import import import_hsds
from directory.opendata.importing import ImportFileError
from directory.opendata.ptv import import_ptv
from models_library.exchange import ImportRejected, import_document, load_file
from models_library.models import OperatingModelPage
from tests.directory.test_ptv import CHANNELS, ORGANISATIONS, SERVICES
from tests.models_library.factories import library  # noqa: F401  (a fixture)
from tests.properties import OVI_REQUESTS, text

pytestmark = pytest.mark.django_db

HOSTILE_FILES = [
    b"",
    b"\x80",
    b"\xef\xbb\xbf[]",
    b"[" * 100_000 + b"]" * 100_000,
    b"null",
    b"{}",
    b"[1e999]",
    b"NaN",
]
arbitrary_bytes = st.one_of(st.binary(max_size=200), st.sampled_from(HOSTILE_FILES))

json_values = st.recursive(
    st.one_of(
        st.none(),
        st.booleans(),
        st.integers(min_value=-(10**20), max_value=10**20),
        st.floats(allow_nan=False, allow_infinity=False),
        text,
    ),
    lambda children: st.one_of(
        st.lists(children, max_size=3), st.dictionaries(st.text(max_size=8), children, max_size=3)
    ),
    max_leaves=6,
)


def _paths(value, prefix=()):
    """Every path to a value inside a JSON value."""
    yield prefix
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _paths(item, (*prefix, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _paths(item, (*prefix, index))


def _replace(value, path, new):
    if not path:
        return new
    copied = copy.copy(value)
    copied[path[0]] = _replace(value[path[0]], path[1:], new)
    return copied


@st.composite
def mutated(draw, records):
    """The records with one value (or a whole record) replaced by arbitrary JSON."""
    paths = list(_paths(records))[1:]
    path = draw(st.sampled_from(paths))
    return _replace(records, path, draw(json_values))


def snapshot():
    """What an import could change, in full."""
    models = (
        Organisation,
        Service,
        Location,
        ServiceChannel,
        ServiceAtLocation,
        ContactPerson,
        OperatingModelPage,
    )
    return {model.__name__: sorted(map(repr, model.objects.values())) for model in models}


def assert_rejections_write_nothing(run, before):
    """Run an import that refuses rejected records; return its report (None: the file was refused)."""
    try:
        report = run()
    except ImportFileError:
        assert snapshot() == before
        return None
    if report.rejected:
        assert not report.written
        assert snapshot() == before
    return report


# PTV ----------------------------------------------------------------------------------------------

PTV_FILES = {path.name: json.loads(path.read_text()) for path in (ORGANISATIONS, CHANNELS, SERVICES)}


@OVI_REQUESTS
@given(name=st.sampled_from(sorted(PTV_FILES)), data=st.data())
def test_ptv_import_of_a_mutated_file_reports_or_refuses(tmp_path_factory, name, data):
    directory = tmp_path_factory.mktemp("ptv")
    paths = []
    for file_name, content in PTV_FILES.items():
        if file_name == name:
            content = data.draw(mutated(content))
        path = directory / file_name
        path.write_text(json.dumps(content))
        paths.append(path)
    before = snapshot()
    assert_rejections_write_nothing(lambda: import_ptv(paths), before)


@OVI_REQUESTS
@given(content=st.one_of(arbitrary_bytes, json_values.map(lambda v: json.dumps(v).encode())))
def test_ptv_and_hsds_imports_of_arbitrary_bytes_report_or_refuse(tmp_path_factory, content):
    directory = tmp_path_factory.mktemp("bytes")
    for file_name in ("organizations.json", "services.json"):
        (directory / file_name).write_bytes(content)
    before = snapshot()
    assert_rejections_write_nothing(lambda: import_ptv([directory / "services.json"]), before)
    assert_rejections_write_nothing(lambda: import_hsds(directory), before)


# HSDS ---------------------------------------------------------------------------------------------


@pytest.fixture
def hsds_export(scenario, tmp_path_factory):
    directory = tmp_path_factory.mktemp("hsds-export")
    export_hsds(directory)
    return {
        name: json.loads((directory / name).read_text())
        for name in ("organizations.json", "services.json", "taxonomy_terms.json")
        if (directory / name).exists()
    }


@OVI_REQUESTS
@given(data=st.data())
def test_hsds_import_of_a_mutated_export_reports_or_refuses(hsds_export, tmp_path_factory, data):
    name = data.draw(st.sampled_from(["organizations.json", "services.json"]))
    directory = tmp_path_factory.mktemp("hsds")
    for file_name, content in hsds_export.items():
        if file_name == name:
            content = data.draw(mutated(content))
        (directory / file_name).write_text(json.dumps(content))
    before = snapshot()
    assert_rejections_write_nothing(lambda: import_hsds(directory), before)


# Operating models (import_models) -----------------------------------------------------------------


@pytest.fixture
def models_document(library):  # noqa: F811
    from tests.models_library.factories import document, model_record

    return document(model_record("ohjaus", title={"fi": "Palveluohjauksen malli"}, team="pohjois-savo"))


@OVI_REQUESTS
@given(data=st.data())
def test_models_import_of_a_mutated_document_writes_or_rejects(models_document, tmp_path_factory, data):
    content = data.draw(mutated(models_document))
    path = tmp_path_factory.mktemp("models") / "models.json"
    path.write_text(json.dumps(content))
    before = snapshot()
    try:
        import_document(load_file(path))
    except ImportRejected as rejected:
        assert rejected.args and snapshot() == before


@OVI_REQUESTS
@given(content=arbitrary_bytes)
def test_models_import_of_arbitrary_bytes_is_rejected(tmp_path_factory, content):
    path = tmp_path_factory.mktemp("models") / "models.json"
    path.write_bytes(content)
    before = snapshot()
    try:
        import_document(load_file(path))
    except ImportRejected:
        assert snapshot() == before
