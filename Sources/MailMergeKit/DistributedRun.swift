import Crypto
import Foundation
import InteractionLog
import PostgresInteractionLog
import Segments

/// A segment merged and logged by many workers (`log-segment --distribute`, `worker`, `status`), coordinated
/// by the PostgreSQL interaction log (`DistributedQueue`).
///
/// The coordinator checks everything exactly as `log-segment` does, then stores the run: the input files
/// (segment, contacts, templates.yaml, the attachments the lines use) by SHA-256, so workers on other machines
/// need neither the templates folder nor the contacts, and the lines in chunks (line range + contact numbers).
/// A worker downloads a run's inputs once, resolves and compiles them as `log-segment` does (the same code),
/// checks that its chunk's lines are the planned contacts, writes the chunk's letters (atomically, with the
/// names a single-machine run gives them) and records the chunk.
public enum DistributedRun {
    /// Files of the templates folder besides templates.yaml that resolving a segment reads; stored with a run.
    static let setupFiles = [
        CorrespondenceSetup.salutationsFile, CorrespondenceSetup.countriesFile, Salespeople.fileName, MarketingSetup.fileName,
    ]

    /// The `log-segment` options a run carries: stored with the run when it is planned, applied by every worker.
    /// (Options a run cannot carry are refused when it is planned: `refusedOptions`.)
    public struct RunOptions: Sendable, Hashable {
        /// `--email-from`: the sender of the e-mail lines' messages.
        public var emailFrom: String
        /// `--fax-out`, absolute: the fax gateway's folder (every worker must be able to write it).
        public var faxDirectory: String?
        /// `--images` (or `images/` beside the templates), absolute: the pictures folder (every worker must be able to read it).
        public var images: String?
        /// `--print-run`: each chunk's print documents are made by its worker, joined by `finish` before the segment is logged.
        public var printRun = false
        /// `--pdf`: the print parts (with `printRun`), else every letter, as PDF too.
        public var pdf = false
        /// `--duplex`: each letter of the print run's PDF starts on a front side.
        public var duplex = false
        /// The lines (0-based) that stand for the others, one per template and attachment, as the coordinator found them
        /// when it checked every line: a worker compiles the attachments from them and resolves only its chunks' lines.
        /// Nil for a run planned without them: the worker checks every line again.
        var representativeLines: [Int]?

        /// The options of `request` (paths made absolute, as the coordinator sees them).
        public init(_ request: LogSegmentRequest) {
            emailFrom = request.emailFrom
            faxDirectory = request.faxDirectory.map(absolute)
            images = Templates.imagesFolder(request.images, templatesDirectory: request.templatesDirectory).map(absolute)
            printRun = request.printRun
            pdf = request.pdf
            duplex = request.pdfOptions.duplex
        }

        static let emailFromKey = "emailFrom", faxDirectoryKey = "faxDirectory", imagesKey = "images"
        static let printRunKey = "printRun", pdfKey = "pdf", duplexKey = "duplex", representativeLinesKey = "representativeLines"
        static let knownKeys: Set = [emailFromKey, faxDirectoryKey, imagesKey, printRunKey, pdfKey, duplexKey, representativeLinesKey]

        /// As stored with the run (a flag only when set, so runs without them read as before).
        var stored: [String: String] {
            var stored = [Self.emailFromKey: emailFrom]
            stored[Self.faxDirectoryKey] = faxDirectory
            stored[Self.imagesKey] = images
            for (key, flag) in [(Self.printRunKey, printRun), (Self.pdfKey, pdf), (Self.duplexKey, duplex)] where flag { stored[key] = "true" }
            stored[Self.representativeLinesKey] = representativeLines.map { $0.map(String.init).joined(separator: ",") }
            return stored
        }

        /// The options stored with `run`; one this worker does not know is refused (it would silently be dropped).
        init(_ run: DistributedQueue.Run) throws(MailMergeError) {
            let unknown = Set(run.options.keys).subtracting(Self.knownKeys)
            guard unknown.isEmpty else {
                throw .io(
                    path: "run \(run.id)",
                    message: "the run carries the option(s) \(unknown.sorted().joined(separator: ", ")) this worker does not know; "
                        + "this worker is older than the coordinator, update it")
            }
            emailFrom = run.options[Self.emailFromKey] ?? LogSegmentRequest(segmentPath: "").emailFrom
            faxDirectory = run.options[Self.faxDirectoryKey]
            images = run.options[Self.imagesKey]
            printRun = run.options[Self.printRunKey] == "true"
            pdf = run.options[Self.pdfKey] == "true"
            duplex = run.options[Self.duplexKey] == "true"
            if let lines = run.options[Self.representativeLinesKey] {
                let numbers = lines.split(separator: ",").compactMap { Int($0) }
                guard numbers.count == lines.split(separator: ",").count, numbers.allSatisfy({ (0..<run.lineCount).contains($0) }) else {
                    throw .io(path: "run \(run.id)", message: "the run's representative lines \(lines) are not line numbers of its segment; plan it again")
                }
                representativeLines = numbers
            }
        }

        /// The print-run settings a worker applies to its chunk (`PrintRunWriter`), with `jobs` LibreOffice processes.
        func printing(jobs: Int) -> LogSegmentRequest {
            var request = LogSegmentRequest(segmentPath: "")
            request.printRun = printRun
            request.pdf = pdf
            request.pdfOptions.duplex = duplex
            request.pdfOptions.jobs = jobs
            return request
        }
    }

    /// The `log-segment` settings a distributed run cannot carry, each with why and what to do instead (empty: none).
    public static func refusedOptions(_ request: LogSegmentRequest) -> [String] {
        var refused: [String] = []
        if request.printRun && request.sort != .line {
            refused.append(
                "--sort \(request.sort.rawValue) orders the whole print run, and a distributed print run is joined from its chunks in line "
                    + "order: sort the segment's lines instead, or log on one machine")
        }
        if request.pdfOptions.maximumSheets != nil {
            refused.append("--split-pdf cuts the joined print file, which a distributed run does not do yet: log without it, or on one machine")
        }
        if request.followUp {
            refused.append(
                "--follow-up writes the follow-up segment once the segment is logged, which happens in whichever worker records the last "
                    + "chunk; log without it, then make the follow-up from the log with `mailmerge segment from-logged ENTRY --contacts CSV`")
        }
        return refused
    }

