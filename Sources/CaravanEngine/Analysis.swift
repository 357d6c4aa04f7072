import Foundation
import CaravanModel

/// A weighted origin–destination pair (place indices).
public struct ODPair: Sendable, Hashable, Codable {
    /// Index of the origin place in the dataset's places.
    public var origin: Int
    /// Index of the destination place in the dataset's places.
    public var destination: Int
    /// Weight of the pair in weighted totals (1 unless the pairs file gives one).
    public var weight: Double
    /// Label from the pairs file's `group` column ("" when none).
    public var group: String
    /// Creates a pair from place indices (weight 1 and no group by default).
    public init(origin: Int, destination: Int, weight: Double = 1, group: String = "") {
        self.origin = origin; self.destination = destination; self.weight = weight; self.group = group
    }
}

/// What removing one place or link costs the O-D pairs.
public struct CriticalityItem: Sendable, Codable {
    /// Whether the removed item is a place or a link.
    public enum Kind: String, Sendable, Codable { case place, link }
    /// Whether the item is a place or a link.
    public var kind: Kind
    /// The place's or link's id in the dataset.
    public var id: String
    /// Display name: the place's name, or "From–To" for a link.
    public var name: String
    /// Weighted pairs whose best route used the item.
    public var pairsUsing: Int
    /// Increase of demand-weighted generalised cost (USD) over pairs that still have a route.
    public var addedCostUSD: Double
    /// Pairs left without any route (excluding pairs that start or end at a removed place).
    public var pairsLost: Int
    /// Weight of the lost pairs.
    public var weightLost: Double
    /// Up to three affected pairs, worst first, with what happens to them.
    public var examples: [String]
}

/// Result of a criticality analysis: every removed place and link, most critical first.
public struct CriticalityReport: Sendable, Codable {
    /// Date of the network snapshot.
    public var asOf: Day
    /// Number of O-D pairs analysed.
    public var pairs: Int
    /// Pairs that have a best route on the intact network.
    public var pairsRouted: Int
    /// One entry per removed place or link, ranked by weight lost, then by added cost.
    public var items: [CriticalityItem]
    /// Searches run (only the pairs whose best route used an item are re-routed).
    public var searches: Int
}

/// Share of best routes and ton-km through each country and place.
public struct HubShare: Sendable, Codable {
    /// Country id (`RouteEngine.seaID` for sea and ferry legs) or place id.
    public var id: String
    /// Display name of the country or place.
    public var name: String
    /// Share of the pair weight whose best route passes through it (0–1).
    public var routeShare: Double
    /// Share of the best routes' ton-km (km × pair weight) counted in it (0–1).
    public var tonKmShare: Double
}

/// Hub roles: shares of best routes and of ton-km through each country and each place.
public struct HubReport: Sendable, Codable {
    /// Date of the network snapshot.
    public var asOf: Day
    /// Pairs that have a best route.
    public var pairsRouted: Int
    /// Shares by country (sea legs under `RouteEngine.seaID`), largest route share first.
    public var countries: [HubShare]
    /// Shares by intermediate place (origins and destinations excluded), largest route share first.
    public var places: [HubShare]
}

extension RouteEngine {
    /// Removes each place and each link in turn (or those given) and re-routes the pairs whose
    /// best route used it. Runs on all cores; `progress` is called on the calling thread with
    /// (done, total) between batches.
    public func criticality(pairs: [ODPair], cargo: Cargo, weights: CostWeights, places placeFilter: [Int]? = nil, links linkFilter: [Int]? = nil,
                            includePlaces: Bool = true, includeLinks: Bool = true, progress: ((Int, Int) -> Void)? = nil) -> CriticalityReport {
        let ds = dataset, net = network
        let costs = edgeCosts(cargo: cargo, weights: weights)
        var ws = DijkstraWorkspace(nodeCount: net.stateCount)
        // Baseline: each pair's best path, its cost, and the edges and places it uses.
        var baseCost = [Double](repeating: .infinity, count: pairs.count)
        var usesEdge = [[Int32]](repeating: [], count: pairs.count)
        for (i, p) in pairs.enumerated() {
            guard let path = bestPath(from: p.origin, to: p.destination, costs: costs, mask: .max, workspace: &ws) else { continue }
            baseCost[i] = path.reduce(0) { $0 + costs.generalised[Int($1)] }
            usesEdge[i] = path
        }
        // Items: (kind, index, edges to disable).
        var items: [(CriticalityItem.Kind, Int, [Int32])] = []
        if includePlaces {
            for p in placeFilter ?? Array(ds.places.indices) { items.append((.place, p, net.edges(atPlace: p))) }
        }
        if includeLinks {
            for l in linkFilter ?? Array(ds.links.indices) where net.snapshot.links[l].available {
                items.append((.link, l, net.edges(ofLink: l)))
            }
        }
        // Which pairs each item affects: those whose path uses one of its edges.
        var pairsByEdge = [[Int32]](repeating: [], count: net.edgeCount)
        for (i, path) in usesEdge.enumerated() { for e in Set(path) { pairsByEdge[Int(e)].append(Int32(i)) } }
        let pairsByEdgeFinal = pairsByEdge, base = baseCost
        var results = [CriticalityItem?](repeating: nil, count: items.count)
        var searches = 0
        let workers = max(1, ProcessInfo.processInfo.activeProcessorCount)
        let batch = max(workers * 8, 32)
        var start = 0
        while start < items.count {
            let end = min(items.count, start + batch)
            let chunk = Array(items[start..<end])
            // Each lane owns its engine copy, workspace and results; merged in item order.
            let local = parallelLanes(count: chunk.count, workers: workers) { lane in
                var engine = self
                var wsw = DijkstraWorkspace(nodeCount: net.stateCount)
                return lane.map { k -> (item: CriticalityItem, runs: Int) in
                    let (kind, index, edges) = chunk[k]
                    var affected = Set<Int32>()
                    for e in edges { affected.formUnion(pairsByEdgeFinal[Int(e)]) }
                    engine.disable(edges)
                    var added = 0.0, lost = 0, weightLost = 0.0, runs = 0
                    var examples: [(Double, String)] = []
                    let removedPlace = kind == .place ? index : -1
                    for i32 in affected.sorted() {
                        let i = Int(i32), p = pairs[i]
                        if p.origin == removedPlace || p.destination == removedPlace { continue }
                        runs += 1
                        let label = "\(ds.places[p.origin].id)→\(ds.places[p.destination].id)"
                        if let path = engine.bestPath(from: p.origin, to: p.destination, costs: costs, mask: .max, workspace: &wsw) {
                            let c = path.reduce(0) { $0 + costs.generalised[Int($1)] }
                            added += p.weight * (c - base[i])
                            examples.append((c - base[i], "\(label) +\(Int((c - base[i]).rounded())) USD"))
                        } else {
                            lost += 1; weightLost += p.weight
                            examples.append((.infinity, "\(label) loses every route"))
                        }
                    }
                    engine.restore(edges)
                    let name = kind == .place ? ds.places[index].name : "\(ds.places[ds.placeIndex[ds.links[index].from]!].name)–\(ds.places[ds.placeIndex[ds.links[index].to]!].name)"
                    return (CriticalityItem(kind: kind, id: kind == .place ? ds.places[index].id : ds.links[index].id, name: name,
                                            pairsUsing: affected.count, addedCostUSD: added, pairsLost: lost, weightLost: weightLost,
                                            examples: examples.sorted { $0.0 > $1.0 }.prefix(3).map(\.1)), runs)
                }
            }
            for k in 0..<chunk.count { results[start + k] = local[k].item }
            searches += local.reduce(0) { $0 + $1.runs }
            start = end
            progress?(end, items.count)
        }
        let ranked = results.compactMap { $0 }.sorted {
            ($0.weightLost, $0.addedCostUSD, $1.id) > ($1.weightLost, $1.addedCostUSD, $0.id)
        }
        return CriticalityReport(asOf: net.snapshot.day, pairs: pairs.count, pairsRouted: baseCost.filter(\.isFinite).count, items: ranked,
                                 searches: searches + pairs.count)
    }

