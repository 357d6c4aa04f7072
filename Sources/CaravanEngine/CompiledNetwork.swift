import CaravanModel

/// What a search state carries besides the place: the track gauge or mode a
/// shipment is on. Transfer costs depend only on the change of class at a place.
public enum TravelClass: UInt8, Sendable, CaseIterable {
    case rail1435, rail1520, rail1668, road, water

    static func of(_ link: Link) -> TravelClass {
        switch link.mode {
        case .rail:
            switch link.gauge ?? .standard { case .standard: return .rail1435; case .russian: return .rail1520; case .iberian: return .rail1668 }
        case .road: return .road
        case .sea, .ferry, .iww: return .water
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
    public let snapshot: NetworkSnapshot
    public let graph: CSRGraph
    public let statePlace: [Int32]
    public let stateClass: [TravelClass]
    /// True for arriving states, false for departing ones.
    public let stateArriving: [Bool]
    /// States of place p: `placeStates[placeFirstState[p] ..< placeFirstState[p + 1]]`.
    public let placeFirstState: [Int32]
    public let placeStates: [Int32]

    public let edgeKind: [EdgeKind]
    /// Index into `snapshot.links` for link edges; place index for transfers.
    public let edgeRef: [Int32]
    /// Number of handling moves for transfers (2 for ship-to-ship).
    public let edgeMoves: [UInt8]
    public let timeDays: [Double]
    public let usdPerTEU: [Double]
    public let usdPerTonne: [Double]
    public let co2eKgPerTonne: [Double]
    public let co2eKgPerTEU: [Double]
    public let borderCount: [UInt8]
    public let lengthKm: [Double]
    public let corridorMask: [UInt64]

    public var stateCount: Int { graph.nodeCount }
    public var edgeCount: Int { graph.edgeCount }

    public init(_ snapshot: NetworkSnapshot) {
        self.snapshot = snapshot
        let ds = snapshot.dataset, p = ds.parameters
        let placeCount = ds.places.count
        let classCount = TravelClass.allCases.count
        // 1. States: one per (place, class, phase) that some available link touches.
        var stateID = [Int32](repeating: -1, count: placeCount * classCount * 2)
        var sPlace: [Int32] = [], sClass: [TravelClass] = [], sArriving: [Bool] = []
        func state(_ place: Int, _ c: TravelClass, arriving: Bool) -> Int32 {
            let key = (place * classCount + Int(c.rawValue)) * 2 + (arriving ? 1 : 0)
            if stateID[key] < 0 { stateID[key] = Int32(sPlace.count); sPlace.append(Int32(place)); sClass.append(c); sArriving.append(arriving) }
            return stateID[key]
        }
        var tails: [Int32] = [], heads: [Int32] = []
        var kind: [EdgeKind] = [], ref: [Int32] = [], moves: [UInt8] = []
        var time: [Double] = [], teu: [Double] = [], tonne: [Double] = [], co2t: [Double] = [], co2teu: [Double] = []
        var borders: [UInt8] = [], km: [Double] = [], masks: [UInt64] = []
        let payload = p.teuPayloadTonnes
        for (r, link) in snapshot.links.enumerated() {
            let l = ds.links[link.index]
            let u = ds.placeIndex[l.from]!, v = ds.placeIndex[l.to]!
            let c = TravelClass.of(l)
            let borderH = link.border?.hours ?? 0, borderUSD = link.border?.usdPerTEU ?? 0
            let directions = l.bidirectional ? [(u, v, EdgeKind.linkForward), (v, u, EdgeKind.linkBackward)] : [(u, v, EdgeKind.linkForward)]
            for (a, b, k) in directions {
                tails.append(state(a, c, arriving: false)); heads.append(state(b, c, arriving: true))
                kind.append(k); ref.append(Int32(r)); moves.append(0)
                time.append((link.runHours + link.waitHours + borderH) / 24)
                teu.append(link.usdPerTEU + borderUSD); tonne.append(link.usdPerTonne + borderUSD / payload)
                co2t.append(link.co2eKgPerTonne); co2teu.append(0)
                borders.append(link.border == nil ? 0 : 1); km.append(link.lengthKm); masks.append(link.corridorMask)
            }
        }
        // 2. At each place: arriving -> departing, free when nothing changes, else one transfer where allowed.
        var statesOfPlace = [[Int32]](repeating: [], count: placeCount)
        for s in 0..<sPlace.count { statesOfPlace[Int(sPlace[s])].append(Int32(s)) }
        let co2PerMove = p["transfer_co2e_kg_teu"]
        for (pi, place) in ds.places.enumerated() {
            let states = statesOfPlace[pi].sorted { (sClass[Int($0)].rawValue, sArriving[Int($0)] ? 0 : 1) < (sClass[Int($1)].rawValue, sArriving[Int($1)] ? 0 : 1) }
            for a in states where sArriving[Int(a)] {
                for b in states where !sArriving[Int(b)] {
                    let ca = sClass[Int(a)], cb = sClass[Int(b)]
                    guard let (k, n) = CompiledNetwork.transfer(from: ca, to: cb, at: place) else { continue }
                    let (hours, usd) = k == .through ? (0, 0) : CompiledNetwork.transferCost(k, at: place, p)
                    tails.append(a); heads.append(b); kind.append(k); ref.append(Int32(pi)); moves.append(UInt8(n))
                    time.append(Double(n) * hours / 24); teu.append(Double(n) * usd); tonne.append(Double(n) * usd / payload)
                    co2t.append(0); co2teu.append(Double(n) * co2PerMove)
                    borders.append(0); km.append(0); masks.append(.max)
                }
            }
        }
        // 3. CSR, with every per-edge array permuted into CSR order.
        let (graph, origin) = CSRGraph.build(nodeCount: sPlace.count, tails: tails, heads: heads)
        func permute<T>(_ a: [T]) -> [T] { origin.map { a[Int($0)] } }
        self.graph = graph
        statePlace = sPlace; stateClass = sClass; stateArriving = sArriving
        edgeKind = permute(kind); edgeRef = permute(ref); edgeMoves = permute(moves)
        timeDays = permute(time); usdPerTEU = permute(teu); usdPerTonne = permute(tonne)
        co2eKgPerTonne = permute(co2t); co2eKgPerTEU = permute(co2teu); borderCount = permute(borders)
        lengthKm = permute(km); corridorMask = permute(masks)
        var first = [Int32](repeating: 0, count: placeCount + 1), flat: [Int32] = []
        for pi in 0..<placeCount {
            first[pi] = Int32(flat.count)
            flat += statesOfPlace[pi].sorted()
        }
        first[placeCount] = Int32(flat.count)
        placeFirstState = first; placeStates = flat
    }

    /// The transfer from arriving in class a to departing in class b at a place, with its
    /// number of handling moves; nil when the place's functions do not allow it.
    static func transfer(from a: TravelClass, to b: TravelClass, at place: Place) -> (EdgeKind, Int)? {
        let f = place.functions
        switch (a, b) {
        case (.water, .water): return f.contains(.port) ? (.portHandling, 2) : nil   // discharge, then load another ship
        case (.water, _), (_, .water): return f.contains(.port) ? (.portHandling, 1) : nil
        default:
            if a == b { return (.through, 0) }
            if a.isRail && b.isRail { return f.contains(.gaugeChange) ? (.gaugeChange, 1) : nil }
            return f.contains(.intermodal) || f.contains(.port) ? (.transshipment, 1) : nil
        }
    }

    /// Hours and USD per TEU of one move of this kind at a place (a measured value at the place wins).
    static func transferCost(_ kind: EdgeKind, at place: Place, _ p: Parameters) -> (Double, Double) {
        let general: (Double, Double)
        switch kind {
        case .gaugeChange: general = (p["gauge_change_h"], p["gauge_change_usd_teu"])
        case .portHandling: general = (p["port_handling_h"], p["port_handling_usd_teu"])
        default: general = (p["transfer_intermodal_h"], p["transfer_intermodal_usd_teu"])
        }
        return (place.transferHours ?? general.0, place.transferUSDPerTEU ?? general.1)
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
