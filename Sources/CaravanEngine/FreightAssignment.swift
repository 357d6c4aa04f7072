import Foundation
import CaravanModel

/// Why a freight assignment cannot be set up.
public struct FreightAssignmentError: Error, CustomStringConvertible {
    /// The message, saying what is missing or wrong.
    public var description: String
}

/// One shared, capacity-limited element of the freight network.
public struct FreightResource: Sendable, Codable {
    /// Whether a resource is one direction of a link, the truck slots of one direction of a ferry
    /// line (`truck_deck`: for classes counted in trucks), the transfers of a place, or those of
    /// its container terminal (`container_terminal`: for classes counted in TEU).
    public enum Kind: String, Sendable, Codable { case link, truckDeck = "truck_deck", place, containerTerminal = "container_terminal" }
    /// A link direction, a ferry line's truck deck, a place, or a port's container terminal (when the
    /// port has a container and a tonnage capacity and the demand mixes units).
    public var kind: Kind
    /// Link id (with direction) or place id.
    public var id: String
    /// Display name: "From–To" for a link, the place's name for a place.
    public var name: String
    /// "forward"/"backward" for links; empty for places.
    public var direction: String
    /// Capacity in TEU-equivalents per year.
    public var capacityTEUPerYear: Double
    /// Volume-delay function: queue for water links, border links and places; BPR for other links.
    public var vdf: VolumeDelay.Kind
    /// Time scale of the delay function, days.
    public var t0Days: Double
}

/// The Caravan network and an O-D matrix as a multi-class equilibrium problem.
///
/// Nodes are the O-D zones (one per place with demand, never passed through) followed by the
/// compiled states; links are the zone connectors and the state-graph edges in service on the
/// date. Flows are TEU-equivalents per year for every class (tonnes / the class's `tonnes_per_teu`), and
/// each class's cost is in days-equivalent: time plus money divided by its value of time, so
/// classes share one Beckmann objective and the same volume-delay functions.
public struct FreightAssignmentModel: Sendable {
    /// The compiled state graph of the date and scenarios.
    public let network: CompiledNetwork
    /// The equilibrium problem: zones, state-graph edges, resources and classes.
    public let problem: AssignmentProblem
    /// The freight classes (the dataset's, or those given), in dataset order.
    public let classes: [FreightClass]
    /// Per problem class: the index in `classes` of the freight class it is a value-of-time group of.
    public let classOfGroup: [Int]
    /// Per problem link: the compiled edge, or -1 for a zone connector.
    public let edgeOfLink: [Int32]
    /// Problem links that are a ferry line's truck deck: the line's edges a truck rides aboard
    /// (`CompiledNetwork.isAboard`), which only classes counted in trucks use, with the line's truck
    /// slots as their resource.
    public let truckDeck: Set<Int>
    /// Problem links that are a port's container-terminal transfers: copies of its transfer links
    /// (same edges) that only classes counted in TEU use, with the terminal's capacity as their resource.
    public let containerTerminal: Set<Int>
    /// Zone node -> place index.
    public let zonePlace: [Int]
    /// The capacity-limited resources, in the order of the problem's resources.
    public let resources: [FreightResource]
    /// Per problem class: value of time per TEU-equivalent per day (days-equivalent -> USD).
    public let usdPerDayEquivalent: [Double]
    /// Demand that has no path for its class on the date (TEU-equivalents per year).
    public let unserved: [(origin: Int, destination: Int, freightClass: String, teuPerYear: Double)]
    /// Per problem class: total demand, TEU-equivalents per year after scaling and market expansion (unserved pairs included).
    public let demandTEU: [Double]
    /// The factor applied to every demand row.
    public let scale: Double
    /// The sea alternative of each pair of a logit class's value-of-time groups, in link order:
    /// problem link `a` with `edgeOfLink[a] <= -2` is `seaAlternatives[-2 - edgeOfLink[a]]`.
    public let seaAlternatives: [SeaAlternative]
    /// Per problem class: the offset on its land routes' origin connectors and on its sea
    /// alternatives that keeps every link cost non-negative (0 for classes without a logit split).
    public let logitOffsetDays: [Double]

