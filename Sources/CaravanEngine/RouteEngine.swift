import CaravanModel

/// Per-edge criteria for one cargo and one weighting, computed from the compiled
/// per-unit arrays in one pass.
public struct EdgeCosts: Sendable {
    /// Days of each edge.
    public var days: [Double]
    /// USD of each edge for the cargo (TEU tariffs for containers, per-tonne tariffs for tonnes).
    public var usd: [Double]
    /// kg CO2e of each edge for the cargo (moving plus handling).
    public var co2eKg: [Double]
    /// Generalised cost of each edge, USD: USD + value of time × TEU-eq × days + carbon price × t CO2e.
    public var generalised: [Double]
}

/// The best route of one corridor, or why there is none.
public struct CorridorResult: Sendable, Codable {
    /// The corridor's id.
    public var corridor: String
    /// The corridor's display name.
    public var name: String
    /// The best route using only the corridor's links; nil when there is none.
    public var route: Route?
    /// Why the corridor has no route (links not yet open, or closed); nil when it has one.
    public var reason: String?
    /// Median and 90th percentile of the transit time (Monte Carlo), when computed.
    public var p50Days: Double?
    /// 90th percentile of the transit time in days (Monte Carlo), when computed.
    public var p90Days: Double?
}

/// Answers route queries over a compiled network: best route by generalised cost,
/// the Pareto set over (days, USD, CO2e), and the best route per corridor.
public struct RouteEngine: Sendable {
    /// The compiled network the engine searches.
    public internal(set) var network: CompiledNetwork
    /// The dataset of the network's snapshot.
    public var dataset: Dataset { network.snapshot.dataset }

    /// Creates an engine over a compiled network.
    public init(_ network: CompiledNetwork) { self.network = network }

    /// Re-targets the engine to another snapshot of the same structure by patching the
    /// compiled arrays (see `CompiledNetwork.retarget`); false when it must be recompiled.
    @discardableResult
    public mutating func retarget(to snapshot: NetworkSnapshot) -> Bool { network.retarget(to: snapshot) }
    /// Compiles the dataset as of the day and creates an engine over it.
    public init(dataset: Dataset, day: Day) { self.init(CompiledNetwork(NetworkSnapshot(dataset: dataset, day: day))) }

    /// Per-edge days, USD, kg CO2e and generalised cost for one cargo and weighting.
    public func edgeCosts(cargo: Cargo, weights: CostWeights) -> EdgeCosts {
        let p = dataset.parameters
        let teu = cargo.teuEquivalents(p), tonnes = cargo.tonnes(p)
        let n = network.edgeCount
        var days = [Double](repeating: 0, count: n), usd = days, co2 = days, gc = days
        let containers = cargo.unit != .tonnes
        let vot = weights.valueOfTimeUSDPerTEUDay * teu, cp = weights.carbonPriceUSDPerTonne / 1000
        for e in 0..<n {
            days[e] = network.timeDays[e]
            usd[e] = containers ? teu * network.usdPerTEU[e] : tonnes * network.usdPerTonne[e]
            co2[e] = tonnes * network.co2eKgPerTonne[e] + teu * network.co2eKgPerTEU[e]
            gc[e] = usd[e] + vot * days[e] + cp * co2[e] + teu * network.riskUSDPerTEU[e]
        }
        return EdgeCosts(days: days, usd: usd, co2eKg: co2, generalised: gc)
    }

    /// Corridor bit mask; `.max` for "any corridor".
    public func mask(corridor: String?) -> UInt64 {
        guard let corridor, let i = dataset.corridorIndex[corridor] else { return .max }
        return UInt64(1) << UInt64(i)
    }

    func sourcesAndTargets(_ origin: Int, _ destination: Int) -> ([(Int, Double)], [Bool]) {
        var isTarget = [Bool](repeating: false, count: network.stateCount)
        for s in network.arrivingStates(ofPlace: destination) { isTarget[Int(s)] = true }
        return (network.departingStates(ofPlace: origin).map { (Int($0), 0.0) }, isTarget)
    }

