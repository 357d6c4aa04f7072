/// A network in the TNTP format of the Transportation Networks repository
/// (`_net.tntp`, optional `_trips.tntp`, `_node.tntp`, `_flow.tntp`).
/// Links are stored as parallel arrays; nodes are 0-based here (1-based in files).
public struct TNTPNetwork: Sendable {
    /// Creates a network without links or trips; the reader appends them.
    public init(name: String, zoneCount: Int, nodeCount: Int, firstThruNode: Int) {
        self.name = name; self.zoneCount = zoneCount; self.nodeCount = nodeCount; self.firstThruNode = firstThruNode
    }
    /// Name of the network (the file stem, e.g. `SiouxFalls`).
    public var name: String
    /// Number of zones (`<NUMBER OF ZONES>`).
    public var zoneCount: Int
    /// Number of nodes (`<NUMBER OF NODES>`).
    public var nodeCount: Int
    /// 1-based in the file; nodes below it are zones that traffic may not pass through.
    public var firstThruNode: Int
    /// Per link: tail and head node, 0-based.
    public var tail: [Int32] = [], head: [Int32] = []
    /// Per link, as in the file: capacity, length and free-flow time.
    public var capacity: [Double] = [], length: [Double] = [], freeFlowTime: [Double] = []
    /// Per link, as in the file: BPR coefficient b and exponent (power), speed and toll.
    public var b: [Double] = [], power: [Double] = [], speed: [Double] = [], toll: [Double] = []
    /// Per link: the file's link type.
    public var linkType: [Int] = []
    /// Demand as (origin zone, destination zone, flow), 0-based, zero flows skipped.
    public var trips: [(origin: Int32, destination: Int32, flow: Double)] = []
    /// Node coordinates (x, y) as given; not always degrees (Chicago: state-plane feet).
    public var coordinates: [(x: Double, y: Double)]?
    /// Number of links.
    public var linkCount: Int { tail.count }
}

