#!/usr/bin/env python3
"""Generate data/eurasia/land-mask.csv: where there is land, on a 0.1-degree grid.

Caravan joins a city off the network to its nearest terminals by road (first and last mile).
The mask lets it refuse a road leg whose straight line crosses open sea (Dubai to Bandar Abbas
across the Strait of Hormuz), see FirstLastMile.maxWaterKm.

A cell is land when its centre lies inside any country polygon of Natural Earth 1:50m Admin 0
(even-odd rule per polygon, holes included); inland seas (the Caspian) are water, lakes inside
a country polygon are land. Then water gaps narrower than about 20 km are closed (a morphological
closing with a disc of CLOSE_KM = 13 km), so that the straits a road crosses by bridge, tunnel or a
short ferry join their shores (Bosphorus, Messina, Kerch, the Great Belt, Fehmarn, Gibraltar),
while the Dover Strait (33 km) and the Strait of Hormuz (about 39 km) stay open; the Channel Tunnel
(FIXED_LINKS) is then drawn as land, so Great Britain joins the continent by its one fixed link, and
North Korea is left out (NO_TRANSIT), so no road leg from South Korea crosses it. Rows are latitude
bands of 0.1 degree from 15 S to 85 N; each lists its land as runs of longitude 'from to' (degrees,
west edge of the first cell to the east edge of the last), over 30 W to 180 E: the gazetteer's extent.

Data: Natural Earth (public domain, https://www.naturalearthdata.com), GeoJSON conversion by
martynafford/natural-earth-geojson (CC0). Needs numpy and scipy. Usage:
  python3 tools/land_mask.py ../shared/data/naturalearth/ne_50m_admin_0_countries.geojson [OUT]
"""
import json
import math
import sys
from collections import defaultdict

import numpy as np
from scipy.ndimage import distance_transform_edt, maximum_filter1d, minimum_filter1d

STEP = 0.1
LAT0, LAT1 = -15.0, 85.0
LON0, LON1 = -30.0, 180.0
SOURCE = "g-naturalearth-50m-land"
CLOSE_KM = 13.0
# Countries whose territory is left out: no road transit through them (source id of the stated method).
NO_TRANSIT = {"PRK": "g-est-no-transit-prk"}
# Fixed links wider than the closing fills, drawn as land from portal to portal: (source id, (lat, lon), (lat, lon)).
FIXED_LINKS = [
    ("g-viacombi-channel-tunnel", (51.0971, 1.1558), (50.9228, 1.7804)),   # Channel Tunnel, Folkestone-Coquelles, 50 km, lorry shuttles since 1994
]
KM_PER_DEG = 111.195


def close_gaps(land):
    """Morphological closing with a disc of CLOSE_KM (cells narrower east-west towards the poles)."""
    rows, cols = land.shape
    ry = int(CLOSE_KM // (KM_PER_DEG * STEP))

    def reach(r, dy):
        lat = LAT0 + (r + 0.5) * STEP
        left = CLOSE_KM ** 2 - (dy * KM_PER_DEG * STEP) ** 2
        if left < 0:
            return None
        return int(math.sqrt(left) // (KM_PER_DEG * STEP * max(0.05, math.cos(math.radians(lat)))))

    def morph(a, filt, combine, init):
        out = np.full_like(a, init)
        for r in range(rows):
            acc = np.full(cols, init, dtype=bool)
            for dy in range(-ry, ry + 1):
                rr = r + dy
                rx = reach(r, dy)
                if rx is None:
                    continue
                src = a[rr] if 0 <= rr < rows else np.full(cols, init, dtype=bool)
                acc = combine(acc, filt(src, size=2 * rx + 1, mode="constant", cval=init))
            out[r] = acc
        return out

    dilated = morph(land, maximum_filter1d, np.logical_or, False)
    closed = morph(dilated, minimum_filter1d, np.logical_and, True)
    return land | closed


def rings(geometry):
    polys = geometry["coordinates"] if geometry["type"] == "MultiPolygon" else [geometry["coordinates"]]
    return polys


# Natural Earth gives ISO_A2 -99 for these.
CODES = {"FRA": "FR", "NOR": "NO", "KOS": "XK", "SOL": "SO", "CYN": "CY"}


def country_code(props):
    """ISO 3166-1 alpha-2 of a Natural Earth feature; None for territories without one (Siachen Glacier)."""
    code = props.get("ISO_A2")
    return code if code not in (None, "-99") else CODES.get(props.get("ADM0_A3"))


def scan(poly, rows, cols):
    """The cells whose centres lie inside a polygon (outer ring and holes, even-odd rule): (row, first col, last col) runs."""
    hits = defaultdict(list)
    for ring in poly:
        for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1]):
            if y1 == y2:
                continue
            lo, hi = min(y1, y2), max(y1, y2)
            r0 = max(0, math.ceil((lo - LAT0) / STEP - 0.5))
            r1 = min(rows - 1, math.floor((hi - LAT0) / STEP - 0.5))
            for r in range(r0, r1 + 1):
                y = LAT0 + (r + 0.5) * STEP
                if lo <= y < hi:
                    hits[r].append(x1 + (y - y1) * (x2 - x1) / (y2 - y1))
    for r, xs in hits.items():
        xs.sort()
        for a, b in zip(xs[0::2], xs[1::2]):
            c0 = max(0, math.ceil((a - LON0) / STEP - 0.5))
            c1 = min(cols - 1, math.floor((b - LON0) / STEP - 0.5))
            if c0 <= c1:
                yield r, c0, c1


