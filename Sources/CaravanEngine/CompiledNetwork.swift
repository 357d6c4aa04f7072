import CaravanModel

/// What a search state carries besides the place: the track gauge or mode a
/// shipment is on. Transfer costs depend only on the change of class at a place.
/// `vehicleAboard` is a truck (with its driver) riding a ro-ro ferry: it drives on and off
/// (`roRo`), where a container on the same ship (`water`) is lifted (`portHandling`).
public enum TravelClass: UInt8, Sendable, CaseIterable {
    case rail1435, rail1520, rail1668, road, water, vehicleAboard

    static func of(_ link: Link) -> TravelClass {
        switch link.mode.medium {
        case .rail:
            switch link.gauge ?? .standard { case .standard: return .rail1435; case .russian: return .rail1520; case .iberian: return .rail1668 }
        case .road: return .road
        case .water: return .water
        }
    }
    var isRail: Bool { self == .rail1435 || self == .rail1520 || self == .rail1668 }
}

/// What an edge of the state graph is.
public enum EdgeKind: UInt8, Sendable {
    case linkForward, linkBackward
    /// Staying on the same train or truck through a place: free.
    case through
    case transshipment, gaugeChange, portHandling
    /// A truck driving onto or off a ro-ro ferry.
    case roRo

    /// A move at a place (`edgeRef` is the place): what a place's throughput capacity limits.
    public var isTransfer: Bool { self == .transshipment || self == .gaugeChange || self == .portHandling || self == .roRo }
}

/// A network snapshot compiled into a compact state graph. A state is
/// (place, travel class, phase): shipments *arrive* at a place in one class and
/// *depart* in one class. Links run from a departing state to an arriving state;
/// at a place, an arriving state leads to departing states through at most one
/// transfer (or the free `through` edge when nothing changes), so every
/// transshipment, gauge change and port move is charged exactly once, where it happens.
/// Criteria live in one array each (struct of arrays), per unit of cargo, so that
/// any cargo and any weighting is a linear combination computed at query time.
public struct CompiledNetwork: Sendable {
    /// The snapshot whose date and values the per-edge arrays hold.
    public private(set) var snapshot: NetworkSnapshot
    /// The state graph in compressed sparse row (CSR) form.
    public let graph: CSRGraph
    /// Place index of each state.
    public let statePlace: [Int32]
    /// Travel class of each state.
    public let stateClass: [TravelClass]
    /// True for arriving states, false for departing ones.
    public let stateArriving: [Bool]
    /// States of place p: `placeStates[placeFirstState[p] ..< placeFirstState[p + 1]]`.
    public let placeFirstState: [Int32]
    /// State ids grouped by place (see `placeFirstState`).
    public let placeStates: [Int32]

    /// Kind of each edge: a link direction, a through edge or a transfer.
    public let edgeKind: [EdgeKind]
    /// Dataset link index for link edges; place index for transfers.
    public let edgeRef: [Int32]
    /// Number of handling moves for transfers (2 for ship-to-ship).
    public let edgeMoves: [UInt8]
    /// CSR position of each link's forward and backward edge (-1 for none).
    public let linkForwardEdge: [Int32]
    /// CSR position of each link's backward edge (-1 for a one-way link).
    public let linkBackwardEdge: [Int32]
    /// For ferry links: the CSR positions of the edges a truck rides aboard, forward and backward (-1 for none).
    public let linkAboardForwardEdge: [Int32], linkAboardBackwardEdge: [Int32]
    /// What the topology was built from; a snapshot with the same structure can be patched in.
    public let structure: NetworkStructure

