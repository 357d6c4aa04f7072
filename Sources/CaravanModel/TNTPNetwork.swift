/// A network in the TNTP format of the Transportation Networks repository
/// (`_net.tntp`, optional `_trips.tntp`, `_node.tntp`, `_flow.tntp`).
/// Links are stored as parallel arrays; nodes are 0-based here (1-based in files).
public struct TNTPNetwork: Sendable {
    public init(name: String, zoneCount: Int, nodeCount: Int, firstThruNode: Int) {
        self.name = name; self.zoneCount = zoneCount; self.nodeCount = nodeCount; self.firstThruNode = firstThruNode
    }
    public var name: String
    public var zoneCount: Int
    public var nodeCount: Int
    /// 1-based in the file; nodes below it are zones that traffic may not pass through.
    public var firstThruNode: Int
    public var tail: [Int32] = [], head: [Int32] = []
    public var capacity: [Double] = [], length: [Double] = [], freeFlowTime: [Double] = []
    public var b: [Double] = [], power: [Double] = [], speed: [Double] = [], toll: [Double] = []
    public var linkType: [Int] = []
    /// Demand as (origin zone, destination zone, flow), 0-based, zero flows skipped.
    public var trips: [(origin: Int32, destination: Int32, flow: Double)] = []
    /// Node coordinates (x, y) as given; not always degrees (Chicago: state-plane feet).
    public var coordinates: [(x: Double, y: Double)]?
    public var linkCount: Int { tail.count }
}