    /// What the coordinator planned.
    public struct Planned: Sendable {
        public var run: DistributedQueue.Run
        public var seconds: Double
    }

    /// Plans the segment `request` names in chunks of `chunk` lines.
    public static func plan(_ request: LogSegmentRequest, chunk: Int, log: InteractionLogLocation) throws(MailMergeError) -> Planned {
        let started = Date()
        let refused = refusedOptions(request)
        guard refused.isEmpty else { throw .validation(refused.map { Diagnostic(source: request.segmentPath, message: $0) }) }
        let queue = try DistributedRun.queue(log)
        let plan = try SegmentLogger.prepare(request, log: log)
        var diagnostics: [Diagnostic] = []
        if plan.children != nil {
            diagnostics.append(
                Diagnostic(
                    source: request.segmentPath,
                    message: "the letters have child tables (rows: in templates.yaml or the segment header); such a segment is logged "
                        + "on one machine (without --distribute)"))
        }
        // The segment's JSON (stored with the run) is encoded on another core meanwhile.
        let segmentJSON = OverlappedBatches.InFlight { [segment = plan.segment] () throws(MailMergeError) -> String in
            do { return try DistributedQueue.segmentJSON(segment) } catch {
                throw .io(path: request.segmentPath, message: "cannot encode the segment for the workers (\(error))")
            }
        }
        // One pass over the lines: the label check, the attachments to store, each chunk's contacts, and one line per
        // template and attachment for the workers (`RunOptions.representativeLines`).
        var labelLine: ResolvedLine?
        var attachmentPaths = Set<String>()
        var contactNos: [String] = []
        contactNos.reserveCapacity(plan.lines.count)
        var representatives: [Int] = []
        var represented = Set<String>()
        for (index, line) in plan.lines.enumerated() {
            if labelLine == nil && line.template.documentType == .labels { labelLine = line }
            if let attachment = line.attachmentPath { attachmentPaths.insert(attachment) }
            contactNos.append(line.contact.no)
            if represented.insert(line.template.code.lowercased() + "\n" + (line.attachmentPath ?? "")).inserted { representatives.append(index) }
        }
        if let line = labelLine {
            diagnostics.append(
                Diagnostic(
                    source: request.segmentPath,
                    message: "line \(line.lineNo) uses the label template \(line.template.code); label sheets span lines, so a segment "
                        + "with labels is logged on one machine (without --distribute)"))
        }
        var inputs: [String: (sha256: String, bytes: Data)] = [:]
        func add(_ role: String, _ path: String) {
            guard let data = FileManager.default.contents(atPath: path) else {
                diagnostics.append(Diagnostic(source: path, message: "cannot read this file to store it for the workers"))
                return
            }
            inputs[role] = (sha256(data), data)
        }
        // The segment with its contacts file renamed to contacts.csv beside it, as workers lay them out: the file's
        // own bytes with the header's `contacts:` line changed, else (a header written otherwise) encoded again.
        if let bytes = FileManager.default.contents(atPath: request.segmentPath).flatMap({ workerSegment(plan.segment, file: $0) }) {
            inputs["segment"] = (sha256(bytes), bytes)
        } else {
            var segment = plan.segment
            segment.header.contacts = "contacts.csv"
            let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("mailmerge-plan-\(getpid())-\(UUID().uuidString).yaml").path
            defer { try? FileManager.default.removeItem(atPath: scratch) }
            do { try segment.write(to: scratch) } catch { throw .io(path: scratch, message: "cannot write the segment for the workers (\(error))") }
            add("segment", scratch)
        }
        add("contacts", plan.segment.contactsPath)
        let templates = URL(fileURLWithPath: request.templatesDirectory).standardizedFileURL.path
        add("templates.yaml", templates + "/templates.yaml")
        // The setup files resolving reads beside templates.yaml (salutations, countries, salespeople), when present.
        for file in DistributedRun.setupFiles where FileManager.default.fileExists(atPath: templates + "/" + file) {
            add("setup:" + file, templates + "/" + file)
        }
        for attachment in attachmentPaths.sorted() {
            let path = URL(fileURLWithPath: attachment).standardizedFileURL.path
            guard path.hasPrefix(templates + "/") else {
                diagnostics.append(
                    Diagnostic(
                        source: path,
                        message: "the attachment is outside the templates folder \(templates); workers rebuild that folder, so move it in"))
                continue
            }
            add("attachment:" + String(path.dropFirst(templates.count + 1)), path)
        }
        if !diagnostics.isEmpty { throw .validation(diagnostics) }
        let json = try segmentJSON.wait()

        var first = 0
        let chunks = chunkSizes(lines: contactNos.count, chunk: chunk).map { size in
            defer { first += size }
            return DistributedQueue.PlannedChunk(firstLine: first, contactNos: Array(contactNos[first..<first + size]))
        }
        var options = RunOptions(request)
        options.representativeLines = representatives
        let run = try operation {
            try queue.plan(
                NewLoggedSegment(segmentNo: plan.segment.header.no, description: plan.segment.header.description, segment: plan.segment),
                segmentJSON: json, inputs: inputs, options: options.stored,
                lineCount: plan.lines.count, chunks: chunks)
        }
        return Planned(run: run, seconds: Date().timeIntervalSince(started))
    }

    /// The sizes of the chunks `lines` lines are planned in, `chunk` lines each, except at the end of a long run (at least
    /// `tailFrom` chunks): once at most `4 × chunk` lines are left, each chunk takes a quarter of the lines left (at least
    /// `chunk / 16` lines). Workers claim chunks in order, so they take the small ones last and end within
    /// one small chunk of each other, instead of one merging a whole chunk while the others are idle. A short run keeps
    /// its chunks as asked (its tail is short anyway).
    static func chunkSizes(lines: Int, chunk: Int) -> [Int] {
        let chunk = max(1, chunk)
        let tailFrom = 16
        guard lines >= tailFrom * chunk else { return stride(from: 0, to: lines, by: chunk).map { min(chunk, lines - $0) } }
        var sizes: [Int] = []
        var left = lines
        let smallest = max(1, chunk / 16)
        while left > 0 {
            let size = left > 4 * chunk ? chunk : min(left, chunk, max(smallest, (left + 3) / 4))
            sizes.append(size)
            left -= size
        }
        return sizes
    }