    /// - Parameters:
    ///   - scale: multiplies every demand (e.g. 3 for "volumes triple").
    ///   - classes: the freight classes to use instead of the dataset's (calibration varies their values of time).
    public init(network: CompiledNetwork, demand: [FreightDemand], scale: Double = 1, classes given: [FreightClass]? = nil) throws(FreightAssignmentError) {
        let ds = network.snapshot.dataset, p = ds.parameters, snap = network.snapshot
        let missing = p.missingAssignmentKeys
        guard missing.isEmpty else {
            throw FreightAssignmentError(description: "parameters.csv lacks \(missing.map(\.rawValue).joined(separator: ", ")): the assignment needs them (see docs/data-format.md)")
        }
        guard !ds.freightClasses.isEmpty else { throw FreightAssignmentError(description: "the dataset has no freight_classes.csv: the assignment needs the classes of demand") }
        let withDemand = Set(demand.map(\.freightClass))
        if let fc = (given ?? ds.freightClasses).first(where: { $0.unit == .trucks && withDemand.contains($0.id) }), p.values[.truckTEU] == nil {
            throw FreightAssignmentError(description: "freight class '\(fc.id)' is counted in trucks: parameters.csv needs truck_teu (TEU-equivalents of capacity a truck takes)")
        }
        guard scale > 0, scale.isFinite else { throw FreightAssignmentError(description: "the demand scale must be a positive number") }
        self.network = network
        self.scale = scale
        let classes = given ?? ds.freightClasses
        self.classes = classes
        let payload = p.teuPayloadTonnes, carbon = p[.carbonPriceUSDPerT] / 1000
        // Zones: places with demand, in place order (deterministic).
        let zonePlaces = Array(Set(demand.flatMap { [$0.origin, $0.destination] })).sorted()
        zonePlace = zonePlaces
        let zoneOf = Dictionary(uniqueKeysWithValues: zonePlaces.enumerated().map { ($1, $0) })
        let z = zonePlaces.count
        var tail: [Int32] = [], head: [Int32] = [], edgeRef: [Int32] = []
        for (zi, pl) in zonePlaces.enumerated() {
            for s in network.departingStates(ofPlace: pl) { tail.append(Int32(zi)); head.append(Int32(z) + s); edgeRef.append(-1) }
            for s in network.arrivingStates(ofPlace: pl) { tail.append(Int32(z) + s); head.append(Int32(zi)); edgeRef.append(-1) }
        }
        for v in 0..<network.stateCount {
            for e in Int(network.graph.firstOut[v])..<Int(network.graph.firstOut[v + 1]) where network.corridorMask[e] != 0 {
                tail.append(Int32(z + v)); head.append(Int32(z) + network.graph.head[e]); edgeRef.append(Int32(e))
            }
        }
        // Resources: capacitated links (each direction) and places (all their transfers).
        var resources: [FreightResource] = [], vdfs: [VolumeDelay] = []
        var resourceOf = [Int32](repeating: -1, count: tail.count)
        var linkResource: [Int32: Int32] = [:]
        var placeEdges: [Int: [Int]] = [:]
        for (a, e32) in edgeRef.enumerated() where e32 >= 0 {
            let e = Int(e32)
            switch network.edgeKind[e] {
            case .linkForward, .linkBackward:
                let r = snap.links[Int(network.edgeRef[e])], link = ds.links[r.index]
                // A line's container and wagon capacity is not its truck deck (below).
                guard !network.isAboard(edge: e), let c = r.capacity, let unit = r.capacityUnit, c > 0 else { continue }
                let cap = unit.teuPerYear(c, p)
                let border = network.edgeKind[e] == .linkForward ? r.border : r.borderBack   // dwell may differ by direction
                let queue = link.mode.congestsAsQueue || border != nil
                // Queue time scale. A border's measured dwell already includes the queueing seen
                // when it was measured and stays in the fixed cost; the queue adds the congestion
                // beyond it, at the service time of one train (a day over the trains a day the
                // capacity allows; train_teu is required and above 0). Ships queue at the
                // crossing's running and waiting time.
                let t0 = border != nil ? p[.trainTEU] * 365 / cap : queue ? (r.runHours + r.waitHours) / 24 : r.runHours / 24
                let kind: VolumeDelay.Kind = queue ? .queue : .bpr
                linkResource[e32] = Int32(resources.count); resourceOf[a] = Int32(resources.count)
                resources.append(FreightResource(kind: .link, id: link.id, name: "\(ds.place(link.from)?.name ?? link.from)–\(ds.place(link.to)?.name ?? link.to)",
                                                 direction: network.edgeKind[e] == .linkForward ? "forward" : "backward", capacityTEUPerYear: cap, vdf: kind, t0Days: t0))
                vdfs.append(VolumeDelay(kind: kind, t0: t0, capacity: cap, b: p[.bprAlpha], power: p[.bprBeta]))
            default:   // a transfer at a place: what the place's capacity limits (`through` is free)
                if network.edgeKind[e].isTransfer { placeEdges[Int(network.edgeRef[e]), default: []].append(a) }
            }
        }
        // A port with a container capacity (TEU a year) and a tonnage one on the date has two resources
        // when the demand mixes units: classes counted in TEU move through its container terminal (on
        // copies of its transfer links), the others (tonnes, trucks) through the rest of the port.
        // "Mixes" counts the classes with demand, so that a run's resources do not depend on unused classes.
        var terminalOf: [Int: Int] = [:]
        let units = Set(classes.filter { withDemand.contains($0.id) }.map(\.unit))
        // A copy of problem link `a` (same nodes and edge) whose volume loads resource `r`; returns its index.
        func copy(_ a: Int, resource r: Int32) -> Int {
            tail.append(tail[a]); head.append(head[a]); edgeRef.append(edgeRef[a]); resourceOf.append(r)
            return tail.count - 1
        }
        let mixed = units.contains(.teu) && units.count > 1
        for (pl, links) in placeEdges.sorted(by: { $0.key < $1.key }) {
            let place = ds.places[pl]
            let rows = ds.placeCapacities.filter { $0.place == place.id && $0.validity.contains(snap.day) }
            // Service-time scale: one handling move at the place.
            // (A crane's move: a truck driving onto a ro-ro is quicker but does not set the port's pace.)
            let handling = links.filter { network.edgeKind[Int(edgeRef[$0])] != .roRo }
            let t0 = (handling.isEmpty ? links : handling).map { a -> Double in let e = Int(edgeRef[a]); return network.timeDays[e] / Double(max(1, network.edgeMoves[e])) }.filter { $0 > 0 }.min() ?? 0
            let containers = rows.filter { $0.unit == .teuPerYear }.map(\.capacity).max()
            let tonnage = rows.filter { $0.unit == .tonnesPerYear }.map { $0.unit.teuPerYear($0.capacity, p) }.max()
            if mixed, let terminal = containers, let rest = tonnage, terminal > 0, rest > 0 {
                let r = Int32(resources.count)
                for a in links { resourceOf[a] = r }
                resources.append(FreightResource(kind: .place, id: place.id, name: place.name, direction: "", capacityTEUPerYear: rest, vdf: .queue, t0Days: t0))
                vdfs.append(VolumeDelay(kind: .queue, t0: t0, capacity: rest))
                let rt = Int32(resources.count)
                for a in links { terminalOf[a] = copy(a, resource: rt) }
                resources.append(FreightResource(kind: .containerTerminal, id: place.id, name: "\(place.name) container terminal", direction: "", capacityTEUPerYear: terminal, vdf: .queue, t0Days: t0))
                vdfs.append(VolumeDelay(kind: .queue, t0: t0, capacity: terminal))
                continue
            }
            // Otherwise one resource: the largest row in TEU-equivalents is the place's total throughput capacity.
            guard let cap = rows.map({ $0.unit.teuPerYear($0.capacity, p) }).max(), cap > 0 else { continue }
            let r = Int32(resources.count)
            for a in links { resourceOf[a] = r }
            resources.append(FreightResource(kind: .place, id: place.id, name: place.name, direction: "", capacityTEUPerYear: cap, vdf: .queue, t0Days: t0))
            vdfs.append(VolumeDelay(kind: .queue, t0: t0, capacity: cap))
        }
        containerTerminal = Set(terminalOf.values)
        // Truck decks: classes counted in trucks ride a ferry line aboard (driving on and off), where the
        // line publishes its truck slots (ferries.csv trucks_per_sailing), and queue for those; every other
        // class uses the line's container and wagon capacity. A ferry line without published truck slots on
        // the date carries no trucks in the assignment (the Caspian container feeders, the rail ferries
        // before their ro-pax rows).
        var deckLinks = Set<Int>(), noDeck: [Int] = [], aboardLinks: [Int] = [], ferryLines: [Int] = []
        for a in 0..<tail.count where edgeRef[a] >= 0 {
            let e = Int(edgeRef[a])
            guard network.edgeKind[e] == .linkForward || network.edgeKind[e] == .linkBackward else { continue }
            let r = snap.links[Int(network.edgeRef[e])], link = ds.links[r.index]
            guard link.mode == .ferry else { continue }
            guard network.isAboard(edge: e) else { ferryLines.append(a); continue }
            aboardLinks.append(a)
            guard let truckTEU = p.values[.truckTEU], units.contains(.trucks), let trucks = r.ferry?.trucksPerYear, trucks > 0 else { noDeck.append(a); continue }
            let cap = trucks * truckTEU, t0 = (r.runHours + r.waitHours) / 24
            resourceOf[a] = Int32(resources.count); deckLinks.insert(a)
            resources.append(FreightResource(kind: .truckDeck, id: link.id, name: "trucks \(ds.place(link.from)?.name ?? link.from)–\(ds.place(link.to)?.name ?? link.to)",
                                             direction: network.edgeKind[e] == .linkForward ? "forward" : "backward", capacityTEUPerYear: cap, vdf: .queue, t0Days: t0))
            vdfs.append(VolumeDelay(kind: .queue, t0: t0, capacity: cap))
        }
        truckDeck = deckLinks
        self.resources = resources
        // Classes: fixed costs in days-equivalent, demand in TEU-equivalents.
        var demandClasses: [DemandClass] = [], vots: [Double] = []
        var unserved: [(Int, Int, String, Double)] = [], totals: [Double] = []
        let classIndex = Dictionary(uniqueKeysWithValues: classes.enumerated().map { ($1.id, $0) })
        for row in demand where classIndex[row.freightClass] == nil {
            throw FreightAssignmentError(description: "demand of unknown class '\(row.freightClass)': classes are \(classes.map(\.id).joined(separator: ", "))")
        }
        let nodeCount = z + network.stateCount
        var ws = DijkstraWorkspace(nodeCount: nodeCount)
        let (graph, order) = CSRGraph.build(nodeCount: nodeCount, tails: tail, heads: head)
        let csrTails = order.map { tail[Int($0)] }
        let noTargets = [Bool](repeating: false, count: nodeCount)
        var classOfGroup: [Int] = [], offsets: [Double] = []
        // Logit classes: the sea alternative of each pair becomes one link from its origin zone to its
        // destination zone (Gartner's transformation), added after the classes are built.
        var alternatives: [SeaAlternative] = [], alternativeLinks: [(fixed: Double, vdf: VolumeDelay)] = []
        let (reverse, reverseOrder) = CSRGraph.build(nodeCount: nodeCount, tails: head, heads: tail)
        for (ci, fc) in classes.enumerated() {
            guard fc.valueOfTimeUSDPerDay > 0 else { throw FreightAssignmentError(description: "freight class '\(fc.id)' has a value of time of 0: the assignment needs a positive one") }
            let teuPerUnit = fc.teuPerUnit(p), tonnes = fc.tonnesPerTEU(p)
            // The rows count `demandShare` of the class's market: the market competes for every allowed mode.
            let market = 1 / (fc.demandShare ?? 1)
            var od: [Int64: Double] = [:]
            for row in demand where row.freightClass == fc.id && row.origin != row.destination && row.amountPerYear > 0 {
                od[Int64(zoneOf[row.origin]!) << 32 | Int64(zoneOf[row.destination]!), default: 0] += row.amountPerYear * teuPerUnit * scale * market
            }
            // Which links the class may use does not depend on its value of time.
            var allowed = [Bool](repeating: true, count: tail.count)
            var usd = [Double](repeating: 0, count: tail.count)
            for (a, e32) in edgeRef.enumerated() where e32 >= 0 {
                let e = Int(e32)
                if network.edgeKind[e] == .linkForward || network.edgeKind[e] == .linkBackward {
                    guard fc.allows(ds.links[Int(network.edgeRef[e])]) else { allowed[a] = false; continue }
                }
                // Perceived border risk counts in the class's generalised cost, per TEU-equivalent.
                usd[a] = fc.unit != .tonnes ? network.usdPerTEU[e] + carbon * (network.co2eKgPerTEU[e] + payload * network.co2eKgPerTonne[e]) + network.riskUSDPerTEU[e]
                                         : (network.usdPerTonne[e] + carbon * (network.co2eKgPerTonne[e] + network.co2eKgPerTEU[e] / tonnes)) * tonnes + network.riskUSDPerTEU[e]
                if !(network.timeDays[e] + usd[a]).isFinite { allowed[a] = false }
            }
            // A ferry line: trucks ride aboard (on its deck, where it has one), the others use the line.
            if fc.unit == .trucks { for a in ferryLines + noDeck { allowed[a] = false } } else { for a in aboardLinks { allowed[a] = false } }
            // A port with a container terminal apart: TEU classes through the terminal, the others through the rest.
            for (rest, terminal) in terminalOf { if fc.unit == .teu { allowed[rest] = false } else { allowed[terminal] = false } }
            // The links of a logit class's sea alternative (its sea_alternative link classes).
            var seaLink = [Bool](repeating: false, count: tail.count)
            if fc.logitScaleUSD != nil {
                for (a, e32) in edgeRef.enumerated() where e32 >= 0 && allowed[a] {
                    let e = Int(e32)
                    guard network.edgeKind[e] == .linkForward || network.edgeKind[e] == .linkBackward else { continue }
                    seaLink[a] = fc.seaAlternativeClasses.contains(ds.links[Int(network.edgeRef[e])].linkClass)
                }
            }
            // Pairs with no path for this class are reported, not assigned.
            let csrBlocked = order.map { !allowed[Int($0)] }, csrReach = order.map { allowed[Int($0)] ? 1.0 : .infinity }
            var kept: [(origin: Int32, destination: Int32, amount: Double)] = []
            var total = 0.0
            let byOrigin = Dictionary(grouping: od.keys.sorted(), by: { Int($0 >> 32) })
            for o in byOrigin.keys.sorted() {
                AssignmentSolver.shortestPaths(graph: graph, tails: csrTails, blocked: csrBlocked, firstThrough: Int32(z), from: Int32(o),
                                               weights: csrReach, workspace: &ws, noTargets: noTargets)
                for key in byOrigin[o]! {
                    let d = Int(key & 0xffff_ffff), q = od[key]!
                    total += q
                    if ws.distance(d).isFinite { kept.append((Int32(o), Int32(d), q)) } else { unserved.append((zonePlaces[o], zonePlaces[d], fc.id, q)) }
                }
            }
            // Value-of-time groups: equal shares of the demand at the mid-quantiles of a lognormal.
            let groups = fc.valueOfTimeGroups
            for g in 0..<groups {
                let zq = groups == 1 ? 0 : DetMath.inverseNormal((Double(g) + 0.5) / Double(groups))
                let votTEU = fc.valueOfTimeUSDPerDay / teuPerUnit * DetMath.exp(fc.valueOfTimeSpread * zq)
                vots.append(votTEU)
                classOfGroup.append(ci)
                var fixed = [Double](repeating: .infinity, count: tail.count)
                for (a, e32) in edgeRef.enumerated() where allowed[a] {
                    fixed[a] = e32 < 0 ? 0 : network.timeDays[Int(e32)] + usd[a] / votTEU
                }
                let share = 1 / Double(groups)
                var offset = 0.0
                if let scale = fc.logitScaleUSD {
                    let k = demandClasses.count
                    let vdfShape = VolumeDelay(kind: .logit, t0: scale / votTEU, capacity: 1)
                    let constant = fc.landConstantUSD / votTEU
                    offset = -vdfShape.logitFloor + max(0, -constant)
                    let found = FreightAssignmentModel.seaAlternatives(
                        group: k, fixed: fixed, seaLink: seaLink, pairs: kept.map { ($0.origin, $0.destination, $0.amount * share) },
                        tail: tail, head: head, zones: z, network: network, edgeRef: edgeRef,
                        forward: (graph, order), reverse: (reverse, reverseOrder), workspace: &ws)
                    for var alt in found {
                        alt.index = alternatives.count
                        alternatives.append(alt)
                        alternativeLinks.append((alt.costDays + offset, VolumeDelay(kind: .logit, t0: vdfShape.t0, capacity: alt.demand)))
                    }
                    // Land routes: the sea links are the alternative's, and every land route starts on an origin connector.
                    for a in seaLink.indices where seaLink[a] { fixed[a] = .infinity }
                    for a in 0..<tail.count where edgeRef[a] < 0 && Int(tail[a]) < z && fixed[a].isFinite { fixed[a] = offset + constant }
                }
                offsets.append(offset)
                totals.append(total * share)
                demandClasses.append(DemandClass(name: groups == 1 ? fc.id : "\(fc.id)#\(g + 1)", fixedCost: fixed,
                                                 demand: kept.map { ($0.origin, $0.destination, $0.amount * share) }))
            }
        }
        for (i, alt) in alternatives.enumerated() {
            tail.append(alt.origin); head.append(alt.destination); edgeRef.append(Int32(-2 - i))
            resourceOf.append(Int32(vdfs.count)); vdfs.append(alternativeLinks[i].vdf)
            for k in demandClasses.indices { demandClasses[k].fixedCost.append(k == alt.group ? alternativeLinks[i].fixed : .infinity) }
        }
        edgeOfLink = edgeRef
        seaAlternatives = alternatives
        logitOffsetDays = offsets
        self.classOfGroup = classOfGroup
        usdPerDayEquivalent = vots
        self.unserved = unserved
        demandTEU = totals
        problem = AssignmentProblem(nodeCount: nodeCount, firstThroughNode: z, tail: tail, head: head, resource: resourceOf, resources: vdfs, classes: demandClasses)
    }
}