    /// The route minimising generalised cost, optionally within one corridor and through `via`
    /// places in order.
    public func best(from origin: Int, via: [Int] = [], to destination: Int, cargo: Cargo, weights: CostWeights, corridor: String? = nil) -> Route? {
        var ws = DijkstraWorkspace(nodeCount: network.stateCount)
        return best(from: origin, via: via, to: destination, costs: edgeCosts(cargo: cargo, weights: weights), cargo: cargo, weights: weights,
                    corridor: corridor, workspace: &ws)
    }

    /// As `best`, reusing precomputed edge costs and a workspace (for many queries).
    public func best(from origin: Int, via: [Int] = [], to destination: Int, costs: EdgeCosts, cargo: Cargo, weights: CostWeights,
                     corridor: String?, workspace ws: inout DijkstraWorkspace) -> Route? {
        guard let path = bestPath(from: origin, via: via, to: destination, costs: costs, mask: mask(corridor: corridor), workspace: &ws) else { return nil }
        return route(path: path, origin: origin, destination: destination, cargo: cargo, weights: weights, corridor: corridor)
    }

    /// Edge path of the cheapest route by generalised cost, or nil when unreachable. With `via`
    /// places, each stretch is searched from the state the previous one arrived in, so a
    /// transfer at a via place is charged on the stretch that leaves it.
    public func bestPath(from origin: Int, via: [Int] = [], to destination: Int, costs: EdgeCosts, mask: UInt64, workspace ws: inout DijkstraWorkspace) -> [Int32]? {
        if origin == destination && via.isEmpty { return [] }
        var sources = network.departingStates(ofPlace: origin).map { (Int($0), 0.0) }
        var path: [Int32] = []
        for target in via + [destination] {
            var isTarget = [Bool](repeating: false, count: network.stateCount)
            for s in network.arrivingStates(ofPlace: target) { isTarget[Int(s)] = true }
            let found: Int? = costs.generalised.withUnsafeBufferPointer { w in
                network.corridorMask.withUnsafeBufferPointer { m in
                    ws.search(network.graph, weights: w, sources: sources, isTarget: isTarget, filter: MaskedEdges(masks: m, mask: mask))
                }
            }
            guard let t = found else { return nil }
            let start = path.count
            var v = t
            while ws.parent(v) >= 0 {
                let e = ws.parent(v)
                path.append(e)
                v = Int(network.tailOf(edge: Int(e)))
            }
            path[start...].reverse()
            sources = [(t, 0)]
        }
        return path
    }

    /// All routes not dominated in (days, USD, kg CO2e), sorted by days then USD.
    public func pareto(from origin: Int, to destination: Int, cargo: Cargo, weights: CostWeights, corridor: String? = nil) -> [Route] {
        if origin == destination { return [] }
        let costs = edgeCosts(cargo: cargo, weights: weights)
        let (sources, isTarget) = sourcesAndTargets(origin, destination)
        let m = mask(corridor: corridor), masks = network.corridorMask
        // Key weights only order the settling; any strictly positive values are exact.
        let paths = ParetoSearch.run(graph: network.graph, a: costs.days, b: costs.usd, c: costs.co2eKg, key: (100, 1, 0.1),
                                     sources: sources.map(\.0), isTarget: isTarget, allowed: { masks[$0] & m != 0 })
        return paths.map { route(path: $0, origin: origin, destination: destination, cargo: cargo, weights: weights, corridor: corridor) }
            .sorted { ($0.totals.days, $0.totals.usd, $0.totals.co2eKg) < ($1.totals.days, $1.totals.usd, $1.totals.co2eKg) }
    }

