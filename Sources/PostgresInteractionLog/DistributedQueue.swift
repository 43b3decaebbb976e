import Foundation
import InteractionLog
import PostgresNIO
import Segments

/// The chunk queue of distributed runs, in the PostgreSQL interaction log.
///
/// A coordinator plans a run: the segment's input files by SHA-256 (`distributed_input`), the run
/// (`distributed_run`, status `planned`; one planned run per segment number) and its chunks of lines.
/// Workers claim a chunk with `SELECT … FOR UPDATE SKIP LOCKED` and a lease they extend with a heartbeat,
/// write its letters, then in ONE transaction stage its entries (`distributed_entry`, unique per run and
/// line) and mark it done, only while they still hold the lease. The transaction that completes the last
/// chunk logs the segment: the logged segment and all its entries, moved from the staging table, so the
/// log sees the whole segment or nothing of it, as with a single-machine run.
public final class DistributedQueue: Sendable {
    public let session: PostgresSession

    /// The queue in the log `store` (same connection).
    public init(_ store: PostgresInteractionLogStore) { session = store.session }

    /// The queue on a connection of its own (a worker's heartbeat), the schema brought up to date.
    public init(_ location: PostgresLocation, reconnectFor: TimeInterval) throws(InteractionLogError) {
        session = try PostgresSession(location, reconnectFor: reconnectFor)
        do { try PostgresSchema.migrate(session) } catch { throw .cannotOpen(path: location.description, reason: PostgresSession.reason(error)) }
    }

    /// Runs `body` in one transaction; server errors are thrown as `PostgresFailure` (see `PostgresFailure.isConnectionLoss`).
    func tx<T>(_ body: (PostgresTransaction) throws -> T) throws -> T { try session.transaction(body) }

    /// One chunk of a plan: consecutive lines (0-based indices into the resolved lines).
    public struct PlannedChunk: Sendable, Hashable {
        public var firstLine: Int
        public var contactNos: [String]
        public init(firstLine: Int, contactNos: [String]) {
            self.firstLine = firstLine
            self.contactNos = contactNos
        }
    }

    /// A run as planned: what workers need to merge it.
    public struct Run: Sendable, Hashable {
        public var id: Int64
        public var segmentNo: String
        public var description: String
        public var status: String
        /// Input file role (`segment`, `contacts`, `templates.yaml`, `attachment:<name>`) → SHA-256.
        public var inputs: [String: String]
        /// The options every worker applies to the run (`DistributedRun.RunOptions`), by name.
        public var options: [String: String]
        public var lineCount: Int
        public var chunkCount: Int
        public var createdAt: Date
        public var loggedSegmentEntryNo: Int64?
    }

    /// A chunk a worker holds: valid while `token` is the chunk's lease token.
    public struct Claim: Sendable, Hashable {
        public var run: Run
        public var chunkNo: Int
        public var firstLine: Int
        public var contactNos: [String]
        public var token: Int64
        public var attempt: Int
    }

    /// What recording a chunk did.
    public enum Completion: Sendable, Hashable {
        /// Staged; other chunks are still open.
        case recorded
        /// Staged, and it was the last chunk: the segment is logged.
        case logged(LoggedSegment)
        /// Staged, and it was the last chunk of a run that is joined before it is logged (a print run): the run is
        /// `merged`, `finish` joins its print parts and logs it.
        case merged
        /// The lease expired and another worker took the chunk: nothing was recorded.
        case leaseLost
    }

    // MARK: Coordinator

    /// Stores a run in ONE transaction: inputs, options, run, chunks.
    ///
    /// - Throws: `DistributedError.alreadyPlanned` when a run of this segment is planned (a unique index decides
    ///   between racing coordinators), `InteractionLogError.alreadyLogged` when the segment is logged.
    ///
    /// - Parameter segmentJSON: `segment.segment` as `segmentJSON(_:)` encodes it, when the caller made it already
    ///   (while it did other work); else it is encoded here.
    public func plan(
        _ segment: NewLoggedSegment, segmentJSON: String? = nil, inputs: [String: (sha256: String, bytes: Data)], options: [String: String] = [:],
        lineCount: Int, chunks: [PlannedChunk]
    ) throws -> Run {
        let json = try segmentJSON ?? segment.segment.map(Self.segmentJSON)
        do {
            return try planOnce(segment, segmentJSON: json, inputs: inputs, options: options, lineCount: lineCount, chunks: chunks)
        } catch DistributedError.alreadyPlanned(let segmentNo, _) {
            let other = try session.query(
                "SELECT run_id FROM distributed_run WHERE lower(segment_no) = lower(\(segmentNo)) AND status IN ('planned', 'merged')"
            ).first?["run_id"].decode(Int64.self)
            throw DistributedError.alreadyPlanned(segmentNo: segmentNo, run: other)
        }
    }

