import Foundation
import Synchronization
import NIOCore
import Hummingbird

/// An encoded response body and its content type: what a cacheable handler returns.
struct Payload: Sendable {
    let bytes: ByteBuffer
    let contentType: String
    var response: Response { Response(status: .ok, headers: [.contentType: contentType], body: .init(byteBuffer: bytes)) }
}

/// Bounded least-recently-used cache of deterministic answers (route, compare with
/// percentiles, reliability, scenario diffs). The same dataset, date, scenarios (and their generation),
/// query and seed always give the same bytes, so a repeated query costs a lookup. Bounded by
/// entries and by bytes; when either bound is passed, the least recently used quarter goes.
final class ResponseCache: Sendable {
    private struct Entry { let payload: Payload; var tick: Int }
    private let state = Mutex<(entries: [String: Entry], bytes: Int, tick: Int)>(([:], 0, 0))
    let maxEntries: Int, maxBytes: Int

    init(maxEntries: Int, maxBytes: Int) { self.maxEntries = maxEntries; self.maxBytes = maxBytes }

    func get(_ key: String) -> Payload? {
        state.withLock { s in
            guard var e = s.entries[key] else { return nil }
            s.tick += 1; e.tick = s.tick; s.entries[key] = e
            return e.payload
        }
    }

    func put(_ key: String, _ payload: Payload) {
        let size = payload.bytes.readableBytes + key.utf8.count
        guard maxEntries > 0, size <= maxBytes else { return }
        state.withLock { s in
            s.tick += 1
            if let old = s.entries[key] { s.bytes -= old.payload.bytes.readableBytes + key.utf8.count }
            s.entries[key] = Entry(payload: payload, tick: s.tick)
            s.bytes += size
            guard s.entries.count > maxEntries || s.bytes > maxBytes else { return }
            // Evict the least recently used quarter at once, so a full cache sorts rarely, and more
            // while the bytes are still over their bound.
            let quarter = max(1, s.entries.count / 4)
            for (i, (k, e)) in s.entries.sorted(by: { $0.value.tick < $1.value.tick }).enumerated() {
                if i >= quarter && s.entries.count <= maxEntries && s.bytes <= maxBytes { break }
                s.entries[k] = nil; s.bytes -= e.payload.bytes.readableBytes + k.utf8.count
            }
        }
    }

    /// Entries and bytes held (for the tests).
    var usage: (entries: Int, bytes: Int) { state.withLock { ($0.entries.count, $0.bytes) } }
}