    /// The best route of each corridor, in the dataset's corridor order.
    public func compare(from origin: Int, to destination: Int, cargo: Cargo, weights: CostWeights) -> [CorridorResult] {
        let costs = edgeCosts(cargo: cargo, weights: weights)
        var ws = DijkstraWorkspace(nodeCount: network.stateCount)
        return dataset.corridors.map { c in
            if let r = best(from: origin, to: destination, costs: costs, cargo: cargo, weights: weights, corridor: c.id, workspace: &ws) {
                return CorridorResult(corridor: c.id, name: c.name, route: r, reason: nil)
            }
            return CorridorResult(corridor: c.id, name: c.name, route: nil,
                                  reason: explainMissingCorridor(c.id, from: origin, to: destination, costs: costs, workspace: &ws))
        }
    }

    /// Why the corridor has no route between these places on the snapshot's date: the links
    /// not in service on the corridor's cheapest route if they were (fewest such links first),
    /// or that the corridor does not connect the places even with all its links.
    public func explainMissingCorridor(_ corridor: String, from origin: Int, to destination: Int) -> String {
        var ws = DijkstraWorkspace(nodeCount: network.stateCount)
        return explainMissingCorridor(corridor, from: origin, to: destination, costs: edgeCosts(cargo: Cargo(), weights: .defaults(dataset.parameters)), workspace: &ws)
    }

    /// As `explainMissingCorridor(_:from:to:)`, reusing edge costs and a workspace.
    public func explainMissingCorridor(_ corridor: String, from origin: Int, to destination: Int, costs: EdgeCosts, workspace ws: inout DijkstraWorkspace) -> String {
        let bit = mask(corridor: corridor), snap = network.snapshot
        var masks = network.corridorMask, weights = costs.generalised
        // Edges of links out of service enter at a price above any route in service, so the
        // search uses as few of them as it can.
        let outOfService = 1e12
        for (i, why) in snap.unavailable where snap.links[i].corridorMask & bit != 0 {
            if case .closedSince = why { continue }   // an earlier version of a link, superseded
            for e in network.edges(ofLink: i) {
                masks[Int(e)] = bit; weights[Int(e)] += outOfService
            }
        }
        let (sources, isTarget) = sourcesAndTargets(origin, destination)
        let found: Int? = weights.withUnsafeBufferPointer { w in
            masks.withUnsafeBufferPointer { m in ws.search(network.graph, weights: w, sources: sources, isTarget: isTarget, filter: MaskedEdges(masks: m, mask: bit)) }
        }
        guard let target = found else { return "the corridor does not connect these places" }
        var used: [Int] = []
        var v = target
        while ws.parent(v) >= 0 {
            let e = Int(ws.parent(v))
            let k = network.edgeKind[e]
            if k == .linkForward || k == .linkBackward, snap.unavailable[Int(network.edgeRef[e])] != nil, !used.contains(Int(network.edgeRef[e])) {
                used.append(Int(network.edgeRef[e]))
            }
            v = Int(network.tailOf(edge: e))
        }
        guard !used.isEmpty else { return explainMissingCorridor(corridor) }
        var closed: [String] = [], notYet: [String] = []
        for i in used.reversed() {
            let id = dataset.links[i].id
            switch snap.unavailable[i]! {
            case .notYetOpen(let d): notYet.append(id + (d.map { " (opens \($0))" } ?? " (no opening date)"))
            case .closedSince: continue
            case .closedByMeasure(let m): closed.append("\(id) (\(dataset.measures.first { $0.id == m }?.name ?? m))")
            }
        }
        var parts: [String] = []
        if !closed.isEmpty { parts.append("closed: " + closed.prefix(3).joined(separator: ", ") + (closed.count > 3 ? ", …" : "")) }
        if !notYet.isEmpty { parts.append("not yet open: " + notYet.prefix(3).joined(separator: ", ") + (notYet.count > 3 ? ", …" : "")) }
        return parts.joined(separator: "; ")
    }