def main():
    src = sys.argv[1]
    out = sys.argv[2] if len(sys.argv) > 2 else "data/eurasia/land-mask.csv"
    rows = round((LAT1 - LAT0) / STEP)
    cols = round((LON1 - LON0) / STEP)
    land = [bytearray(cols) for _ in range(rows)]
    owner = np.zeros((rows, cols), dtype=np.int16)   # 1 + index in codes of the cell's country, 0 for none
    codes = []
    features = json.load(open(src))["features"]
    left_out = defaultdict(set)   # row -> sources of the territories left out there
    for f in features:
        skip = NO_TRANSIT.get(f["properties"].get("ADM0_A3"))
        if skip:
            for poly in rings(f["geometry"]):
                for ring in poly:
                    for _, y in ring:
                        left_out[int((y - LAT0) / STEP)].add(skip)
            continue
        code = country_code(f["properties"])
        if code and code not in codes:
            codes.append(code)
        k = codes.index(code) + 1 if code else 0
        for poly in rings(f["geometry"]):
            for r, c0, c1 in scan(poly, rows, cols):
                for c in range(c0, c1 + 1):
                    land[r][c] = 1
                owner[r, c0:c1 + 1] = k
    land = close_gaps(np.array([list(r) for r in land], dtype=bool))
    cited = defaultdict(list)
    for source, (lat1, lon1), (lat2, lon2) in FIXED_LINKS:
        for i in range(201):
            lat, lon = lat1 + (lat2 - lat1) * i / 200, lon1 + (lon2 - lon1) * i / 200
            r, c = int((lat - LAT0) / STEP), int((lon - LON0) / STEP)
            land[r, c] = True
            if source not in cited[r]:
                cited[r].append(source)
    # Cells land only by the closing or a fixed link (straits, the tunnel) belong to the nearest country's cell.
    _, (ir, ic) = distance_transform_edt(owner == 0, return_indices=True)
    owner = np.where(land, owner[ir, ic], 0)
    with open(out, "w") as fh:
        fh.write("# Land on a 0.1-degree grid, 15 S to 85 N and 30 W to 180 E: a cell is land when its centre lies in a country polygon of\n")
        fh.write("# Natural Earth 1:50m Admin 0 (public domain), with water gaps under about 20 km closed (straits crossed by bridge, tunnel or\n")
        fh.write("# short ferry), the Channel Tunnel drawn as land and North Korea left out (no transit). Generated by tools/land_mask.py:\n")
        fh.write("# do not edit by hand. First- and last-mile road legs follow it (FirstLastMile).\n")
        fh.write("# lon_runs: 'from to' pairs of longitudes separated by ';' (cell edges, degrees); countries: the ISO 3166-1 alpha-2 code of\n")
        fh.write("# each run (a strait's closed cells take the nearest country's): a first or last mile crosses one border at most.\n")
        fh.write("lat_from,lat_to,lon_runs,countries,source\n")
        for r in range(rows):
            runs, names, c = [], [], 0
            row = owner[r]
            while c < cols:
                if land[r, c]:
                    s, k = c, row[c]
                    while c < cols and land[r, c] and row[c] == k:
                        c += 1
                    runs.append(f"{LON0 + s * STEP:.1f} {LON0 + c * STEP:.1f}")
                    names.append(codes[k - 1])
                else:
                    c += 1
            if runs:
                sources = [SOURCE] + cited[r] + sorted(left_out.get(r, ()))
                fh.write(f"{LAT0 + r * STEP:.1f},{LAT0 + (r + 1) * STEP:.1f},{';'.join(runs)},{';'.join(names)},{';'.join(sources)}\n")


if __name__ == "__main__":
    main()
