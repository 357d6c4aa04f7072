import Foundation
import Synchronization

/// Runs CPU-heavy work (routing, Monte Carlo, engine builds, jobs) on its own threads, at most
/// `width` at once and at most `queueLimit` waiting, so the event loops and Swift's cooperative
/// pool stay free: `/health` and cheap requests answer while heavy ones compute.
/// Work that waited longer than `maxWait` (when given) is refused (503) instead of started late.
public final class ComputePool: Sendable {
    private let queue: OperationQueue
    private let admitted = Atomic<Int>(0)
    public let width: Int
    public let queueLimit: Int
    public let maxWait: Duration?

    public init(name: String, width: Int, queueLimit: Int, maxWait: Duration?) {
        let q = OperationQueue()
        q.name = name
        q.maxConcurrentOperationCount = max(1, width)
        queue = q
        self.width = max(1, width); self.queueLimit = max(0, queueLimit); self.maxWait = maxWait
    }

    /// Runs `work` on the pool; throws 503 when the pool is full or the work waited too long.
    public func run<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        let n = admitted.add(1, ordering: .acquiringAndReleasing).newValue
        defer { admitted.subtract(1, ordering: .acquiringAndReleasing) }
        guard n <= width + queueLimit else { throw APIError(503, field: "server", "the server is busy computing: retry shortly") }
        let enqueued = ContinuousClock.now, maxWait = self.maxWait
        return try await withCheckedThrowingContinuation { (c: CheckedContinuation<T, Error>) in
            queue.addOperation {
                if let maxWait, ContinuousClock.now - enqueued > maxWait {
                    c.resume(throwing: APIError(503, field: "server", "the request waited too long for a free worker: retry shortly")); return
                }
                c.resume(with: Result { try work() })
            }
        }
    }
}