    /// Why a corridor has no route on the snapshot's date, whatever the places: its links not yet
    /// open or closed.
    public func explainMissingCorridor(_ corridor: String) -> String {
        var notYet: [(Day?, String)] = [], closed: [String] = []
        for (i, why) in network.snapshot.unavailable.sorted(by: { $0.key < $1.key }) {
            let link = dataset.links[i]
            guard case .only(let ids) = link.corridors, ids.contains(corridor) else { continue }
            switch why {
            case .notYetOpen(let d): notYet.append((d, link.id))
            case .closedSince: continue   // an earlier version of a link (e.g. before an upgrade), not a gap
            case .closedByMeasure(let m): closed.append("\(link.id) (\(dataset.measures.first { $0.id == m }?.name ?? m))")
            }
        }
        var parts: [String] = []
        if !closed.isEmpty { parts.append("closed: " + closed.prefix(3).joined(separator: ", ") + (closed.count > 3 ? ", …" : "")) }
        if !notYet.isEmpty {
            // Links specific to this corridor first: they say most about why it is missing.
            func tagCount(_ id: String) -> Int { if case .only(let t) = dataset.link(id)?.corridors { return t.count }; return 99 }
            notYet.sort { (tagCount($0.1), $0.0 ?? Day(daysSinceEpoch: Int.max), $0.1) < (tagCount($1.1), $1.0 ?? Day(daysSinceEpoch: Int.max), $1.1) }
            let dated = notYet.compactMap(\.0).max()
            parts.append("not yet open: " + notYet.prefix(3).map(\.1).joined(separator: ", ") + (notYet.count > 3 ? ", …" : "")
                         + (dated.map { " (all planned links open by \($0))" } ?? " (no opening date)"))
        }
        return parts.isEmpty ? "the corridor does not connect these places" : parts.joined(separator: "; ")
    }

    /// Places reachable from a place (forward), as place indices.
    public func reachablePlaces(from origin: Int) -> Set<Int> {
        var seen = [Bool](repeating: false, count: network.stateCount)
        var stack = network.states(ofPlace: origin).map(Int.init)
        for s in stack { seen[s] = true }
        var places: Set<Int> = [origin]
        while let u = stack.popLast() {
            places.insert(Int(network.statePlace[u]))
            for e in Int(network.graph.firstOut[u])..<Int(network.graph.firstOut[u + 1]) where network.corridorMask[e] != 0 {
                let v = Int(network.graph.head[e])
                if !seen[v] { seen[v] = true; stack.append(v) }
            }
        }
        return places
    }