    /// The segment as a run stores it (and the logged segment then keeps it), JSON.
    public static func segmentJSON(_ segment: Segment) throws -> String { try PostgresInteractionLogStore.json(segment) }

    private func planOnce(
        _ segment: NewLoggedSegment, segmentJSON: String?, inputs: [String: (sha256: String, bytes: Data)], options: [String: String], lineCount: Int,
        chunks: [PlannedChunk]
    ) throws -> Run {
        try tx { transaction in
            // A number logged once (canceled or deleted since, or not) is never logged again.
            if try !transaction.query(
                "SELECT 1 FROM segment_number WHERE lower(segment_no) = lower(\(segment.segmentNo)) AND logged_at IS NOT NULL"
            ).isEmpty {
                throw InteractionLogError.alreadyLogged(segmentNo: segment.segmentNo)
            }
            // In one order (by SHA-256): two coordinators storing the same files in their dictionaries' orders could each wait
            // for a row the other inserted (a deadlock) instead of the second waiting for the first and being refused.
            for input in inputs.values.sorted(by: { $0.sha256 < $1.sha256 }) {
                try transaction.query(
                    "INSERT INTO distributed_input (sha256, bytes) VALUES (\(input.sha256), \(input.bytes)) ON CONFLICT (sha256) DO NOTHING")
            }
            let roles = inputs.mapValues(\.sha256)
            let json = String(decoding: try JSONEncoder().encode(roles), as: UTF8.self)
            let optionsJSON = String(decoding: try JSONEncoder().encode(options), as: UTF8.self)
            let rows: [PostgresRandomAccessRow]
            do {
                rows = try transaction.query(
                    """
                    INSERT INTO distributed_run (segment_no, description, user_id, created_at, status, inputs, options, line_count, chunk_count,
                      segment_json)
                    VALUES (\(segment.segmentNo), \(segment.description), \(segment.userID), \(PostgresInteractionLogStore.milliseconds(segment.createdAt)),
                      'planned', \(json)::jsonb, \(optionsJSON)::jsonb, \(lineCount), \(chunks.count), \(segmentJSON))
                    RETURNING run_id
                    """)
            } catch let error as PSQLError where error.serverInfo?[.sqlState] == "23505" {
                throw DistributedError.alreadyPlanned(segmentNo: segment.segmentNo, run: nil)
            }
            let runID = try rows[0]["run_id"].decode(Int64.self)
            for start in stride(from: 0, to: chunks.count, by: 500) {
                var binds = PostgresBindings()
                var values: [String] = []
                for (offset, chunk) in chunks[start..<min(start + 500, chunks.count)].enumerated() {
                    let base = binds.count
                    values.append("(\(runID), $\(base + 1), $\(base + 2), $\(base + 3), $\(base + 4), 'pending')")
                    binds.append(Int32(start + offset))
                    binds.append(Int32(chunk.firstLine))
                    binds.append(Int32(chunk.contactNos.count))
                    binds.append(chunk.contactNos)
                }
                try transaction.query(
                    PostgresQuery(
                        unsafeSQL: "INSERT INTO distributed_chunk (run_id, chunk_no, first_line, line_count, contact_nos, status) VALUES "
                            + values.joined(separator: ", "), binds: binds))
            }
            return Run(
                id: runID, segmentNo: segment.segmentNo, description: segment.description, status: "planned", inputs: roles,
                options: options, lineCount: lineCount, chunkCount: chunks.count, createdAt: segment.createdAt, loggedSegmentEntryNo: nil)
        }
    }