/// The best sea route of one pair for one value-of-time group of a logit class, at free flow:
/// in the equilibrium it is one link from the origin zone to the destination zone whose logit
/// delay splits the pair's demand between land and sea.
public struct SeaAlternative: Sendable {
    /// Position in `FreightAssignmentModel.seaAlternatives`.
    public var index: Int
    /// The problem class (value-of-time group) and the zone nodes of the pair.
    public var group: Int, origin: Int32, destination: Int32
    /// The group's demand of the pair, TEU-equivalents per year (the logit's capacity).
    public var demand: Double
    /// Generalised cost of the route at free flow, days-equivalent (time plus money over the value of time).
    public var costDays: Double
    /// The route's problem links, origin connector to destination connector (labels and link flows).
    public var links: [Int]
}

extension FreightAssignmentModel {
    /// For each pair, the cheapest route at free flow that uses exactly one sea link: the land
    /// cost from the origin to the sea link's start, the link, and the land cost from its end
    /// (one tree per origin, one reverse tree per destination; zones are never passed through).
    static func seaAlternatives(group: Int, fixed: [Double], seaLink: [Bool], pairs: [(Int32, Int32, Double)],
                                tail: [Int32], head: [Int32], zones: Int, network: CompiledNetwork, edgeRef: [Int32],
                                forward: (CSRGraph, [Int32]), reverse: (CSRGraph, [Int32]), workspace ws: inout DijkstraWorkspace) -> [SeaAlternative] {
        let seaLinks = seaLink.indices.filter { seaLink[$0] }
        guard !seaLinks.isEmpty, !pairs.isEmpty else { return [] }
        let n = forward.0.nodeCount
        // Land weights: no sea link, and no zone passed through (only the tree's own zone connectors).
        func weights(_ order: [Int32], zone: Int32, outOfZone: Bool) -> [Double] {
            order.map { a32 in
                let a = Int(a32)
                if seaLink[a] { return .infinity }
                if edgeRef[a] < 0 {
                    let z = outOfZone ? tail[a] : head[a]
                    if Int(z) < zones && z != zone { return .infinity }
                }
                return fixed[a]
            }
        }
        var toDestination: [Int32: (dist: [Double], parent: [Int32])] = [:]
        for d in Set(pairs.map(\.1)).sorted() {
            ws.oneToAll(reverse.0, weights: weights(reverse.1, zone: d, outOfZone: false), source: Int(d))
            toDestination[d] = ((0..<n).map { ws.distance($0) }, (0..<n).map { ws.parent($0) })
        }
        var out: [SeaAlternative] = []
        for o in Set(pairs.map(\.0)).sorted() {
            ws.oneToAll(forward.0, weights: weights(forward.1, zone: o, outOfZone: true), source: Int(o))
            for (po, d, amount) in pairs where po == o {
                let back = toDestination[d]!
                var best = Double.infinity, bestLink = -1
                for a in seaLinks {
                    let c = ws.distance(Int(tail[a])) + fixed[a] + back.dist[Int(head[a])]
                    if c < best { best = c; bestLink = a }
                }
                guard bestLink >= 0, best.isFinite else { continue }
                // The route: tree parents back to the origin, the sea link, reverse-tree parents on to the destination.
                var before: [Int] = [], v = Int(tail[bestLink])
                while v != Int(o) {
                    let e = ws.parent(v)
                    guard e >= 0 else { break }
                    let a = Int(forward.1[Int(e)]); before.append(a); v = Int(tail[a])
                }
                var after: [Int] = [], w = Int(head[bestLink])
                while w != Int(d) {
                    let e = back.parent[w]
                    guard e >= 0 else { break }
                    let a = Int(reverse.1[Int(e)]); after.append(a); w = Int(head[a])
                }
                out.append(SeaAlternative(index: 0, group: group, origin: o, destination: d, demand: amount, costDays: best,
                                          links: before.reversed() + [bestLink] + after))
            }
        }
        return out
    }

