import Foundation
import Segments
import Testing

@testable import MailMergeKit

/// `log-segment --print-run --pdf` laid out in chunks by several LibreOffice processes and joined
/// with qpdf: page ranges, bookmarks, duplex blank pages, split files, sheets and weight, and a
/// LibreOffice that crashes (retried once) or keeps failing (the run stops, nothing logged).
@Suite(.serialized)
struct ParallelPrintPDFTests {
    /// A folder with a `soffice` first on the PATH that crashes (killed by SIGSEGV) on its
    /// first call only (`always`: on every call) and otherwise runs the real LibreOffice.
    struct CrashingLibreOffice {
        let folder: TemporaryDirectory
        var calls: String { folder.path("calls") }

        init(always: Bool) throws {
            folder = try TemporaryDirectory("crashing-soffice")
            let real = Program.find("soffice")?.path ?? "/usr/bin/soffice"
            try folder.write(
                "bin/soffice",
                """
                #!/bin/sh
                echo call >> '\(calls)'
                if \(always ? "true" : "mkdir '\(folder.path("crashed"))' 2>/dev/null"); then
                    echo "fake soffice: crashing on $*" >&2
                    kill -SEGV $$
                fi
                exec '\(real)' "$@"

                """)
            chmod(folder.path("bin/soffice"), 0o755)
        }

        var environment: [String: String] {
            [
                "PATH": folder.path("bin") + ":" + (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"),
                // Chunks of 4 letters: every print document of the sample is laid out in several parts.
                "MAILMERGE_PDF_CHUNK": "4",
            ]
        }

        var callCount: Int { ((try? String(contentsOfFile: calls, encoding: .utf8)) ?? "").split(separator: "\n").count }
    }

    /// The bookmarks of `pdf` (qpdf --json): title and 1-based page.
    static func outline(_ pdf: URL) throws -> [(title: String, page: Int)] {
        let qpdf = try #require(Program.find("qpdf"), "qpdf is installed by scripts/setup-debian.sh")
        let result = try Program.run(qpdf.path, ["--json=2", "--json-key=outlines"], inputs: [pdf.path], requiresInputs: true, timeout: 60)
        #expect(result.status == 0, "\(result.stderr)")
        let json = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
        let items = json?["outlines"] as? [[String: Any]] ?? []
        return items.map { (($0["title"] as? String) ?? "", ($0["destpageposfrom1"] as? Int) ?? 0) }
    }

    /// The page count pdfinfo reports.
    static func pageCount(_ pdf: URL) throws -> Int {
        let pdfinfo = try #require(Program.find("pdfinfo"))
        let result = try Program.run(pdfinfo.path, [], inputs: [pdf.path], requiresInputs: true, timeout: 60)
        let line = result.stdout.split(separator: "\n").first { $0.hasPrefix("Pages:") } ?? ""
        return Int(line.dropFirst(6).trimmingCharacters(in: .whitespaces)) ?? -1
    }