    /// Days of each edge: running time, mean wait and border time for links; handling time for transfers.
    public private(set) var timeDays: [Double]
    /// USD per TEU of each edge: tariff plus border cost for links; handling for transfers.
    public private(set) var usdPerTEU: [Double]
    /// USD per tonne of each edge: per-tonne tariff, plus border and handling costs per TEU ÷ payload.
    public private(set) var usdPerTonne: [Double]
    /// Moving emissions of each edge, in kg CO2e per tonne (0 for transfers).
    public private(set) var co2eKgPerTonne: [Double]
    /// Handling emissions of each edge, in kg CO2e per TEU (0 for links).
    public private(set) var co2eKgPerTEU: [Double]
    /// Perceived risk of each edge, USD per TEU (border measures with `risk_usd_teu`; generalised cost only).
    public private(set) var riskUSDPerTEU: [Double]
    /// Border crossings on each edge: 1 for a link with a border, else 0.
    public private(set) var borderCount: [UInt8]
    /// Length of each edge, in km (0 for through and transfer edges).
    public private(set) var lengthKm: [Double]
    /// Corridor bits of each edge; 0 when the edge cannot be used on the snapshot's date.
    public private(set) var corridorMask: [UInt64]

    /// Number of states (nodes of the state graph).
    public var stateCount: Int { graph.nodeCount }
    /// Number of edges of the state graph.
    public var edgeCount: Int { graph.edgeCount }

    /// Compiles the topology of every link of the dataset (available or not), then fills
    /// the values and masks of the snapshot's date.
    public init(_ snapshot: NetworkSnapshot) {
        self.snapshot = snapshot
        let ds = snapshot.dataset
        let placeCount = ds.places.count
        let classCount = TravelClass.allCases.count
        // 1. States: one per (place, class, phase) that some link touches.
        var stateID = [Int32](repeating: -1, count: placeCount * classCount * 2)
        var sPlace: [Int32] = [], sClass: [TravelClass] = [], sArriving: [Bool] = []
        func state(_ place: Int, _ c: TravelClass, arriving: Bool) -> Int32 {
            let key = (place * classCount + Int(c.rawValue)) * 2 + (arriving ? 1 : 0)
            if stateID[key] < 0 { stateID[key] = Int32(sPlace.count); sPlace.append(Int32(place)); sClass.append(c); sArriving.append(arriving) }
            return stateID[key]
        }
        var tails: [Int32] = [], heads: [Int32] = []
        var kind: [EdgeKind] = [], ref: [Int32] = [], moves: [UInt8] = []
        for (i, l) in ds.links.enumerated() {
            let u = ds.placeIndex[l.from]!, v = ds.placeIndex[l.to]!
            let c = TravelClass.of(l)
            let directions = l.bidirectional ? [(u, v, EdgeKind.linkForward), (v, u, EdgeKind.linkBackward)] : [(u, v, EdgeKind.linkForward)]
            for (a, b, k) in directions {
                // A truck kept on its wheels rides a ferry aboard only, never as a lifted container.
                if !(ds.truckOnly && l.mode == .ferry) {
                    tails.append(state(a, c, arriving: false)); heads.append(state(b, c, arriving: true))
                    kind.append(k); ref.append(Int32(i)); moves.append(0)
                }
                // A ro-ro ferry also carries trucks that drive on and off.
                guard l.mode == .ferry else { continue }
                tails.append(state(a, .vehicleAboard, arriving: false)); heads.append(state(b, .vehicleAboard, arriving: true))
                kind.append(k); ref.append(Int32(i)); moves.append(0)
            }
        }
        // 2. At each place: arriving -> departing, free when nothing changes, else one transfer where allowed.
        var statesOfPlace = [[Int32]](repeating: [], count: placeCount)
        for s in 0..<sPlace.count { statesOfPlace[Int(sPlace[s])].append(Int32(s)) }
        for (pi, place) in ds.places.enumerated() {
            let states = statesOfPlace[pi].sorted { (sClass[Int($0)].rawValue, sArriving[Int($0)] ? 0 : 1) < (sClass[Int($1)].rawValue, sArriving[Int($1)] ? 0 : 1) }
            for a in states where sArriving[Int(a)] {
                for b in states where !sArriving[Int(b)] {
                    guard let (k, n) = CompiledNetwork.transfer(from: sClass[Int(a)], to: sClass[Int(b)], at: place) else { continue }
                    tails.append(a); heads.append(b); kind.append(k); ref.append(Int32(pi)); moves.append(UInt8(n))
                }
            }
        }
        // 3. CSR, with every per-edge array permuted into CSR order.
        let (graph, origin) = CSRGraph.build(nodeCount: sPlace.count, tails: tails, heads: heads)
        func permute<T>(_ a: [T]) -> [T] { origin.map { a[Int($0)] } }
        self.graph = graph
        statePlace = sPlace; stateClass = sClass; stateArriving = sArriving
        edgeKind = permute(kind); edgeRef = permute(ref); edgeMoves = permute(moves)
        var fwd = [Int32](repeating: -1, count: ds.links.count), bwd = fwd, aboardFwd = fwd, aboardBwd = fwd
        for e in 0..<edgeKind.count {
            let aboard = sClass[Int(graph.head[e])] == .vehicleAboard
            switch edgeKind[e] {
            case .linkForward: if aboard { aboardFwd[Int(edgeRef[e])] = Int32(e) } else { fwd[Int(edgeRef[e])] = Int32(e) }
            case .linkBackward: if aboard { aboardBwd[Int(edgeRef[e])] = Int32(e) } else { bwd[Int(edgeRef[e])] = Int32(e) }
            default: break
            }
        }
        linkForwardEdge = fwd; linkBackwardEdge = bwd; linkAboardForwardEdge = aboardFwd; linkAboardBackwardEdge = aboardBwd
        var first = [Int32](repeating: 0, count: placeCount + 1), flat: [Int32] = []
        for pi in 0..<placeCount {
            first[pi] = Int32(flat.count)
            flat += statesOfPlace[pi].sorted()
        }
        first[placeCount] = Int32(flat.count)
        placeFirstState = first; placeStates = flat
        structure = NetworkStructure(ds)
        let n = edgeKind.count
        timeDays = [Double](repeating: 0, count: n); usdPerTEU = timeDays; usdPerTonne = timeDays
        co2eKgPerTonne = timeDays; co2eKgPerTEU = timeDays; lengthKm = timeDays; riskUSDPerTEU = timeDays
        borderCount = [UInt8](repeating: 0, count: n); corridorMask = [UInt64](repeating: 0, count: n)
        fillValues()
    }