    /// Solves the equilibrium and reports it; the solver's per-origin flows (Algorithm B) give
    /// the corridor shares and the land/sea split.
    public func solve(_ algorithm: AssignmentSolver.Algorithm = .algorithmB, stop: AssignmentStop, scenarios: [String],
                      progress: (@Sendable (AssignmentIteration) -> Void)? = nil) -> FreightAssignmentReport {
        var solver = AssignmentSolver(problem)
        let result = solver.solve(algorithm, stop: stop, progress: progress)
        return FreightAssignmentReport(model: self, result: result, originFlows: solver.originFlows, originNodes: solver.originNodes, scale: scale, scenarios: scenarios)
    }
}

/// Flows of one dataset link at equilibrium (TEU-equivalents per year).
public struct FreightLinkFlow: Sendable, Codable {
    /// The dataset link's id.
    public var id: String
    /// Id of the link's from place.
    public var from: String
    /// Id of the link's to place.
    public var to: String
    /// The link's mode (rail, road, sea, ferry or iww).
    public var mode: String
    /// Flow from → to, in TEU-equivalents per year.
    public var forwardTEU: Double
    /// Flow to → from, in TEU-equivalents per year.
    public var backwardTEU: Double
    /// Per class, both directions.
    public var byClass: [String: Double]
    /// Capacity of a direction, TEU-equivalents per year; nil when the link is not capacity-limited.
    public var capacityTEUPerYear: Double?
    /// Largest volume/capacity ratio of the two directions.
    public var volumeCapacityRatio: Double?
    /// Largest congestion delay of the two directions, days.
    public var delayDays: Double
    /// Length of the link, in km.
    public var lengthKm: Double
}

