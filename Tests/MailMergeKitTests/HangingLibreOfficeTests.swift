import ExternalProcess
import Foundation
import Testing

/// A LibreOffice that never exits (a fake `soffice` that sleeps, first on the PATH) cannot hang
/// the tool: it stops with a clear error within `MAILMERGE_SOFFICE_TIMEOUT`, and nothing of the
/// fake's process group is left running.
@Suite(.serialized)
struct HangingLibreOfficeTests {
    /// A folder with a fake `soffice` that records its pid and its child's, then sleeps.
    struct FakeLibreOffice {
        let folder: TemporaryDirectory
        var pidFile: String { folder.path("pids") }

        init() throws {
            folder = try TemporaryDirectory("fake-soffice")
            let script = folder.path("bin/soffice")
            try folder.write(
                "bin/soffice",
                """
                #!/bin/sh
                echo $$ >> '\(folder.path("pids"))'
                sleep 300 &
                echo $! >> '\(folder.path("pids"))'
                echo "fake soffice: pretending to convert $*" >&2
                wait

                """)
            chmod(script, 0o755)
        }

        /// The environment that puts the fake first on the PATH and allows it `seconds`.
        func environment(seconds: Int) -> [String: String] {
            [
                "PATH": folder.path("bin") + ":" + (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"),
                "MAILMERGE_SOFFICE_TIMEOUT": String(seconds),
            ]
        }

        var pids: [Int32] {
            ((try? String(contentsOfFile: pidFile, encoding: .utf8)) ?? "").split(separator: "\n").compactMap { Int32($0) }
        }
    }

    func expectStoppedInTime(_ result: CLI.Result, started: Date, fake: FakeLibreOffice, _ comment: Comment) {
        #expect(result.status == 1, comment)
        #expect(Date().timeIntervalSince(started) < 60, "took \(Date().timeIntervalSince(started)) s: \(comment)")
        #expect(result.stderr.hasPrefix("error: "), "\(result.stderr)")
        #expect(result.stderr.contains("did not finish") && result.stderr.contains("within 2 s"), "\(result.stderr)")
        #expect(result.stderr.contains("MAILMERGE_SOFFICE_TIMEOUT"), "\(result.stderr)")
        #expect(!result.stderr.contains("Fatal error"), "\(result.stderr)")
        let pids = fake.pids
        #expect(pids.count >= 2, "the fake soffice ran: \(pids)")
        #expect(ProcessState.waitUntilGone(pids), "still running: \(pids.filter { !ProcessState.isGone($0) })")
    }

    /// The hang issue 10 found: LibreOffice started with no input file waits forever. An empty list is now refused
    /// before anything starts, by the test checker and by the tool's converter alike.
    @Test func libreOfficeIsNeverStartedOnNothing() throws {
        let fake = try FakeLibreOffice()
        let started = Date()
        #expect(throws: ExternalProcessError.noInputs(program: "soffice")) {
            try ExternalProcess.run(
                fake.folder.path("bin/soffice"), ["--headless", "--convert-to", "pdf"], inputs: [],
                requiresInputs: true, timeout: 600)
        }
        #expect(throws: ExternalProcessError.noInputs(program: "soffice")) { try ExternalCheck.pdfText([]) }
        #expect(Date().timeIntervalSince(started) < 5)
        #expect(fake.pids.isEmpty, "the fake soffice was started")
    }

    @Test func previewStopsAHungLibreOffice() throws {
        let fake = try FakeLibreOffice()
        let workspace = try SampleWorkspace()
        defer { workspace.remove() }
        let started = Date()
        let result = try workspace.preview(["--line", "20000"], environment: fake.environment(seconds: 2), timeout: 120)
        expectStoppedInTime(result, started: started, fake: fake, "preview")
    }

    /// A print run's chunks with a resident LibreOffice per worker (python3-uno; when it is missing this is the
    /// soffice fallback) and with one `soffice` start per chunk (`MAILMERGE_PDF_ENGINE=soffice`).
    @Test(arguments: ["resident", "soffice"])
    func printRunPDFStopsAHungLibreOfficeAndLogsNothing(engine: String) throws {
        let fake = try FakeLibreOffice()
        let workspace = try SampleWorkspace()
        defer { workspace.remove() }
        let started = Date()
        var environment = fake.environment(seconds: 2)
        if engine == "soffice" { environment["MAILMERGE_PDF_ENGINE"] = "soffice" }
        let result = try workspace.logSegment(nil, ["--print-run", "--pdf", "--jobs", "2"], environment: environment, timeout: 180)
        expectStoppedInTime(result, started: started, fake: fake, "log-segment --print-run --pdf")
        if FileManager.default.fileExists(atPath: workspace.database.path) {
            #expect(try workspace.logEntries().isEmpty)
        }
    }
}