    /// The segment file `file` (the bytes `segment` was loaded from) with its header's `contacts:` set to
    /// `contacts.csv`, where workers put the contacts: the one line changed, the rest as it is. Encoding the segment
    /// again (`Segment.write`) takes minutes at 100,000 lines, the encoder's sequences growing by copying. Nil when
    /// that line is not a plain `contacts: VALUE` line naming `segment.header.contacts` (a flow-style header, a
    /// value over several lines): then the caller encodes the segment.
    static func workerSegment(_ segment: Segment, file: Data) -> Data? {
        guard let keyLine = segment.source?.headerKeyLines["contacts"], keyLine >= 1 else { return nil }
        let bytes = [UInt8](file)
        let newline = UInt8(ascii: "\n")
        // The byte ranges of YAML line `keyLine` (1-based) and of the line after it.
        var start = 0
        for _ in 1..<keyLine {
            guard let end = bytes[start...].firstIndex(of: newline) else { return nil }
            start = end + 1
        }
        let end = bytes[start...].firstIndex(of: newline) ?? bytes.count
        var text = String(decoding: bytes[start..<end], as: UTF8.self)
        let carriageReturn = text.hasSuffix("\r")
        if carriageReturn { text.removeLast() }
        let indent = text.prefix { $0 == " " }
        guard text.dropFirst(indent.count).hasPrefix("contacts:") else { return nil }
        var value = text.dropFirst(indent.count + "contacts:".count).trimmingCharacters(in: .whitespaces)
        if let quote = value.first, quote == "\"" || quote == "'", value.count >= 2, value.last == quote {
            value = String(value.dropFirst().dropLast())
        }
        guard value == segment.header.contacts, !value.isEmpty else { return nil }
        // The value must end on this line: the next line (if any) is blank, a comment, or no deeper than the key.
        if end < bytes.count {
            let nextEnd = bytes[(end + 1)...].firstIndex(of: newline) ?? bytes.count
            let next = String(decoding: bytes[(end + 1)..<nextEnd], as: UTF8.self)
            let nextIndent = next.prefix { $0 == " " }.count
            let rest = next.dropFirst(nextIndent).trimmingCharacters(in: .whitespacesAndNewlines)
            guard rest.isEmpty || rest.hasPrefix("#") || nextIndent <= indent.count else { return nil }
        }
        return Data(bytes[..<start]) + Data((indent + "contacts: contacts.csv" + (carriageReturn ? "\r" : "")).utf8) + Data(bytes[end...])
    }

    /// What `mailmerge worker` should do.
    public struct WorkerRequest: Sendable {
        /// Letters go into `outputDirectory/<segment no>/`.
        public var outputDirectory = Defaults.outputDirectory
        /// Writer threads; nil: the cores shared by the workers alive on this host (`jobs(alive:)`), so two workers on
        /// two cores write with one thread each instead of four threads contending for two cores.
        public var jobs: Int?
        /// Stop when no planned run has open chunks (else wait for new runs).
        public var untilDone = false
        /// Seconds a claimed chunk stays ours without a heartbeat.
        public var lease: TimeInterval = 30
        /// Seconds between looks for work when there is none.
        public var idle: TimeInterval = 1
        /// Seconds to keep retrying a database that went away (restart, network).
        public var reconnectFor: TimeInterval = 300
        public var workerID = "\(ProcessInfo.processInfo.hostName)-\(getpid())"
        public var compressionLevel = DeflateLevel.default
        /// Join a print run whose last chunk this worker recorded (else leave it `merged` for `mailmerge finish`).
        public var finishPrintRuns = true

        public init() {}

        /// The writer threads of a worker sharing this host's cores with `alive` workers (itself included): at least 1.
        public static func jobs(alive: Int) -> Int { max(1, Defaults.jobs / max(1, alive)) }
    }

    /// What a worker did.
    public struct WorkerResult: Sendable {
        public var chunks = 0
        public var letters = 0
        /// Chunks dropped because the lease was lost (another worker took them over).
        public var dropped = 0
        /// The segments whose last chunk this worker recorded.
        public var logged: [LoggedSegment] = []
        /// Entries recorded, and the seconds spent in the chunk transactions that recorded them.
        public var entriesRecorded = 0
        public var recordSeconds = 0.0
        /// The timeline: when the worker started, claimed its first chunk, committed its last one, and stopped.
        public var startedAt = Date()
        public var firstClaimAt: Date?
        public var lastCommitAt: Date?
        public var finishedAt: Date?
        /// Seconds spent getting runs ready (inputs downloaded, resolved, compiled), merging and recording chunks
        /// (busy), and logging segments (the last chunk's commit, which moves the staged entries into the log, and
        /// manifest.csv).
        public var prepareSeconds = 0.0
        public var busySeconds = 0.0
        public var logSeconds = 0.0
        /// The worker process's CPU seconds (all its threads) while getting runs ready and logging segments: unlike the
        /// seconds above, comparable on a loaded machine.
        public var prepareCPUSeconds = 0.0
        public var logCPUSeconds = 0.0
        /// Where the worker's CPU went and what it did besides merging, to tell the code's share of a higher CPU per
        /// letter (two workers against one) from the machine's (bench/distributed/run prints them): CPU seconds of the
        /// thread that claims and merges (the caller's: with `--jobs 1` it writes the letters) and of the whole process
        /// (the other threads: the database connections' event loop, heartbeats, the pool's helpers). These and the
        /// numbers below count from `work`'s start (not the process's: its start-up is not the run's).
        public var mergingThreadCPUSeconds = 0.0
        public var processCPUSeconds = 0.0
        /// The process's CPU seconds in user and in kernel mode (system calls: the letters' files, the folder they share
        /// with the other workers, the database's socket).
        public var userSeconds = 0.0
        public var systemSeconds = 0.0
        /// The process's context switches: voluntary (it waited: the database, the disk, a lock) and involuntary (the
        /// kernel preempted it for another process).
        public var voluntarySwitches = 0
        public var involuntarySwitches = 0
        /// Looks for work that found none (waiting while other workers hold the run's last chunks), and heartbeats sent.
        public var emptyClaims = 0
        public var heartbeats = 0
        /// Seconds the chunk commits waited for the run's row (held by another worker's chunk commit), one round trip each included.
        public var runLockSeconds = 0.0
    }

