import ArgumentParser
import Foundation
import MailMergeKit

extension PreflightSeverity: ExpressibleByArgument {}

struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Preflight a segment: check every line's letter before it is printed or logged.",
        discussion: """
            Loads and validates the segment as log-segment does, renders every line's address \
            block in memory and reports, per line, with a severity (error, warning, info): empty \
            or missing address values, more address lines than the attachment's envelope window \
            shows, lines wider than the window (the window is the template's `window:` in \
            templates.yaml), GREETINGLINE fallbacks, merged values that look like placeholders \
            (N/A, null, TEST, xxx, <<, {{), fields the letter prints in running text that are \
            empty, lines at the same postal address (households) or the same person twice, and \
            e-mail lines with an invalid address. Writes and logs nothing.

            Without --pdf the window is checked on the address block's text: line widths are \
            ESTIMATED from the character count (fast; no LibreOffice). With --pdf every printed \
            letter is laid out by LibreOffice as the print run does (--pdf-jobs processes, chunks \
            joined with qpdf) and MEASURED with pdftotext's word boxes: address lines wider than \
            or outside the window, lines that wrap, more lines on the page than the window shows, \
            letters longer than the template's `pages:`, and table cells whose merged text takes \
            more lines than the cell has (the value overflows the cell).

            Exit status 1 when an error is found (with --fail-on warning: an error or a warning).
            """
    )

    @Argument(help: "The segment file (YAML), e.g. SampleSegments/SM00001.yaml.")
    var segment: String

    @OptionGroup var catalogue: TemplatesOptions

    @OptionGroup var list: ListFormatOptions

    @Option(name: .long, help: "The lowest severity that fails the check: error or warning.")
    var failOn = PreflightSeverity.error

    @OptionGroup var workers: JobsOptions

    @Flag(
        name: .long,
        help: "Lay every printed letter out with LibreOffice and measure window, pages and table cells on the PDF (slow; without it widths are estimated).")
    var pdf = false

    @Option(name: .long, help: "LibreOffice processes laying the letters out at once with --pdf (default: one per core).")
    var pdfJobs = Defaults.jobs

    func validate() throws {
        if workers.jobs < 1 { throw ValidationError("--jobs must be at least 1") }
        if failOn == .info { throw ValidationError("--fail-on is error or warning") }
        if pdfJobs < 1 { throw ValidationError("--pdf-jobs must be at least 1") }
    }

    func run() throws {
        var request = PreflightRequest(segmentPath: segment)
        request.templatesDirectory = catalogue.templates
        request.jobs = workers.jobs
        request.pdf = pdf
        request.pdfOptions.jobs = pdfJobs
        let report = try reportingErrors { try Preflight.run(request) }
        switch list.format {
        case .json:
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            print(String(decoding: try encoder.encode(report), as: UTF8.self))
        case .table, .csv:
            try list.print(report.findings, header: PreflightTable.header, rows: PreflightTable.rows(report.findings))
            if list.format == .table { PreflightTable.summary(report, to: .standardError) }
        }
        if report.fails(on: failOn) { throw ExitCode(1) }
    }
}

/// How findings are shown.
enum PreflightTable {
    static let header = ["SEVERITY", "LINE", "FILE LINE", "CONTACT", "AREA", "FIELD", "FINDING"]

    static func rows(_ findings: [PreflightFinding]) -> [[String]] {
        findings.map { f in
            [f.severity.rawValue, String(f.lineNo), f.fileLine.map(String.init) ?? "", f.contactNo, f.area.rawValue, f.field ?? "", f.message]
        }
    }

    /// `N errors, N warnings, N info on N lines`, then the notes.
    static func summary(_ report: PreflightReport, to handle: FileHandle) {
        let count = { (severity: PreflightSeverity) in report.findings.filter { $0.severity == severity }.count }
        var text =
            "\(report.segmentPath): \(count(.error)) error(s), \(count(.warning)) warning(s), \(count(.info)) info on \(report.lines) lines"
            + String(format: " (%.2f s)\n", report.seconds)
        for note in report.notes { text += "note: \(note)\n" }
        fflush(nil)
        handle.write(Data(text.utf8))
    }
}
