import ArgumentParser
import Foundation
import MailMergeKit

/// `mailmerge worker`: merges and records chunks of distributed runs.
struct WorkerCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "worker",
        abstract: "Merge and log chunks of segments planned with `log-segment --distribute` (PostgreSQL log).",
        discussion: """
            Claims a chunk (SELECT … FOR UPDATE SKIP LOCKED, with a lease it extends while it works), writes its \
            letters into OUT/<segment no>/ (each atomically, named as log-segment names them), then records the \
            chunk's entries and marks it done in ONE transaction, only if it still holds the lease. The transaction \
            of a run's last chunk logs the segment (all its entries at once) and that worker writes manifest.csv. \
            A worker killed at any moment loses only its lease: another worker takes the chunk over. The inputs \
            (segment, contacts, templates) come from the database, so a worker needs no shared folder but OUT, and \
            the folders the run was planned with: --fax-out (fax lines' letters are copied there) and the pictures \
            folder, if the templates have pictures. E-mail lines get their message (queued, with the run's \
            --email-from), as with log-segment; send them with `mailmerge log resend` once the run is logged. \
            It reconnects (with backoff) when the database restarts.
            """
    )

    @OptionGroup var database: DatabaseOptions

    @Option(name: .long, help: "Letters go into OUT/<segment no>/ (a folder all workers share, or each its own).")
    var out = Defaults.outputDirectory

    @Flag(name: .long, help: "Stop when no planned run has chunks left (else wait for new runs).")
    var untilDone = false

    @Option(name: .long, help: "Seconds a claimed chunk stays this worker's without a heartbeat.")
    var lease: Double = 30

    @Option(name: .long, help: "The worker's name in `mailmerge status` (default: host-pid).")
    var id: String?

    @Flag(name: .long, help: "Leave a print run whose last chunk this worker records to `mailmerge finish` (else this worker joins it).")
    var noFinish = false

    @Option(
        name: .long,
        help: "Writer threads (default: the cores divided by the workers alive on this host when it takes up a run, at least 1).")
    var jobs: Int?

    @OptionGroup var output: QuietOptions

    func validate() throws {
        if let jobs, jobs < 1 { throw ValidationError("--jobs must be at least 1") }
        if lease < 1 { throw ValidationError("--lease must be at least 1 second") }
    }

    func run() throws {
        var request = DistributedRun.WorkerRequest()
        request.outputDirectory = out
        request.jobs = jobs
        request.untilDone = untilDone
        request.lease = lease
        request.finishPrintRuns = !noFinish
        if let id { request.workerID = id }
        let quiet = output.quiet
        let workerID = request.workerID
        let result = try reportingErrors { [request] in
            try DistributedRun.work(request, log: database.log) { line in
                if !quiet { FileHandle.standardError.write(Data("worker \(workerID): \(line)\n".utf8)) }
            }
        }
        guard !quiet else { return }
        print("worker \(request.workerID): \(result.chunks) chunks, \(result.letters) letters, \(result.dropped) dropped (lease lost)")
        if result.recordSeconds > 0 {
            print(
                String(
                    format: "recorded %d entries in %.3f s of chunk transactions (%.0f entries/s)", result.entriesRecorded, result.recordSeconds,
                    Double(result.entriesRecorded) / result.recordSeconds))
        }
        for logged in result.logged {
            print("logged segment \(logged.segmentNo) as logged segment \(logged.entryNo): \(logged.numberOfInteractions) interactions")
        }
        // The timeline (Unix times, for bench/distributed/run) and where the worker's time went.
        let epoch = { (date: Date?) in date.map { String(format: "%.3f", $0.timeIntervalSince1970) } ?? "-" }
        print(
            "timeline: started \(epoch(result.startedAt)) first-claim \(epoch(result.firstClaimAt)) last-commit \(epoch(result.lastCommitAt)) "
                + "finished \(epoch(result.finishedAt ?? Date()))"
                + String(
                    format: "; prepare %.2f s, busy %.2f s (recording %.2f s), logging %.2f s; CPU: prepare %.2f s, logging %.2f s",
                    result.prepareSeconds, result.busySeconds, result.recordSeconds, result.logSeconds, result.prepareCPUSeconds, result.logCPUSeconds))
        // What the worker spent besides merging (bench/distributed/run prints it per run).
        print(
            String(
                format: "accounting: CPU %.2f s, merging thread %.2f s, other threads %.2f s; user %.2f s, system %.2f s; "
                    + "context switches %d voluntary, %d involuntary; empty claims %d, heartbeats %d, waiting for the run's row %.3f s",
                result.processCPUSeconds, result.mergingThreadCPUSeconds, result.processCPUSeconds - result.mergingThreadCPUSeconds, result.userSeconds,
                result.systemSeconds, result.voluntarySwitches, result.involuntarySwitches, result.emptyClaims, result.heartbeats, result.runLockSeconds))
    }
}

