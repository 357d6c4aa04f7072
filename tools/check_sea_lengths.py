#!/usr/bin/env python3
"""Cross-check the lengths of sea and ferry links against searoute.

Usage: python3 tools/check_sea_lengths.py [DATASET_DIR]   (default: data/eurasia)

Reads every places*.csv and links*.csv of the dataset folder, and for every
link of mode `sea` or `ferry` computes the searoute (PyPI `searoute` 1.6.x)
length between the endpoint coordinates. Links tagged with the corridor
`maritime-cape` are routed with restrictions=['suez', 'northwest', 'panama']
(note: `restrictions=` replaces searoute's default ['northwest']); all other
links use searoute's default.

Writes a Markdown report to docs/sea-lengths.md, or to $CARAVAN_SEA_REPORT when set (relative to the repository
root) and exits 1 if any link's dataset length differs from searoute by more
than 10 %, except Caspian links, which are reported but never fail because
searoute's Caspian network is coarse.

Requires: pip install 'searoute>=1.6,<1.7' (use a virtual environment outside
the repository).
"""

import csv
import datetime
import glob
import io
import math
import os
import sys

try:
    import searoute
except ImportError:  # pragma: no cover
    sys.exit("check_sea_lengths: the 'searoute' package is required (pip install 'searoute>=1.6,<1.7')")

THRESHOLD_PCT = 10.0
CAPE_RESTRICTIONS = ["suez", "northwest", "panama"]
# Caspian basin bounding box (lat, lon) used to recognise Caspian links that
# are not of class caspian-ferry.
CASPIAN_LAT = (36.0, 47.8)
CASPIAN_LON = (46.5, 55.5)
SNAP_NOTE_KM = 25.0

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def read_csv_rows(path):
    """Rows of a Caravan CSV file as dicts: '#' comment lines and blank lines
    are skipped, the first remaining line is the header."""
    with open(path, encoding="utf-8") as f:
        lines = [ln for ln in f if ln.strip() and not ln.lstrip().startswith("#")]
    return list(csv.DictReader(io.StringIO("".join(lines))))


def haversine_km(lat1, lon1, lat2, lon2):
    r = 6371.0088
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * r * math.asin(math.sqrt(h))


def in_caspian(lat, lon):
    return CASPIAN_LAT[0] <= lat <= CASPIAN_LAT[1] and CASPIAN_LON[0] <= lon <= CASPIAN_LON[1]


def resolve_dataset(arg):
    for cand in (arg, os.path.join(REPO_ROOT, arg)):
        if os.path.isdir(cand):
            return cand
    sys.exit(f"check_sea_lengths: dataset folder not found: {arg}")


def fmt_km(x):
    return "" if x is None else f"{x:,.0f}".replace(",", " ")