    /// Re-targets the compiled graph to another snapshot (another date, or a scenario
    /// that edits values, closes or opens links) by rewriting the per-edge values in
    /// place: O(edges), no re-sorting and no new states. Returns false, changing
    /// nothing, when the snapshot's dataset has another structure (added links or
    /// places, changed functions): compile that one anew.
    @discardableResult
    public mutating func retarget(to snapshot: NetworkSnapshot) -> Bool {
        guard NetworkStructure(snapshot.dataset) == structure else { return false }
        self.snapshot = snapshot
        fillValues()
        return true
    }

    private mutating func fillValues() {
        let ds = snapshot.dataset, p = ds.parameters
        let payload = p.teuPayloadTonnes, co2PerMove = p[.transferCO2eKgPerTEU]
        for e in 0..<edgeKind.count {
            switch edgeKind[e] {
            case .linkForward, .linkBackward:
                let link = snapshot.links[Int(edgeRef[e])]
                let border = edgeKind[e] == .linkForward ? link.border : link.borderBack
                let borderH = border?.hours ?? 0, borderUSD = border?.usdPerTEU ?? 0
                timeDays[e] = (link.runHours + link.waitHours + borderH) / 24
                let tariff = link.tariff(aboard: isAboard(edge: e), forward: edgeKind[e] == .linkForward, p)
                usdPerTEU[e] = tariff.usdPerTEU + borderUSD; usdPerTonne[e] = tariff.usdPerTonne + borderUSD / payload
                co2eKgPerTonne[e] = link.co2eKgPerTonne; co2eKgPerTEU[e] = 0; riskUSDPerTEU[e] = border?.riskUSDPerTEU ?? 0
                borderCount[e] = link.border == nil ? 0 : 1; lengthKm[e] = link.lengthKm
                corridorMask[e] = linkEdgeMask(link, edge: e)
            case .through:
                timeDays[e] = 0; usdPerTEU[e] = 0; usdPerTonne[e] = 0; co2eKgPerTonne[e] = 0; co2eKgPerTEU[e] = 0; riskUSDPerTEU[e] = 0
                corridorMask[e] = .max
            case .transshipment, .gaugeChange, .portHandling, .roRo:
                let n = Double(edgeMoves[e])
                let (hours, usd) = CompiledNetwork.transferCost(edgeKind[e], at: ds.places[Int(edgeRef[e])], p)
                timeDays[e] = n * hours / 24; usdPerTEU[e] = n * usd; usdPerTonne[e] = n * usd / payload
                // A truck driving on or off moves no container with a crane.
                co2eKgPerTonne[e] = 0; co2eKgPerTEU[e] = edgeKind[e] == .roRo ? 0 : n * co2PerMove; riskUSDPerTEU[e] = 0
                corridorMask[e] = .max
            }
        }
    }

