import Foundation
import Synchronization

/// Runs `lane` on up to `workers` threads over strided lanes of `0..<count` (lane w gets the
/// indices w, w + lanes, …). Each lane owns its results and hands them over when it ends, so
/// nothing is shared while the lanes run; the merged result is in index order, whatever the
/// thread timing.
func parallelLanes<T: Sendable>(count: Int, workers: Int, _ lane: @Sendable (_ indices: StrideTo<Int>) -> [T]) -> [T] {
    let lanes = max(1, min(workers, count))
    let parts = Mutex<[[T]]>(Array(repeating: [], count: lanes))
    DispatchQueue.concurrentPerform(iterations: lanes) { w in
        let local = lane(stride(from: w, to: count, by: lanes))
        precondition(local.count == (count - w + lanes - 1) / lanes, "a lane returns one value per index")
        parts.withLock { $0[w] = local }
    }
    return parts.withLock { p in (0..<count).map { p[$0 % lanes][$0 / lanes] } }
}

/// A value handed from one thread to another: put on one side, taken (moved out) on the other.
final class Handoff<T: Sendable>: Sendable {
    private let slot: Mutex<T?>
    init(_ value: T? = nil) { slot = Mutex(value) }
    func put(_ value: T) { slot.withLock { $0 = value } }
    func take() -> T { slot.withLock { $0.take() }! }
}

/// Runs `background` on another thread while the calling thread runs `foreground`, and returns
/// `background`'s result once both are done. `background` sees only what it captures (Sendable
/// values), so it cannot race with `foreground`'s mutations.
func alongside<T: Sendable>(_ background: @escaping @Sendable () -> T, _ foreground: () -> Void) -> T {
    let result = Handoff<T>(), done = DispatchSemaphore(value: 0)
    DispatchQueue.global().async { result.put(background()); done.signal() }
    foreground()
    done.wait()
    return result.take()
}