    /// Removes edges from searches (criticality); `restore` puts them back.
    public mutating func disable(_ edges: [Int32]) { network.disable(edges: edges) }
    /// Puts back edges removed by `disable`, with the masks of the snapshot.
    public mutating func restore(_ edges: [Int32]) { network.restore(edges: edges) }

    /// The pseudo-country of sea and ferry legs in hub reports.
    public static let seaID = "SEA"

    /// Shares of best routes and of ton-km that pass through each country and each place
    /// (origins and destinations excluded for places), weighted by pair weight.
    public func hubs(pairs: [ODPair], cargo: Cargo, weights: CostWeights) -> HubReport {
        let ds = dataset
        var routeW: [String: Double] = [:], tkm: [String: Double] = [:], placeW: [String: Double] = [:], placeTkm: [String: Double] = [:]
        var totalW = 0.0, totalTkm = 0.0, routed = 0
        let costs = edgeCosts(cargo: cargo, weights: weights)
        var ws = DijkstraWorkspace(nodeCount: network.stateCount)
        for p in pairs {
            guard let r = best(from: p.origin, to: p.destination, costs: costs, cargo: cargo, weights: weights, corridor: nil, workspace: &ws) else { continue }
            routed += 1; totalW += p.weight
            var countries = Set<String>(), places = Set<String>()
            for leg in r.legs {
                let seq = [leg.from] + leg.via + [leg.to]
                for id in seq { if let pl = ds.place(id) { countries.insert(pl.country) } }
                for id in seq where id != r.origin && id != r.destination { places.insert(id) }
                for lid in leg.links {
                    guard let l = ds.link(lid), let a = ds.place(l.from), let b = ds.place(l.to) else { continue }
                    let km = network.snapshot.links[ds.linkIndex[lid]!].lengthKm * p.weight
                    totalTkm += km
                    // Sea and ferry ton-km are outside any country; land links across a border are split.
                    if l.mode.isWater { tkm[Self.seaID, default: 0] += km }
                    else if a.country == b.country { tkm[a.country, default: 0] += km } else { tkm[a.country, default: 0] += km / 2; tkm[b.country, default: 0] += km / 2 }
                    for id in [l.from, l.to] where places.contains(id) { placeTkm[id, default: 0] += km / 2 }
                }
            }
            if r.legs.contains(where: { $0.mode.isWater }) { countries.insert(Self.seaID) }
            for c in countries { routeW[c, default: 0] += p.weight }
            for id in places { placeW[id, default: 0] += p.weight }
        }
        func shares(_ w: [String: Double], _ t: [String: Double], name: (String) -> String) -> [HubShare] {
            w.keys.map { HubShare(id: $0, name: name($0), routeShare: totalW > 0 ? w[$0]! / totalW : 0, tonKmShare: totalTkm > 0 ? (t[$0] ?? 0) / totalTkm : 0) }
                .sorted { ($0.routeShare, $0.tonKmShare, $1.id) > ($1.routeShare, $1.tonKmShare, $0.id) }
        }
        return HubReport(asOf: network.snapshot.day, pairsRouted: routed,
                         countries: shares(routeW, tkm) { $0 == Self.seaID ? "at sea (no country)" : ds.country($0)?.name ?? $0 },
                         places: shares(placeW, placeTkm) { ds.place($0)?.name ?? $0 })
    }
}
