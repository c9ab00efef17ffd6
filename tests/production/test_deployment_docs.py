"""docs/deployment.md lists every environment variable the code reads."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
READS = re.compile(
    r"""(?:os\.environ\.get|os\.getenv|env_list)\(\s*["']([A-Z][A-Z0-9_]+)["']|os\.environ\[["']([A-Z][A-Z0-9_]+)["']\]"""
)
# Read only by the test and benchmark harnesses, never by a deployment.
NOT_FOR_DEPLOYERS = {"DJANGO_ALLOW_ASYNC_UNSAFE"}


def variables_read_by_the_code():
    found = set()
    for app in ("portal", "directory", "models_library", "search"):
        for path in (ROOT / app).rglob("*.py"):
            for match in READS.finditer(path.read_text()):
                found.add(match.group(1) or match.group(2))
    return found - NOT_FOR_DEPLOYERS


def test_every_environment_variable_is_documented():
    documented = set(
        re.findall(r"^\| `?([A-Z][A-Z0-9_]+)`?", (ROOT / "docs" / "deployment.md").read_text(), re.M)
    )
    documented |= set(re.findall(r"`([A-Z][A-Z0-9_]+)`", (ROOT / "docs" / "deployment.md").read_text()))

    assert variables_read_by_the_code(), "the scan found nothing: the pattern is broken"
    assert variables_read_by_the_code() - documented == set()


def test_the_documented_environment_file_names_only_documented_variables():
    documented = (ROOT / "docs" / "deployment.md").read_text()
    names = [
        line.split("=", 1)[0]
        for line in (ROOT / "docs/deploy/ovi.env").read_text().splitlines()
        if line and not line.startswith("#")
    ]

    assert names
    assert [name for name in names if f"`{name}`" not in documented] == []