/// Throughput of a capacity-limited place.
public struct FreightPlaceFlow: Sendable, Codable {
    /// The place's id.
    public var id: String
    /// The place's name.
    public var name: String
    /// Volume through the place's transfers, TEU-equivalents per year.
    public var throughputTEU: Double
    /// Capacity for all its transfers, TEU-equivalents per year.
    public var capacityTEUPerYear: Double
    /// Volume/capacity ratio.
    public var volumeCapacityRatio: Double
    /// Queue delay added to each transfer at the place, in days.
    public var delayDays: Double
}

/// Assigned flow whose paths are labelled with one corridor (or "mixed").
public struct CorridorShare: Sendable, Codable {
    /// The corridor's id, or "mixed" for paths on shared links only or with no corridor-specific km.
    public var corridor: String
    /// The corridor's display name.
    public var name: String
    /// Flow on the corridor's paths, TEU-equivalents per year.
    public var teu: Double
    /// Share of all path flow (0–1).
    public var share: Double
    /// Flow × path length, TEU-km per year.
    public var teuKm: Double
}

/// A capacity-limited resource at equilibrium (the report keeps the five with the highest v/c).
public struct Bottleneck: Sendable, Codable {
    /// "link", "truck_deck", "place" or "container_terminal" (`FreightResource.Kind`).
    public var kind: String
    /// Link id or place id.
    public var id: String
    /// Display name: "From–To" for a link, the place's name for a place.
    public var name: String
    /// "forward" or "backward" for links; empty for places.
    public var direction: String
    /// Volume on the resource, TEU-equivalents per year.
    public var volumeTEU: Double
    /// Capacity, TEU-equivalents per year.
    public var capacityTEUPerYear: Double
    /// Volume/capacity ratio.
    public var volumeCapacityRatio: Double
    /// Congestion delay at that volume, in days.
    public var delayDays: Double
    /// Congestion delay times volume: TEU-days per year lost at this element.
    public var delayTEUDays: Double
}