    // MARK: Workers

    /// Registers (or re-registers) a worker as alive.
    public func register(worker: String, host: String, pid: Int32) throws {
        _ = try tx { transaction in
            try transaction.query(
                """
                INSERT INTO distributed_worker (worker_id, host, pid, started_at, last_seen) VALUES (\(worker), \(host), \(pid), now(), now())
                ON CONFLICT (worker_id) DO UPDATE SET last_seen = now(), host = excluded.host, pid = excluded.pid
                """)
        }
    }

    /// Claims the next open chunk (pending, or claimed with an expired lease), skipping chunks other workers are
    /// claiming right now. `nil` when there is none.
    ///
    /// One statement (its own transaction, one round trip): the chunk claimed, the worker marked alive, the run read.
    public func claim(worker: String, lease: TimeInterval) throws -> Claim? {
        let rows = try session.query(
            """
            WITH next AS (
              SELECT c.run_id, c.chunk_no FROM distributed_chunk c JOIN distributed_run r ON r.run_id = c.run_id
              WHERE r.status = 'planned' AND (c.status = 'pending' OR (c.status = 'claimed' AND c.lease_until < now()))
              ORDER BY c.run_id, c.chunk_no
              LIMIT 1
              FOR UPDATE OF c SKIP LOCKED),
            claimed AS (
              UPDATE distributed_chunk c SET status = 'claimed', worker_id = \(worker), lease_token = nextval('distributed_lease_token'),
                lease_until = now() + make_interval(secs => \(lease)), attempts = c.attempts + 1
              FROM next WHERE c.run_id = next.run_id AND c.chunk_no = next.chunk_no
              RETURNING c.run_id, c.chunk_no, c.first_line, c.contact_nos, c.lease_token, c.attempts),
            seen AS (UPDATE distributed_worker SET last_seen = now() WHERE worker_id = \(worker))
            SELECT claimed.chunk_no, claimed.first_line, claimed.contact_nos, claimed.lease_token, claimed.attempts, \(unescaped: Self.runColumns)
            FROM claimed JOIN distributed_run r ON r.run_id = claimed.run_id
            """)
        guard let row = rows.first else { return nil }
        return Claim(
            run: try Self.run(row), chunkNo: Int(try row["chunk_no"].decode(Int32.self)), firstLine: Int(try row["first_line"].decode(Int32.self)),
            contactNos: try row["contact_nos"].decode([String].self), token: try row["lease_token"].decode(Int64.self),
            attempt: Int(try row["attempts"].decode(Int32.self)))
    }

    /// Extends the lease of `claim` (and marks the worker alive); false when the lease was lost.
    ///
    /// The chunk's row first, then the worker's, in the order the chunk's commit locks them (`complete`): a beat still
    /// in flight when the commit starts makes the commit wait for it, never a deadlock of the two.
    public func heartbeat(_ claim: Claim, worker: String, lease: TimeInterval) throws -> Bool {
        try tx { transaction in
            let held =
                try transaction.execute(
                    """
                    UPDATE distributed_chunk SET lease_until = now() + make_interval(secs => \(lease))
                    WHERE run_id = \(claim.run.id) AND chunk_no = \(claim.chunkNo) AND lease_token = \(claim.token) AND status = 'claimed'
                    """) == 1
            try transaction.query("UPDATE distributed_worker SET last_seen = now() WHERE worker_id = \(worker)")
            return held
        }
    }

    /// How many workers on `host` were seen within `within` seconds (this one included, once registered).
    public func liveWorkers(host: String, within: TimeInterval) throws -> Int {
        try tx { transaction in
            Int(
                try transaction.query(
                    "SELECT count(*) AS alive FROM distributed_worker WHERE host = \(host) AND last_seen > now() - make_interval(secs => \(within))"
                )[0]["alive"].decode(Int64.self))
        }
    }

    /// Marks the worker alive (between chunks).
    public func touch(worker: String) throws {
        _ = try tx { transaction in try transaction.query("UPDATE distributed_worker SET last_seen = now() WHERE worker_id = \(worker)") }
    }

