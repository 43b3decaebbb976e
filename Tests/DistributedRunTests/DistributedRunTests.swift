import Crypto
import Foundation
import InteractionLog
import MailMergeTestSupport
import PostgresInteractionLog
import Segments
import Testing

/// Distributed runs against a real PostgreSQL (never mocked): workers killed with SIGKILL, a worker paused past its
/// lease, the server restarted, two coordinators racing. Every test checks the outcome that matters: exactly one
/// entry per line, the segment logged once, every letter on disk with the SHA-256 the manifest and the log give.
///
/// `MAILMERGE_DISTRIBUTED_LINES=10000 swift test --filter DistributedRunTests` runs the kill test on 10,000 lines
/// (2,000 by default, to keep CI short).
@Suite(.serialized, .enabled(if: TestPostgres.isAvailable, Comment(rawValue: TestPostgres.unavailableReason)))
struct DistributedRunTests {
    static let killLines = ProcessInfo.processInfo.environment["MAILMERGE_DISTRIBUTED_LINES"].flatMap(Int.init) ?? 2_000

    @Test func everyCommandWithDbWorksOnPostgres() throws {
        let workspace = try Workspace(lines: 12, no: "SMCLI")
        let logged = try CLI.run([
            "log-segment", workspace.generated.segment.path, "--templates", Paths.templates.path, "--db", workspace.url, "--out", workspace.out,
        ])
        #expect(logged.status == 0, "\(logged.stderr)")
        #expect(logged.stdout.contains("12 interactions in postgres://"), "\(logged.stdout)")
        let again = try CLI.run(["log-segment", workspace.generated.segment.path, "--templates", Paths.templates.path, "--db", workspace.url])
        #expect(again.status == 1 && again.stderr.contains("already logged"), "\(again.stderr)")
        let list = try CLI.run(["log", "list", "--db", workspace.url, "--format", "csv"])
        #expect(list.stdout.split(whereSeparator: \.isNewline).count == 13, "\(list.stdout)")
        #expect(try CLI.run(["log", "cancel", "--logged-segment", "1", "--db", workspace.url]).status == 0)
        let segments = try CLI.run(["segment", "logged", "--db", workspace.url, "--format", "csv"])
        #expect(segments.stdout.contains("SMCLI") && segments.stdout.contains("yes"), "\(segments.stdout)")
        #expect(try CLI.run(["log", "delete-canceled", "--db", workspace.url]).status == 0)
        #expect(try workspace.store().entries(LogFilter()).isEmpty)
        // A password in the URL is never printed.
        let withPassword = workspace.url.replacingOccurrences(of: "postgres@", with: "postgres:hunter2@")
        let refused = try CLI.run(["log", "list", "--db", withPassword.replacingOccurrences(of: "sslmode=disable", with: "sslmode=bogus")])
        #expect(refused.status == 1 && !refused.stderr.contains("hunter2") && refused.stderr.contains("sslmode=bogus"), "\(refused.stderr)")
    }

    @Test func twoCoordinatorsPlanningOneSegmentOneWinsTheOtherIsToldWhy() throws {
        let workspace = try Workspace(lines: 200, no: "SMRACE")
        let results = LockedValue<[RunResult]>([])
        DispatchQueue.concurrentPerform(iterations: 2) { _ in
            if let result = try? workspace.plan(chunk: 20) { results.withLock { $0.append(result) } }
        }
        let outcomes = results.withLock { $0 }
        #expect(outcomes.count == 2)
        #expect(outcomes.filter { $0.status == 0 }.count == 1, "\(outcomes)")
        let loser = try #require(outcomes.first { $0.status != 0 })
        #expect(loser.stderr.contains("SMRACE is already planned for a distributed run") || loser.stderr.contains("already logged"), "\(loser.stderr)")
        #expect(!loser.stderr.contains("secret"))
        // A third attempt, after the fact, is refused too, and names the run.
        let third = try workspace.plan(chunk: 20)
        #expect(third.status == 1 && third.stderr.contains("(run "), "\(third.stderr)")
        #expect(try workspace.store().loggedSegments().isEmpty, "planning logs nothing")
    }

    @Test func workersKilledAtRandomLogEveryLineExactlyOnce() throws {
        let lines = Self.killLines
        let workspace = try Workspace(lines: lines, no: "SMKILL")
        let planned = try workspace.plan(chunk: max(20, lines / 100))
        #expect(planned.status == 0, "\(planned.stderr)")
        var workers = try (0..<3).map { try workspace.startWorker(name: "w\($0)", lease: 2) }
        defer { for worker in workers { worker.stop() } }
        var kills = 0
        let deadline = Date().addingTimeInterval(Double(lines) / 10 + 120)
        while try !workspace.isLogged(), Date() < deadline {
            // The first kill comes early: on an idle machine the default 2,000 lines are merged in a few seconds.
            Thread.sleep(forTimeInterval: kills == 0 ? Double.random(in: 0.3...1.0) : Double.random(in: 1.5...3.5))
            guard try !workspace.isLogged() else { break }
            let victim = Int.random(in: 0..<workers.count)
            workers[victim].kill(SIGKILL)
            kills += 1
            workers[victim] = try workspace.startWorker(name: "w\(victim)-\(kills)", lease: 2)
        }
        print("distributed kill test: \(lines) lines, \(kills) workers killed with SIGKILL")
        #expect(kills >= 1)
        try workspace.expectLoggedOnce(lines: lines)
    }