    /// A sentence saying which part of the network each end can reach.
    public func explainNoRoute(from origin: Int, to destination: Int) -> String {
        let ds = dataset
        let fromSet = reachablePlaces(from: origin), toSet = reachablePlaces(from: destination)
        func countries(_ s: Set<Int>) -> String { Set(s.map { ds.places[$0].country }).sorted().joined(separator: " ") }
        let o = ds.places[origin], d = ds.places[destination]
        func inService(_ p: Int) -> Bool {
            network.edges(atPlace: p).contains { e in
                let k = network.edgeKind[Int(e)]
                return (k == .linkForward || k == .linkBackward) && network.corridorMask[Int(e)] != 0
            }
        }
        // An end without links in service: say what closed them (a measure shuts its first or last mile's border).
        func closedEnd(_ p: Place) -> String {
            let snap = network.snapshot
            let measures = Set(ds.links.indices.compactMap { i -> String? in
                guard ds.links[i].from == p.id || ds.links[i].to == p.id, case .closedByMeasure(let m)? = snap.unavailable[i] else { return nil }
                return m
            }).sorted()
            let why = measures.map { id in ds.measures.first { $0.id == id }.map { "\($0.name) (measure \(id))" } ?? "measure \(id)" }
            // Ferry lines in service that take no road vehicles (a truck's only way out here, e.g. a container feeder).
            let noTrucks = ds.links.indices.filter { i in
                (ds.links[i].from == p.id || ds.links[i].to == p.id) && snap.links[i].available && !snap.links[i].carriesRoadVehicles
            }.map { "\(ds.place(ds.links[$0].from)?.name ?? ds.links[$0].from)–\(ds.place(ds.links[$0].to)?.name ?? ds.links[$0].to) (\(ds.links[$0].id))" }
            return "\(p.name) has no link in service on \(snap.day)" + (why.isEmpty ? "" : ": closed by \(why.joined(separator: "; "))")
                + (noTrucks.isEmpty ? "" : "; its ferry \(noTrucks.joined(separator: ", ")) takes no trucks then (ferries.csv trucks_per_sailing 0)")
        }
        if !inService(origin) { return closedEnd(o) }
        if !inService(destination) { return closedEnd(d) }
        // Connected over the whole network: what the request restricts (a corridor, places to pass) is the reason.
        if fromSet.contains(destination) {
            return "\(o.name) and \(d.name) are connected on \(network.snapshot.day); the corridor or the places to pass leave no route between them"
        }
        // Closures in force between a country of either part (e.g. a mountain pass shut for the winter).
        let a = Set(fromSet.map { ds.places[$0].country }), b = Set(toSet.map { ds.places[$0].country })
        let day = network.snapshot.day
        let between = ds.measures.filter { m in
            guard m.closed, m.inForce(on: day), case .pair(let x, let y) = m.scope else { return false }
            return (a.contains(x) && b.contains(y)) || (a.contains(y) && b.contains(x))
        }.map { "\($0.name) (measure \($0.id))" }
        return "\(o.name) reaches \(fromSet.count) places (countries: \(countries(fromSet))); \(d.name) is in a part of "
            + "\(toSet.count) places (countries: \(countries(toSet))) with no link in service between them on \(day)"
            + (between.isEmpty ? "" : "; closed between them: \(between.joined(separator: "; "))")
    }

    // MARK: - Route reconstruction