    /// The CPU seconds the calling thread has used so far.
    static func threadCPUSeconds() -> Double {
        var time = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
    }

    /// The process's user and system CPU seconds and its voluntary and involuntary context switches so far.
    static func usage() -> (user: Double, system: Double, voluntary: Int, involuntary: Int) {
        var usage = rusage()
        getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage)
        let seconds = { (time: timeval) in Double(time.tv_sec) + Double(time.tv_usec) / 1e6 }
        return (seconds(usage.ru_utime), seconds(usage.ru_stime), Int(usage.ru_nvcsw), Int(usage.ru_nivcsw))
    }

    /// The CPU seconds this process has used so far (all threads).
    static func processCPUSeconds() -> Double {
        var time = timespec()
        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
    }

    /// Claims and merges chunks until there are none (`untilDone`) or forever.
    public static func work(
        _ request: WorkerRequest, log: InteractionLogLocation, report: (@Sendable (String) -> Void)? = nil
    ) throws(MailMergeError) -> WorkerResult {
        guard case .postgres(let url) = log else { throw notPostgres }
        let location: PostgresLocation
        do { location = try PostgresLocation(url: url) } catch { throw .log(.cannotOpen(path: error.url, reason: error.problem)) }
        let queue = try operation { try DistributedQueue(location, reconnectFor: request.reconnectFor) }
        let beat = try operation { try DistributedQueue(location, reconnectFor: request.reconnectFor) }
        queue.session.onRetry = report
        let host = ProcessInfo.processInfo.hostName
        try operation { try queue.register(worker: request.workerID, host: host, pid: getpid()) }
        var result = WorkerResult()
        let threadCPU = threadCPUSeconds()
        let processCPU = processCPUSeconds()
        let startUsage = usage()
        /// The result with its accounting (`WorkerResult.mergingThreadCPUSeconds` …) as of now.
        func finished(_ result: WorkerResult) -> WorkerResult {
            var result = result
            result.finishedAt = Date()
            result.mergingThreadCPUSeconds = threadCPUSeconds() - threadCPU
            result.processCPUSeconds = processCPUSeconds() - processCPU
            let now = usage()
            result.userSeconds = now.user - startUsage.user
            result.systemSeconds = now.system - startUsage.system
            result.voluntarySwitches = now.voluntary - startUsage.voluntary
            result.involuntarySwitches = now.involuntary - startUsage.involuntary
            return result
        }
        var prepared: [Int64: PreparedRun] = [:]
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("mailmerge-worker-\(getpid())-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        var backoff = 0.2
        // While a run's last chunks are held by other workers: how long to wait before looking again (doubling up to
        // a quarter second, or `request.idle` if shorter), so a worker waiting for the run to be logged stops soon after
        // without polling in a tight loop (this lasts about one chunk and the final commit).
        var waiting = 0.05
        while true {
            let claim: DistributedQueue.Claim?
            do {
                claim = try queue.claim(worker: request.workerID, lease: request.lease)
                backoff = 0.2
            } catch  where isConnectionLoss(error) {
                report?("database unreachable (\(PostgresSession.reason(error))); retrying in \(backoff) s")
                Thread.sleep(forTimeInterval: backoff)
                backoff = min(backoff * 2, 10)
                continue
            } catch {
                throw .log(.failed(reason: PostgresSession.reason(error)))
            }
            guard let claim else {
                let open = try operation { try queue.hasOpenWork() }
                if request.untilDone && !open { return finished(result) }
                result.emptyClaims += 1
                // Open chunks other workers hold: they are recorded (or their leases run out) soon, so look again soon.
                Thread.sleep(forTimeInterval: open ? min(waiting, request.idle) : request.idle)
                waiting = open ? min(waiting * 2, 0.25) : 0.05
                try? queue.touch(worker: request.workerID)
                continue
            }
            waiting = 0.05
            if result.firstClaimAt == nil { result.firstClaimAt = Date() }
            let run: PreparedRun
            if let cached = prepared[claim.run.id] {
                run = cached
            } else {
                let started = Date()
                let cpu = processCPUSeconds()
                run = try PreparedRun(claim.run, queue: queue, scratch: scratch + "/run-\(claim.run.id)", request: request, log: log)
                prepared[claim.run.id] = run
                result.prepareSeconds += Date().timeIntervalSince(started)
                result.prepareCPUSeconds += processCPUSeconds() - cpu
            }
            let started = Date()
            let (outcome, seconds, recordCPU, manifest) = try merge(claim, run: run, queue: queue, beat: beat, request: request, result: &result)
            result.busySeconds += Date().timeIntervalSince(started)
            if outcome != .leaseLost {
                result.entriesRecorded += claim.contactNos.count
                result.recordSeconds += seconds
                result.lastCommitAt = Date()
            }
            switch outcome {
            case .leaseLost:
                result.dropped += 1
                report?("run \(claim.run.id) chunk \(claim.chunkNo): lease lost (another worker took it over); dropped")
            case .recorded:
                result.chunks += 1
                result.letters += claim.contactNos.count
                report?("run \(claim.run.id) chunk \(claim.chunkNo): \(claim.contactNos.count) letters recorded")
            case .logged(let logged):
                result.chunks += 1
                result.letters += claim.contactNos.count
                result.logged.append(logged)
                let cpu = processCPUSeconds()
                if let manifest {
                    try manifest.put(run, queue: queue)
                } else {
                    try writeManifest(run, queue: queue)
                }
                result.logSeconds += seconds + Date().timeIntervalSince(result.lastCommitAt ?? Date())
                result.logCPUSeconds += recordCPU + processCPUSeconds() - cpu
                report?("run \(claim.run.id): last chunk recorded; segment \(logged.segmentNo) logged as logged segment \(logged.entryNo)")
            case .merged:
                result.chunks += 1
                result.letters += claim.contactNos.count
                guard request.finishPrintRuns else {
                    report?("run \(claim.run.id): last chunk recorded; the run is merged, join it with `mailmerge finish \(claim.run.id)`")
                    continue
                }
                report?("run \(claim.run.id): last chunk recorded; joining the print run")
                let finished = try finish(run, queue: queue)
                if let logged = finished.logged, !finished.alreadyLogged {
                    result.logged.append(logged)
                    report?("run \(claim.run.id): print run joined; segment \(logged.segmentNo) logged as logged segment \(logged.entryNo)")
                }
            }
        }
    }

    /// Writes the chunk's letters under a heartbeat, then records it (unless the lease was lost meanwhile); the
    /// outcome, the seconds (wall, and this process's CPU) the recording transaction took, and for the chunk that
    /// logged the run its manifest, made while the commit moved the entries into the log. Adds the heartbeats and
    /// the wait for the run's row to `result`.
    private static func merge(
        _ claim: DistributedQueue.Claim, run: PreparedRun, queue: DistributedQueue, beat: DistributedQueue, request: WorkerRequest,
        result: inout WorkerResult
    ) throws(MailMergeError) -> (DistributedQueue.Completion, Double, Double, StagedManifest?) {
        let lost = Heartbeat(claim: claim, queue: beat, worker: request.workerID, lease: request.lease)
        defer {
            lost.stop()
            result.heartbeats += lost.beats
        }
        let indices = Array(claim.firstLine..<claim.firstLine + claim.contactNos.count)
        guard claim.firstLine + claim.contactNos.count <= run.plan.lines.count else {
            throw .io(
                path: run.inputsDirectory, message: "run \(claim.run.id) chunk \(claim.chunkNo): its lines are beyond the segment's; plan the segment again")
        }
        // The chunk's lines resolved at once (each once), and checked: the planned contacts, every letter's attachment compiled.
        run.plan.lines.prefetch(claim.firstLine..<claim.firstLine + claim.contactNos.count)
        let planned = indices.map { run.plan.lines[$0].contact.no }
        try run.plan.lines.unchanged()
        guard planned == claim.contactNos else {
            throw .io(
                path: run.inputsDirectory,
                message: "run \(claim.run.id) chunk \(claim.chunkNo): the stored inputs resolve to other contacts than planned; plan the segment again")
        }
        if let line = indices.lazy.map({ run.plan.lines[$0] }).first(where: { $0.attachmentPath.map { run.plan.attachments.position(of: $0) == nil } ?? false })
        {
            throw .io(
                path: run.inputsDirectory,
                message: "run \(claim.run.id) chunk \(claim.chunkNo): line \(line.lineNo)'s attachment \(line.attachmentPath ?? "") is not among the "
                    + "run's compiled attachments; plan the segment again")
        }
        // The chunk's letters (lines whose template has an attachment), a batch at a time, as log-segment writes them:
        // an e-mail line's message and a fax line's copy made on the pool from the letter in memory (`LetterCopies`),
        // not read back from the file. A fax copy not delivered (the chunk dropped or failed) is removed when `copies`
        // goes; the messages stay beside the letters, whose paths are the same for whichever worker records the chunk.
        let copies = try LetterCopies(
            templates: run.plan.attachments.templates.map(\.templatePath), sender: run.options.emailFrom, withPDF: run.options.pdf,
            faxDirectory: run.options.faxDirectory)
        var documents: [Int: (path: String, sha256: String)] = [:]
        let letterLines = indices.filter { run.plan.lines[$0].attachmentPath != nil }
        for start in stride(from: 0, to: letterLines.count, by: Defaults.batchSize) {
            if lost.isLost { return (.leaseLost, 0, 0, nil) }
            let batch = letterLines[start..<min(start + Defaults.batchSize, letterLines.count)]
            let tasks = batch.map { index in
                let line = run.plan.lines[index]
                var task = SegmentLogger.letterTask(
                    run.plan, index: index, names: run.names, in: run.documentsDirectory,
                    label: "run \(claim.run.id), line \(line.lineNo) (contact \(line.contact.no))")
                task.then = copies.then(line: line, index: index, template: task.template)
                return task
            }
            let digests = try run.pool.write(tasks, hashing: true)
            for (index, (task, digest)) in zip(batch, zip(tasks, digests)) { documents[index] = (task.path, digest) }
        }
        if lost.isLost { return (.leaseLost, 0, 0, nil) }
        // The chunk's print documents (and PDFs) in a part folder of this lease, or with --pdf alone each letter's PDF.
        var printRun = PrintRunResult()
        var parts: String?
        if run.options.printRun || run.options.pdf {
            let letters = letterLines.compactMap { documents[$0]?.path }
            let directory =
                run.options.printRun
                ? DistributedPrintRun.partDirectory(run.documentsDirectory, chunkNo: claim.chunkNo, token: claim.token) : run.documentsDirectory
            try OutputFolder.create(directory)
            printRun = try PrintRunWriter.run(
                run.options.printing(jobs: run.jobs), lines: letterLines.map { run.plan.lines[$0] }, documents: letters, in: directory)
            if run.options.printRun {
                parts = try DistributedPrintRun.parts(printRun, lineOfLetter: Dictionary(uniqueKeysWithValues: zip(letters, letterLines)))
            }
        }
        if lost.isLost { return (.leaseLost, 0, 0, nil) }
        // E-mail lines get their message (queued), fax lines' letters go into the fax folder: the run's options, as log-segment does.
        // Those the pool did not make (lines without a letter, messages or faxes that need the letter's PDF) are made now.
        let first = claim.firstLine
        let lines = Array(run.plan.lines[first..<first + indices.count])
        var emails: [Int: QueuedEmail] = [:]
        for (index, email) in copies.take(before: Int.max) { emails[index - first] = email }
        let emailLines = lines.indices.filter { lines[$0].correspondenceType == .email && emails[$0] == nil }
        if !emailLines.isEmpty {
            var letterOfLine: [Int: String] = [:]
            for position in emailLines { letterOfLine[position] = documents[first + position]?.path }
            emails.merge(
                try EmailOutbox.write(
                    lines: lines, emailLines: emailLines, letters: letterOfLine, pdfs: printRun.letterPDFs, sender: run.options.emailFrom,
                    in: run.documentsDirectory, stem: { SegmentLogger.letterStem(run.plan, index: first + $0, names: run.names) }, jobs: run.jobs)
            ) { pool, _ in pool }
        }
        if let faxDirectory = run.options.faxDirectory {
            let faxLetters = indices.filter { run.plan.lines[$0].correspondenceType == .fax && !copies.faxStaged($0) }.compactMap { documents[$0]?.path }
            _ = try FaxGateway.deliver(faxLetters, pdfs: printRun.letterPDFs, to: faxDirectory)
            _ = try copies.deliverFaxes(logged: false) { SegmentLogger.letterName(run.plan, index: $0, names: run.names) }
        }
        let entries = indices.map { index in
            var entry = NewInteractionLogEntry(
                line: run.plan.lines[index], documentPath: documents[index].map { absolute($0.path) }, documentSHA256: documents[index]?.sha256)
            if let email = emails[index - first] { entry.queue(email) }
            return entry
        }
        // The chunk's manifest rows (lines without a document have none, as with log-segment).
        let manifestRows = Manifest.rows(
            indices.compactMap { index in documents[index].map { Letter(line: run.plan.lines[index], path: $0.path, sha256: $0.sha256) } })
        try run.plan.lines.unchanged()
        if lost.isLost { return (.leaseLost, 0, 0, nil) }
        lost.stop()
        var backoff = 0.2
        // Started when this chunk's commit finds it is the run's last: the manifest is read (on the heartbeat's connection)
        // and written under a hidden name while the commit moves the staged entries into the log.
        var manifest: StagedManifest?
        while true {
            do {
                let started = Date()
                let cpu = processCPUSeconds()
                var locked = 0.0
                let outcome = try queue.complete(
                    claim, worker: request.workerID, entries: entries, parts: parts, manifestRows: manifestRows, finishLater: run.options.printRun,
                    runLocked: { locked += $0 },
                    logging: {
                        if manifest == nil { manifest = StagedManifest(claim, rows: manifestRows, queue: beat, in: run.documentsDirectory) }
                    })
                result.runLockSeconds += locked
                if case .logged = outcome { return (outcome, Date().timeIntervalSince(started), processCPUSeconds() - cpu, manifest) }
                manifest?.discard()
                return (outcome, Date().timeIntervalSince(started), processCPUSeconds() - cpu, nil)
            } catch  where isConnectionLoss(error) {
                Thread.sleep(forTimeInterval: backoff)
                backoff = min(backoff * 2, 10)
            } catch let error as DistributedError {
                manifest?.discard()
                throw .log(.failed(reason: error.description))
            } catch {
                manifest?.discard()
                throw .log(.failed(reason: PostgresSession.reason(error)))
            }
        }
    }

    /// The manifest of a run whose last chunk is being committed, made on another thread meanwhile: the other chunks'
    /// rows read on another connection (they are committed: the commit found them done), the last chunk's own rows
    /// added, written under a hidden name beside where it goes. `put` moves it into place once the run is logged;
    /// `discard` removes it otherwise. A chunk recorded without its rows (by an older worker) makes it give up: then
    /// `writeManifest` makes the manifest after the commit, from the staged entries.
    final class StagedManifest: Sendable {
        private let made: OverlappedBatches.InFlight<String?>

        init(_ last: DistributedQueue.Claim, rows: String, queue: DistributedQueue, in directory: String) {
            let path = directory + "/.manifest.csv.\(last.token)"
            let (run, firstLine) = (last.run.id, last.firstLine)
            made = OverlappedBatches.InFlight { () throws(MailMergeError) -> String? in
                let chunks = try DistributedRun.operation { try queue.manifestRows(run) }
                var texts: [String] = []
                texts.reserveCapacity(chunks.count)
                for chunk in chunks {
                    guard let text = chunk.firstLine == firstLine ? rows : chunk.rows else { return nil }
                    texts.append(text)
                }
                try Manifest.write(chunks: texts, to: path)
                return path
            }
        }

        /// Puts the manifest in place as `manifest.csv` (the run is logged), or makes it now when it was not made (or
        /// making it failed: it is tried once more, as before this commit).
        func put(_ run: PreparedRun, queue: DistributedQueue) throws(MailMergeError) {
            guard let path = try? made.wait() else { return try DistributedRun.writeManifest(run, queue: queue) }
            try run.plan.lines.unchanged()
            let target = run.documentsDirectory + "/manifest.csv"
            guard rename(path, target) == 0 else {
                let problem = String(cString: strerror(errno))
                unlink(path)
                throw .io(path: target, message: "cannot write (\(problem))")
            }
        }

        /// Removes the manifest (the run was not logged by this commit).
        func discard() {
            if let path = try? made.wait() { unlink(path) }
        }
    }

    /// The manifest of a logged run, written by the worker that recorded its last chunk.
    /// The chunks' rows as their workers recorded them, in line order; a chunk recorded without them (by an older
    /// worker) gets its rows from its lines and staged documents.
    private static func writeManifest(_ run: PreparedRun, queue: DistributedQueue) throws(MailMergeError) {
        let chunks = try operation { try queue.manifestRows(run.run.id) }
        var documents: [(line: Int, path: String?, sha256: String?)]?
        let rows = try chunks.map { chunk throws(MailMergeError) in
            if let rows = chunk.rows { return rows }
            if documents == nil { documents = try operation { try queue.documents(run.run.id) } }
            // Lines without a document (a phone call, an e-mail with its text as the body) are not in the manifest, as with log-segment.
            return Manifest.rows(
                (documents ?? []).filter { (chunk.firstLine..<chunk.firstLine + chunk.lineCount).contains($0.line) }.compactMap { document in
                    document.path.map { Letter(line: run.plan.lines[document.line], path: $0, sha256: document.sha256 ?? "") }
                })
        }
        try run.plan.lines.unchanged()
        try Manifest.write(chunks: rows, to: run.documentsDirectory + "/manifest.csv")
    }

    // MARK: Finishing

    /// What `finish` did.
    public struct FinishResult: Sendable {
        public var run: Int64
        /// The logged segment (nil only when it was logged and deleted since).
        public var logged: LoggedSegment?
        /// The run was logged before: nothing was joined.
        public var alreadyLogged = false
        /// The joined print files, the print manifest, and how many parts were joined.
        public var pdfs: [String] = []
        public var manifestPath: String?
        public var parts = 0
        public var documentsDirectory: String
    }

    /// Joins the print parts of the merged run `id` into `outputDirectory/<segment no>/` and logs its segment
    /// (`mailmerge finish`); a run logged already is left as it is. Safe to run twice at once: the run's row decides.
    public static func finish(_ id: Int64, outputDirectory: String, jobs: Int = Defaults.jobs, log: InteractionLogLocation) throws(MailMergeError)
        -> FinishResult
    {
        let queue = try queue(log)
        guard let run = try operation({ try queue.run(id) }) else { throw .log(.failed(reason: DistributedError.noRun(id).description)) }
        var request = WorkerRequest()
        request.outputDirectory = outputDirectory
        request.jobs = jobs
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("mailmerge-finish-\(getpid())-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        guard run.status == "merged" else {
            // Logged already (nothing to do), or not finishable (chunks open, failed): the queue says which, without downloading the inputs.
            let outcome = try operation {
                try queue.finish(id) { _, _ in
                    throw MailMergeError.io(path: "run \(id)", message: "the run's last chunk was recorded just now; run `mailmerge finish \(id)` again")
                }
            }
            guard case .alreadyLogged(let logged) = outcome else { throw .log(.failed(reason: "run \(id) was logged without its print run joined")) }
            return FinishResult(run: id, logged: logged, alreadyLogged: true, documentsDirectory: outputDirectory)
        }
        let prepared = try PreparedRun(run, queue: queue, scratch: scratch, request: request, log: log)
        return try finish(prepared, queue: queue)
    }

    /// Joins `run`'s print parts and logs it (see `finish(_:outputDirectory:jobs:log:)`); writes manifest.csv once logged.
    static func finish(_ run: PreparedRun, queue: DistributedQueue) throws(MailMergeError) -> FinishResult {
        var joined = DistributedPrintRun.Joined()
        let outcome = try operation {
            try queue.finish(run.run.id) { _, chunks in joined = try DistributedPrintRun.join(run, chunks: chunks, pdf: run.options.pdf) }
        }
        var result = FinishResult(run: run.run.id, documentsDirectory: run.documentsDirectory)
        switch outcome {
        case .logged(let logged):
            result.logged = logged
            result.pdfs = joined.pdfs
            result.manifestPath = joined.manifestPath
            result.parts = joined.parts
            try writeManifest(run, queue: queue)
        case .alreadyLogged(let logged):
            result.logged = logged
            result.alreadyLogged = true
        }
        return result
    }

    /// A run's inputs downloaded, resolved and compiled once per worker.
    final class PreparedRun {
        let run: DistributedQueue.Run
        let options: RunOptions
        let inputsDirectory: String
        let plan: SegmentLogger.Plan
        let names: DocumentNamePattern
        let documentsDirectory: String
        let pool: DocumentWriterPool
        /// Writer threads (`WorkerRequest.jobs`).
        let jobs: Int

        init(
            _ run: DistributedQueue.Run, queue: DistributedQueue, scratch: String, request: WorkerRequest, log: InteractionLogLocation
        ) throws(MailMergeError) {
            self.run = run
            options = try RunOptions(run)
            inputsDirectory = scratch
            try OutputFolder.create(scratch + "/templates")
            for (role, sha256) in run.inputs.sorted(by: { $0.key < $1.key }) {
                let relative: String
                switch role {
                case "segment": relative = "segment.yaml"
                case "contacts": relative = "contacts.csv"
                case "templates.yaml": relative = "templates/templates.yaml"
                case let role where role.hasPrefix("setup:") && DistributedRun.setupFiles.contains(String(role.dropFirst("setup:".count))):
                    relative = "templates/" + role.dropFirst("setup:".count)
                default:
                    guard role.hasPrefix("attachment:"), !role.contains("..") else {
                        throw .io(path: scratch, message: "run \(run.id) has an unknown input \(role); this worker is older than the coordinator")
                    }
                    relative = "templates/" + role.dropFirst("attachment:".count)
                }
                let bytes = try operation { try queue.input(sha256) }
                guard DistributedRun.sha256(bytes) == sha256 else {
                    throw .io(path: role, message: "run \(run.id): the stored input does not match its SHA-256 \(sha256)")
                }
                let path = scratch + "/" + relative
                try OutputFolder.create((path as NSString).deletingLastPathComponent)
                do { try bytes.write(to: URL(fileURLWithPath: path), options: .atomic) } catch {
                    throw .io(path: path, message: "cannot write the run's input (\(error.localizedDescription))")
                }
            }
            var logRequest = LogSegmentRequest(segmentPath: scratch + "/segment.yaml")
            logRequest.templatesDirectory = scratch + "/templates"
            logRequest.images = options.images
            logRequest.faxDirectory = options.faxDirectory
            logRequest.emailFrom = options.emailFrom
            // The log is not consulted: the run was checked when it was planned. With the coordinator's representative lines
            // the lines are not checked again either, only resolved, a chunk at a time.
            if let representatives = options.representativeLines {
                plan = try SegmentLogger.Plan(
                    planned: logRequest, segment: try DistributedRun.storedSegment(run, queue: queue, contacts: scratch + "/contacts.csv"),
                    representatives: representatives)
            } else {
                plan = try SegmentLogger.prepare(logRequest, log: nil)
            }
            guard plan.lines.count == run.lineCount else {
                throw .io(path: scratch, message: "run \(run.id): the stored inputs resolve to \(plan.lines.count) lines, not \(run.lineCount)")
            }
            names = try SegmentLogger.letterNames(lineCount: plan.lines.count)
            documentsDirectory = request.outputDirectory + "/" + SafeFileName.make(plan.segment.header.no)
            try OutputFolder.create(documentsDirectory)
            if let jobs = request.jobs {
                self.jobs = jobs
            } else {
                let alive = (try? queue.liveWorkers(host: ProcessInfo.processInfo.hostName, within: request.lease)) ?? 1
                self.jobs = WorkerRequest.jobs(alive: alive)
            }
            pool = DocumentWriterPool(
                templates: plan.attachments.templates, jobs: jobs, compressionLevel: request.compressionLevel, missing: .error)
        }
    }

    // MARK: Watching

    /// The segment of `run` as the coordinator checked and stored it (the logged segment's copy), its contacts read from
    /// `contacts`: decoding it costs a fraction of reading the segment file again (Yams: seconds at 100,000 lines, which
    /// every worker of the run would spend before its first letter). Nil when the run has no stored copy.
    static func storedSegment(_ run: DistributedQueue.Run, queue: DistributedQueue, contacts: String) throws(MailMergeError) -> Segment? {
        guard let json = try operation({ try queue.segmentJSON(run.id) }) else { return nil }
        var segment: Segment
        do { segment = try JSONDecoder().decode(Segment.self, from: Data(json.utf8)) } catch {
            throw .io(path: "run \(run.id)", message: "the segment stored with the run cannot be read (\(error)); plan the segment again")
        }
        guard segment.lines.count == run.lineCount else {
            throw .io(path: "run \(run.id)", message: "the segment stored with the run has \(segment.lines.count) lines, not \(run.lineCount); plan it again")
        }
        segment.header.contacts = contacts
        return segment
    }

    /// Progress of run `id`.
    public static func progress(_ id: Int64, log: InteractionLogLocation) throws(MailMergeError) -> DistributedQueue.Progress {
        let queue = try queue(log)
        guard let progress = try operation({ try queue.progress(id) }) else {
            throw .log(.failed(reason: "there is no distributed run \(id); `mailmerge segment logged` lists the runs in progress"))
        }
        return progress
    }

    /// Every distributed run with its progress (for `segment logged`); none for an SQLite log.
    public static func runs(log: InteractionLogLocation) throws(MailMergeError) -> [DistributedQueue.Progress] {
        guard case .postgres = log else { return [] }
        let queue = try queue(log)
        return try operation { try queue.runs().compactMap { try queue.progress($0.id) } }
    }

    // MARK: Helpers

    static let notPostgres = MailMergeError.io(
        path: "--db", message: "distributed runs are coordinated by PostgreSQL; name the database with --db postgres://user@host:port/database")

    static func queue(_ log: InteractionLogLocation) throws(MailMergeError) -> DistributedQueue {
        guard case .postgres = log, let store = try log.existing() as? PostgresInteractionLogStore else { throw notPostgres }
        return DistributedQueue(store)
    }

    static func sha256(_ data: Data) -> String {
        SHA256.hash(data: data).map { String(format: "%02x", $0) }.joined()
    }

    static func isConnectionLoss(_ error: any Error) -> Bool { PostgresFailure.isConnectionLoss(error) }

    /// Runs `body`; a queue or log error becomes `MailMergeError.log`.
    static func operation<T>(_ body: () throws -> T) throws(MailMergeError) -> T {
        do {
            return try body()
        } catch let error as InteractionLogError {
            throw .log(error)
        } catch let error as DistributedError {
            throw .log(.failed(reason: error.description))
        } catch let error as MailMergeError {
            throw error
        } catch {
            throw .log(.failed(reason: PostgresSession.reason(error)))
        }
    }
}