def main(argv):
    dataset = resolve_dataset(argv[1] if len(argv) > 1 else "data/eurasia")

    places = {}
    for path in sorted(glob.glob(os.path.join(dataset, "places*.csv"))):
        for row in read_csv_rows(path):
            try:
                places[row["id"]] = (float(row["lat"]), float(row["lon"]), row.get("name") or row["id"])
            except (KeyError, ValueError):
                continue

    links = []
    for path in sorted(glob.glob(os.path.join(dataset, "links*.csv"))):
        for row in read_csv_rows(path):
            if (row.get("mode") or "").strip() in ("sea", "ferry"):
                row["_file"] = os.path.basename(path)
                links.append(row)

    results = []
    failures = 0
    caspian_over = 0
    skipped = 0
    for ln in links:
        lid, a, b = ln["id"], ln["from"], ln["to"]
        corridors = [c.strip() for c in (ln.get("corridors") or "").split(";") if c.strip()]
        cape = "maritime-cape" in corridors
        note = []
        res = {"id": lid, "from": a, "to": b, "dataset": None, "searoute": None, "diff": None,
               "note": "", "status": "ok"}
        length = (ln.get("length_km") or "").strip()
        if length:
            try:
                res["dataset"] = float(length)
            except ValueError:
                note.append(f"unreadable length_km '{length}'")
        if a not in places or b not in places:
            missing = [p for p in (a, b) if p not in places]
            res["status"] = "skipped"
            res["note"] = "endpoint not in places*.csv: " + ", ".join(missing)
            skipped += 1
            results.append(res)
            continue
        (la, loa, _), (lb, lob, _) = places[a], places[b]
        caspian = (ln.get("class") == "caspian-ferry") or (in_caspian(la, loa) and in_caspian(lb, lob))
        kwargs = {"units": "km"}
        if cape:
            kwargs["restrictions"] = CAPE_RESTRICTIONS
            note.append("routed with restrictions suez, northwest, panama")
        try:
            route = searoute.searoute([loa, la], [lob, lb], **kwargs)
            res["searoute"] = float(route.properties["length"])
            coords = route.geometry["coordinates"]
            snap_a = haversine_km(la, loa, coords[0][1], coords[0][0])
            snap_b = haversine_km(lb, lob, coords[-1][1], coords[-1][0])
            if snap_a > SNAP_NOTE_KM:
                note.append(f"{a} snaps {snap_a:.0f} km to the sea network")
            if snap_b > SNAP_NOTE_KM:
                note.append(f"{b} snaps {snap_b:.0f} km to the sea network")
        except Exception as exc:  # searoute raises on unreachable points
            res["status"] = "skipped"
            note.append(f"searoute failed: {exc}")
            skipped += 1
        if res["dataset"] is not None and res["searoute"]:
            res["diff"] = (res["dataset"] - res["searoute"]) / res["searoute"] * 100.0
            if abs(res["diff"]) > THRESHOLD_PCT:
                if caspian:
                    res["status"] = "caspian"
                    caspian_over += 1
                    note.append("Caspian: reported, not failed (coarse searoute network)")
                else:
                    res["status"] = "FAIL"
                    failures += 1
                    note.append(f"differs by more than {THRESHOLD_PCT:.0f} %")
        elif res["dataset"] is None and res["status"] == "ok":
            res["status"] = "no-length"
            note.append("no length_km in the dataset (the model estimates it from the great circle)")
        if caspian and res["status"] in ("ok", "no-length"):
            note.append("Caspian link")
        res["note"] = "; ".join(note)
        results.append(res)

    compared = [r for r in results if r["diff"] is not None]
    lines = []
    lines.append("# Sea and ferry link lengths checked against searoute")
    lines.append("")
    lines.append(f"Generated by `tools/check_sea_lengths.py` on {datetime.date.today().isoformat()} "
                 f"from `{os.path.relpath(dataset, REPO_ROOT)}` with searoute "
                 f"{getattr(searoute, '__version__', '1.6.x')}. Do not edit by hand.")
    lines.append("")
    lines.append("For every link of mode `sea` or `ferry`, the dataset's `length_km` is compared with the "
                 "shortest path that the searoute package (Eurostat marnet network) finds between the two "
                 "endpoint coordinates. Links tagged `maritime-cape` are routed with "
                 "`restrictions=['suez', 'northwest', 'panama']` (this list replaces searoute's default "
                 "`['northwest']`); all others use the default. Difference % = (dataset − searoute) / searoute. "
                 f"A difference above {THRESHOLD_PCT:.0f} % fails the check.")
    lines.append("")
    lines.append("**Caspian caveat.** searoute's Caspian network is coarse: Alat snaps about 52 km away from "
                 "the port and Kuryk snaps to Aktau, so Caspian ferry lengths from published sailing distances "
                 "can differ a lot from searoute. Caspian links (class `caspian-ferry` or both endpoints in the "
                 "Caspian basin) are reported but never fail the check.")
    lines.append("")
    lines.append("## Summary")
    lines.append("")
    lines.append(f"- sea/ferry links found: {len(results)}")
    lines.append(f"- compared with searoute: {len(compared)}")
    within = sum(1 for r in compared if abs(r["diff"]) <= THRESHOLD_PCT)
    lines.append(f"- within ±{THRESHOLD_PCT:.0f} %: {within}")
    lines.append(f"- over {THRESHOLD_PCT:.0f} %, failing: {failures}")
    lines.append(f"- over {THRESHOLD_PCT:.0f} %, Caspian (reported only): {caspian_over}")
    lines.append(f"- without a dataset length: {sum(1 for r in results if r['status'] == 'no-length')}")
    lines.append(f"- skipped (missing endpoint or searoute error): {skipped}")
    if compared:
        worst = max(compared, key=lambda r: abs(r["diff"]))
        lines.append(f"- largest difference: `{worst['id']}` {worst['diff']:+.1f} %")
    lines.append(f"- result: **{'FAIL' if failures else 'PASS'}**")
    lines.append("")
    lines.append("## Links")
    lines.append("")
    lines.append("| link id | from | to | dataset km | searoute km | difference % | note |")
    lines.append("| --- | --- | --- | ---: | ---: | ---: | --- |")
    for r in sorted(results, key=lambda r: r["id"]):
        diff = "" if r["diff"] is None else f"{r['diff']:+.1f}"
        note = r["note"].replace("|", "\\|")
        if r["status"] == "FAIL":
            note = "**FAIL** " + note
        lines.append(f"| `{r['id']}` | {r['from']} | {r['to']} | {fmt_km(r['dataset'])} | "
                     f"{fmt_km(r['searoute'])} | {diff} | {note} |")
    lines.append("")

    out = os.environ.get("CARAVAN_SEA_REPORT") or os.path.join(REPO_ROOT, "docs", "sea-lengths.md")
    os.makedirs(os.path.dirname(out), exist_ok=True)
    with open(out, "w", encoding="utf-8") as f:
        f.write("\n".join(lines))
    print(f"check_sea_lengths: {len(results)} links, {len(compared)} compared, {failures} failing, "
          f"{caspian_over} Caspian over threshold, {skipped} skipped -> {os.path.relpath(out, os.getcwd())}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