    /// Duplex, files of at most 5 sheets, chunks of 4 letters, 2 LibreOffice processes, and a
    /// LibreOffice that crashes on its first call: the chunk is retried and the run completes.
    @Test func duplexSplitPrintRunFromParallelChunksSurvivesACrash() throws {
        let workspace = try PrintRunCommandTests.workspaceWithALongLetter()
        defer { workspace.remove() }
        let soffice = try CrashingLibreOffice(always: false)
        let result = try workspace.logSegment(
            nil, ["--print-run", "--pdf", "--pdf-jobs", "2", "--duplex", "--split-pdf", "5"], environment: soffice.environment, timeout: 900)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(soffice.callCount >= 2, "the crashed call was retried")

        let lines = try PrintRunCommandTests.resolvedLines(workspace)
        let printed = lines.filter { $0.correspondenceType != .email }
        let rows = try PrintRunCommandTests.manifest(workspace)
        #expect(rows.count == printed.count)
        let folder = workspace.letters.appendingPathComponent("SM00001")
        var filesSeen = Set<String>()
        for file in Set(rows.compactMap { $0["pdf"] }).sorted() {
            filesSeen.insert(file)
            let letters = rows.filter { $0["pdf"] == file }
            let pdf = folder.appendingPathComponent(file)
            let pageCount = try Self.pageCount(pdf)
            let texts = try ExternalCheck.pdfPages(pdf)
            let sheets = letters.compactMap { Int($0["sheets"] ?? "") }.reduce(0, +)
            #expect(sheets <= 5, "\(file): \(sheets) sheets, --split-pdf 5")
            #expect(pageCount == sheets * 2, "\(file): duplex, every letter ends on a back side: \(pageCount) pages, \(sheets) sheets")
            var expectedFirst = 1
            for row in letters {
                let contact = try #require(row["contact_no"])
                let first = try #require(Int(row["first_page"] ?? ""))
                let last = try #require(Int(row["last_page"] ?? ""))
                let blank = try #require(Int(row["blank_pages"] ?? ""))
                #expect(first == expectedFirst && (first - 1) % 2 == 0, "\(file): \(contact) starts on a front side (page \(first))")
                #expect((last - first + 1 + blank) % 2 == 0 && blank <= 1, "\(file): \(contact) pages \(first)–\(last), \(blank) blank")
                #expect(Int(row["sheets"] ?? "") == (last - first + 1 + blank) / 2)
                for page in first...last { #expect(texts[page - 1].contains(contact), "\(file) page \(page): \(contact)") }
                if blank == 1, last < texts.count {
                    #expect(texts[last].trimmingCharacters(in: .whitespacesAndNewlines).isEmpty, "\(file) page \(last + 1) is blank")
                }
                // 80 g/m² A4 (the sample templates say nothing): 5.0 g a sheet, class 20 g.
                let grams = try #require(Double(row["weight_grams"] ?? ""))
                #expect(abs(grams - 5.0 * Double(row["sheets"].flatMap { Int($0) } ?? 0)) < 0.2, "\(contact): \(grams) g")
                #expect(row["weight_class_grams"] == "20")
                expectedFirst = last + blank + 1
            }
            #expect(expectedFirst - 1 == pageCount, "\(file): the manifest covers every page")
            // One bookmark per letter, on its first page, titled with its contact.
            let outline = try Self.outline(pdf)
            #expect(outline.count == letters.count, "\(file): \(outline.count) bookmarks")
            for (entry, row) in zip(outline, letters) {
                #expect(entry.page == Int(row["first_page"] ?? ""), "\(file): \(entry.title)")
                #expect(entry.title.contains(row["contact_no"] ?? "?"), "\(file): \(entry.title)")
            }
        }
        #expect(filesSeen.count > Set(rows.compactMap { $0["print_document"] }).count, "some print document was split: \(filesSeen.sorted())")
        let long = try #require(rows.first { $0["line_no"] == "20000" })
        #expect(long["pages"] == "2" && long["blank_pages"] == "0" && long["sheets"] == "1")
        #expect(try workspace.logEntries().count == lines.count)
    }

    /// Whether Debian's python3-uno is there, so chunks go to a resident LibreOffice per worker.
    static let hasPythonUno = (try? Program.run("/usr/bin/python3", ["-I", "-c", "import uno"], timeout: 60).status) == 0

    /// The engines a print run's chunks can be laid out with: a resident LibreOffice driven
    /// through python3-uno (the default when it is installed), one `soffice` start per chunk
    /// (`MAILMERGE_PDF_ENGINE=soffice`), and the fallback when python3-uno is missing (a notice, then soffice).
    enum Engine: String, CaseIterable, Sendable {
        case resident, soffice, fallback

        var environment: [String: String] {
            switch self {
            case .resident: [:]
            case .soffice: ["MAILMERGE_PDF_ENGINE": "soffice"]
            case .fallback: ["MAILMERGE_UNO_PYTHON": "/bin/false"]
            }
        }
    }

    /// LibreOffice failing on every call: the chunk is tried twice, the run stops naming its
    /// letters, and nothing is logged -- with each engine.
    @Test(.enabled(if: hasPythonUno, "python3-uno is not installed (apt-get install python3-uno); scripts/setup-debian.sh installs it"))
    func aChunkFailingTwiceInAResidentLibreOfficeStopsTheRunNamingItsLettersAndLogsNothing() throws {
        try aChunkFailingTwiceStopsTheRunNamingItsLettersAndLogsNothing(engine: .resident)
    }

    /// The resident LibreOffices start before the letters are merged (their start and a warm-up on the attachment
    /// overlap the merge), are stopped at once at the end, and leave nothing behind: no process of the run and no
    /// scratch folder (their profiles and temporary files are in it); the print files match the manifest.
    @Test(.enabled(if: hasPythonUno, "python3-uno is not installed (apt-get install python3-uno); scripts/setup-debian.sh installs it"))
    func residentLibreOfficesStartWhileTheLettersAreMergedAndLeaveNothingBehind() throws {
        let workspace = try SampleWorkspace()
        defer { workspace.remove() }
        let temporary = try TemporaryDirectory("pdf-scratch")
        // The scratch folders a killed run left behind (a process that no longer exists) are removed at the start.
        let stale = "mailmerge-pdf-\(try Self.goneProcess())-0A0B"
        try temporary.write(stale + "/profile-0/user/registrymodifications.xcu", "<oor:items/>")
        let result = try workspace.logSegment(
            nil, ["--print-run", "--pdf", "--pdf-jobs", "2"],
            environment: ["MAILMERGE_PDF_TRACE": "1", "TMPDIR": temporary.path, "MAILMERGE_PDF_CHUNK": "4"], timeout: 900)
        #expect(result.status == 0, "\(result.stderr)")
        let trace = result.stderr.split(separator: "\n").filter { $0.hasPrefix("pdf-trace ") }
        let starts = trace.indices.filter { trace[$0].hasSuffix(" begin start LibreOffice") }
        let words = try #require(trace.firstIndex { $0.hasSuffix(" begin write Word print documents") }, "\(trace)")
        #expect(starts.count == 2, "one LibreOffice per worker, started once: \(trace)")
        #expect(starts.allSatisfy { $0 < words }, "started before the letters were combined: \(trace)")

        // Nothing of the run is left: no scratch folder, no process started with its profiles.
        #expect(TemporaryDirectory.list(temporary.path).filter { $0.hasPrefix("mailmerge-pdf-") }.isEmpty, "\(TemporaryDirectory.list(temporary.path))")
        #expect(!FileManager.default.fileExists(atPath: temporary.path(stale)), "the killed run's scratch folder is removed")
        let leftOver = TemporaryDirectory.list("/proc").filter { Int32($0) != nil }.filter { pid in
            let command = String(decoding: TemporaryDirectory.readFile("/proc/\(pid)/cmdline"), as: UTF8.self)
            return command.contains(temporary.path)
        }
        #expect(leftOver.isEmpty, "processes of the run still running: \(leftOver)")

        let rows = try PrintRunCommandTests.manifest(workspace)
        #expect(!rows.isEmpty)
        let folder = workspace.letters.appendingPathComponent("SM00001")
        for file in Set(rows.compactMap { $0["pdf"] }).sorted() {
            let pdf = folder.appendingPathComponent(file)
            let texts = try ExternalCheck.pdfPages(pdf)
            let letters = rows.filter { $0["pdf"] == file }
            #expect(try Self.pageCount(pdf) == letters.compactMap { Int($0["last_page"] ?? "") }.max(), "\(file)")
            for row in letters {
                let contact = try #require(row["contact_no"])
                let first = try #require(Int(row["first_page"] ?? ""))
                #expect(texts[first - 1].contains(contact), "\(file) page \(first): \(contact)")
            }
        }
        #expect(try workspace.logEntries().count == PrintRunCommandTests.resolvedLines(workspace).count)
    }

    /// Relative paths (`--out letters`, run in the workspace) reach the resident LibreOffice as the caller's: the e-mail
    /// letters, converted from the output folder, each get their PDF with their contact in it.
    @Test(.enabled(if: hasPythonUno, "python3-uno is not installed (apt-get install python3-uno); scripts/setup-debian.sh installs it"))
    func relativeOutputPathsReachTheResidentLibreOffice() throws {
        let workspace = try SampleWorkspace()
        defer { workspace.remove() }
        let result = try CLI.run(
            [
                "log-segment", "SampleSegments/SM00001.yaml", "--templates", Paths.templates.path, "--out", "letters", "--db", "log.sqlite",
                "--print-run", "--pdf", "--pdf-jobs", "1",
            ], in: workspace.root, environment: ["MAILMERGE_PDF_CHUNK": "4"], timeout: 900)
        #expect(result.status == 0, "\(result.stderr)")
        let emails = try PrintRunCommandTests.resolvedLines(workspace).filter { $0.correspondenceType == .email }
        #expect(!emails.isEmpty, "the sample segment has e-mail lines")
        let folder = workspace.letters.appendingPathComponent("SM00001")
        let pdfs = TemporaryDirectory.list(folder.path).filter { $0.hasSuffix(".pdf") && !$0.hasPrefix("print-run-") }
        #expect(pdfs.count == emails.count, "\(pdfs)")
        for line in emails {
            let pdf = try #require(pdfs.first { $0.contains(line.contact.no) }, "no PDF for \(line.contact.no): \(pdfs)")
            #expect(try ExternalCheck.pdfPages(folder.appendingPathComponent(pdf)).joined().contains(line.contact.no), "\(pdf)")
        }
    }

    /// The number of a process that has ended (and been reaped).
    static func goneProcess() throws -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/true")
        try process.run()
        process.waitUntilExit()
        return process.processIdentifier
    }