extension SegmentLogger.Plan {
    /// A distributed run's plan on a worker: the segment and its lines as the coordinator checked them (not checked
    /// again; resolved when read, a chunk at a time), the attachments compiled from `representatives`, the lines the
    /// coordinator found standing for the others (one per template and attachment), as `SegmentLogger.prepare` does.
    ///
    /// `segment`: the segment as the coordinator checked it (stored with the run), else read from `request.segmentPath`.
    init(planned request: LogSegmentRequest, segment stored: Segment? = nil, representatives: [Int]) throws(MailMergeError) {
        let (segment, lines) =
            if let stored {
                try Inputs.checkedSegmentLines(stored, templatesDirectory: request.templatesDirectory)
            } else {
                try Inputs.checkedSegmentLines(at: request.segmentPath, templatesDirectory: request.templatesDirectory)
            }
        if let outside = representatives.first(where: { !lines.indices.contains($0) }) {
            throw .io(path: request.segmentPath, message: "the run's representative line \(outside) is not a line of its segment; plan it again")
        }
        let firstLines = representatives.map { lines[$0] }
        var diagnostics: [Diagnostic] = []
        let images = Templates.imagesFolder(request.images, templatesDirectory: request.templatesDirectory)
        let children = SegmentChildTables(segment: segment, lines: firstLines, diagnostics: &diagnostics)
        let attachments = CompiledAttachments(for: firstLines, images: images, regionColumns: children.regionColumns, diagnostics: &diagnostics)
        if !diagnostics.isEmpty { throw .validation(diagnostics) }
        self.init(
            segment: segment, lines: lines, attachments: attachments, followUp: nil, children: children.isEmpty ? nil : children,
            hasLabels: firstLines.contains { $0.template.documentType == .labels })
    }
}