    /// The bytes of input `sha256`.
    public func input(_ sha256: String) throws -> Data {
        try tx { transaction in
            guard let row = try transaction.query("SELECT bytes FROM distributed_input WHERE sha256 = \(sha256)").first else {
                throw DistributedError.missingInput(sha256: sha256)
            }
            return try row["bytes"].decode(Data.self)
        }
    }

    /// The segment the coordinator planned, as JSON (stored with the run for the logged segment), if any.
    public func segmentJSON(_ run: Int64) throws -> String? {
        try tx { transaction in
            try transaction.query("SELECT segment_json FROM distributed_run WHERE run_id = \(run)").first?["segment_json"].decode(String?.self)
        }
    }

    /// Records the chunk's entries (`entries[i]` is line `claim.firstLine + i`) and marks it done, in ONE transaction,
    /// only while `claim` still holds the lease. The last chunk also logs the segment.
    ///
    /// If the connection breaks while committing, the outcome is read back: the chunk is done with this lease
    /// token exactly when the commit went through.
    ///
    /// - Parameters:
    ///   - parts: the chunk's print parts (JSON), stored with the chunk in the same transaction.
    ///   - finishLater: the last chunk leaves the run `merged` instead of logging it (`finish` logs it).
    ///   - runLocked: told the seconds the commit waited for the run's row (another worker's chunk commit holding it,
    ///     plus one round trip), for the worker's accounting.
    ///   - logging: called in the last chunk's transaction once it found every other chunk done, just before it moves the
    ///     staged entries into the log (seconds at 100,000 entries, while the other workers have nothing left to do): the
    ///     caller can read what the other chunks recorded (their manifest rows) on another connection meanwhile. Called
    ///     again when the transaction is run again; not called for a run joined later (`finishLater`).
    public func complete(
        _ claim: Claim, worker: String, entries: [NewInteractionLogEntry], parts: String? = nil, manifestRows: String? = nil, finishLater: Bool = false,
        runLocked: ((TimeInterval) -> Void)? = nil, logging: (() -> Void)? = nil
    ) throws -> Completion {
        do {
            return try completeOnce(
                claim, worker: worker, entries: entries, parts: parts, manifestRows: manifestRows, finishLater: finishLater, runLocked: runLocked,
                logging: logging)
        } catch DistributedError.loggedMeanwhile(let segmentNo, let run) {
            try session.query(
                "UPDATE distributed_run SET status = 'failed', failure = \("segment \(segmentNo) was logged meanwhile"), finished_at = now() WHERE run_id = \(run)"
            )
            throw DistributedError.loggedMeanwhile(segmentNo: segmentNo, run: run)
        } catch let failure as PostgresFailure where PostgresFailure.isConnectionLoss(failure) {
            // Outcome unknown: read it back on a new connection.
            let done = try tx { transaction in
                try transaction.query(
                    """
                    SELECT c.status, r.status AS run_status, r.logged_segment_entry_no FROM distributed_chunk c JOIN distributed_run r ON r.run_id = c.run_id
                    WHERE c.run_id = \(claim.run.id) AND c.chunk_no = \(claim.chunkNo) AND c.lease_token = \(claim.token) AND c.status = 'done'
                    """
                ).first
            }
            guard let done else {
                return try completeOnce(
                    claim, worker: worker, entries: entries, parts: parts, manifestRows: manifestRows, finishLater: finishLater, runLocked: runLocked,
                    logging: logging)
            }
            if try done["run_status"].decode(String.self) == "merged" { return .merged }
            guard let segment = try done["logged_segment_entry_no"].decode(Int64?.self) else { return .recorded }
            let logged = try tx { transaction in
                try transaction.query(
                    "SELECT \(unescaped: PostgresInteractionLogStore.segmentColumns) FROM logged_segment WHERE entry_no = \(segment)")
            }
            return .logged(try PostgresInteractionLogStore.segmentRow(logged))
        }
    }

    /// The run is no longer open (failed, or logged by other means) when a chunk commit got its row: the commit is rolled back.
    private struct RunNotOpen: Error {}