    /// Only the scratch folders of processes that no longer exist are removed: not a running run's (ours here), nor
    /// names without a process number.
    @Test func staleScratchFoldersOfEndedProcessesAreRemovedOthersKept() throws {
        let temporary = try TemporaryDirectory("pdf-stale")
        let gone = try Self.goneProcess()
        for name in ["mailmerge-pdf-\(gone)-A", "mailmerge-pdf-\(getpid())-B", "mailmerge-pdf-C0FFEE-D", "mailmerge-soffice-\(gone)-E", "other-\(gone)-F"] {
            try temporary.write(name + "/file", "x")
        }
        #expect(PDFScratch.removeStale("mailmerge-pdf", in: temporary.path) == ["mailmerge-pdf-\(gone)-A"])
        let fresh = PDFScratch.folder("mailmerge-soffice", in: temporary.path)
        #expect(fresh.hasPrefix(temporary.path + "/mailmerge-soffice-\(getpid())-"))
        #expect(
            TemporaryDirectory.list(temporary.path).sorted() == ["mailmerge-pdf-\(getpid())-B", "mailmerge-pdf-C0FFEE-D", "other-\(gone)-F"],
            "\(TemporaryDirectory.list(temporary.path))")
    }

    @Test(arguments: [Engine.soffice, .fallback])
    func aChunkFailingTwiceStopsTheRunNamingItsLettersAndLogsNothing(engine: Engine) throws {
        let workspace = try SampleWorkspace()
        defer { workspace.remove() }
        let soffice = try CrashingLibreOffice(always: true)
        let result = try workspace.logSegment(
            nil, ["--print-run", "--pdf", "--pdf-jobs", "1"], environment: soffice.environment.merging(engine.environment) { $1 }, timeout: 300)
        switch engine {
        case .resident:
            #expect(result.stderr.contains("LibreOffice did not start: LibreOffice was killed by signal 11 while starting"), "\(result.stderr)")
        case .soffice:
            #expect(result.stderr.contains("LibreOffice (exit status 139)"), "\(result.stderr)")
        case .fallback:
            #expect(result.stderr.contains("notice: python3-uno is not installed"), "\(result.stderr)")
            #expect(result.stderr.contains("LibreOffice (exit status 139)"), "\(result.stderr)")
        }
        if engine != .fallback { #expect(!result.stderr.contains("notice:"), "\(result.stderr)") }
        #expect(result.status == 1)
        // The error is the first line (after the fallback's one-line notice).
        let error = result.stderr.split(separator: "\n").first { !$0.hasPrefix("notice: ") } ?? ""
        #expect(error.hasPrefix("error: "), "\(result.stderr)")
        #expect(result.stderr.contains("could not be laid out") && result.stderr.contains("nothing was logged"), "\(result.stderr)")
        #expect(result.stderr.contains("twice"), "\(result.stderr)")
        // The first chunk's letters are named by line and contact.
        let lines = try PrintRunCommandTests.resolvedLines(workspace).filter { $0.correspondenceType != .email }
        let firstDocument = lines.first?.attachmentPath
        let named = lines.filter { $0.attachmentPath == firstDocument }.prefix(4)
        for line in named { #expect(result.stderr.contains("line \(line.lineNo) (contact \(line.contact.no))"), "\(result.stderr)") }
        #expect(soffice.callCount == 2, "one chunk, tried twice, then the run stopped: \(soffice.callCount) calls")
        if FileManager.default.fileExists(atPath: workspace.database.path) {
            #expect(try workspace.logEntries().isEmpty)
        }
    }
}