/// Demand, assigned volume, and mean cost and time of one freight class.
public struct FreightClassSummary: Sendable, Codable {
    /// The freight class's id.
    public var id: String
    /// Total demand, TEU-equivalents per year (after scaling).
    public var demandTEU: Double
    /// Demand assigned (pairs with a path), TEU-equivalents per year.
    public var assignedTEU: Double
    /// Demand with no path for the class on the date, TEU-equivalents per year.
    public var unservedTEU: Double
    /// Mean generalised cost per TEU-equivalent, USD (time valued at the class's value of time).
    public var meanCostUSDPerTEU: Double
    /// Mean days per assigned TEU-equivalent, congestion delays included.
    public var meanDays: Double
    /// Median value of time, USD per unit (TEU, tonne or truck) per day, and the spread of its logarithm
    /// across the class's groups (0 = one group).
    public var valueOfTimeUSDPerDay: Double
    public var valueOfTimeSpread: Double
    /// Share of the market the demand rows count (nil = the rows are the whole demand).
    public var demandShare: Double?
    /// Assigned flow on paths mostly at sea (sea-going km over half the path), and the rest
    /// (land), TEU-equivalents per year; nil without per-origin flows (algorithms other than B).
    public var seaTEU: Double?
    public var landTEU: Double?
    /// Mean days of the land paths, congestion delays included; nil without per-origin flows.
    public var landMeanDays: Double?
    /// The logit split's dispersion and land constant, USD per unit (nil for a class without one).
    public var logitScaleUSD: Double?
    public var landConstantUSD: Double?
}

/// The demand of an O-D pair that has no path for its class on the date.
public struct UnservedDemand: Sendable, Codable {
    /// Origin place id.
    public var origin: String
    /// Destination place id.
    public var destination: String
    /// The freight class's id.
    public var freightClass: String
    /// Demand in TEU-equivalents per year (after scaling).
    public var teuPerYear: Double
}

/// What `caravan assign` reports on the Caravan network.
public struct FreightAssignmentReport: Sendable, Codable {
    /// The network's date (yyyy-mm-dd).
    public var date: String
    /// Names of the scenarios applied.
    public var scenarios: [String]
    /// Factor applied to every demand.
    public var scale: Double
    /// Algorithm used: "b", "fw" or "cfw".
    public var algorithm: String
    /// Final relative gap.
    public var relativeGap: Double
    /// Iterations run after the starting assignment.
    public var iterations: Int
    /// Beckmann objective at the final flows.
    public var beckmannObjective: Double
    /// Wall-clock seconds of the solve.
    public var seconds: Double
    /// Why the solver stopped: "gap", "iterations", "time" or "cancelled".
    public var stopReason: String
    /// One summary per freight class.
    public var classes: [FreightClassSummary]
    /// Corridor shares, largest first (empty without per-origin flows from Algorithm B).
    public var corridors: [CorridorShare]
    /// The five loaded resources with the highest volume/capacity ratio.
    public var bottlenecks: [Bottleneck]
    /// Flows of every capacity-limited place.
    public var places: [FreightPlaceFlow]
    /// The ferry lines' truck decks by direction (resources of classes counted in trucks), volumes in TEU-equivalents.
    public var truckDecks: [Bottleneck]
    /// The container terminals of ports that have one apart from the rest (`places` then holds the rest).
    public var containerTerminals: [FreightPlaceFlow]
    /// Every link with flow or a capacity, in dataset order.
    public var links: [FreightLinkFlow]
    /// O-D demand with no path for its class on the date (reported, not assigned).
    public var unserved: [UnservedDemand]
    /// The convergence log.
    public var convergence: [AssignmentIteration]

