#!/usr/bin/env python3
"""Markdown residual table for docs/calibration.md from `caravan calibration --format json`.

Usage: swift run -c release caravan calibration --format json | python3 tools/calibration_table.py [DATASET_DIR]
Sources are looked up in DATASET_DIR/sources*.csv (default data/eurasia)."""
import csv, glob, json, os, sys

folder = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "..", "data", "eurasia")
sources = {}
for path in glob.glob(os.path.join(folder, "sources*.csv")):
    with open(path, encoding="utf-8") as f:
        rows = [l for l in f if not l.startswith("#")]
    for r in csv.DictReader(rows):
        sources[r["id"]] = r

def cite(sid):
    s = sources.get(sid)
    if s is None:
        return sid
    if s["kind"] == "estimate":
        return "estimate: " + s["title"][:100]
    label = f'{s["publisher"]} {s["year"]}'.strip()
    return f'[{label}]({s["url"]})' if s["url"] else label

print("| observation | family | O → D | date | weight | published days | model days | error | general dwell days | source |")
print("| --- | --- | --- | --- | ---: | ---: | ---: | ---: | ---: | --- |")
for r in json.load(sys.stdin):
    model = f'{r["modelDays"]:.1f}' if r.get("modelDays") is not None else "no route"
    if r.get("driversInferred"):
        model += " (crew of 2, inferred)"
    if r.get("service") == "express":
        model += " (express)"
    err = f'{r["errorPercent"]:.1f}%' if r.get("errorPercent") is not None else "-"
    general = f'{r["generalDwellDays"]:.1f}' if r.get("generalDwellDays") is not None else "-"
    if r["weight"] == 0:
        err += " (forecast, not scored)"
    print(f'| {r["id"]} | {r["family"]} | {r["origin"]} → {r["destination"]} | {r["date"]} | {r["weight"]:g} | '
          f'{r["publishedDays"]:.1f} | {model} | {err} | {general} | {"; ".join(cite(s) for s in r["sources"])} |')
