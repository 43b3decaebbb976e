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
            print-manifest.csv, and writes an .eml instead for each line whose correspondence \
            type is email. --pdf converts with LibreOffice; the manifest then gives each \
            letter's page range. A print run that fails logs nothing.
            """
    )

    @Argument(help: "The segment file (YAML), e.g. SampleSegments/SM00001.yaml.")
    var segment: String

    @OptionGroup var catalogue: TemplatesOptions

    @Option(name: .long, help: "Letters go into OUT/<segment no>/.")
    var out = Defaults.outputDirectory

    @OptionGroup var database: RecordingDatabaseOptions

    @Flag(name: .long, help: "Also write a follow-up segment file (next number, same contacts and header) beside the segment.")
    var followUp = false

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

    @Option(name: .long, help: "Sender address of the e-mails.")
    var emailFrom = "mailmerge@localhost"

    @Flag(name: .long, help: "Refuse (write and log nothing) when an attachment has fields mailmerge does not evaluate, instead of warning.")
    var strict = false

    @Flag(
        name: .long,
        help: ArgumentHelp(
            "Check everything, then store the run in the PostgreSQL log (--db postgres://…) for `mailmerge worker`s "
                + "instead of merging here (see README \"Scaling out\")."))
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
        if chunk < 1 { throw ValidationError("--chunk must be at least 1") }
        if distribute && (printRun || pdf || followUp) {
            throw ValidationError("--distribute does not make print runs, PDFs or follow-up segments yet; log without them, or on one machine")
        }
    }

    func run() throws {
        var request = LogSegmentRequest(segmentPath: segment)
        request.templatesDirectory = catalogue.templates
        request.outputDirectory = out
        request.followUp = followUp
        request.jobs = workers.jobs
        request.printRun = printRun
        request.sort = sort
        request.pdf = pdf
        request.emailFrom = emailFrom
        request.strict = strict
        if distribute {
            let planned = try reportingErrors { try DistributedRun.plan(request, chunk: chunk, log: database.log) }
            guard !output.quiet else { return }
            let run = planned.run
            print(
                "planned segment \(run.segmentNo) as distributed run \(run.id): \(run.lineCount) line\(run.lineCount == 1 ? "" : "s") in "
                    + "\(run.chunkCount) chunk\(run.chunkCount == 1 ? "" : "s") in \(database.log.displayName)")
            print("start workers: mailmerge worker --db \(database.log.displayName) --out \(out) --until-done")
            print("watch: mailmerge status \(run.id) --db \(database.log.displayName)")
            return
        }
        let progress = ProgressBar(quiet: output.quiet)
        defer { progress.finish() }
        let result = try reportingErrors { try SegmentLogger.run(request, log: database.log, progress: progress.update) }
        for (attachment, warnings) in result.warnings { printWarnings(warnings, template: attachment) }
        guard !output.quiet else { return }
        let logged = result.loggedSegment
        print(
            "logged segment \(logged.segmentNo) as logged segment \(logged.entryNo): \(logged.numberOfInteractions) "
                + "interaction\(logged.numberOfInteractions == 1 ? "" : "s") in \(database.log.displayName)")
        print("letters: \(result.documentsDirectory)/ (manifest: \(result.manifestPath))")
        if let followUp = result.followUpPath { print("follow-up segment: \(followUp)") }
        for document in result.printRun.printDocuments { print("print run: \(document)") }
        if let manifest = result.printRun.manifestPath { print("print manifest: \(manifest)") }
        if !result.printRun.pdfs.isEmpty { print("PDFs: \(result.printRun.pdfs.count)") }
        if !result.printRun.emails.isEmpty { print("e-mails: \(result.printRun.emails.count)") }
        print(String(format: "done in %.2f s", result.seconds))
    }
}

extension PrintRunSort: ExpressibleByArgument {}
