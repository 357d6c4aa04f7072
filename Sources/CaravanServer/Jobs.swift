import Foundation
import CaravanFormats
import Logging
import Synchronization

/// Progress and cancellation of one running job, shared with the work closure.
public final class JobHandle: Sendable {
    public let id: String
    private let progressBits = Atomic<UInt64>(0)
    private let cancelled = Atomic<Bool>(false)
    private let lostLease = Atomic<Bool>(false)
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
    /// Another replica took the run over (this one missed its renewals): stop, write nothing.
    var isLost: Bool { lostLease.load(ordering: .relaxed) }
    func lose() { lostLease.store(true, ordering: .relaxed); cancel() }
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
    /// The replica running it (or that ran it last), and how many times one claimed it.
    public var owner: String?
    public var attempts: Int
    /// The result (JSON text) once done.
    public var result: String?
    public var error: String?
}

/// What a job does, built from its kind and stored input, so any replica can run any job.
public typealias JobWork = @Sendable (JobHandle) throws -> String
public typealias JobFactory = @Sendable (_ kind: String, _ input: String) throws -> JobWork

/// Runs long work (assignment, criticality, large Monte Carlo, batches). A submitted job is a
/// queued run in the store; every replica claims runs with a lease (at most `maxRunning` at a
/// time), renews it while working and writes the outcome only while it still holds it. A run
/// whose replica died is claimed again once its lease expires, up to `maxAttempts` times.
public actor JobManager {
    let store: any Store
    /// This replica's name in the store's `owner` column: host, process and a random suffix.
    public nonisolated let owner: String
    let maxRunning: Int, maxQueued: Int
    let leaseSeconds: Double
    let maxAttempts = 3
    public let maxAnonymous = 4
    private var counter = 0
    private var running = 0
    private var handles: [String: JobHandle] = [:]
    private var factory: JobFactory?
    private let pool: ComputePool
    private let logger: Logger

    public init(store: any Store, maxRunning: Int = 2, maxQueued: Int = 16, leaseSeconds: Double = 15, logger: Logger = Logger(label: "caravan.jobs")) {
        self.store = store; self.maxRunning = maxRunning; self.maxQueued = maxQueued; self.leaseSeconds = leaseSeconds; self.logger = logger
        owner = "\(ProcessInfo.processInfo.hostName)-\(ProcessInfo.processInfo.processIdentifier)-\(String(UInt32.random(in: 0...UInt32.max), radix: 36))"
        // Jobs compute on their own threads, never on the cooperative pool.
        pool = ComputePool(name: "caravan.jobs", width: maxRunning, queueLimit: maxRunning, maxWait: nil)
    }

    /// Starts claiming runs (once): now, after each finished job and every poll interval.
    public func start(factory: @escaping JobFactory, pollSeconds: Double = 0.25) {
        guard self.factory == nil else { return }
        self.factory = factory
        Task {
            while !Task.isCancelled {
                self.fill()
                try? await Task.sleep(nanoseconds: UInt64(pollSeconds * 1e9))
            }
        }
    }

    /// Queues work; returns the job id, or nil when the queue is full (counted over every replica).
    public func submit(kind: String, input: String, datasetVersion: String, anonymous: Bool = false) throws -> String? {
        let (unfinished, anonymousUnfinished) = try store.unfinishedRuns()
        guard unfinished < maxRunning + maxQueued else { return nil }
        if anonymous && anonymousUnfinished >= maxAnonymous {
            throw APIError(429, field: "jobs", "clients without the token may have at most \(maxAnonymous) jobs queued or running: wait for one to finish")
        }
        counter += 1
        let id = String(format: "%@-%@-%04d%@", kind, String(UInt64(Date().timeIntervalSince1970 * 1000), radix: 36), counter % 10_000,
                        String(UInt16.random(in: 0...UInt16.max), radix: 36))
        try store.createRun(id: id, kind: kind, input: input, datasetVersion: datasetVersion, anonymous: anonymous)
        fill()
        return id
    }

    /// Claims runs while this replica has room.
    private func fill() {
        guard let factory else { return }
        while running < maxRunning {
            let claimed: Run?
            do { claimed = try store.claimRun(owner: owner, leaseSeconds: leaseSeconds, maxAttempts: maxAttempts) } catch {
                logger.error("cannot claim a job", metadata: ["error": "\(error)"]); return
            }
            guard let run = claimed else { return }
            if run.attempts > 1 { logger.notice("job taken over after its lease expired", metadata: ["job": "\(run.id)", "attempt": "\(run.attempts)"]) }
            let handle = JobHandle(id: run.id)
            let work: JobWork
            do { work = try factory(run.kind, run.input) } catch {
                finish(handle, status: "failed", result: nil, error: (error as? APIError)?.reason ?? "the job's input cannot be read: \(error)")
                continue
            }
            running += 1
            handles[run.id] = handle
            Task { await self.execute(handle, work) }
        }
    }

    private nonisolated func finish(_ handle: JobHandle, status: String, result: String?, error: String?) {
        do {
            if try !store.finishRun(id: handle.id, owner: owner, status: status, result: result, error: error) {
                logger.notice("job outcome not written: another replica holds it", metadata: ["job": "\(handle.id)"])
            }
        } catch {
            logger.error("job outcome not stored", metadata: ["job": "\(handle.id)", "status": "\(status)", "error": "\(error)"])
        }
    }

    private func execute(_ handle: JobHandle, _ work: @escaping JobWork) async {
        let store = self.store, owner = self.owner, lease = leaseSeconds, logger = self.logger
        // Renews the lease a few times per period and carries progress and cancel requests.
        let heartbeat = Task.detached {
            while !Task.isCancelled {
                try? await Task.sleep(nanoseconds: UInt64(lease / 3 * 1e9))
                if Task.isCancelled { break }
                do {
                    switch try store.renewLease(id: handle.id, owner: owner, leaseSeconds: lease, progress: handle.progress, message: handle.message) {
                    case nil: handle.lose()
                    case true?: handle.cancel()
                    case false?: break
                    }
                } catch { logger.warning("lease not renewed", metadata: ["job": "\(handle.id)", "error": "\(error)"]) }
            }
        }
        let outcome: Result<String, Error>
        do { outcome = .success(try await pool.run { try work(handle) }) } catch { outcome = .failure(error) }
        heartbeat.cancel()
        if !handle.isLost {
            switch outcome {
            case .success(let result): finish(handle, status: handle.isCancelled ? "cancelled" : "done", result: handle.isCancelled ? nil : result, error: nil)
            case .failure(let e as APIError): finish(handle, status: handle.isCancelled ? "cancelled" : "failed", result: nil, error: e.reason)
            case .failure: finish(handle, status: handle.isCancelled ? "cancelled" : "failed", result: nil, error: "the job failed")
            }
        }
        handle.report(1)
        running -= 1
        handles[handle.id] = nil
        fill()
    }

    public func status(_ id: String) throws -> JobStatus? {
        guard let run = try store.run(id) else { return nil }
        // Progress of a job running here is read live; of one elsewhere, as last renewed.
        let h = run.status == "running" ? handles[id] : nil
        return JobStatus(id: id, kind: run.kind, status: run.status, progress: run.status == "done" ? 1 : (h?.progress ?? run.progress),
                         message: h?.message ?? run.message, datasetVersion: run.datasetVersion, input: run.input, createdAt: run.createdAt,
                         finishedAt: run.finishedAt, owner: run.owner, attempts: run.attempts, result: run.result, error: run.error)
    }

    /// Asks a queued or running job to stop (on whichever replica runs it); false when unknown or finished.
    public func cancel(_ id: String) throws -> Bool {
        guard try store.requestCancel(id) else { return false }
        handles[id]?.cancel()
        return true
    }
}