    private func completeOnce(
        _ claim: Claim, worker: String, entries: [NewInteractionLogEntry], parts: String?, manifestRows: String?, finishLater: Bool,
        runLocked: ((TimeInterval) -> Void)?, logging: (() -> Void)?
    ) throws -> Completion {
        do {
            return try tx { transaction in
                // The chunk marked done (only under this lease) and the worker's count, then its entries staged: none of it
                // touches a row other workers' commits touch, so they do this at the same time.
                let held = try transaction.query(
                    """
                    WITH done AS (
                      UPDATE distributed_chunk SET status = 'done', done_at = now(), lease_until = NULL, parts = \(parts)::jsonb,
                        manifest_rows = \(manifestRows)
                      WHERE run_id = \(claim.run.id) AND chunk_no = \(claim.chunkNo) AND lease_token = \(claim.token) AND status = 'claimed'
                      RETURNING chunk_no),
                    seen AS (
                      UPDATE distributed_worker SET last_seen = now(), chunks_done = chunks_done + 1
                      WHERE worker_id = \(worker) AND EXISTS (SELECT 1 FROM done))
                    SELECT count(*) AS held FROM done
                    """)[0]["held"].decode(Int64.self)
                guard held == 1 else { return .leaseLost }
                try Self.stage(transaction, run: claim.run.id, firstLine: claim.firstLine, entries)
                // The run's row serialises the chunk commits of one run from here to their COMMIT (a count, and the last
                // chunk's logging), so exactly one of them sees no open chunk left; staging above is not under it, so a
                // commit waits for another worker's count and COMMIT, not for its staging.
                let locking = Date()
                let locked = try transaction.query("SELECT status FROM distributed_run WHERE run_id = \(claim.run.id) FOR UPDATE").first
                runLocked?(Date().timeIntervalSince(locking))
                guard let run = locked, try run["status"].decode(String.self) == "planned" else { throw RunNotOpen() }
                // Its own statement, so its snapshot is taken after the run's row was locked: it sees every other chunk
                // whose commit held the row before.
                let open = try transaction.query(
                    "SELECT count(*) AS open FROM distributed_chunk WHERE run_id = \(claim.run.id) AND chunk_no <> \(claim.chunkNo) AND status <> 'done'"
                )[0]["open"].decode(Int64.self)
                guard open == 0 else {
                    // Not the last chunk: its COMMIT does not wait for the WAL to reach the disk (10–30 ms a commit on this
                    // VM, with the run's row held, so other workers' commits waited for it too). A server crash may lose
                    // such a commit; its chunk is then claimed under a lease that runs out and is merged again, as if its
                    // worker had died. The commit that logs the run (or leaves it merged) waits for the flush, which
                    // covers every chunk committed before it. `LOCAL`: it ends with this transaction.
                    try transaction.query("SET LOCAL synchronous_commit = off")
                    return .recorded
                }
                if finishLater {
                    try transaction.query("UPDATE distributed_run SET status = 'merged' WHERE run_id = \(claim.run.id)")
                    return .merged
                }
                logging?()
                return .logged(try Self.log(transaction, claim.run))
            }
        } catch is RunNotOpen {
            return .leaseLost
        }
    }

    /// Inserts staged entries (every column an entry provides, as the log stores them); the primary key (run, line)
    /// refuses a line recorded twice.
    private static func stage(_ transaction: PostgresTransaction, run: Int64, firstLine: Int, _ entries: [NewInteractionLogEntry]) throws {
        for start in stride(from: 0, to: entries.count, by: 1_000) {
            var binds = PostgresBindings()
            let rows = PostgresInteractionLogStore.rows(entries[start..<min(start + 1_000, entries.count)], binds: &binds)
            try transaction.query(
                PostgresQuery(
                    unsafeSQL: """
                        INSERT INTO distributed_entry (run_id, line_index, \(PostgresInteractionLogStore.providedColumns))
                        SELECT \(run), \(firstLine + start - 1) + ordinal, \(PostgresInteractionLogStore.providedColumns) FROM (\(rows)) AS r
                        """, binds: binds))
        }
    }

