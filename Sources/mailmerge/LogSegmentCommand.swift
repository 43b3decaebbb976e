import ArgumentParser
import Foundation
import MailMergeKit

struct LogSegmentCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "log-segment",
        abstract: "Write a segment's letters and record one interaction log entry per line.",
        discussion: """
            Loads the segment, its contacts CSV and the interaction templates; resolves every \
            line (line overrides, then the segment header, then the template); checks \
            everything and reports every problem at once, writing nothing when there is one. \
            Then it writes one letter per line into OUT/<segment no>/ (each file atomically), a \
            manifest.csv (line, contact, template, document, SHA-256), and records the logged \
            segment and its entries in ONE transaction. If the run is interrupted, run the same \
            command again: it completes the job and never logs a contact twice.

            With --print-run it also combines the printed letters into one document per \
            attachment (each letter its own section, in line order or --sort order), writes \
            print-manifest.csv (e-mail and fax lines are not printed). --pdf lays the print run out with several LibreOffice processes at \
            once (--pdf-jobs) and joins the parts with qpdf into one PDF per print document, \
            with a bookmark per letter; the manifest then gives each letter's print file, page \
            range, sheets and paper weight. --duplex starts every letter on a front side, \
            --split-pdf N makes print files of at most N sheets. A print run that fails logs \
            nothing.

            E-mail lines get a message each (.eml: the letter attached as .docx or PDF, or as \
            the HTML body, as the template's emailFormat says) and are logged with delivery \
            status queued (not counted as sent). --send-email sends them through \
            --smtp right after logging; a message the server refuses stays "attempt failed" \
            with the server's reply, the others go on; `mailmerge log resend` sends only \
            those again. Fax lines are not printed: their documents go into --fax-out DIR. \
            Lines whose template has no attachment (a phone call, a meeting) are logged \
            without a document.
            """
    )

    @Argument(help: "The segment file (YAML), e.g. SampleSegments/SM00001.yaml.")
    var segment: String

    @OptionGroup var catalogue: TemplatesOptions

    @Option(name: .long, help: "The folder pictures are read from (default: images/ beside the templates, if it exists).")
    var images: String?

    @Option(name: .long, help: "Letters go into OUT/<segment no>/.")
    var out = Defaults.outputDirectory

    @OptionGroup var database: RecordingDatabaseOptions

    @Flag(
        name: .long,
        help: ArgumentHelp(
            "Also write a follow-up segment file beside the segment: the next number of the number series, the same contacts, "
                + "campaign, salesperson, subject and language, `follows:` this segment; the lines' one-off values are dropped."))
    var followUp = false

    @Option(name: .long, help: "The follow-up's date, yyyy-MM-dd (default: today).")
    var followUpDate: String?

    @Option(name: .long, help: "The follow-up's template code (default: this segment's).")
    var followUpTemplate: String?

    @Flag(name: .long, help: "Copy the lines' one-off values (comment, description, subject, attachment) into the follow-up.")
    var keepLineOverrides = false

    @Flag(
        name: .long,
        help: ArgumentHelp(
            "Also write one print-run document per attachment (every printed letter in its own section), "
                + "a print-manifest.csv, and an .eml for each line whose correspondence type is email."))
    var printRun = false

    @Option(name: .long, help: "The order of the letters in each print-run document.")
    var sort = PrintRunSort.line

    @Flag(name: .long, help: "Convert the print-run documents (without --print-run: every letter) to PDF with LibreOffice; e-mails then carry the PDF.")
    var pdf = false

    @Option(name: .long, help: "LibreOffice processes laying out the print run's PDF at once (default: one per core).")
    var pdfJobs = Defaults.jobs

    @Option(name: .long, help: ArgumentHelp("Print files of at most N sheets each (letters are never split).", valueName: "N"))
    var splitPdf: Int?

    @Flag(name: .long, help: "Print on both sides: every letter starts on a front side (a blank page follows a letter with an odd page count).")
    var duplex = false

    @Option(name: .long, help: "Sender address of the e-mails.")
    var emailFrom = "mailmerge@localhost"

    @OptionGroup var email: SendEmailOptions

    @Option(name: .long, help: "The fax gateway's folder: fax lines' documents are written there (required when a line is a fax).")
    var faxOut: String?

    @Flag(name: .long, help: "Refuse (write and log nothing) when an attachment has fields mailmerge does not evaluate, instead of warning.")
    var strict = false

    @Flag(
        name: .long,
        help: "Preflight the segment first (see `mailmerge check`; with --pdf as `check --pdf`): print the findings and log nothing when there is an error.")
    var preflight = false

    @Flag(
        name: .long,
        help: ArgumentHelp(
            "Check everything, then store the run in the PostgreSQL log (--db postgres://…) for `mailmerge worker`s "
                + "instead of merging here (see README \"Scaling out\"). The run carries --email-from, --fax-out and the pictures "
                + "folder (every worker must reach those folders); --print-run, --pdf, --follow-up and --send-email are refused."))
    var distribute = false

    @Option(name: .long, help: "Lines per chunk a worker claims (with --distribute).")
    var chunk = 500

    @OptionGroup var workers: JobsOptions

    @OptionGroup var output: QuietOptions

    func validate() throws {
        if workers.jobs < 1 { throw ValidationError("--jobs must be at least 1") }
        if !emailFrom.contains("@") || emailFrom.contains(where: { $0.isWhitespace || "<>\"".contains($0) }) {
            throw ValidationError("--email-from must be a plain e-mail address such as sales@example.com")
        }
        if sort != .line && !printRun { throw ValidationError("--sort orders the print run; add --print-run") }
        if !followUp && (followUpDate != nil || followUpTemplate != nil || keepLineOverrides) {
            throw ValidationError("--follow-up-date, --follow-up-template and --keep-line-overrides shape the follow-up; add --follow-up")
        }
        if pdfJobs < 1 { throw ValidationError("--pdf-jobs must be at least 1") }
        if let splitPdf, splitPdf < 1 { throw ValidationError("--split-pdf must be at least 1 sheet") }
        if (splitPdf != nil || duplex) && !(printRun && pdf) {
            throw ValidationError("--split-pdf and --duplex shape the print run's PDF; add --print-run --pdf")
        }
        if chunk < 1 { throw ValidationError("--chunk must be at least 1") }
        if distribute {
            // Options a distributed run carries are stored with it (DistributedRun.RunOptions); these it cannot carry.
            var refused = DistributedRun.refusedOptions(try request())
            if email.sendEmail {
                refused.append(
                    "--send-email sends right after logging, and a distributed run is logged by whichever worker records its last chunk; "
                        + "plan without it, and once `mailmerge status RUN` shows the run logged, send its e-mails with "
                        + "`mailmerge log resend --segment NO --smtp URL --db …`")
            }
            if !refused.isEmpty { throw ValidationError("with --distribute: " + refused.joined(separator: "; also ")) }
        }
    }

    /// The request the options describe.
    func request() throws -> LogSegmentRequest {
        var request = LogSegmentRequest(segmentPath: segment)
        request.templatesDirectory = catalogue.templates
        request.images = images
        request.outputDirectory = out
        request.followUp = followUp
        request.followUpDate = try parseDay(followUpDate, option: "--follow-up-date")
        request.followUpTemplate = followUpTemplate
        request.keepLineOverrides = keepLineOverrides
        request.jobs = workers.jobs
        request.printRun = printRun
        request.sort = sort
        request.pdf = pdf
        request.pdfOptions.jobs = pdfJobs
        request.pdfOptions.maximumSheets = splitPdf
        request.pdfOptions.duplex = duplex
        request.emailFrom = emailFrom
        request.strict = strict
        request.faxDirectory = faxOut
        return request
    }

    func run() throws {
        let request = try request()
        if preflight {
            var check = PreflightRequest(segmentPath: segment)
            check.templatesDirectory = catalogue.templates
            check.jobs = workers.jobs
            // With --pdf the preflight measures the laid-out letters (`check --pdf`).
            check.pdf = pdf
            check.pdfOptions.jobs = pdfJobs
            let report = try reportingErrors { try Preflight.run(check) }
            let shown = output.quiet ? report.findings(atLeast: .error) : report.findings
            if !shown.isEmpty {
                FileHandle.standardError.write(Data((TextTable(header: PreflightTable.header, rows: PreflightTable.rows(shown)).rendered + "\n").utf8))
            }
            if report.fails(on: .error) {
                printError("\(segment): preflight found \(report.findings(atLeast: .error).count) error(s); nothing was written or logged")
                throw ExitCode(1)
            }
        }
        let server = try email.server()
        if distribute {
            let planned = try reportingErrors { try DistributedRun.plan(request, chunk: chunk, log: database.log) }
            guard !output.quiet else { return }
            let run = planned.run
            print(
                "planned segment \(run.segmentNo) as distributed run \(run.id): \(run.lineCount) line\(run.lineCount == 1 ? "" : "s") in "
                    + "\(run.chunkCount) chunk\(run.chunkCount == 1 ? "" : "s") in \(database.log.displayName)")
            print("start workers: mailmerge worker --db \(database.log.displayName) --out \(out) --until-done")
            print("watch: mailmerge status \(run.id) --db \(database.log.displayName)")
            if printRun {
                print(
                    "print run: each worker makes its chunk's part; the worker that records the last chunk joins them and logs the segment "
                        + "(else: mailmerge finish \(run.id) --db \(database.log.displayName) --out \(out))")
            }
            return
        }
        let progress = ProgressBar(quiet: output.quiet)
        defer { progress.finish() }
        let result = try reportingErrors { try SegmentLogger.run(request, log: database.log, progress: progress.update) }
        progress.finish()
        for (attachment, warnings) in result.warnings { printWarnings(warnings, template: attachment) }
        printUnmatched(result.unmatchedRows)
        if !output.quiet {
            let logged = result.loggedSegment
            print(
                "logged segment \(logged.segmentNo) as logged segment \(logged.entryNo): \(logged.numberOfInteractions) "
                    + "interaction\(logged.numberOfInteractions == 1 ? "" : "s") in \(database.log.displayName)")
            print("letters: \(result.documentsDirectory)/ (manifest: \(result.manifestPath))")
            if let followUp = result.followUpPath { print("follow-up segment: \(followUp)") }
            for document in result.printRun.printDocuments { print("print run: \(document)") }
            if let manifest = result.printRun.manifestPath { print("print manifest: \(manifest)") }
            if !result.printRun.pdfs.isEmpty { print("PDFs: \(result.printRun.pdfs.count)") }
            if result.emailCount > 0 {
                print("e-mails: \(result.emailCount)\(server == nil ? " (queued; send them with `mailmerge log resend --smtp URL`)" : "")")
            }
            if result.faxCount > 0 { print("faxes: \(result.faxCount) in \(faxOut ?? "")/") }
            if result.withoutDocument > 0 { print("without document: \(result.withoutDocument)") }
            print(String(format: "done in %.2f s", result.seconds))
        }
        // The segment is logged; its e-mails go out now, each attempt recorded on its entry.
        if let server, result.emailCount > 0 {
            var delivery = EmailDeliveryRequest(server: server)
            delivery.segmentNo = result.loggedSegment.segmentNo
            let retry = "mailmerge log resend --segment \(result.loggedSegment.segmentNo) --smtp \(email.smtp ?? "") --db \(database.log.displayName)"
            try deliverEmails(delivery, log: database.log, retry: retry)
        }
    }
}

extension PrintRunSort: ExpressibleByArgument {}
