import Foundation
import Synchronization

/// Progress and cancellation of one running job, shared with the work closure.
public final class JobHandle: Sendable {
    public let id: String
    private let progressBits = Atomic<UInt64>(0)
    private let cancelled = Atomic<Bool>(false)
    private let note = Mutex<String>("")
    init(id: String) { self.id = id }
    /// 0...1.
    public var progress: Double { Double(bitPattern: progressBits.load(ordering: .relaxed)) }
    public func report(_ fraction: Double, _ message: String = "") {
        progressBits.store(min(1, max(0, fraction)).bitPattern, ordering: .relaxed)
        if !message.isEmpty { note.withLock { $0 = message } }
    }
    public var message: String { note.withLock { $0 } }
    public var isCancelled: Bool { cancelled.load(ordering: .relaxed) }
    func cancel() { cancelled.store(true, ordering: .relaxed) }
}

public struct JobStatus: Sendable, Codable {
    public var id: String
    public var kind: String
    public var status: String
    public var progress: Double
    public var message: String
    public var datasetVersion: String
    public var input: String
    public var createdAt: String
    public var finishedAt: String?
    /// The result (JSON text) once done.
    public var result: String?
    public var error: String?
}

/// Runs long work (assignment, criticality, large Monte Carlo) in the background, at most
/// `maxRunning` at a time and `maxQueued` waiting; every job is a run in the store, so its
/// input and result survive the process.
public actor JobManager {
    let store: Store
    let maxRunning: Int, maxQueued: Int
    private var handles: [String: JobHandle] = [:]
    private var running = 0
    private var waiting: [CheckedContinuation<Void, Never>] = []
    private var counter = 0

    public init(store: Store, maxRunning: Int = 2, maxQueued: Int = 16) {
        self.store = store; self.maxRunning = maxRunning; self.maxQueued = maxQueued
    }

    /// Queues work; returns the job id, or nil when the queue is full.
    public func submit(kind: String, input: String, datasetVersion: String,
                       work: @escaping @Sendable (JobHandle) async throws -> String) throws -> String? {
        guard waiting.count < maxQueued else { return nil }
        counter += 1
        let id = String(format: "%@-%@-%04d", kind, String(UInt64(Date().timeIntervalSince1970 * 1000), radix: 36), counter % 10_000)
        try store.createRun(id: id, kind: kind, input: input, datasetVersion: datasetVersion)
        let handle = JobHandle(id: id)
        handles[id] = handle
        Task { await self.execute(handle, work) }
        return id
    }

    private func acquire() async {
        if running < maxRunning { running += 1; return }
        await withCheckedContinuation { waiting.append($0) }
    }
    private func release() {
        if waiting.isEmpty { running -= 1 } else { waiting.removeFirst().resume() }
    }

    private func execute(_ handle: JobHandle, _ work: @escaping @Sendable (JobHandle) async throws -> String) async {
        await acquire()
        defer { release() }
        guard !handle.isCancelled else { try? store.updateRun(id: handle.id, status: "cancelled"); return }
        try? store.updateRun(id: handle.id, status: "running")
        do {
            let result = try await work(handle)
            try? store.updateRun(id: handle.id, status: handle.isCancelled ? "cancelled" : "done", result: result)
        } catch {
            try? store.updateRun(id: handle.id, status: handle.isCancelled ? "cancelled" : "failed", error: "\(error)")
        }
        handle.report(1)
    }

    public func status(_ id: String) throws -> JobStatus? {
        guard let run = try store.run(id) else { return nil }
        let h = handles[id]
        return JobStatus(id: id, kind: run.kind, status: run.status, progress: run.status == "done" ? 1 : (h?.progress ?? 0), message: h?.message ?? "",
                         datasetVersion: run.datasetVersion, input: run.input, createdAt: run.createdAt, finishedAt: run.finishedAt,
                         result: run.result, error: run.error)
    }

    /// Asks a queued or running job to stop; false when unknown or already finished.
    public func cancel(_ id: String) throws -> Bool {
        guard let h = handles[id], let run = try store.run(id), run.status == "queued" || run.status == "running" else { return false }
        h.cancel()
        return true
    }
}