    /// Builds legs, stops and totals from an edge path.
    public func route(path: [Int32], origin: Int, destination: Int, cargo: Cargo, weights: CostWeights, corridor: String?) -> Route {
        let ds = dataset, p = ds.parameters, net = network
        let teu = cargo.teuEquivalents(p), tonnes = cargo.tonnes(p), containers = cargo.unit != .tonnes
        var legs: [RouteLeg] = [], stops: [RouteStop] = [], borders: [BorderCost] = []
        var risk = 0.0
        var open = false
        var routeMask = UInt64.max
        var driving: [Double] = []   // per leg: truck driving hours, timed by the drivers' clock below
        for e32 in path {
            let e = Int(e32)
            switch net.edgeKind[e] {
            case .linkForward, .linkBackward:
                let r = net.snapshot.links[Int(net.edgeRef[e])]
                let link = ds.links[r.index]
                let forward = net.edgeKind[e] == .linkForward
                let from = forward ? link.from : link.to, to = forward ? link.to : link.from
                let aboard = net.isAboard(edge: e)
                let tariff = r.tariff(aboard: aboard, forward: forward, p)
                let usd = containers ? teu * tariff.usdPerTEU : tonnes * tariff.usdPerTonne
                let co2 = tonnes * r.co2eKgPerTonne
                routeMask &= r.corridorMask
                if open, var last = legs.last, last.mode == link.mode, last.linkClass == link.linkClass, (last.truckAboard == true) == aboard {
                    last.via.append(last.to); last.to = to; last.links.append(link.id)
                    last.km += r.lengthKm; last.days += (r.runHours + r.waitHours) / 24; last.waitDays += r.waitHours / 24
                    last.usd += usd; last.co2eKg += co2; last.estimatedLength = last.estimatedLength || r.estimatedLength
                    if r.estimatedLength { last.estimatedKm += r.lengthKm }
                    if r.consignment { last.consignment = true }
                    last.corridors = intersect(last.corridors, link.corridors)
                    legs[legs.count - 1] = last
                    driving[driving.count - 1] += r.drivingHours ?? 0
                } else {
                    legs.append(RouteLeg(mode: link.mode, linkClass: link.linkClass, from: from, to: to, via: [], links: [link.id],
                                         km: r.lengthKm, days: (r.runHours + r.waitHours) / 24, waitDays: r.waitHours / 24,
                                         usd: usd, co2eKg: co2, corridors: corridorList(link.corridors), estimatedLength: r.estimatedLength,
                                         tariffFactor: r.tariffFactor))
                    legs[legs.count - 1].carriage = FirstLastMile.carriage(of: link)
                    if r.estimatedLength { legs[legs.count - 1].estimatedKm = r.lengthKm }
                    if r.consignment { legs[legs.count - 1].consignment = true }
                    if aboard {
                        legs[legs.count - 1].truckAboard = true; legs[legs.count - 1].aboardVehicle = ds.aboardVehicle
                        if r.truckFareUSDPerTEU(forward: forward, p) != nil, let sources = (forward ? r.truckFare : r.truckFareBack)?.sources {
                            legs[legs.count - 1].truckFareSources = sources
                            if sources.contains(where: ds.estimateSourceIDs.contains) { legs[legs.count - 1].truckFareEstimated = true }
                        }
                    }
                    driving.append(r.drivingHours ?? 0)
                    open = true
                }
                if let b = forward ? r.border : r.borderBack {
                    borders.append(b)
                    risk += teu * b.riskUSDPerTEU
                    let measuredText = b.oneSideGeneral ? "one side measured, the other half the general time: " : "measured "
                    let generalKey = (b.generalKey ?? b.mode.borderHoursKey).rawValue
                    var parts = [b.crossing.map { "\(measuredText)\(hoursText($0.dwellHours)) (\($0.sources.joined(separator: ", ")))" }
                                 ?? "general estimate \(hoursText(b.baseHours)) (\(generalKey))"]
                    parts += b.applied.map { "\($0.name): \($0.effect)" }
                    var stop = RouteStop(kind: .border, place: from, toPlace: to, beforeLeg: legs.count, days: b.hours / 24,
                                         usd: teu * b.usdPerTEU, co2eKg: 0, detail: parts.joined(separator: "; "))
                    stop.estimated = b.timeFallback || b.oneSideGeneral
                    if stop.estimated == true { stop.generalParameter = generalKey }
                    var seen = Set<String>()   // both sides of a crossing may cite the same method
                    let methods = (b.crossing?.sources ?? []).filter { ds.estimateSourceIDs.contains($0) && seen.insert($0).inserted }
                    if !methods.isEmpty { stop.estimateMethods = methods }
                    if b.oneSideGeneral { stop.oneSideGeneral = true; stop.generalShare = b.generalShare }
                    stops.append(stop)
                    open = false
                }
            case .through:
                continue
            case .roRo:
                let place = ds.places[Int(net.edgeRef[e])]
                let on = net.stateClass[Int(net.graph.head[e])] == .vehicleAboard
                // An unaccompanied trailer is towed on and off by the port's tractors.
                let move = ds.aboardVehicle == .trailer ? "trailer towed" : "truck drives"
                var stop = RouteStop(kind: .roRo, place: place.id, toPlace: nil, beforeLeg: legs.count, days: net.timeDays[e],
                                     usd: containers ? teu * net.usdPerTEU[e] : tonnes * net.usdPerTonne[e], co2eKg: 0,
                                     detail: "\(move) \(on ? "on" : "off")")
                // One general time for every ro-ro port: no port's own figure is recorded.
                stop.estimated = true
                let key = CompiledNetwork.roRoHoursKey(p).rawValue
                stop.generalParameter = key
                stop.detail += "; general estimate \(hoursText(net.timeDays[e] * 24)) (\(key))"
                // What a trailer waits for its next tractor is left out, and the stop says so (JSON too).
                if ds.aboardVehicle == .trailer && !on { stop.detail += "; no wait for a tractor counted (no published figure)" }
                stops.append(stop)
                open = false
            case .transshipment, .gaugeChange, .portHandling:
                let place = ds.places[Int(net.edgeRef[e])]
                let kind: RouteStop.Kind = net.edgeKind[e] == .gaugeChange ? .gaugeChange : net.edgeKind[e] == .portHandling ? .portHandling : .transshipment
                let moves = Int(net.edgeMoves[e])
                var stop = RouteStop(kind: kind, place: place.id, toPlace: nil, beforeLeg: legs.count, days: net.timeDays[e],
                                     usd: containers ? teu * net.usdPerTEU[e] : tonnes * net.usdPerTonne[e],
                                     co2eKg: teu * net.co2eKgPerTEU[e], detail: moves == 2 ? "ship-to-ship: 2 moves" : "")
                let measuredHours = place.measuredTransferHours(shipMove: net.edgeKind[e] == .portHandling)
                stop.estimated = measuredHours == nil
                if measuredHours == nil {
                    let key = CompiledNetwork.generalTransferKeys(net.edgeKind[e]).hours
                    stop.generalParameter = key.rawValue
                    stop.detail += (stop.detail.isEmpty ? "" : "; ") + "general estimate \(hoursText(p[key])) (\(key.rawValue))"
                }
                // A measured transfer time says where it comes from, as a border does; one resting
                // on a stated estimation method is marked derived.
                if let h = measuredHours {
                    stop.detail += (stop.detail.isEmpty ? "" : "; ")
                        + (place.transferSources.isEmpty ? "\(hoursText(h)) set by a scenario" : "measured \(hoursText(h)) (\(place.transferSources.joined(separator: ", ")))")
                    let methods = place.transferSources.filter { ds.estimateSourceIDs.contains($0) }
                    if !methods.isEmpty { stop.estimateMethods = methods }
                }
                stops.append(stop)
                open = false
            }
        }
        if driving.contains(where: { $0 > 0 }), let rules = p.drivingRules { Self.timeTruckLegs(&legs, driving: driving, stops: stops, rules: rules, unaccompanied: ds.aboardVehicle == .trailer) }
        let days = legs.reduce(0) { $0 + $1.days } + stops.reduce(0) { $0 + $1.days }
        let usd = legs.reduce(0) { $0 + $1.usd } + stops.reduce(0) { $0 + $1.usd }
        let co2 = legs.reduce(0) { $0 + $1.co2eKg } + stops.reduce(0) { $0 + $1.co2eKg }
        let km = legs.reduce(0) { $0 + $1.km }
        let gc = usd + weights.valueOfTimeUSDPerTEUDay * teu * days + weights.carbonPriceUSDPerTonne * co2 / 1000 + risk
        let label = corridor ?? corridorLabel(routeMask)
        var route = Route(origin: ds.places[origin].id, destination: ds.places[destination].id, corridor: label,
                          corridorName: label.flatMap { ds.corridor($0)?.name } ?? ((routeMask & allCorridorBits).nonzeroBitCount > 1 ? "shared links only" : "mixed"),
                          legs: legs, stops: stops,
                          totals: RouteTotals(days: days, usd: usd, co2eKg: co2, km: km, borderCrossings: stops.filter { $0.kind == .border }.count,
                                              generalisedCostUSD: gc))
        route.totals.riskUSD = risk
        route.warnings = warnings(borders: borders)
        return route
    }