    /// Logs the run's segment: the logged segment, and every staged entry in line order.
    private static func log(_ transaction: PostgresTransaction, _ run: Run) throws -> LoggedSegment {
        let segment = NewLoggedSegment(segmentNo: run.segmentNo, description: run.description, createdAt: Date())
        let logged: LoggedSegment
        do {
            // The segment the coordinator planned is stored with the logged segment (as `log-segment` stores it).
            logged = try PostgresInteractionLogStore.insertSegment(transaction, segment, count: run.lineCount, segmentJSON: .run(run.id))
        } catch InteractionLogError.alreadyLogged {
            // Logged by another way meanwhile (a single-machine log-segment): the run fails, nothing is logged twice.
            throw DistributedError.loggedMeanwhile(segmentNo: run.segmentNo, run: run.id)
        }
        try transaction.query(
            """
            INSERT INTO interaction_log_entry (\(unescaped: PostgresInteractionLogStore.insertColumns))
            SELECT \(unescaped: PostgresInteractionLogStore.providedColumns), \(logged.createdAt), \(logged.segmentNo), \(logged.entryNo)
            FROM distributed_entry WHERE run_id = \(run.id) ORDER BY line_index
            """)
        try transaction.query(
            "UPDATE distributed_run SET status = 'logged', logged_segment_entry_no = \(logged.entryNo), finished_at = now() WHERE run_id = \(run.id)")
        return logged
    }

    // MARK: Finishing (print runs)

    /// What `finish` found.
    public enum Finished: Sendable, Hashable {
        /// The join succeeded and the segment is now logged.
        case logged(LoggedSegment)
        /// The run was logged before (by another `finish`, or by the worker of its last chunk): nothing was done.
        case alreadyLogged(LoggedSegment?)
    }

    /// Finishes the merged run `id`: with the run's row locked (`SELECT … FOR UPDATE`, so two `finish` at once run one
    /// after the other and the second finds it logged), `join` gets the run and each chunk's parts (JSON, in chunk
    /// order) and joins them; when it returns, the segment is logged in the same transaction. When `join` throws,
    /// nothing is logged and the run stays `merged`.
    ///
    /// - Throws: `DistributedError.notMerged` while chunks are open, `.failed` for a failed run.
    public func finish(_ id: Int64, join: (Run, [(chunkNo: Int, parts: String?)]) throws -> Void) throws -> Finished {
        do {
            return try finishOnce(id, join: join)
        } catch DistributedError.loggedMeanwhile(let segmentNo, let run) {
            try session.query(
                "UPDATE distributed_run SET status = 'failed', failure = \("segment \(segmentNo) was logged meanwhile"), finished_at = now() WHERE run_id = \(run)"
            )
            throw DistributedError.loggedMeanwhile(segmentNo: segmentNo, run: run)
        }
    }

    private func finishOnce(_ id: Int64, join: (Run, [(chunkNo: Int, parts: String?)]) throws -> Void) throws -> Finished {
        try tx { transaction in
            guard try !transaction.query("SELECT 1 FROM distributed_run WHERE run_id = \(id) FOR UPDATE").isEmpty,
                let run = try Self.run(transaction, id)
            else { throw DistributedError.noRun(id) }
            switch run.status {
            case "logged":
                let logged = try run.loggedSegmentEntryNo.map { entryNo in
                    try PostgresInteractionLogStore.segmentRow(
                        try transaction.query(
                            "SELECT \(unescaped: PostgresInteractionLogStore.segmentColumns) FROM logged_segment WHERE entry_no = \(entryNo)"))
                }
                return .alreadyLogged(logged)
            case "merged":
                break
            case "planned":
                let open = try transaction.query("SELECT count(*) AS open FROM distributed_chunk WHERE run_id = \(id) AND status <> 'done'")[0]["open"]
                    .decode(Int64.self)
                throw DistributedError.notMerged(run: id, openChunks: Int(open))
            default:
                let failure = try transaction.query("SELECT failure FROM distributed_run WHERE run_id = \(id)").first?["failure"].decode(String?.self)
                throw DistributedError.runFailed(run: id, reason: failure ?? run.status)
            }
            let parts = try transaction.query("SELECT chunk_no, parts::text AS parts FROM distributed_chunk WHERE run_id = \(id) ORDER BY chunk_no")
                .map { row in (chunkNo: Int(try row["chunk_no"].decode(Int32.self)), parts: try row["parts"].decode(String?.self)) }
            try join(run, parts)
            return .logged(try Self.log(transaction, run))
        }
    }