    /// Disables edges (mask 0), e.g. to remove a link or place for criticality analysis.
    public mutating func disable(edges: [Int32]) { for e in edges { corridorMask[Int(e)] = 0 } }
    /// Restores the masks of edges from the snapshot.
    public mutating func restore(edges: [Int32]) {
        for e32 in edges {
            let e = Int(e32)
            switch edgeKind[e] {
            case .linkForward, .linkBackward:
                corridorMask[e] = linkEdgeMask(snapshot.links[Int(edgeRef[e])], edge: e)
            default: corridorMask[e] = .max
            }
        }
    }

    /// The transfer from arriving in class a to departing in class b at a place, with its
    /// number of handling moves; nil when the place's functions do not allow it.
    static func transfer(from a: TravelClass, to b: TravelClass, at place: Place) -> (EdgeKind, Int)? {
        let f = place.functions
        switch (a, b) {
        case (.vehicleAboard, .vehicleAboard): return (.through, 0)
        case (.road, .vehicleAboard), (.vehicleAboard, .road): return f.contains(.port) ? (.roRo, 1) : nil
        case (.vehicleAboard, _), (_, .vehicleAboard): return nil   // a truck leaves the ship on the road
        case (.water, .water): return f.contains(.port) ? (.portHandling, 2) : nil   // discharge, then load another ship
        case (.water, _), (_, .water): return f.contains(.port) ? (.portHandling, 1) : nil
        default:
            if a == b { return (.through, 0) }
            if a.isRail && b.isRail { return f.contains(.gaugeChange) ? (.gaugeChange, 1) : nil }
            return f.contains(.intermodal) || f.contains(.port) ? (.transshipment, 1) : nil
        }
    }

    /// The general hours and USD-per-TEU parameters of one move of this kind, for places without
    /// a measured transfer (crane and rail moves; a ro-ro move is `roRoCost`'s).
    static func generalTransferKeys(_ kind: EdgeKind) -> (hours: ParameterKey, usd: ParameterKey) {
        switch kind {
        case .gaugeChange: return (.gaugeChangeH, .gaugeChangeUSDPerTEU)
        case .portHandling: return (.portHandlingH, .portHandlingUSDPerTEU)
        default: return (.transferIntermodalH, .transferIntermodalUSDPerTEU)
        }
    }

    /// Hours and USD per TEU of one move of this kind at a place (a measured value at the place wins;
    /// a port's times its ship moves only, `Place.measuredTransferHours`).
    static func transferCost(_ kind: EdgeKind, at place: Place, _ p: Parameters) -> (Double, Double) {
        if kind == .roRo { return roRoCost(at: place, p) }
        let keys = generalTransferKeys(kind), ship = kind == .portHandling
        return ((place.measuredTransferHours(shipMove: ship) ?? p[keys.hours]) * place.transferFactor,
                place.measuredTransferUSDPerTEU(shipMove: ship) ?? p[keys.usd])
    }