    /// Re-times the truck legs of a route with the drivers' clock: the search charged every
    /// driving hour the long-run factor; here a truck rests only when its driving runs out.
    /// A border wait long enough is a rest (the driver sleeps in the cab while the truck waits
    /// to clear; a second 45-hour rest after two days at a border is not what drivers do), other
    /// stops are breaks; a ferry leg long enough is a rest (Art. 9); a rail or sea leg ends the
    /// truck's trip (the next truck starts rested), as does a ferry an unaccompanied trailer sails alone.
    static func timeTruckLegs(_ legs: inout [RouteLeg], driving: [Double], stops: [RouteStop], rules: DrivingRules, unaccompanied: Bool = false) {
        let factor = rules.averageFactor   // what the snapshot charged per driving hour
        var clock = DrivingClock(rules: rules)
        var nextStop = 0
        for i in legs.indices {
            while nextStop < stops.count && stops[nextStop].beforeLeg <= i {
                clock.stand(stops[nextStop].days * 24, canRest: stops[nextStop].kind == .border); nextStop += 1
            }
            let h = driving[i]
            if h > 0 {
                let elapsed = clock.drive(h)
                // The leg's days held driving × factor (plus any wait); swap in the clock's time.
                legs[i].days += (elapsed - h * factor) / 24
                legs[i].restDays = (elapsed - h) / 24
            } else if legs[i].mode == .ferry && !unaccompanied {
                clock.stand(legs[i].days * 24, canRest: true)
            } else if !legs[i].mode.hasDriversHours {
                clock = DrivingClock(rules: rules)
            }
        }
    }