    // MARK: Watching

    /// The run `id`, if any.
    public func run(_ id: Int64) throws -> Run? {
        try tx { transaction in try Self.run(transaction, id) }
    }

    /// The runs, oldest first.
    public func runs() throws -> [Run] {
        try tx { transaction in
            try transaction.query("SELECT run_id FROM distributed_run ORDER BY run_id").compactMap { row in
                try Self.run(transaction, try row["run_id"].decode(Int64.self))
            }
        }
    }

    /// Whether a planned run has chunks that are not done.
    public func hasOpenWork() throws -> Bool {
        try tx { transaction in
            try !transaction.query(
                "SELECT 1 FROM distributed_chunk c JOIN distributed_run r ON r.run_id = c.run_id WHERE r.status = 'planned' AND c.status <> 'done' LIMIT 1"
            ).isEmpty
        }
    }

    /// Progress of a run, for `mailmerge status`.
    public struct Progress: Sendable, Hashable {
        public var run: Run
        public var chunksDone: Int
        public var linesDone: Int
        /// Chunks claimed whose lease ran out (their worker died or stalled; another worker will take them).
        public var expiredLeases: Int
        /// Chunks claimed under a live lease.
        public var claimed: Int
        /// Lines per second between the run's planning and its last chunk.
        public var linesPerSecond: Double
        /// Workers seen within `liveWithin` seconds: id, host, pid, chunks done.
        public var liveWorkers: [(id: String, host: String, pid: Int, chunksDone: Int)]

        public static func == (lhs: Progress, rhs: Progress) -> Bool { lhs.run == rhs.run && lhs.chunksDone == rhs.chunksDone }
        public func hash(into hasher: inout Hasher) { hasher.combine(run) }
    }

    public func progress(_ id: Int64, liveWithin: TimeInterval = 30) throws -> Progress? {
        try tx { transaction in
            guard let run = try Self.run(transaction, id) else { return nil }
            let counts = try transaction.query(
                """
                SELECT count(*) FILTER (WHERE c.status = 'done') AS done,
                  coalesce(sum(c.line_count) FILTER (WHERE c.status = 'done'), 0) AS lines,
                  count(*) FILTER (WHERE c.status = 'claimed' AND c.lease_until < now()) AS expired,
                  count(*) FILTER (WHERE c.status = 'claimed' AND c.lease_until >= now()) AS claimed,
                  extract(epoch FROM coalesce(max(done_at), now()) - min(r.created_at))::float8 AS seconds
                FROM distributed_chunk c JOIN distributed_run r ON r.run_id = c.run_id WHERE c.run_id = \(id)
                """)[0]
            let workers = try transaction.query(
                """
                SELECT worker_id, host, pid, chunks_done FROM distributed_worker
                WHERE last_seen > now() - make_interval(secs => \(liveWithin)) ORDER BY worker_id
                """
            ).map { row in
                (
                    id: try row["worker_id"].decode(String.self), host: try row["host"].decode(String.self),
                    pid: Int(try row["pid"].decode(Int32.self)), chunksDone: Int(try row["chunks_done"].decode(Int32.self))
                )
            }
            let lines = Int(try counts["lines"].decode(Int64.self))
            let seconds = try counts["seconds"].decode(Double?.self) ?? 0
            return Progress(
                run: run, chunksDone: Int(try counts["done"].decode(Int64.self)), linesDone: lines,
                expiredLeases: Int(try counts["expired"].decode(Int64.self)), claimed: Int(try counts["claimed"].decode(Int64.self)),
                linesPerSecond: seconds > 0 ? Double(lines) / seconds : 0, liveWorkers: workers)
        }
    }

    /// The chunks of run `id` in order: first line, line count, and the manifest rows their workers recorded (nil for a
    /// chunk recorded by a worker that did not record them).
    public func manifestRows(_ id: Int64) throws -> [(firstLine: Int, lineCount: Int, rows: String?)] {
        try tx { transaction in
            try transaction.query("SELECT first_line, line_count, manifest_rows FROM distributed_chunk WHERE run_id = \(id) ORDER BY chunk_no").map { row in
                (
                    firstLine: Int(try row["first_line"].decode(Int32.self)), lineCount: Int(try row["line_count"].decode(Int32.self)),
                    rows: try row["manifest_rows"].decode(String?.self)
                )
            }
        }
    }

