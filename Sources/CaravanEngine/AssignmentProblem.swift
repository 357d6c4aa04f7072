import Foundation
import CaravanModel

/// A volume-delay function of a shared resource (a road link, a rail line, a port,
/// a border post): the *extra* time it adds to the links that use it at volume v.
public struct VolumeDelay: Sendable, Hashable, Codable {
    /// The shape of a volume-delay function.
    public enum Kind: String, Sendable, Codable {
        /// BPR: t0 * b * (v/c)^p.
        case bpr
        /// Queue: t0 * x / (1 - x) for x = v/c below `knee`, continued by its tangent above
        /// (finite and convex everywhere, steep as use nears capacity).
        case queue
        /// Logit split (Gartner's transformation): t0 * ln(x / (1 - x)) for x = v/c, the share of
        /// its pair's demand c on the alternative; continued by its tangents below `logitEdge`
        /// and above 1 - `logitEdge`. Negative below half: the links that use it carry an offset.
        case logit
    }
    /// Which function: BPR or queue.
    public var kind: Kind
    /// Time t0 the delay scales with (free-flow, border or handling time), in the problem's cost units.
    public var t0: Double
    /// Capacity c, in the resource's volume units; 0 or less means no delay.
    public var capacity: Double
    /// BPR coefficient b (alpha, 0.15 by default); unused by the queue.
    public var b: Double
    /// BPR exponent p (beta, 4 by default); unused by the queue.
    public var power: Double
    /// The v/c ratio (0.95) above which the queue delay continues along its tangent.
    public static let knee = 0.95
    /// The shares (and 1 minus them) below which the logit delay continues along its tangent.
    public static let logitEdge = 1e-6

    /// Creates a volume-delay function; b and power default to the BPR values 0.15 and 4.
    public init(kind: Kind, t0: Double, capacity: Double, b: Double = 0.15, power: Double = 4) {
        self.kind = kind; self.t0 = t0; self.capacity = capacity; self.b = b; self.power = power
    }

    /// The extra time at volume v (0 when there is no capacity, and for BPR and queue when v ≤ 0).
    @inline(__always) public func delay(_ v: Double) -> Double {
        guard capacity > 0 else { return 0 }
        let x = v / capacity
        switch kind {
        case .bpr:
            guard v > 0 else { return 0 }
            // x^p as x^(p-1) * x, the form `delayAndDerivative` shares with the slope, so both give the same delay.
            return power >= 1 ? t0 * b * Self.pow(x, power - 1) * x : t0 * b * Self.pow(x, power)
        case .logit: return logitDelay(x)
        case .queue:
            guard v > 0 else { return 0 }
            let k = Self.knee
            if x < k { return t0 * x / (1 - x) }
            return t0 * (k / (1 - k) + (x - k) / ((1 - k) * (1 - k)))
        }
    }

    /// x^p, by multiplication for the small whole powers BPR functions use (4 in nearly every
    /// network): `pow` was a tenth of Algorithm B's time. Deterministic either way.
    @inline(__always) static func pow(_ x: Double, _ p: Double) -> Double {
        switch p {
        case 4: let x2 = x * x; return x2 * x2
        case 1: return x
        case 2: return x * x
        case 3: return x * x * x
        case 0: return 1
        default: return Foundation.pow(x, p)
        }
    }

    /// The delay and its derivative at v together: one `pow` for BPR instead of two (non-integer
    /// powers, as in Barcelona, made `pow` a tenth of Algorithm B's time). The delay equals `delay(v)`.
    @inline(__always) public func delayAndDerivative(_ v: Double) -> (delay: Double, derivative: Double) {
        if kind == .bpr, capacity > 0, v > 0, power >= 1 {
            let x = v / capacity, q = Self.pow(x, power - 1)
            return (t0 * b * q * x, t0 * b * power * q / capacity)
        }
        return (delay(v), derivative(v))
    }

    /// The derivative of the delay with respect to volume at v.
    @inline(__always) public func derivative(_ v: Double) -> Double {
        guard capacity > 0 else { return 0 }
        let x = max(0, v) / capacity
        switch kind {
        case .bpr: return power == 0 ? 0 : t0 * b * power * Self.pow(x, power - 1) / capacity
        case .queue:
            let k = Self.knee
            let m = min(x, k)
            return t0 / (capacity * (1 - m) * (1 - m))
        case .logit:
            let e = Self.logitEdge, m = min(max(v / capacity, e), 1 - e)
            return t0 / (capacity * m * (1 - m))
        }
    }