    /// One line per conflict, sanction or transit ban met at the route's borders (first border only).
    func warnings(borders: [BorderCost]) -> [String] {
        let flagged: Set<MeasureKind> = [.conflict, .sanctions, .transitBan]
        var seen = Set<String>(), out: [String] = []
        for b in borders {
            for a in b.applied where !seen.contains(a.measure) {
                guard let m = dataset.measures.first(where: { $0.id == a.measure }), flagged.contains(m.kind) else { continue }
                seen.insert(a.measure)
                let since = m.validity.from.map { " since \($0)" } ?? ""
                out.append("\(m.kind.rawValue) at the \(b.fromCountry)-\(b.toCountry) border: \(m.name)\(since); \(a.effect)")
            }
        }
        return out
    }

    var allCorridorBits: UInt64 { dataset.corridors.count >= 64 ? .max : (UInt64(1) << UInt64(dataset.corridors.count)) - 1 }

    /// The corridor of a route whose links all belong to it and to no other; nil when the links have no
    /// corridor in common, or several (Kyiv–Bucharest–Vienna runs on links the Northern and Middle
    /// corridors share: naming one of them would say the route goes via Russia).
    public func corridorLabel(_ mask: UInt64) -> String? {
        let m = mask & allCorridorBits
        guard m.nonzeroBitCount == 1 else { return nil }
        return dataset.corridors[m.trailingZeroBitCount].id
    }

    func corridorList(_ c: CorridorMembership) -> [String] {
        switch c { case .all: return ["*"]; case .only(let ids): return ids }
    }
    func intersect(_ a: [String], _ c: CorridorMembership) -> [String] {
        switch c {
        case .all: return a
        case .only(let ids): return a == ["*"] ? ids : a.filter { ids.contains($0) }
        }
    }
}

extension CompiledNetwork {
    /// The tail state of an edge (binary search in the CSR offsets).
    public func tailOf(edge e: Int) -> Int32 {
        var lo = 0, hi = graph.nodeCount - 1
        let fo = graph.firstOut
        while lo < hi {
            let mid = (lo + hi + 1) / 2
            if Int(fo[mid]) <= e { lo = mid } else { hi = mid - 1 }
        }
        return Int32(lo)
    }
}

/// "30.5 h": hours to one decimal, for route explanations.
func hoursText(_ h: Double) -> String {
    let r = (h * 10).rounded() / 10
    return (r == r.rounded() && abs(r) < 1e9 ? String(Int(r)) : String(r)) + " h"
}
