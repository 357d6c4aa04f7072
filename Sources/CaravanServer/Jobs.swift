import Foundation
import CaravanFormats
import Logging
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
    /// Handles of unfinished jobs only: a finished job's status is read from the store.
    private var handles: [String: JobHandle] = [:]
    /// Jobs accepted and not finished (running or waiting). Checked and raised in `submit`
    /// without a suspension point, so a burst of submissions cannot pass the limit.
    private var pending = 0
    /// Jobs of clients without the token, at most `maxAnonymous` unfinished at once.
    private var anonymousJobs: Set<String> = []
    public let maxAnonymous = 4
    private var counter = 0
    private let pool: ComputePool
    private let logger: Logger

    public init(store: Store, maxRunning: Int = 2, maxQueued: Int = 16, logger: Logger = Logger(label: "caravan.jobs")) {
        self.store = store; self.maxRunning = maxRunning; self.maxQueued = maxQueued; self.logger = logger
        // Jobs compute on their own threads, never on the cooperative pool; the queue limit is `pending`.
        pool = ComputePool(name: "caravan.jobs", width: maxRunning, queueLimit: maxQueued, maxWait: nil)
    }

    /// Queues work; returns the job id, or nil when the queue is full.
    public func submit(kind: String, input: String, datasetVersion: String, anonymous: Bool = false,
                       work: @escaping @Sendable (JobHandle) throws -> String) throws -> String? {
        guard pending < maxRunning + maxQueued else { return nil }
        if anonymous && anonymousJobs.count >= maxAnonymous {
            throw APIError(429, field: "jobs", "clients without the token may have at most \(maxAnonymous) jobs queued or running: wait for one to finish")
        }
        counter += 1
        let id = String(format: "%@-%@-%04d", kind, String(UInt64(Date().timeIntervalSince1970 * 1000), radix: 36), counter % 10_000)
        try store.createRun(id: id, kind: kind, input: input, datasetVersion: datasetVersion)
        let handle = JobHandle(id: id)
        handles[id] = handle
        pending += 1
        if anonymous { anonymousJobs.insert(id) }
        Task { await self.execute(handle, work) }
        return id
    }

    private func finished(_ id: String) { pending -= 1; handles[id] = nil; anonymousJobs.remove(id) }

    /// A store write that failed is logged; the job's status then stays as last written.
    private nonisolated func record(_ id: String, status: String, result: String? = nil, error: String? = nil) {
        do { try store.updateRun(id: id, status: status, result: result, error: error) } catch {
            logger.error("job status not stored", metadata: ["job": "\(id)", "status": "\(status)", "error": "\(error)"])
        }
    }

    private func execute(_ handle: JobHandle, _ work: @escaping @Sendable (JobHandle) throws -> String) async {
        let id = handle.id
        let outcome: Result<String, Error> = await {
            do {
                return .success(try await pool.run { () throws -> String in
                    guard !handle.isCancelled else { throw CancellationError() }
                    self.record(id, status: "running")
                    return try work(handle)
                })
            } catch { return .failure(error) }
        }()
        switch outcome {
        case .success(let result): record(id, status: handle.isCancelled ? "cancelled" : "done", result: result)
        case .failure(let e as APIError): record(id, status: handle.isCancelled ? "cancelled" : "failed", error: e.reason)
        case .failure: record(id, status: handle.isCancelled ? "cancelled" : "failed", error: "the job failed")
        }
        handle.report(1)
        finished(id)
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