    /// The staged entries' documents of run `id` in line order: line index, path, SHA-256.
    public func documents(_ id: Int64) throws -> [(line: Int, path: String?, sha256: String?)] {
        try tx { transaction in
            try transaction.query("SELECT line_index, document_path, document_sha256 FROM distributed_entry WHERE run_id = \(id) ORDER BY line_index")
                .map { row in
                    (
                        line: Int(try row["line_index"].decode(Int32.self)), path: try row["document_path"].decode(String?.self),
                        sha256: try row["document_sha256"].decode(String?.self)
                    )
                }
        }
    }

    /// The columns of `distributed_run r` that `run(_:)` reads.
    private static let runColumns = """
        r.run_id, r.segment_no, r.description, r.status, r.inputs::text AS inputs, r.options::text AS options, r.line_count, r.chunk_count, \
        r.created_at, r.logged_segment_entry_no
        """

    private static func run(_ transaction: PostgresTransaction, _ id: Int64) throws -> Run? {
        guard let row = try transaction.query("SELECT \(unescaped: runColumns) FROM distributed_run r WHERE r.run_id = \(id)").first else { return nil }
        return try run(row)
    }

    /// The run in `row` (`runColumns`).
    private static func run(_ row: PostgresRandomAccessRow) throws -> Run {
        let inputs = try JSONDecoder().decode([String: String].self, from: Data(try row["inputs"].decode(String.self).utf8))
        let options = try JSONDecoder().decode([String: String].self, from: Data(try row["options"].decode(String.self).utf8))
        return Run(
            id: try row["run_id"].decode(Int64.self), segmentNo: try row["segment_no"].decode(String.self),
            description: try row["description"].decode(String.self),
            status: try row["status"].decode(String.self), inputs: inputs, options: options, lineCount: Int(try row["line_count"].decode(Int32.self)),
            chunkCount: Int(try row["chunk_count"].decode(Int32.self)), createdAt: try row["created_at"].decode(Date.self),
            loggedSegmentEntryNo: try row["logged_segment_entry_no"].decode(Int64?.self))
    }
}

/// Why a distributed run was refused or stopped.
public enum DistributedError: Error, Sendable, Hashable, CustomStringConvertible {
    /// A run of this segment is planned already (another coordinator won).
    case alreadyPlanned(segmentNo: String, run: Int64?)
    /// An input file the run refers to is not in the database.
    case missingInput(sha256: String)
    /// The segment was logged by other means while the run was in progress.
    case loggedMeanwhile(segmentNo: String, run: Int64)
    /// There is no run with this number.
    case noRun(Int64)
    /// `finish` on a run whose chunks are not all done yet.
    case notMerged(run: Int64, openChunks: Int)
    /// `finish` on a run that failed.
    case runFailed(run: Int64, reason: String)

    public var description: String {
        switch self {
        case .alreadyPlanned(let segmentNo, let run):
            return "segment \(segmentNo) is already planned for a distributed run\(run.map { " (run \($0))" } ?? ""); "
                + "start workers with `mailmerge worker`, or watch it with `mailmerge status\(run.map { " \($0)" } ?? " RUN")`"
        case .missingInput(let sha256):
            return "the run's input file with SHA-256 \(sha256) is not in the database; plan the segment again"
        case .loggedMeanwhile(let segmentNo, let run):
            return "segment \(segmentNo) was logged by another run while run \(run) was in progress; run \(run) logs nothing"
        case .noRun(let run):
            return "there is no distributed run \(run); `mailmerge segment logged` lists the runs in progress"
        case .notMerged(let run, let open):
            return "run \(run) has \(open) chunk\(open == 1 ? "" : "s") not merged yet; start workers (`mailmerge worker`) and finish it once "
                + "`mailmerge status \(run)` shows every chunk done"
        case .runFailed(let run, let reason):
            return "run \(run) failed (\(reason)); it cannot be finished: plan the segment again"
        }
    }
}