/// Extends a claimed chunk's lease every lease/3 seconds on its own connection, until stopped; notices a lost lease.
final class Heartbeat: Sendable {
    private let flags = Flags()

    init(claim: DistributedQueue.Claim, queue: DistributedQueue, worker: String, lease: TimeInterval) {
        let flags = flags
        Thread.detachNewThread {
            var lastBeat = Date()
            while !flags.stopped {
                Thread.sleep(forTimeInterval: min(0.2, lease / 10))
                guard !flags.stopped, Date().timeIntervalSince(lastBeat) >= lease / 3 else { continue }
                lastBeat = Date()
                // A database that is away is retried at the next beat; the commit decides (it checks the lease).
                flags.beats += 1
                if let held = try? queue.heartbeat(claim, worker: worker, lease: lease), !held {
                    flags.lost = true
                    return
                }
            }
        }
    }

    /// Whether another worker took the chunk over.
    var isLost: Bool { flags.lost }

    /// Heartbeats sent so far.
    var beats: Int { flags.beats }

    func stop() { flags.stopped = true }

    final class Flags: @unchecked Sendable {
        // @unchecked: the flags and the count are only touched with `lock` held.
        private let lock = NSLock()
        private var stoppedValue = false
        private var lostValue = false
        private var beatsValue = 0
        var beats: Int {
            get { lock.withLock { beatsValue } }
            set { lock.withLock { beatsValue = newValue } }
        }
        var stopped: Bool {
            get { lock.withLock { stoppedValue } }
            set { lock.withLock { stoppedValue = newValue } }
        }
        var lost: Bool {
            get { lock.withLock { lostValue } }
            set { lock.withLock { lostValue = newValue } }
        }
    }
}