    /// The logit delay at share x, tangents outside [edge, 1 - edge].
    @inline(__always) func logitDelay(_ x: Double) -> Double {
        let e = Self.logitEdge
        if x < e { return t0 * (Foundation.log(e / (1 - e)) + (x - e) / (e * (1 - e))) }
        if x > 1 - e { return t0 * (Foundation.log((1 - e) / e) + (x - (1 - e)) / (e * (1 - e))) }
        return t0 * Foundation.log(x / (1 - x))
    }

    /// The lowest delay a logit function takes on volumes from 0 up (at 0): the offset its links need to stay non-negative.
    public var logitFloor: Double { kind == .logit && capacity > 0 ? logitDelay(0) : 0 }

    /// The integral of the delay from 0 to v (for the Beckmann objective).
    public func integral(_ v: Double) -> Double {
        guard capacity > 0, v > 0 else { return 0 }
        let x = v / capacity
        switch kind {
        case .bpr: return t0 * b * capacity * Foundation.pow(x, power + 1) / (power + 1)
        case .logit:
            // x ln x + (1 - x) ln(1 - x) inside; the tangents' integrals outside.
            let e = Self.logitEdge, w = e * (1 - e)
            func g(_ y: Double) -> Double { y * Foundation.log(y) + (1 - y) * Foundation.log(1 - y) }
            let lo = Foundation.log(e / (1 - e))
            if x <= e { return t0 * capacity * (lo * x + ((x - e) * (x - e) - e * e) / (2 * w)) }
            let atEdge = lo * e - e / (2 * (1 - e))
            if x <= 1 - e { return t0 * capacity * (atEdge + g(x) - g(e)) }
            let dx = x - (1 - e)
            return t0 * capacity * (atEdge + g(1 - e) - g(e) + Foundation.log((1 - e) / e) * dx + dx * dx / (2 * w))
        case .queue:
            let k = Self.knee
            if x < k { return t0 * capacity * (-x - Foundation.log(1 - x)) }
            let base = t0 * capacity * (-k - Foundation.log(1 - k))
            let dx = x - k
            return base + t0 * capacity * (k / (1 - k) * dx + dx * dx / (2 * (1 - k) * (1 - k)))
        }
    }
}

/// One class of demand (e.g. containers, general cargo): its own link costs (nil =
/// not allowed), the weight of its time, its volume per unit of flow, and its O-D demand.
public struct DemandClass: Sendable {
    /// Name of the class (a freight class id, or "all" for a TNTP network).
    public var name: String
    /// Fixed generalised cost of each link for this class; `.infinity` = not allowed.
    public var fixedCost: [Double]
    /// Multiplies resource delays into this class's cost (value of time).
    public var delayWeight: Double
    /// Resource volume per unit of this class's flow (e.g. TEU per tonne).
    public var volumeFactor: Double
    /// Demand: (origin node, destination node, amount).
    public var demand: [(origin: Int32, destination: Int32, amount: Double)]
    /// Creates a class from its link costs, delay weight, volume factor and demand.
    public init(name: String, fixedCost: [Double], delayWeight: Double = 1, volumeFactor: Double = 1,
                demand: [(origin: Int32, destination: Int32, amount: Double)]) {
        self.name = name; self.fixedCost = fixedCost; self.delayWeight = delayWeight; self.volumeFactor = volumeFactor; self.demand = demand
    }
}

/// A static equilibrium assignment problem on a directed graph. Link cost for class k:
/// `fixedCost_k[a] + delayWeight_k * delay_r(V_r)` where r = resource[a] and V_r is the
/// volume of all classes on the links of r.
public struct AssignmentProblem: Sendable {
    /// Number of nodes.
    public var nodeCount: Int
    /// Nodes below this index may only be origins or destinations, never passed through (TNTP zones).
    public var firstThroughNode: Int
    /// Start node of each link.
    public var tail: [Int32]
    /// End node of each link.
    public var head: [Int32]
    /// Resource of each link, or -1 when its cost does not depend on volume.
    public var resource: [Int32]
    /// The volume-delay function of each resource.
    public var resources: [VolumeDelay]
    /// The classes of demand, each with its own link costs and O-D demand.
    public var classes: [DemandClass]
    /// Number of links.
    public var linkCount: Int { tail.count }