    /// Builds the report from the model, the solver's result and its per-origin flows (for corridor shares).
    public init(model: FreightAssignmentModel, result: AssignmentResult, originFlows: [[[Double]]], originNodes: [[Int32]], scale: Double, scenarios: [String]) {
        let net = model.network, ds = net.snapshot.dataset, prob = model.problem
        date = net.snapshot.day.description; self.scenarios = scenarios; self.scale = scale
        algorithm = result.algorithm; relativeGap = result.relativeGap; iterations = result.iterations.count - 1
        beckmannObjective = result.objective; seconds = result.seconds; stopReason = result.stopReason; convergence = result.iterations
        // Resource volumes and delays at the final flows.
        var volume = [Double](repeating: 0, count: prob.resources.count)
        for a in 0..<prob.linkCount where prob.resource[a] >= 0 { volume[Int(prob.resource[a])] += result.linkFlow[a] }
        let delay = (0..<volume.count).map { prob.resources[$0].delay(volume[$0]) }
        var items: [Bottleneck] = []
        for (r, res) in model.resources.enumerated() {
            items.append(Bottleneck(kind: res.kind.rawValue, id: res.id, name: res.name, direction: res.direction, volumeTEU: volume[r], capacityTEUPerYear: res.capacityTEUPerYear,
                                    volumeCapacityRatio: volume[r] / res.capacityTEUPerYear, delayDays: delay[r], delayTEUDays: delay[r] * volume[r]))
        }
        bottlenecks = Array(items.filter { $0.volumeTEU > 0 }.sorted { ($0.volumeCapacityRatio, $0.delayTEUDays, $0.id) > ($1.volumeCapacityRatio, $1.delayTEUDays, $1.id) }.prefix(5))
        truckDecks = items.filter { $0.kind == FreightResource.Kind.truckDeck.rawValue }.sorted { ($0.id, $0.direction) < ($1.id, $1.direction) }
        // Places and container terminals: the same flow row, by kind.
        func placeFlows(_ kind: FreightResource.Kind) -> [FreightPlaceFlow] {
            items.filter { $0.kind == kind.rawValue }.map {
                FreightPlaceFlow(id: $0.id, name: $0.name, throughputTEU: $0.volumeTEU, capacityTEUPerYear: $0.capacityTEUPerYear, volumeCapacityRatio: $0.volumeCapacityRatio, delayDays: $0.delayDays)
            }
        }
        containerTerminals = placeFlows(.containerTerminal)
        places = placeFlows(.place)
        // Link flows by dataset link.
        var rows: [Int: FreightLinkFlow] = [:]
        for a in 0..<prob.linkCount {
            let e32 = model.edgeOfLink[a]
            guard e32 >= 0 else { continue }
            let e = Int(e32), kind = net.edgeKind[e]
            guard kind == .linkForward || kind == .linkBackward else { continue }
            let li = Int(net.edgeRef[e]), link = ds.links[li]
            var row = rows[li] ?? FreightLinkFlow(id: link.id, from: link.from, to: link.to, mode: link.mode.rawValue, forwardTEU: 0, backwardTEU: 0, byClass: [:],
                                                   capacityTEUPerYear: nil, volumeCapacityRatio: nil, delayDays: 0, lengthKm: net.lengthKm[e])
            if kind == .linkForward { row.forwardTEU += result.linkFlow[a] } else { row.backwardTEU += result.linkFlow[a] }
            for k in prob.classes.indices where result.classFlow[k][a] > 0 { row.byClass[model.classes[model.classOfGroup[k]].id, default: 0] += result.classFlow[k][a] }
            let r = prob.resource[a]
            if r >= 0 {
                let res = model.resources[Int(r)]
                // The row's capacity is the line's containers and wagons; a truck deck shows in its v/c and delay.
                if res.kind != .truckDeck { row.capacityTEUPerYear = res.capacityTEUPerYear }
                row.volumeCapacityRatio = max(row.volumeCapacityRatio ?? 0, volume[Int(r)] / res.capacityTEUPerYear)
                row.delayDays = max(row.delayDays, delay[Int(r)])
            }
            rows[li] = row
        }
        // Sea alternatives carry their flow on their route's links (uncongested: the equilibrium does not load them).
        for (a, e32) in model.edgeOfLink.enumerated() where e32 <= -2 && result.linkFlow[a] > 0 {
            let alt = model.seaAlternatives[Int(-2 - e32)], f = result.linkFlow[a], id = model.classes[model.classOfGroup[alt.group]].id
            for b in alt.links where model.edgeOfLink[b] >= 0 {
                let e = Int(model.edgeOfLink[b]), kind = net.edgeKind[e]
                guard kind == .linkForward || kind == .linkBackward else { continue }
                let li = Int(net.edgeRef[e]), link = ds.links[li]
                var row = rows[li] ?? FreightLinkFlow(id: link.id, from: link.from, to: link.to, mode: link.mode.rawValue, forwardTEU: 0, backwardTEU: 0, byClass: [:],
                                                       capacityTEUPerYear: nil, volumeCapacityRatio: nil, delayDays: 0, lengthKm: net.lengthKm[e])
                if kind == .linkForward { row.forwardTEU += f } else { row.backwardTEU += f }
                row.byClass[id, default: 0] += f
                rows[li] = row
            }
        }
        links = rows.keys.sorted().map { rows[$0]! }.filter { $0.forwardTEU + $0.backwardTEU > 0 || $0.capacityTEUPerYear != nil }
        // Classes.
        var unservedRows: [UnservedDemand] = []
        var unservedByClass: [String: Double] = [:]
        for u in model.unserved {
            unservedRows.append(UnservedDemand(origin: ds.places[u.origin].id, destination: ds.places[u.destination].id, freightClass: u.freightClass, teuPerYear: u.teuPerYear))
            unservedByClass[u.freightClass, default: 0] += u.teuPerYear
        }
        unserved = unservedRows
        // Path decomposition (Algorithm B keeps per-origin flows): corridors and the land/sea split.
        let paths = FreightAssignmentReport.decompose(model: model, originFlows: originFlows, originNodes: originNodes, delay: delay)
        corridors = paths.corridors
        // Classes: value-of-time groups summed into their freight class.
        let n = model.classes.count
        var demandSum = [Double](repeating: 0, count: n), assignedSum = demandSum, costUSD = demandSum, daysSum = demandSum
        var sea = demandSum, land = demandSum, landDays = demandSum
        for (k, c) in prob.classes.enumerated() {
            let ci = model.classOfGroup[k]
            let assigned = c.demand.reduce(0) { $0 + $1.amount }
            var costDays = 0.0, days = 0.0
            for a in 0..<prob.linkCount where result.classFlow[k][a] > 0 {
                let f = result.classFlow[k][a], r = prob.resource[a], e = model.edgeOfLink[a]
                if e <= -2 {
                    // A sea alternative: its route's cost and time, not the logit's offset and delay.
                    let alt = model.seaAlternatives[Int(-2 - e)]
                    costDays += f * alt.costDays
                    days += f * alt.links.reduce(0) { $0 + FreightAssignmentReport.linkDays($1, model: model, delay: delay) }
                    continue
                }
                let offset = e < 0 && prob.tail[a] < Int32(prob.firstThroughNode) ? model.logitOffsetDays[k] : 0
                costDays += f * (c.fixedCost[a] - offset + (r >= 0 ? delay[Int(r)] : 0))
                days += f * FreightAssignmentReport.linkDays(a, model: model, delay: delay)
            }
            demandSum[ci] += model.demandTEU[k]; assignedSum[ci] += assigned
            costUSD[ci] += costDays * model.usdPerDayEquivalent[k]; daysSum[ci] += days
            if !paths.sea.isEmpty { sea[ci] += paths.sea[k]; land[ci] += paths.land[k]; landDays[ci] += paths.landDays[k] }
        }
        let decomposed = !paths.sea.isEmpty
        classes = model.classes.enumerated().map { ci, fc in
            FreightClassSummary(id: fc.id, demandTEU: demandSum[ci], assignedTEU: assignedSum[ci], unservedTEU: unservedByClass[fc.id] ?? 0,
                                meanCostUSDPerTEU: assignedSum[ci] > 0 ? costUSD[ci] / assignedSum[ci] : 0,
                                meanDays: assignedSum[ci] > 0 ? daysSum[ci] / assignedSum[ci] : 0,
                                valueOfTimeUSDPerDay: fc.valueOfTimeUSDPerDay, valueOfTimeSpread: fc.valueOfTimeSpread, demandShare: fc.demandShare,
                                seaTEU: decomposed ? sea[ci] : nil, landTEU: decomposed ? land[ci] : nil,
                                landMeanDays: decomposed ? (land[ci] > 0 ? landDays[ci] / land[ci] : 0) : nil,
                                logitScaleUSD: fc.logitScaleUSD, landConstantUSD: fc.logitScaleUSD == nil ? nil : fc.landConstantUSD)
        }
    }