    /// Hours and USD per TEU of a truck driving on or off a ro-ro ferry: `roro_transfer_h` (else the
    /// general port handling time) and `roro_usd_truck` over `truck_teu`; a place's measured transfer time
    /// is its cranes' and does not apply, its scenario factor does.
    static func roRoCost(at place: Place, _ p: Parameters) -> (Double, Double) {
        // The loader requires truck_teu with roro_usd_truck.
        let usd = p.values[.roroUSDPerTruck].map { $0 / (p.values[.truckTEU] ?? 1) } ?? 0
        return (p[roRoHoursKey(p)] * place.transferFactor, usd)
    }

    /// The general parameter a ro-ro move's time comes from: `roro_transfer_h`, else `port_handling_h`.
    static func roRoHoursKey(_ p: Parameters) -> ParameterKey { p.values[.roroTransferH] != nil ? .roroTransferH : .portHandlingH }

    /// The corridors a link's edge serves on the snapshot's date: none when the link is unavailable,
    /// or when a truck would ride aboard a line that takes no road vehicles.
    func linkEdgeMask(_ link: ResolvedLink, edge e: Int) -> UInt64 {
        guard link.available, link.carriesRoadVehicles || !isAboard(edge: e) else { return 0 }
        return link.corridorMask
    }

    /// True for an edge a truck rides aboard a ro-ro ferry.
    public func isAboard(edge e: Int) -> Bool { stateClass[Int(graph.head[e])] == .vehicleAboard }

    /// Every edge of a link: its directions, and on a ferry the directions a truck rides aboard.
    public func edges(ofLink i: Int) -> [Int32] {
        [linkForwardEdge[i], linkBackwardEdge[i], linkAboardForwardEdge[i], linkAboardBackwardEdge[i]].filter { $0 >= 0 }
    }

    /// Every edge touching a place (link edges into or out of it, and its transfers).
    public func edges(atPlace p: Int) -> [Int32] {
        var out: [Int32] = []
        for s in states(ofPlace: p) {
            for e in Int(graph.firstOut[Int(s)])..<Int(graph.firstOut[Int(s) + 1]) { out.append(Int32(e)) }
        }
        let ds = snapshot.dataset, id = ds.places[p].id
        for (i, l) in ds.links.enumerated() where l.to == id || l.from == id { out += edges(ofLink: i) }
        return out
    }

    /// States belonging to a place.
    public func states(ofPlace p: Int) -> ArraySlice<Int32> {
        placeStates[Int(placeFirstState[p])..<Int(placeFirstState[p + 1])]
    }
    /// Where a route from this place starts: its departing states.
    public func departingStates(ofPlace p: Int) -> [Int32] { states(ofPlace: p).filter { !stateArriving[Int($0)] } }
    /// Where a route to this place ends: its arriving states.
    public func arrivingStates(ofPlace p: Int) -> [Int32] { states(ofPlace: p).filter { stateArriving[Int($0)] } }
}

/// What a compiled topology depends on: the places with their functions and the
/// links (by index) with their endpoints, mode, gauge and direction. Equal structures
/// can share a compiled graph. Integer arrays, so the check is cheap.
public struct NetworkStructure: Hashable, Sendable {
    let functions: [UInt8]
    let ends: [Int32]
    let kinds: [UInt16]
    let truckOnly: Bool
    /// Records a dataset's structure: place functions, link ends, travel classes and directions.
    public init(_ ds: Dataset) {
        truckOnly = ds.truckOnly
        functions = ds.places.map(\.functions.rawValue)
        var ends = [Int32](), kinds = [UInt16]()
        ends.reserveCapacity(ds.links.count * 2); kinds.reserveCapacity(ds.links.count)
        for l in ds.links {
            ends.append(Int32(ds.placeIndex[l.from] ?? -1)); ends.append(Int32(ds.placeIndex[l.to] ?? -1))
            kinds.append(UInt16(TravelClass.of(l).rawValue) << 1 | (l.bidirectional ? 1 : 0))
        }
        self.ends = ends; self.kinds = kinds
    }
}