    /// Workers resolve only their chunks' lines (the attachments compiled from the lines the coordinator named, one per
    /// template and attachment: here English and Dutch) and manifest.csv is joined from the rows each chunk recorded:
    /// the letters and the manifest are byte for byte what `log-segment` writes on one machine. Chunks of 250 lines
    /// straddle the 512-line batches lines are otherwise resolved in. The coordinator stores the segment with its
    /// `contacts:` line changed, or, for a flow-style header, encoded again; workers read both.
    @Test(arguments: [false, true]) func workersWriteTheLettersAndManifestLogSegmentWrites(flowHeader: Bool) throws {
        let workspace = try Workspace(lines: 1_100, no: flowHeader ? "SMFLOW" : "SMSAME")
        if flowHeader {
            let yaml = try String(contentsOf: workspace.generated.segment, encoding: .utf8)
            let header = """
                header: {no: SMFLOW, description: Generated segment, templateCode: DIRECTMAIL, date: 2026-11-23, contacts: contacts.csv,
                  subject: Generated letters, salespersonCode: JO, salespersonName: Jo Olsen, campaignNo: CPGEN}

                """
            try (header + yaml[yaml.range(of: "lines:")!.lowerBound...]).write(to: workspace.generated.segment, atomically: true, encoding: .utf8)
        }
        let planned = try workspace.plan(chunk: 250)
        #expect(planned.status == 0, "\(planned.stderr)")
        let workers = try (0..<2).map { try workspace.startWorker(name: "s\($0)", lease: 10) }
        defer { for worker in workers { worker.stop() } }
        for worker in workers { #expect(worker.wait(seconds: 300) == 0, "\(worker.output)") }
        #expect(workers.allSatisfy { $0.output.contains("timeline: started ") }, "\(workers.map(\.output))")
        try workspace.expectLoggedOnce(lines: 1_100)

        let single = workspace.folder.path("single")
        let logged = try CLI.run([
            "log-segment", workspace.generated.segment.path, "--templates", Paths.templates.path, "--db", workspace.folder.path("single.sqlite"),
            "--out", single, "--quiet",
        ])
        #expect(logged.status == 0, "\(logged.stderr)")
        let distributed = try Data(contentsOf: URL(fileURLWithPath: workspace.out + "/\(workspace.no)/manifest.csv"))
        let alone = try Data(contentsOf: URL(fileURLWithPath: single + "/\(workspace.no)/manifest.csv"))
        #expect(distributed == alone, "manifest.csv differs from log-segment's")
        let dutch = String(decoding: distributed, as: UTF8.self).split(whereSeparator: \.isNewline).filter { $0.contains(",NL,") }
        #expect(dutch.count == 1_100 / 3, "every third contact is Dutch")
    }

    /// A long run (at least 16 chunks) ends in shrinking chunks, so its workers stop close together: once at most 4
    /// chunks' lines are left (160 here), each chunk takes a quarter of what is left, down to chunk/16 lines; every line
    /// is in exactly one chunk, in order, and two workers log them all once.
    @Test func aLongRunEndsInShrinkingChunks() throws {
        let workspace = try Workspace(lines: 700, no: "SMTAIL")
        let planned = try workspace.plan(chunk: 40)
        #expect(planned.status == 0, "\(planned.stderr)")
        let queue = DistributedQueue(try workspace.store())
        let chunks = try queue.session.query("SELECT first_line, line_count FROM distributed_chunk WHERE run_id = 1 ORDER BY chunk_no").map {
            (first: Int(try $0["first_line"].decode(Int32.self)), count: Int(try $0["line_count"].decode(Int32.self)))
        }
        #expect(chunks.map(\.count) == Array(repeating: 40, count: 14) + [35, 27, 20, 15, 11, 8, 6, 5, 4, 3, 2, 2, 2], "\(chunks)")
        #expect(zip(chunks, chunks.dropFirst()).allSatisfy { $0.first + $0.count == $1.first } && chunks.first?.first == 0)
        #expect(chunks.map(\.count).reduce(0, +) == 700)
        let workers = try (0..<2).map { try workspace.startWorker(name: "t\($0)", lease: 10) }
        defer { for worker in workers { worker.stop() } }
        for worker in workers { #expect(worker.wait(seconds: 300) == 0, "\(worker.output)") }
        try workspace.expectLoggedOnce(lines: 700)
    }

    @Test func aWorkerPausedPastItsLeaseDoesNotRecordItsChunkAgain() throws {
        let workspace = try Workspace(lines: 400, no: "SMSTOP")
        #expect(try workspace.plan(chunk: 400).status == 0)
        let paused = try workspace.startWorker(name: "paused", lease: 2, jobs: 1)
        defer { paused.stop() }
        // Pause it as soon as it holds the chunk, before it can record it.
        let queue = DistributedQueue(try workspace.store())
        let claimDeadline = Date().addingTimeInterval(60)
        while try (queue.progress(1)?.claimed ?? 0) == 0, Date() < claimDeadline { Thread.sleep(forTimeInterval: 0.02) }
        paused.kill(SIGSTOP)
        Thread.sleep(forTimeInterval: 3)  // past the 2 s lease
        let rescuer = try workspace.startWorker(name: "rescuer", lease: 2)
        defer { rescuer.stop() }
        #expect(rescuer.wait(seconds: 120) == 0, "\(rescuer.output)")
        #expect(try workspace.isLogged())
        paused.kill(SIGCONT)
        #expect(paused.wait(seconds: 120) == 0, "\(paused.output)")
        #expect(paused.output.contains("lease lost"), "\(paused.output)")
        #expect(paused.output.contains("0 chunks"), "\(paused.output)")
        try workspace.expectLoggedOnce(lines: 400)
    }

    /// A chunk commit stages its entries before it takes the run's row (which it then holds only for counting the open
    /// chunks and its COMMIT): four workers committing chunks of 3 lines at once still see exactly one of them find no
    /// chunk open and log the run, every chunk recorded once.
    @Test func fourWorkersCommittingSmallChunksAtOnceLogTheRunOnce() throws {
        let workspace = try Workspace(lines: 150, no: "SMRACE")
        #expect(try workspace.plan(chunk: 3).status == 0)
        let workers = try (0..<4).map { try workspace.startWorker(name: "r\($0)", lease: 10) }
        defer { for worker in workers { worker.stop() } }
        for worker in workers { #expect(worker.wait(seconds: 300) == 0, "\(worker.output)") }
        try workspace.expectLoggedOnce(lines: 150)
        let chunks = workers.map { worker in
            worker.output.split(separator: "\n").first { $0.contains(" chunks, ") }.flatMap { line in
                line.range(of: ": ").flatMap { Int(line[$0.upperBound...].prefix { $0.isNumber }) }
            } ?? -1
        }
        let planned = try #require(try DistributedQueue(try workspace.store()).run(1)).chunkCount
        #expect(planned > 40 && chunks.reduce(0, +) == planned, "\(planned) chunks: \(workers.map(\.output))")
        #expect(workers.filter { $0.output.contains("logged segment SMRACE") }.count == 1, "\(workers.map(\.output))")
    }

    /// Each worker prints where its CPU went and what it did besides merging (bench/distributed/run reports it per run):
    /// the numbers are the process's own (the merging thread within the process's CPU, user + system adding up to it),
    /// the worker that merged the run's one chunk sent heartbeats while it took longer than a beat and waited for the
    /// run's row once, and the one left without a chunk looked for work in vain while the other merged.
    @Test func workersAccountForTheirCPUAndWhatTheyDidBesidesMerging() throws {
        let workspace = try Workspace(lines: 400, no: "SMACCT")
        #expect(try workspace.plan(chunk: 400).status == 0)
        let lease = 3.0
        let workers = try (0..<2).map { try workspace.startWorker(name: "a\($0)", lease: lease) }
        defer { for worker in workers { worker.stop() } }
        for worker in workers { #expect(worker.wait(seconds: 300) == 0, "\(worker.output)") }
        try workspace.expectLoggedOnce(lines: 400)
        let accounts = try workers.map { worker in try #require(WorkerAccount(worker.output), "no accounting line in \(worker.output)") }
        for account in accounts {
            #expect(account.mergingThread <= account.cpu + 0.01, "\(account)")
            #expect(abs(account.user + account.system - account.cpu) <= 0.05 * account.cpu + 0.05, "\(account)")
            #expect(account.voluntarySwitches > 0, "\(account)")
        }
        let merger = try #require(workers.firstIndex { $0.output.contains("1 chunks, 400 letters") }, "\(workers.map(\.output))")
        let (busy, idle) = (accounts[merger], accounts[1 - merger])
        // The worker that merged spent most of its CPU in its merging thread (the idle one's may print as 0.00 s).
        #expect(busy.mergingThread > 0 && busy.mergingThread >= busy.otherThreads, "\(busy)")
        #expect(busy.runLockSeconds > 0 && idle.runLockSeconds == 0, "\(accounts)")
        #expect(idle.heartbeats == 0 && idle.emptyClaims >= 1, "\(idle)")
        let busySeconds = try #require(
            workers[merger].output.split(separator: "\n").first { $0.hasPrefix("timeline:") }.flatMap { line in
                line.range(of: "busy ").flatMap { Double(line[$0.upperBound...].prefix { $0 != " " }) }
            })
        if busySeconds > lease { #expect(busy.heartbeats >= 1, "busy \(busySeconds) s: \(busy)") }
    }

    /// A chunk commit that does not log the run does not wait for its WAL to be flushed (`SET LOCAL synchronous_commit =
    /// off`: it holds the run's row until its COMMIT, so the other workers' commits would wait for the flush too). The
    /// setting must end with the chunk's transaction: the commit that logs the run, and whatever the connection runs
    /// later (a log it shares), keep the connection's own setting (`on` here; the test server's default is `off`).
    /// A crash losing such a commit is `workersReconnectWhenPostgresRestartsMidRun` (`-m immediate`): the chunk's
    /// lease runs out and it is merged again.
    @Test func aChunkCommitSkipsTheFlushOnlyInItsOwnTransaction() throws {
        let workspace = try Workspace(lines: 8, no: "SMFLUSH")
        #expect(try workspace.plan(chunk: 2).status == 0)
        let queue = DistributedQueue(try workspace.store())
        try queue.session.query("SET synchronous_commit = on")
        func setting() throws -> String? { try queue.session.query("SHOW synchronous_commit").first?["synchronous_commit"].decode(String.self) }
        #expect(try setting() == "on")
        func commit(_ claim: DistributedQueue.Claim) throws -> DistributedQueue.Completion {
            let entries = claim.contactNos.map {
                NewInteractionLogEntry(contactNo: $0, date: Day("2026-11-01")!, templateCode: "DIRECTMAIL", description: "flush")
            }
            return try queue.complete(claim, worker: "flush", entries: entries)
        }
        for _ in 0..<3 {
            #expect(try commit(try #require(try queue.claim(worker: "flush", lease: 60))) == .recorded)
            #expect(try setting() == "on")
        }
        guard case .logged = try commit(try #require(try queue.claim(worker: "flush", lease: 60))) else {
            Issue.record("the last chunk's commit did not log the run")
            return
        }
        #expect(try setting() == "on")
        #expect(try workspace.store().entries(LogFilter(segmentNo: "SMFLUSH")).count == 8)
    }

    @Test func workersReconnectWhenPostgresRestartsMidRun() throws {
        // Its own cluster: this test stops and starts the server.
        let cluster = try PostgresCluster.start()
        defer { cluster.stop() }
        let workspace = try Workspace(lines: 600, no: "SMRESTART", server: cluster.url(database: "postgres"))
        #expect(try workspace.plan(chunk: 30).status == 0)
        let workers = try (0..<2).map { try workspace.startWorker(name: "r\($0)", lease: 5) }
        defer { for worker in workers { worker.stop() } }
        let queue = DistributedQueue(try workspace.store())
        // Three restarts (down 2 s, 0 s, 1 s): a query in flight as the server goes away must fail and be retried,
        // never wait forever (postgres-nio can leave it unanswered; PostgresSession bounds the wait).
        for (chunks, down) in [(2, 2.0), (7, 0.0), (12, 1.0)] {
            let deadline = Date().addingTimeInterval(120)
            while try (queue.progress(1)?.chunksDone ?? 0) < chunks, Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
            queue.session.close()
            try cluster.restart(downFor: down)
        }
        for worker in workers { #expect(worker.wait(seconds: 180) == 0, "\(worker.output)") }
        try workspace.expectLoggedOnce(lines: 600)
        let status = try CLI.run(["status", "1", "--db", workspace.url])
        #expect(status.stdout.contains("lines: 600/600") && status.stdout.contains(": logged"), "\(status.stdout)")
    }

    @Test func segmentLoggedShowsARunInProgressAndStatusShowsItsProgress() throws {
        let workspace = try Workspace(lines: 60, no: "SMPROG")
        #expect(try workspace.plan(chunk: 20).status == 0)
        let listed = try CLI.run(["segment", "logged", "--db", workspace.url])
        #expect(listed.stdout.contains("SMPROG") && listed.stdout.contains("in progress (chunks 0/3)"), "\(listed.stdout)")
        let status = try CLI.run(["status", "1", "--db", workspace.url])
        #expect(status.stdout.contains("chunks: 0/3 done") && status.stdout.contains("in progress"), "\(status.stdout)")
        let worker = try workspace.startWorker(name: "only", lease: 5)
        #expect(worker.wait(seconds: 120) == 0, "\(worker.output)")
        try workspace.expectLoggedOnce(lines: 60)
        let logged = try CLI.run(["segment", "logged", "--db", workspace.url])
        #expect(!logged.stdout.contains("in progress") && logged.stdout.contains("SMPROG"), "\(logged.stdout)")
        let again = try workspace.plan(chunk: 20)
        #expect(again.status == 1 && again.stderr.contains("already logged"), "\(again.stderr)")
    }

    // MARK: log-segment options in a distributed run

    @Test func faxOutIsCarriedToEveryWorker() throws {
        let workspace = try Workspace(lines: 40, no: "SMFAX", correspondenceType: "fax")
        let fax = workspace.folder.path("fax gateway")
        // Without --fax-out the plan is refused, as log-segment refuses it.
        let without = try workspace.plan(chunk: 10)
        #expect(without.status == 1 && without.stderr.contains("40 lines are fax") && without.stderr.contains("--fax-out DIR"), "\(without.stderr)")
        let planned = try workspace.plan(chunk: 10, ["--fax-out", fax])
        #expect(planned.status == 0, "\(planned.stderr)")
        let workers = try (0..<2).map { try workspace.startWorker(name: "fax\($0)", lease: 10) }
        defer { for worker in workers { worker.stop() } }
        for worker in workers { #expect(worker.wait(seconds: 180) == 0, "\(worker.output)") }
        try workspace.expectLoggedOnce(lines: 40)
        // Every fax line's letter is in the gateway's folder, the same bytes as the letter the entry names.
        let entries = try workspace.store().entries(LogFilter(segmentNo: "SMFAX"))
        #expect(entries.allSatisfy { $0.correspondenceType == .fax })
        let faxed = try FileManager.default.contentsOfDirectory(atPath: fax).filter { $0.hasSuffix(".docx") }
        #expect(faxed.count == 40, "\(faxed)")
        for entry in entries {
            let path = try #require(entry.documentPath)
            let copy = FileManager.default.contents(atPath: fax + "/" + (path as NSString).lastPathComponent)
            #expect(copy != nil && copy == FileManager.default.contents(atPath: path), "\(path)")
        }
        let first = try #require(faxed.sorted().first)
        #expect(try DocxInspector(path: fax + "/" + first).text("word/document.xml").contains("Ørsted-1"))
        // The copies were staged under hidden temporary names and all delivered: none is left behind.
        #expect(try FileManager.default.contentsOfDirectory(atPath: fax).filter { $0.hasPrefix(".") }.isEmpty)
    }

    @Test func picturesFolderIsCarriedToEveryWorker() throws {
        let workspace = try Workspace(lines: 20, no: "SMPIC")
        // The sample catalogue, its direct-mail letters replaced by a photo letter: INCLUDEPICTURE "{ MERGEFIELD ContactNo }.gif",
        // the pictures in images/ beside the templates (the default folder). Workers rebuild the templates from the database,
        // without images/: the run carries the folder.
        let templates = workspace.folder.url.appendingPathComponent("Templates")
        try FileManager.default.copyItem(at: Paths.templates, to: templates)
        for name in ["DirectMail_EN.docx", "DirectMail_NL.docx"] {
            let url = templates.appendingPathComponent(name)
            try FileManager.default.removeItem(at: url)
            try MediaFixtures.template(
                [
                    "<w:r><w:t xml:space=\"preserve\">Contact </w:t></w:r>" + MediaFixtures.mergeField("ContactNo")
                        + "<w:r><w:t xml:space=\"preserve\"> </w:t></w:r>" + MediaFixtures.mergeField("Surname"),
                    MediaFixtures.complexField(
                        MediaFixtures.instruction(" INCLUDEPICTURE \"") + MediaFixtures.mergeField("ContactNo") + MediaFixtures.instruction(".gif\" \\d "),
                        result: MediaFixtures.placeholderDrawing(cx: 914_400, cy: 914_400)),
                ], to: url)
        }
        let images = templates.appendingPathComponent("images")
        try FileManager.default.createDirectory(at: images, withIntermediateDirectories: true)
        for number in 1...20 { try Data(MediaFixtures.gif).write(to: images.appendingPathComponent(String(format: "CG%06d.gif", number))) }
        let planned = try workspace.plan(chunk: 5, templates: templates.path)
        #expect(planned.status == 0, "\(planned.stderr)")
        let worker = try workspace.startWorker(name: "pictures", lease: 10)
        defer { worker.stop() }
        #expect(worker.wait(seconds: 180) == 0, "\(worker.output)")
        try workspace.expectLoggedOnce(lines: 20)
        for entry in try workspace.store().entries(LogFilter(segmentNo: "SMPIC")) {
            let letter = try DocxInspector(path: try #require(entry.documentPath))
            #expect(letter.text("word/document.xml").contains("Contact \(entry.contactNo)"))
            #expect(letter.xml["word/_rels/document.xml.rels"]?.contains("media/img-") == true, "\(entry.contactNo): no picture")
        }
    }

    @Test(arguments: [
        (["--print-run", "--sort", "postcode"], "--sort postcode orders the whole print run"),
        (["--print-run", "--pdf", "--split-pdf", "10"], "--split-pdf cuts the joined print file"),
        (["--follow-up"], "--follow-up writes the follow-up segment"),
        (["--send-email", "--smtp", "smtp://127.0.0.1:2525"], "--send-email sends right after logging"),
    ])
    func optionsARunCannotCarryAreRefusedWhenPlanning(options: [String], reason: String) throws {
        let workspace = try Workspace(lines: 5, no: "SMREFUSE")
        let refused = try workspace.plan(chunk: 2, options)
        #expect(refused.status != 0, "\(refused.stdout)")
        #expect(refused.stderr.contains("with --distribute") && refused.stderr.contains(reason), "\(refused.stderr)")
        #expect(try DistributedQueue(try workspace.store()).runs().isEmpty, "nothing planned")
        #expect(try workspace.store().loggedSegments().isEmpty)
    }

    // MARK: Print runs

    /// `--print-run --pdf` by 2 workers, one killed with SIGKILL mid-chunk: the worker that records the last chunk joins the
    /// parts; each joined PDF has exactly the pages the print manifest gives, each letter's first page is its contact's.
    @Test(.enabled(if: PrintRunTools.available, Comment(rawValue: PrintRunTools.reason)))
    func printRunWithPDFByTwoWorkersIsJoinedWithExactPageRanges() throws {
        let workspace = try Workspace(lines: 24, no: "SMPRINT")
        let planned = try workspace.plan(chunk: 6, ["--print-run", "--pdf"])
        #expect(planned.status == 0, "\(planned.stderr)")
        #expect(planned.stdout.contains("mailmerge finish 1"), "\(planned.stdout)")
        var workers = try (0..<2).map { try workspace.startWorker(name: "p\($0)", lease: 3) }
        defer { for worker in workers { worker.stop() } }
        // Kill the first worker while it holds a chunk (merging or laying it out), then start another in its place.
        let queue = DistributedQueue(try workspace.store())
        let deadline = Date().addingTimeInterval(120)
        while try queue.session.query("SELECT 1 FROM distributed_chunk WHERE worker_id = 'p0' AND status = 'claimed'").isEmpty, Date() < deadline {
            Thread.sleep(forTimeInterval: 0.05)
        }
        Thread.sleep(forTimeInterval: 1)  // into its chunk's merge or layout
        workers[0].kill(SIGKILL)
        #expect(workers[0].wait(seconds: 10) != nil)
        workers[0] = try workspace.startWorker(name: "p0-again", lease: 3)
        for worker in workers { #expect(worker.wait(seconds: 600) == 0, "\(worker.output)") }
        try workspace.expectLoggedOnce(lines: 24)
        // The killed worker's chunk was taken over after its lease ran out.
        let attempts = try queue.session.query("SELECT max(attempts) AS most FROM distributed_chunk WHERE run_id = 1")[0]["most"].decode(Int32.self)
        #expect(attempts >= 2, "no chunk was claimed twice: the worker was not killed mid-chunk")
        let status = try CLI.run(["status", "1", "--db", workspace.url])
        #expect(status.stdout.contains(": logged") && status.stdout.contains("chunks: 4/4 done"), "\(status.stdout)")

        let folder = workspace.out + "/SMPRINT/"
        let rows = try PrintManifestRows(path: folder + "print-manifest.csv")
        #expect(rows.count == 24)
        for pdf in ["print-run-DirectMail_EN.pdf", "print-run-DirectMail_NL.pdf"] {
            let mine = rows.rows.filter { $0["pdf"] == pdf }
            #expect(!mine.isEmpty, "\(pdf)")
            // In line order, page ranges back to back from page 1 to the file's last page.
            #expect(mine.map { Int($0["line_no"] ?? "") ?? 0 } == mine.map { Int($0["line_no"] ?? "") ?? 0 }.sorted())
            #expect(mine.map { Int($0["sequence"] ?? "") ?? 0 } == Array(1...mine.count))
            var next = 1
            for row in mine {
                #expect(Int(row["first_page"] ?? "") == next, "\(row)")
                next = (Int(row["last_page"] ?? "") ?? 0) + 1
            }
            let pages = try ExternalCheck.pdfPages(URL(fileURLWithPath: folder + pdf))
            #expect(pages.count == next - 1, "\(pdf): \(pages.count) pages, the manifest ends at \(next - 1)")
            for row in mine {
                let first = (Int(row["first_page"] ?? "") ?? 1) - 1
                let contact = Int((row["contact_no"] ?? "").dropFirst(2)) ?? -1
                #expect(first < pages.count && surnames(pages[first]).contains(contact), "\(row["contact_no"] ?? ""): page \(first + 1)")
            }
            // The print document named for each letter is the chunk's part that holds it, with the recorded bytes.
            for row in mine {
                let part = try DocxInspector(path: folder + (row["print_document"] ?? ""))
                #expect(part.text("word/document.xml").contains("Ørsted-\(Int((row["contact_no"] ?? "").dropFirst(2)) ?? -1)"))
            }
        }
    }

    /// Workers leave a print run `merged` (`--no-finish`); `finish` names a missing part and logs nothing; with the part back,
    /// two `finish` at once join it once and log it once. Without --pdf the manifest lists each letter's .docx part in print order.
    @Test func finishNamesAMissingPartAndTwoFinishesAtOnceLogOnce() throws {
        let workspace = try Workspace(lines: 30, no: "SMFINISH")
        #expect(try workspace.plan(chunk: 10, ["--print-run"]).status == 0)
        let worker = try WorkerProcess(
            ["worker", "--db", workspace.url, "--out", workspace.out, "--until-done", "--no-finish", "--id", "nofinish"],
            log: workspace.folder.path("nofinish.log"))
        defer { worker.stop() }
        #expect(worker.wait(seconds: 300) == 0, "\(worker.output)")
        #expect(try !workspace.isLogged(), "a merged print run is not logged before its join")
        let status = try CLI.run(["status", "1", "--db", workspace.url])
        #expect(status.stdout.contains("merged") && status.stdout.contains("chunks: 3/3 done"), "\(status.stdout)")
        let listed = try CLI.run(["segment", "logged", "--db", workspace.url])
        #expect(listed.stdout.contains("mailmerge finish 1"), "\(listed.stdout)")

        // A part gone: named, nothing logged, the run stays merged.
        let parts = workspace.out + "/SMFINISH/print-parts"
        let chunk = try #require(try FileManager.default.contentsOfDirectory(atPath: parts).sorted().dropFirst().first)
        let part = parts + "/" + chunk + "/print-run-DirectMail_EN.docx"
        try FileManager.default.moveItem(atPath: part, toPath: part + ".away")
        let failed = try CLI.run(["finish", "1", "--db", workspace.url, "--out", workspace.out])
        #expect(failed.status == 1 && failed.stderr.contains(part) && failed.stderr.contains("missing"), "\(failed.stderr)")
        #expect(try !workspace.isLogged())
        #expect(!FileManager.default.fileExists(atPath: workspace.out + "/SMFINISH/print-manifest.csv"))

        try FileManager.default.moveItem(atPath: part + ".away", toPath: part)
        let results = LockedValue<[RunResult]>([])
        DispatchQueue.concurrentPerform(iterations: 2) { _ in
            if let result = try? CLI.run(["finish", "1", "--db", workspace.url, "--out", workspace.out]) { results.withLock { $0.append(result) } }
        }
        let outcomes = results.withLock { $0 }
        #expect(outcomes.count == 2 && outcomes.allSatisfy { $0.status == 0 }, "\(outcomes)")
        #expect(outcomes.filter { $0.stdout.contains("logged segment SMFINISH") }.count == 1, "\(outcomes)")
        #expect(outcomes.filter { $0.stdout.contains("logged already") }.count == 1, "\(outcomes)")
        try workspace.expectLoggedOnce(lines: 30)
        let rows = try PrintManifestRows(path: workspace.out + "/SMFINISH/print-manifest.csv")
        #expect(rows.count == 30)
        for language in ["EN", "NL"] {
            let mine = rows.rows.filter { $0["print_document"]?.hasSuffix("/print-run-DirectMail_\(language).docx") == true }
            #expect(mine.map { Int($0["sequence"] ?? "") ?? 0 } == Array(1...mine.count))
            #expect(mine.map { Int($0["line_no"] ?? "") ?? 0 } == mine.map { Int($0["line_no"] ?? "") ?? 0 }.sorted())
            #expect(mine.allSatisfy { $0["pdf"] == "" && $0["first_page"] == "" })
            for row in mine {
                let document = try DocxInspector(path: workspace.out + "/SMFINISH/" + (row["print_document"] ?? ""))
                #expect(document.text("word/document.xml").contains("Ørsted-\(Int((row["contact_no"] ?? "").dropFirst(2)) ?? -1)"), "\(row)")
            }
        }
    }

    @Test(SMTPTestServer.needed) func emailLinesLoggedDistributedKeepTheirMessageAndDelivery() throws {
        let workspace = try Workspace(lines: 30, no: "SMMAIL", correspondenceType: "email")
        let planned = try workspace.plan(chunk: 10, ["--email-from", "sales@example.com"])
        #expect(planned.status == 0, "\(planned.stderr)")
        let workers = try (0..<2).map { try workspace.startWorker(name: "mail\($0)", lease: 10) }
        defer { for worker in workers { worker.stop() } }
        for worker in workers { #expect(worker.wait(seconds: 180) == 0, "\(worker.output)") }
        try workspace.expectLoggedOnce(lines: 30)
        // Each entry came through the staging table with its message, envelope and delivery status.
        let entries = try workspace.store().entries(LogFilter(segmentNo: "SMMAIL"))
        #expect(entries.count == 30)
        for entry in entries {
            let number = Int(entry.contactNo.dropFirst(2)) ?? 0
            #expect(entry.emailSender == "sales@example.com")
            #expect(entry.emailRecipient == "c\(number)@example.com")
            #expect(entry.deliveryStatus == .queued)
            let message = try #require(entry.emailMessagePath)
            let text = try String(contentsOfFile: message, encoding: .utf8)
            #expect(text.contains("c\(number)@example.com>") && text.contains("sales@example.com"), "\(message)")
        }
        // Each message carries its own letter (made from the letter in memory on the worker): same name and size as the
        // file the entry names, and the letter's text as the body.
        let messages = entries.compactMap(\.emailMessagePath)
        let parsed = try ExternalCheck.parseEmails(messages.map { URL(fileURLWithPath: $0) })
        #expect(parsed.count == 30)
        for (entry, email) in zip(entries, parsed) {
            let letter = try #require(entry.documentPath)
            let size = try #require(try FileManager.default.attributesOfItem(atPath: letter)[.size] as? Int)
            #expect(email.defects == 0)
            #expect(email.attachments.count == 1 && email.attachments.first?.filename == (letter as NSString).lastPathComponent, "\(letter)")
            #expect(email.attachments.first?.size == size && email.attachments.first?.head.hasPrefix("PK") == true, "\(letter)")
            #expect(email.body.contains("Ørsted-\(Int(entry.contactNo.dropFirst(2)) ?? 0)"), "\(email.body)")
        }
        // Sent afterwards, as the refusal of --send-email says: every message reaches the server once, and the log says so.
        let server = try SMTPTestServer(in: workspace.folder.url)
        defer { server.stop() }
        let sent = try CLI.run(["log", "resend", "--segment", "SMMAIL", "--smtp", server.url, "--db", workspace.url])
        #expect(sent.status == 0, "\(sent.stdout) \(sent.stderr)")
        #expect(server.messages().count == 30)
        let delivered = try ExternalCheck.parseEmails(server.messages())
        #expect(Set(delivered.flatMap(\.to)) == Set((1...30).map { "c\($0)@example.com" }))
        #expect(delivered.allSatisfy { $0.attachments.first?.head.hasPrefix("PK") == true })
        #expect(try workspace.store().entries(LogFilter(segmentNo: "SMMAIL")).allSatisfy { $0.deliveryStatus == .sent })
    }
}

/// A generated segment, a fresh database and an output folder.
final class Workspace: @unchecked Sendable {  // immutable after init
    let folder: TemporaryDirectory
    let generated: GeneratedSegment
    let url: String
    let no: String
    var out: String { folder.path("letters") }

    /// `correspondenceType`: the segment header's (fax, email), else the template's.
    init(lines: Int, no: String, correspondenceType: String? = nil, server: String? = nil) throws {
        folder = try TemporaryDirectory("DistributedRunTests")
        generated = try GeneratedSegment(count: lines, no: no, in: folder.url)
        if let correspondenceType {
            let yaml = try String(contentsOf: generated.segment, encoding: .utf8)
            try yaml.replacingOccurrences(of: "  campaignNo: CPGEN\n", with: "  campaignNo: CPGEN\n  correspondenceType: \(correspondenceType)\n")
                .write(to: generated.segment, atomically: true, encoding: .utf8)
        }
        self.no = no
        if let server {
            let session = try PostgresSession(try PostgresLocation(url: server))
            let name = "mm_\(no.lowercased())_\(UInt32.random(in: 0...UInt32.max))"
            try session.query("CREATE DATABASE \(unescaped: name)")
            session.close()
            url = server.replacingOccurrences(of: "/postgres?", with: "/\(name)?")
        } else {
            url = try TestPostgres.freshDatabase(no)
        }
    }

    func store() throws -> PostgresInteractionLogStore { try PostgresInteractionLogStore(url: url) }

    func plan(chunk: Int, _ options: [String] = [], templates: String = Paths.templates.path) throws -> RunResult {
        try CLI.run(
            ["log-segment", generated.segment.path, "--templates", templates, "--db", url, "--distribute", "--chunk", String(chunk)] + options)
    }

    func startWorker(name: String, lease: Double, jobs: Int = 1) throws -> WorkerProcess {
        try WorkerProcess(
            ["worker", "--db", url, "--out", out, "--until-done", "--lease", String(lease), "--jobs", String(jobs), "--id", name],
            log: folder.path("\(name).log"))
    }

    func isLogged() throws -> Bool { try store().loggedSegment(no: no) != nil }

    /// Exactly one logged segment with `lines` entries, one per contact; every letter present with the SHA-256 the
    /// manifest and its entry give; and a letter's text is its contact's.
    func expectLoggedOnce(lines: Int, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let store = try store()
        let segments = try store.loggedSegments().filter { $0.segmentNo == no }
        #expect(segments.count == 1, sourceLocation: sourceLocation)
        #expect(segments.first?.numberOfInteractions == lines, sourceLocation: sourceLocation)
        let entries = try store.entries(LogFilter(segmentNo: no))
        #expect(entries.count == lines, sourceLocation: sourceLocation)
        #expect(Set(entries.map(\.contactNo)).count == lines, sourceLocation: sourceLocation)
        let manifest = try String(contentsOfFile: out + "/\(no)/manifest.csv", encoding: .utf8)
            .split(whereSeparator: \.isNewline).dropFirst().map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        #expect(manifest.count == lines, sourceLocation: sourceLocation)
        let byName = Dictionary(entries.map { ((($0.documentPath ?? "") as NSString).lastPathComponent, $0) }, uniquingKeysWith: { first, _ in first })
        var bad = 0
        for row in manifest {
            let (name, digest) = (row[row.count - 2], row[row.count - 1])
            let data = FileManager.default.contents(atPath: out + "/\(no)/" + name) ?? Data()
            let actual = SHA256.hash(data: data).map { String(format: "%02x", $0) }.joined()
            if actual != digest || byName[name]?.documentSHA256 != digest { bad += 1 }
        }
        #expect(bad == 0, "\(bad) letters missing or not matching their SHA-256", sourceLocation: sourceLocation)
        // The manifest made while the last commit moved the entries into the log is put in place or removed.
        let staged = try FileManager.default.contentsOfDirectory(atPath: out + "/\(no)").filter { $0.hasPrefix(".manifest.csv.") }
        #expect(staged.isEmpty, "\(staged)", sourceLocation: sourceLocation)
        let first = try #require(manifest.first, sourceLocation: sourceLocation)
        let letter = try DocxInspector(path: out + "/\(no)/" + first[first.count - 2])
        #expect(letter.text("word/document.xml").contains("Ørsted-1"), sourceLocation: sourceLocation)
    }
}

/// A `mailmerge worker` running in the background (output to a file), killed or waited for by the test.
final class WorkerProcess {
    let process = Process()
    let log: String

    init(_ arguments: [String], log: String) throws {
        self.log = log
        FileManager.default.createFile(atPath: log, contents: nil)
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: log))
        process.executableURL = CLI.executable
        process.arguments = arguments
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
    }

    var output: String { (try? String(contentsOfFile: log, encoding: .utf8)) ?? "" }

    func kill(_ signal: Int32) { Foundation.kill(process.processIdentifier, signal) }

    /// Waits up to `seconds` for the worker to exit; its status, or nil when it did not.
    func wait(seconds: Double) -> Int32? {
        let deadline = Date().addingTimeInterval(seconds)
        while process.isRunning && Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
        return process.isRunning ? nil : process.terminationStatus
    }

    /// Kills a worker that still runs (also a paused one).
    func stop() {
        guard process.isRunning else { return }
        Foundation.kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }
}

/// The surname numbers ("Ørsted-12" → 12) on a page of text.
func surnames(_ text: String) -> Set<Int> {
    Set(text.components(separatedBy: "Ørsted-").dropFirst().compactMap { Int($0.prefix { $0.isNumber }) })
}

/// A print manifest's rows by column name.
struct PrintManifestRows {
    let rows: [[String: String]]
    var count: Int { rows.count }

    init(path: String) throws {
        let lines = try String(contentsOfFile: path, encoding: .utf8).split(whereSeparator: \.isNewline).map(Self.fields)
        let header = lines.first ?? []
        rows = lines.dropFirst().map { Dictionary(zip(header, $0), uniquingKeysWith: { first, _ in first }) }
    }

    /// A CSV line's fields ("…" quoted fields with "" inside).
    static func fields(_ line: Substring) -> [String] {
        var fields: [String] = []
        var field = ""
        var quoted = false
        var previous: Character?
        for character in line {
            if character == "\"" {
                if quoted, previous == "\"" { field.append("\"") }
                quoted.toggle()
            } else if character == ",", !quoted {
                fields.append(field)
                field = ""
            } else {
                field.append(character)
            }
            previous = character
        }
        fields.append(field)
        return fields
    }
}

/// LibreOffice, qpdf and poppler, which a print run with PDF needs (CI installs them).
enum PrintRunTools {
    static let available = ["soffice", "qpdf", "pdfinfo", "pdftotext"].allSatisfy { Program.find($0) != nil }
    static let reason = "a print run with PDF needs soffice (LibreOffice), qpdf and poppler-utils (scripts/setup-debian.sh installs them)"
}

/// A worker's `accounting:` line (`mailmerge worker`), its numbers in order.
struct WorkerAccount: CustomStringConvertible {
    var cpu, mergingThread, otherThreads, user, system: Double
    var voluntarySwitches, involuntarySwitches, emptyClaims, heartbeats: Int
    var runLockSeconds: Double

    init?(_ output: String) {
        guard let line = output.split(separator: "\n").first(where: { $0.hasPrefix("accounting: ") }) else { return nil }
        let numbers = line.split(whereSeparator: { !"0123456789.-".contains($0) }).compactMap { Double($0) }
        guard numbers.count == 10 else { return nil }
        (cpu, mergingThread, otherThreads, user, system) = (numbers[0], numbers[1], numbers[2], numbers[3], numbers[4])
        (voluntarySwitches, involuntarySwitches, emptyClaims, heartbeats) = (Int(numbers[5]), Int(numbers[6]), Int(numbers[7]), Int(numbers[8]))
        runLockSeconds = numbers[9]
    }

    var description: String {
        "CPU \(cpu) s (merging thread \(mergingThread), others \(otherThreads); user \(user), system \(system)); switches \(voluntarySwitches)/"
            + "\(involuntarySwitches); empty claims \(emptyClaims), heartbeats \(heartbeats), run's row \(runLockSeconds) s"
    }
}