    /// Creates a problem from its graph, resources and classes.
    public init(nodeCount: Int, firstThroughNode: Int, tail: [Int32], head: [Int32], resource: [Int32], resources: [VolumeDelay], classes: [DemandClass]) {
        self.nodeCount = nodeCount; self.firstThroughNode = firstThroughNode; self.tail = tail; self.head = head
        self.resource = resource; self.resources = resources; self.classes = classes
    }

    /// A TNTP network as a single-class problem: cost = free-flow time + tollFactor x toll +
    /// distanceFactor x length + BPR delay. Links with capacity 0 have no delay.
    public static func tntp(_ net: TNTPNetwork, tollFactor: Double = 0, distanceFactor: Double = 0) -> AssignmentProblem {
        var resources: [VolumeDelay] = [], resource: [Int32] = [], fixed: [Double] = []
        for a in 0..<net.linkCount {
            fixed.append(net.freeFlowTime[a] + tollFactor * net.toll[a] + distanceFactor * net.length[a])
            if net.capacity[a] > 0 && net.b[a] != 0 {
                resource.append(Int32(resources.count))
                resources.append(VolumeDelay(kind: .bpr, t0: net.freeFlowTime[a], capacity: net.capacity[a], b: net.b[a], power: net.power[a]))
            } else { resource.append(-1) }
        }
        let demand = net.trips.map { (origin: $0.origin, destination: $0.destination, amount: $0.flow) }
        return AssignmentProblem(nodeCount: net.nodeCount, firstThroughNode: max(0, net.firstThruNode - 1), tail: net.tail, head: net.head,
                                 resource: resource, resources: resources, classes: [DemandClass(name: "all", fixedCost: fixed, demand: demand)])
    }
}

/// One line of the convergence log.
public struct AssignmentIteration: Sendable, Codable {
    /// Iteration number (0 = the starting all-or-nothing assignment).
    public var iteration: Int
    /// Relative gap (TSTT − SPTT) / TSTT at this iteration's flows.
    public var relativeGap: Double
    /// Beckmann objective (single class; for several classes, of the delays plus fixed costs).
    public var objective: Double
    /// Seconds since the solve started.
    public var seconds: Double
    /// Seconds since the solve started without the convergence checks (each iteration's gap and
    /// objective): the solve time as TAP-B's log counts it (its log leaves its gap computation out).
    public var solveSeconds: Double
}

/// Outcome of an assignment: convergence log, final gap and objective, and link flows.
public struct AssignmentResult: Sendable, Codable {
    /// The algorithm used: "b", "fw" or "cfw".
    public var algorithm: String
    /// The convergence log, one entry per iteration.
    public var iterations: [AssignmentIteration]
    /// Relative gap of the last logged iteration.
    public var relativeGap: Double
    /// Objective at the final flows: fixed costs × flows plus the integrals of the resource delays.
    public var objective: Double
    /// Wall-clock seconds the solve took.
    public var seconds: Double
    /// Total link flow (all classes, in resource volume units) per link.
    public var linkFlow: [Double]
    /// Per class, per link.
    public var classFlow: [[Double]]
    /// Generalised cost of each link for the first class at the final flows.
    public var linkCost: [Double]
    /// Why the run stopped: "gap", "iterations", "time" or "cancelled".
    public var stopReason: String
}

/// When an assignment stops: the target gap, an iteration or time limit, or cancellation.
public struct AssignmentStop: Sendable {
    /// Target relative gap: the run stops once the gap is at or below it.
    public var gap: Double
    /// Largest number of iterations.
    public var maxIterations: Int
    /// Largest wall-clock time, in seconds.
    public var maxSeconds: Double
    /// Asked once per iteration: true stops the run (a cancelled job).
    public var isCancelled: (@Sendable () -> Bool)?
    /// Creates stop rules (defaults: gap 1e-6, 10,000 iterations, 600 s, no cancellation).
    public init(gap: Double = 1e-6, maxIterations: Int = 10_000, maxSeconds: Double = 600, isCancelled: (@Sendable () -> Bool)? = nil) {
        self.gap = gap; self.maxIterations = maxIterations; self.maxSeconds = maxSeconds; self.isCancelled = isCancelled
    }
}
