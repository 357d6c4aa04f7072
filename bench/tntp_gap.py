#!/usr/bin/env python3
"""Relative gap of given link flows on a TNTP network, computed from the raw files:
(TSTT - SPTT) / TSTT with BPR link costs at the flows, shortest paths by scipy's
Dijkstra, zones (below FIRST THRU NODE) never passed through. Used by
bench/assignment.sh to check every tool's reported gap independently.

usage: tntp_gap.py NET_FILE TRIPS_FILE FLOWS_FILE   (FLOWS_FILE: one flow per line, in link order)
"""
import sys
import numpy as np
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import dijkstra


def read_net(path):
    rows, meta, body = [], {}, False
    for line in open(path):
        if not body:
            if line.startswith("<"):
                meta[line[1:line.index(">")]] = line[line.index(">") + 1:].strip()
            if "<END OF METADATA>" in line:
                body = True
            continue
        f = line.split("~")[0].split(";")[0].split()
        if len(f) >= 10:
            rows.append([int(f[0]), int(f[1]), float(f[2]), float(f[4]), float(f[5]), float(f[6])])
    return np.array(rows), int(meta["NUMBER OF ZONES"].split()[0]), int(meta["FIRST THRU NODE"].split()[0]), int(meta["NUMBER OF NODES"].split()[0])


def read_trips(path, zones):
    m, o, body = np.zeros((zones, zones)), None, False
    for line in open(path):
        if not body:
            body = "<END OF METADATA>" in line
            continue
        line = line.split("~")[0].strip()
        if not line:
            continue
        if line.startswith("Origin"):
            o = int(line.split()[1]) - 1
            continue
        for e in line.split(";"):
            if ":" in e:
                d, q = e.split(":")
                m[o, int(d) - 1] = float(q)
    return m


def gap(net_file, trips_file, flows):
    net, zones, ftn, nodes = read_net(net_file)
    tail, head = net[:, 0].astype(int) - 1, net[:, 1].astype(int) - 1
    cap, fft, b, p = net[:, 2], net[:, 3], net[:, 4], net[:, 5]
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.where(cap > 0, flows / np.where(cap > 0, cap, 1), 0.0)
    cost = fft * (1 + np.where(cap > 0, b, 0) * np.power(ratio, p, where=ratio > 0, out=np.zeros_like(ratio)))
    tstt = float(np.sum(flows * cost))
    dem = read_trips(trips_file, zones)
    # Arcs into a zone go to its own sink copy, so no path passes through a zone.
    blocked = ftn > 1
    h = np.where(blocked & (head < zones), nodes + head, head)
    # Parallel links: keep the cheapest (scipy sums duplicates otherwise).
    order = np.lexsort((cost, h, tail))
    seen, keep = set(), []
    for i in order:
        k = (tail[i], h[i])
        if k not in seen:
            seen.add(k)
            keep.append(i)
    keep = np.array(keep)
    g = csr_matrix((cost[keep] + 1e-300, (tail[keep], h[keep])), shape=(nodes + zones, nodes + zones))
    origins = [o for o in range(zones) if dem[o].sum() > 0]
    dist = dijkstra(g, indices=origins)
    sptt = 0.0
    for i, o in enumerate(origins):
        targets = np.arange(zones)
        cols = nodes + targets if blocked else targets
        d = dist[i, cols]
        d[o] = 0.0
        sptt += float(np.sum(dem[o] * np.where(dem[o] > 0, d, 0)))
    return (tstt - sptt) / tstt, tstt, sptt


if __name__ == "__main__":
    flows = np.loadtxt(sys.argv[3])
    g, tstt, sptt = gap(sys.argv[1], sys.argv[2], flows)
    print("%.6e" % g)
