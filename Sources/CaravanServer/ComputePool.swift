import Foundation
import CaravanFormats
import Synchronization

/// Runs CPU-heavy work (routing, Monte Carlo, engine builds, jobs) on threads of its own, at most
/// `width` at once and at most `queueLimit` waiting, so the event loops and Swift's cooperative
/// pool stay free: `/health` and cheap requests answer while heavy ones compute.
/// Work that waited longer than `maxWait` (when given) is refused (503) instead of started late.
///
/// The workers are plain threads, not Dispatch or OperationQueue: on Linux those share Dispatch's
/// per-priority worker limit with the cooperative pool, and heavy work there delayed `/health` by
/// half a request's duration (measured with bench/load.sh).
public final class ComputePool: Sendable {
    /// Work waiting for a thread, and a count of it the workers wait on.
    private final class WorkQueue: Sendable {
        let items = Mutex<[@Sendable () -> Void]>([])
        let ready = DispatchSemaphore(value: 0)
        func add(_ work: @escaping @Sendable () -> Void) { items.withLock { $0.append(work) }; ready.signal() }
        func take() -> (@Sendable () -> Void)? { ready.wait(); return items.withLock { $0.isEmpty ? nil : $0.removeFirst() } }
    }
    private let queue = WorkQueue()
    private let admitted = Atomic<Int>(0)
    public let width: Int
    public let queueLimit: Int
    public let maxWait: Duration?

    public init(name: String, width: Int, queueLimit: Int, maxWait: Duration?) {
        self.width = max(1, width); self.queueLimit = max(0, queueLimit); self.maxWait = maxWait
        for i in 0..<self.width {
            let thread = Thread { [queue] in
                while true { queue.take()?() }
            }
            thread.name = "\(name).\(i)"
            thread.start()
        }
    }

    /// Runs `work` on the pool; throws 503 when the pool is full or the work waited too long.
    public func run<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        let n = admitted.add(1, ordering: .acquiringAndReleasing).newValue
        defer { admitted.subtract(1, ordering: .acquiringAndReleasing) }
        guard n <= width + queueLimit else { throw APIError(503, field: "server", "the server is busy computing: retry shortly") }
        let enqueued = ContinuousClock.now, maxWait = self.maxWait
        return try await withCheckedThrowingContinuation { (c: CheckedContinuation<T, Error>) in
            queue.add {
                if let maxWait, ContinuousClock.now - enqueued > maxWait {
                    c.resume(throwing: APIError(503, field: "server", "the request waited too long for a free worker: retry shortly")); return
                }
                c.resume(with: Result { try work() })
            }
        }
    }
}
