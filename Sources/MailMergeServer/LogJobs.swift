import Foundation
import InteractionLog
import Logging
import MailMergeKit
import ServiceLifecycle

/// One run of `POST /v1/segments/{no}/log`, as the API shows it.
struct JobSnapshot: Codable, Sendable, Equatable {
    enum State: String, Codable, Sendable { case running, succeeded, failed }
    var id: String
    var segmentNo: String
    var state: State
    var done: Int
    var total: Int?
    /// When succeeded: the logged segment's entry number and its number of interactions.
    var loggedSegmentEntryNo: Int64?
    var interactions: Int?
    /// When failed: what went wrong, in the CLI's words.
    var error: String?
}

/// The log jobs of this process. At most one job per segment runs at a time; a job runs the
/// `SegmentLogger` use case on a thread of its own, which records everything in one transaction or
/// nothing, so a job abandoned by a crash leaves nothing half-logged. On shutdown no job is started
/// and the running ones are waited for (`run()`).
final class LogJobs: Service, @unchecked Sendable {
    private let lock = NSLock()
    private var jobs: [String: JobSnapshot] = [:]
    private var order: [String] = []
    private var stopping = false
    private let logger: Logger

    init(logger: Logger) { self.logger = logger }

    /// Starts logging the segment file `path` (segment `segmentNo`). 409 when that segment is being
    /// logged or is logged already; 503 while the server shuts down.
    func start(segmentNo: String, path: String, configuration: ServerConfiguration) throws -> JobSnapshot {
        let database = configuration.databasePath
        let log = InteractionLogLocation.sqlite(path: database)
        let snapshot: JobSnapshot = try lock.withLock {
            if stopping { throw APIError(status: .serviceUnavailable, error: "shutting-down", detail: "the server is shutting down; try again later") }
            if let running = jobs.values.first(where: { $0.segmentNo == segmentNo && $0.state == .running }) {
                throw APIError.conflict("segment \(segmentNo) is being logged by job \(running.id); follow it at /v1/jobs/\(running.id)")
            }
            // Inside the lock, so that two requests at once cannot both pass the check.
            if let logged = try LogReader.loggedSegment(no: segmentNo, log: log) {
                throw APIError.conflict(
                    "segment \(segmentNo) is already logged (logged segment \(logged.entryNo), \(logged.numberOfInteractions) interactions); "
                        + "log a follow-up segment or cancel the logged segment first")
            }
            let job = JobSnapshot(id: UUID().uuidString.lowercased(), segmentNo: segmentNo, state: .running, done: 0, total: nil)
            jobs[job.id] = job
            order.append(job.id)
            if order.count > 200, let oldest = order.first(where: { jobs[$0]?.state != .running }) {
                jobs[oldest] = nil
                order.removeAll { $0 == oldest }
            }
            return job
        }
        var request = LogSegmentRequest(segmentPath: path)
        request.templatesDirectory = configuration.templatesDirectory
        request.outputDirectory = configuration.outputDirectory
        request.jobs = max(1, Defaults.jobs)
        let logRequest = request
        let id = snapshot.id
        let logger = self.logger
        Thread.detachNewThread { [self] in
            do throws(MailMergeError) {
                let result = try SegmentLogger.run(logRequest, log: .sqlite(path: database)) { done, total in
                    self.update(id) {
                        $0.done = done
                        $0.total = total
                    }
                }
                self.update(id) {
                    $0.state = .succeeded
                    $0.loggedSegmentEntryNo = result.loggedSegment.entryNo
                    $0.interactions = result.loggedSegment.numberOfInteractions
                    $0.done = result.loggedSegment.numberOfInteractions
                    $0.total = result.loggedSegment.numberOfInteractions
                }
                logger.info(
                    "logged segment", metadata: ["segment": "\(segmentNo)", "job": "\(id)", "interactions": "\(result.loggedSegment.numberOfInteractions)"])
            } catch {
                let detail = APIError.from(error).detail
                self.update(id) {
                    $0.state = .failed
                    $0.error = detail
                }
                logger.warning("log job failed", metadata: ["segment": "\(segmentNo)", "job": "\(id)", "error": "\(detail)"])
            }
        }
        return snapshot
    }

    func snapshot(_ id: String) -> JobSnapshot? { lock.withLock { jobs[id] } }

    private func update(_ id: String, _ change: (inout JobSnapshot) -> Void) {
        lock.withLock {
            guard var job = jobs[id] else { return }
            change(&job)
            jobs[id] = job
        }
    }

    private var running: Int { lock.withLock { jobs.values.count { $0.state == .running } } }

    /// Waits for the graceful shutdown, then refuses new jobs and waits for the running ones to finish
    /// (each finishes with all its entries logged, or with none).
    func run() async throws {
        try? await gracefulShutdown()
        lock.withLock { stopping = true }
        if running > 0 { logger.info("waiting for running log jobs", metadata: ["jobs": "\(running)"]) }
        // Cancelled (the service group gave up waiting): stop waiting, without spinning on a sleep that no
        // longer sleeps. A job cut off by the process's end commits nothing: its entries are one transaction.
        while running > 0, !Task.isCancelled {
            try? await Task.sleep(for: .milliseconds(100))
        }
        if running > 0 { logger.warning("log jobs abandoned at shutdown; each logs all its entries or none", metadata: ["jobs": "\(running)"]) }
    }
}