    /// Days on problem link `a` at the final flows: the compiled edge's time (0 for a zone
    /// connector) plus its resource's delay. A sea alternative's link is not one: walk its route.
    static func linkDays(_ a: Int, model: FreightAssignmentModel, delay: [Double]) -> Double {
        let e = model.edgeOfLink[a], r = model.problem.resource[a]
        return (e >= 0 ? model.network.timeDays[Int(e)] : 0) + (r >= 0 ? delay[Int(r)] : 0)
    }

    /// Splits each origin's flow into paths and labels each path with its corridor: the first
    /// corridor, in dataset order, common to all its links; when none is common to all, the
    /// corridor with the most km of corridor-specific links on the path.
    /// Also sums, per problem class, the flow at sea (a logit class's sea alternative; for other
    /// classes, paths with sea-going km over half the path's km, Caspian ferries not sea-going) and
    /// of the others (land), with the land paths' TEU-days (delays included).
    static func decompose(model: FreightAssignmentModel, originFlows: [[[Double]]], originNodes: [[Int32]], delay: [Double])
        -> (corridors: [CorridorShare], sea: [Double], land: [Double], landDays: [Double]) {
        guard !originFlows.isEmpty else { return ([], [], [], []) }
        var sea = [Double](repeating: 0, count: originFlows.count), land = sea, landDays = sea
        let net = model.network, ds = net.snapshot.dataset, prob = model.problem
        let n = prob.nodeCount
        let all: UInt64 = ds.corridors.count >= 64 ? .max : (UInt64(1) << UInt64(ds.corridors.count)) - 1
        let (graph, order) = CSRGraph.build(nodeCount: n, tails: prob.tail, heads: prob.head)
        var teu = [Double](repeating: 0, count: ds.corridors.count + 1), teuKm = teu
        for (k, flowsOfClass) in originFlows.enumerated() {
            // A logit class's sea is its sea alternative (a sea-rail route such as Vladivostok's is mostly rail km).
            let seaIsAlternative = model.classes[model.classOfGroup[k]].logitScaleUSD != nil
            for (oi, linkFlow) in flowsOfClass.enumerated() {
                var rest = order.map { linkFlow[Int($0)] }
                let o = Int(originNodes[k][oi])
                var total = rest.enumerated().filter { prob.tail[Int(order[$0.offset])] == Int32(o) }.reduce(0) { $0 + $1.element }
                // Each step empties at least one link (the path's smallest remaining flow), so at
                // most one step per link: the bound below is never what stops a decomposition.
                var steps = 0
                while total > 1e-9 * max(1, model.demandTEU[k]) && steps <= prob.tail.count {
                    steps += 1
                    // Follow the largest remaining flow from the origin to a zone.
                    var v = o, path: [Int] = [], amount = Double.infinity
                    repeat {
                        var best = -1, bestFlow = 0.0
                        for e in Int(graph.firstOut[v])..<Int(graph.firstOut[v + 1]) where rest[e] > bestFlow { best = e; bestFlow = rest[e] }
                        guard best >= 0 else { break }
                        path.append(best); amount = min(amount, bestFlow); v = Int(graph.head[best])
                    } while v >= prob.firstThroughNode && path.count <= n
                    guard !path.isEmpty, v < prob.firstThroughNode, amount.isFinite, amount > 0 else { break }
                    var mask = UInt64.max, km = 0.0, seaKm = 0.0, days = 0.0
                    var kmByCorridor = [Double](repeating: 0, count: ds.corridors.count)
                    var links: [Int] = [], viaAlternative = false
                    for e in path {
                        rest[e] -= amount
                        let a = Int(order[e])
                        if model.edgeOfLink[a] <= -2 { links += model.seaAlternatives[Int(-2 - model.edgeOfLink[a])].links; viaAlternative = true } else { links.append(a) }
                    }
                    for a in links {
                        let ce = Int(model.edgeOfLink[a])
                        days += linkDays(a, model: model, delay: delay)
                        guard ce >= 0, net.edgeKind[ce] == .linkForward || net.edgeKind[ce] == .linkBackward else { continue }
                        if ds.links[Int(net.edgeRef[ce])].mode.isSeaGoing { seaKm += net.lengthKm[ce] }
                        let cm = net.corridorMask[ce] & all
                        mask &= cm; km += net.lengthKm[ce]
                        if cm != all { for c in 0..<ds.corridors.count where cm & (1 << UInt64(c)) != 0 { kmByCorridor[c] += net.lengthKm[ce] } }
                    }
                    total -= amount
                    let m = mask & all
                    var slot = m == 0 || m == all ? ds.corridors.count : m.trailingZeroBitCount
                    // No corridor common to every link: the one with most corridor-specific km.
                    if m == 0, let best = kmByCorridor.indices.max(by: { (kmByCorridor[$0], -$0) < (kmByCorridor[$1], -$1) }), kmByCorridor[best] > 0 { slot = best }
                    teu[slot] += amount; teuKm[slot] += amount * km
                    let isSea = seaIsAlternative ? viaAlternative : seaKm > km / 2
                    if isSea { sea[k] += amount } else { land[k] += amount; landDays[k] += amount * days }
                }
            }
        }
        let sum = teu.reduce(0, +)
        var out: [CorridorShare] = []
        for (i, c) in ds.corridors.enumerated() where teu[i] > 0 {
            out.append(CorridorShare(corridor: c.id, name: c.name, teu: teu[i], share: sum > 0 ? teu[i] / sum : 0, teuKm: teuKm[i]))
        }
        if teu[ds.corridors.count] > 0 {
            out.append(CorridorShare(corridor: "mixed", name: "Mixed or shared links only", teu: teu.last!, share: sum > 0 ? teu.last! / sum : 0, teuKm: teuKm.last!))
        }
        return (out.sorted { $0.teu > $1.teu }, sea, land, landDays)
    }
}