/// `mailmerge status RUN`: a distributed run's progress.
struct StatusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Show a distributed run's progress: chunks and lines done, rate, live workers, expired leases."
    )

    @Argument(help: "The run number `log-segment --distribute` printed.")
    var runID: Int64

    @OptionGroup var database: DatabaseOptions

    func run() throws {
        let progress = try reportingErrors { try DistributedRun.progress(runID, log: database.log) }
        let run = progress.run
        let state: String
        switch run.status {
        case "planned": state = "in progress"
        case "merged": state = "merged (every chunk done; the print run is joined and the segment logged by `mailmerge finish \(run.id)`)"
        default: state = run.status
        }
        print("run \(run.id): segment \(run.segmentNo) (\(run.description)): \(state)")
        if let logged = run.loggedSegmentEntryNo { print("logged segment: \(logged)") }
        let percent = run.lineCount == 0 ? 100 : 100 * Double(progress.linesDone) / Double(run.lineCount)
        print("chunks: \(progress.chunksDone)/\(run.chunkCount) done, \(progress.claimed) being merged, \(progress.expiredLeases) expired leases")
        print(String(format: "lines: %d/%d (%.1f%%), %.0f lines/s", progress.linesDone, run.lineCount, percent, progress.linesPerSecond))
        print("live workers: \(progress.liveWorkers.count)")
        for worker in progress.liveWorkers {
            print("  \(worker.id) (host \(worker.host), pid \(worker.pid)): \(worker.chunksDone) chunks")
        }
    }
}

/// `mailmerge finish RUN`: joins a distributed print run's parts and logs its segment.
struct FinishCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "finish",
        abstract: "Join a distributed print run's parts (qpdf for PDF) with its print manifest, then log its segment.",
        discussion: """
            A run planned with --print-run becomes `merged` when its last chunk is recorded; the worker that recorded it \
            joins the run at once when it can. Otherwise (it died, a part was missing) run finish: it checks every \
            chunk's print part against the SHA-256 its worker recorded (a missing or changed part is named, and nothing \
            is logged), joins each print document's PDF parts in line order into OUT/<segment no>/print-run-<template>.pdf, \
            writes print-manifest.csv (each letter's part, print file and pages in it) and logs the segment in the same \
            transaction. Running it again, or twice at once, is safe: the run's row decides, the second finds it logged.
            """
    )

    @Argument(help: "The run number `log-segment --distribute` printed.")
    var runID: Int64

    @OptionGroup var database: DatabaseOptions

    @Option(name: .long, help: "The joined print files and manifests go into OUT/<segment no>/ (the workers' shared folder).")
    var out = Defaults.outputDirectory

    @OptionGroup var output: QuietOptions

    func run() throws {
        let result = try reportingErrors { try DistributedRun.finish(runID, outputDirectory: out, log: database.log) }
        guard !output.quiet else { return }
        if result.alreadyLogged {
            print("run \(result.run) is logged already\(result.logged.map { " (logged segment \($0.entryNo))" } ?? ""); nothing to do")
            return
        }
        for pdf in result.pdfs { print("print file: \(pdf)") }
        if let manifest = result.manifestPath { print("print manifest: \(manifest) (\(result.parts) parts)") }
        if let logged = result.logged {
            print("logged segment \(logged.segmentNo) as logged segment \(logged.entryNo): \(logged.numberOfInteractions) interactions")
        }
    }
}
