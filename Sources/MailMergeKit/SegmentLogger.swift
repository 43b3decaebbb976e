import Foundation
import InteractionLog
import MergeEngine
import Segments

/// What `mailmerge log-segment` should do.
public struct LogSegmentRequest: Sendable {
    /// The segment file (YAML).
    public var segmentPath: String
    /// The folder with `templates.yaml` and the attachments.
    public var templatesDirectory = Defaults.templatesDirectory
    /// Segments with at most this many lines keep their resolved lines during the run; longer ones resolve them
    /// again a batch at a time (`ResolvedLines`). Tests lower it to take the batch path on small segments.
    var linesHeldResolved = Defaults.linesHeldResolved
    /// The folder pictures are read from (`--images`); nil: `images/` beside the templates, if there.
    public var images: String?
    /// Documents go into `outputDirectory/<segment no>/`.
    public var outputDirectory = Defaults.outputDirectory
    /// Also write a follow-up segment file (next number of the series, same contacts; see `Segment.followUp`).
    public var followUp = false
    /// The follow-up's date (today when `nil`) and template (the segment's when `nil`).
    public var followUpDate: Day?
    public var followUpTemplate: String?
    /// Copy the lines' one-off values (comment, description, subject, attachment) into the follow-up.
    public var keepLineOverrides = false
    /// Worker threads.
    public var jobs = Defaults.jobs
    /// Deflate level (1–9) for the parts that change.
    public var compressionLevel = DeflateLevel.default
    /// Also combine the printed letters into one print-run document per attachment, with a
    /// print manifest, and write an `.eml` for each line whose correspondence type is email.
    public var printRun = false
    /// The order of the letters in the print-run documents.
    public var sort = PrintRunSort.line
    /// Convert the print-run documents (without `printRun`: every letter) to PDF.
    public var pdf = false
    /// How the print run's PDF is made: LibreOffice processes, duplex, split files.
    public var pdfOptions = PrintPDFOptions()
    /// The sender address of the e-mails (the line's salesperson is the sender's name).
    public var emailFrom = "mailmerge@localhost"
    /// The fax gateway's folder: fax lines' documents are written there (required when a line is a fax).
    public var faxDirectory: String?
    /// Attachments with fields a merge would leave unevaluated (`CompiledTemplate.warnings`) are refused.
    public var strict = false

    public init(segmentPath: String) { self.segmentPath = segmentPath }
}

/// What logging a segment did.
public struct LogSegmentResult: Sendable {
    /// The logged segment record.
    public var loggedSegment: LoggedSegment
    /// The folder holding the documents and the manifest.
    public var documentsDirectory: String
    /// The manifest (CSV): line → contact → template → document → SHA-256.
    public var manifestPath: String
    /// The follow-up segment file, when asked for.
    public var followUpPath: String?
    /// Wall-clock seconds for the whole run.
    public var seconds: Double
    /// The print-run documents, PDFs and print manifest written, if asked for.
    public var printRun = PrintRunResult()
    /// How many e-mail lines' messages (`.eml`) were written, queued for delivery (`EmailDelivery`).
    public var emailCount = 0
    /// How many fax lines' documents were written into the fax folder.
    public var faxCount = 0
    /// Lines logged without a document (templates without attachment: phone calls, meetings, e-mails with a body text).
    public var withoutDocument = 0
    /// Per attachment path, the fields it leaves unevaluated (`CompiledTemplate.warnings`).
    public var warnings: [(attachment: String, warnings: [FieldWarning])] = []
    /// Child rows (`rows:` of the templates and the segment header) no line asked for: to be shown as warnings.
    public var unmatchedRows: [UnmatchedChildRows] = []
}

/// The `log-segment` use case: load → resolve → merge → write → log.
///
/// Everything is checked first and every problem reported at once; then the documents are
/// written (each atomically) a batch at a time, and each batch's interaction log entries are
/// stored (`ConcurrentLog`) while the next batch is written, in ONE transaction with the logged
/// segment, committed after the last letter, e-mail and fax copy. A failure or a crash before
/// the commit leaves no entries, so running the command again completes the job; a segment
/// that is logged is refused, so no contact is ever logged twice.
public enum SegmentLogger {
    /// Logs the segment `request` names into `log` (for an SQLite file: created only when
    /// everything checked out).
    public static func run(
        _ request: LogSegmentRequest, log: InteractionLogLocation,
        progress: ((_ done: Int, _ total: Int?) -> Void)? = nil
    ) throws(MailMergeError) -> LogSegmentResult {
        let started = Date()
        let plan = try prepare(request, log: log)
        // The check's transient memory (the contacts read, their index built, every line resolved once) is freed but
        // kept by the allocator (`mailmerge_tune_allocator`'s 64 MB trim threshold): given back before the letters.
        PrintRunPDF.releaseFreeMemory()
        // A print run's LibreOffice workers start now, while the letters are merged (`PrintRunWriter.startPDF`).
        let pdfWorkers = try PrintRunWriter.startPDF(request, warmUp: plan.attachments.templates.first?.templatePath)
        defer { pdfWorkers?.close() }

        let documentsDirectory = request.outputDirectory + "/" + SafeFileName.make(plan.segment.header.no)
        try OutputFolder.create(documentsDirectory)
        let names = try letterNames(lineCount: plan.lines.count)
        let label = { (line: ResolvedLine) in "\(request.segmentPath), line \(line.lineNo) (contact \(line.contact.no))" }
        // A print run (its PDFs, and the e-mails and faxes made of them) needs every letter first: its lines are logged
        // after it. Otherwise each batch's lines are logged as soon as their letters are written.
        let printing = request.printRun || request.pdf
        // The document of each line not logged yet, kept compactly (a segment may have millions of lines).
        var documents = LineDocuments { index in documentsDirectory + "/" + letterName(plan, index: index, names: names) }
        // Label attachments: one document per attachment, a label per line (`SegmentLabels`).
        let labels =
            plan.hasLabels
            ? try SegmentLabels.write(
                lines: plan.lines, attachments: plan.attachments, in: documentsDirectory, compressionLevel: request.compressionLevel, label: label)
            : []
        for written in labels {
            documents.setLabel(written.path, sha256: written.sha256, lines: written.lines)
        }
        let letterCount = plan.lines.indices.count { plan.lines.hasAttachment($0) && !documents.has($0) }
        // A print run's letters, by line (only a print run lists them).
        var printLetters: [Int] = []
        let pool = DocumentWriterPool(
            templates: plan.attachments.templates, jobs: request.jobs,
            compressionLevel: request.compressionLevel, missing: .error)
        // The manifest's rows are written after each batch, while its lines are still resolved.
        let manifestPath = documentsDirectory + "/manifest.csv"
        let manifest = try Manifest.Rows(path: manifestPath)
        // E-mails and fax copies are made on the pool as each letter is written (`LetterCopies`).
        let copies = try LetterCopies(
            templates: plan.attachments.templates.map(\.templatePath), sender: request.emailFrom, withPDF: request.pdf,
            faxDirectory: request.faxDirectory)

        // The log's one transaction is open while the letters are written (`ConcurrentLog`), from the first entries on.
        var logging: ConcurrentLog?
        // An SQLite file the run created: removed again when the run fails.
        var createdDatabase: String?
        // The lines handed to the log so far, those whose e-mail was written (removed when the run fails), those
        // without a document.
        var loggedLines = 0
        var emailLines: [Int32] = []
        var withoutDocument = 0
        // Until the log has committed, a failure rolls it back and removes the e-mails and fax copies made.
        var committed = false
        defer {
            if !committed {
                logging?.abandon(.io(path: request.segmentPath, message: "the run stopped before the interaction log was committed; nothing is logged"))
                logging = nil
                copies.discard()
                for index in emailLines {
                    let stem = letterStem(plan, index: Int(index), names: names)
                    unlink(documentsDirectory + "/" + stem + ".eml")
                    unlink(documentsDirectory + "/" + SafeFileName.make(stem + ".eml"))
                }
                if let createdDatabase { for suffix in ["", "-wal", "-shm", "-journal"] { unlink(createdDatabase + suffix) } }
            }
        }
        let paths = AbsolutePaths(folder: documentsDirectory)
        // Hands the entries of the lines before `end` to the log, with their e-mails (written here for the e-mail lines
        // the pool made none for: no letter, PDF attachment), then forgets those lines' documents (a print run keeps them).
        func logLines(before end: Int, pdfs: [String: String]) throws(MailMergeError) {
            guard loggedLines < end else { return }
            try plan.lines.unchanged()
            let range = loggedLines..<end
            var emails = copies.take(before: end)
            emailLines += emails.keys.map { Int32($0) }
            let outboxLines = range.filter { plan.lines.correspondenceType($0) == .email && emails[$0] == nil }
            if !outboxLines.isEmpty {
                emailLines += outboxLines.map { Int32($0) }
                var letters: [Int: String] = [:]
                for index in outboxLines where documents.isLetter(index) { letters[index] = documents.path(index) }
                emails.merge(
                    try EmailOutbox.write(
                        lines: plan.lines, emailLines: outboxLines, letters: letters, pdfs: pdfs, sender: request.emailFrom, in: documentsDirectory,
                        stem: { letterStem(plan, index: $0, names: names) }, jobs: request.jobs)
                ) { pool, _ in pool }
            }
            // A fax line whose document the pool did not write (a label sheet) is staged like the letters.
            if !printing && request.faxDirectory != nil {
                for index in range where plan.lines.correspondenceType(index) == .fax && !copies.faxStaged(index) {
                    if let document = documents.path(index) { try copies.stageFax(of: document, index: index) }
                }
            }
            var entries: [NewInteractionLogEntry] = []
            entries.reserveCapacity(range.count)
            for index in range {
                let document = documents.path(index)
                if document == nil { withoutDocument += 1 }
                var entry = NewInteractionLogEntry(line: plan.lines[index], documentPath: document.map { paths($0) }, documentSHA256: documents.sha256(index))
                if let email = emails[index] { entry.queue(email, absolutePaths: paths) }
                entries.append(entry)
            }
            try plan.lines.unchanged()
            if logging == nil {
                if case .sqlite(let path) = log, !FileManager.default.fileExists(atPath: path) { createdDatabase = path }
                logging = ConcurrentLog(
                    store: try log.creating(),
                    segment: NewLoggedSegment(segmentNo: plan.segment.header.no, description: plan.segment.header.description, segment: plan.segment),
                    count: plan.lines.count)
            }
            try logging?.add(entries)
            loggedLines = end
            if !printing { documents.drop(before: end) }
        }

        // The segment file's logged mark is prepared meanwhile (`PreparedLoggedMark`): the file is not read again after the commit.
        let marking = OverlappedBatches.InFlight { () throws(MailMergeError) -> PreparedLoggedMark in
            do { return try PreparedLoggedMark(path: request.segmentPath) } catch { throw .io(path: request.segmentPath, message: "\(error)") }
        }
        defer { marking.waitIgnoringResult() }
        var done = 0
        // The next line to look at for a letter; a batch's merge records are made while the pool writes the one
        // before (`OverlappedBatches`).
        var cursor = 0
        try OverlappedBatches.run(count: (letterCount + Defaults.batchSize - 1) / Defaults.batchSize) { _ throws(MailMergeError) in
            var indices: [Int] = []
            var tasks: [DocumentTask] = []
            indices.reserveCapacity(Defaults.batchSize)
            tasks.reserveCapacity(Defaults.batchSize)
            while indices.count < Defaults.batchSize && cursor < plan.lines.count {
                let index = cursor
                cursor += 1
                guard plan.lines.hasAttachment(index) && !documents.has(index) else { continue }
                var task = letterTask(plan, index: index, names: names, in: documentsDirectory, label: label(plan.lines[index]))
                if let children = plan.children { task.record = try children.record(of: plan.lines[index], position: index) }
                task.then = copies.then(line: plan.lines[index], index: index, template: task.template)
                indices.append(index)
                tasks.append(task)
            }
            if printing { printLetters += indices }
            try plan.lines.unchanged()
            return LetterBatch(lines: indices, tasks: tasks)
        } write: { batch throws(MailMergeError) in
            LetterBatch.Written(lines: batch.lines, digests: try pool.write(batch.tasks, hashing: true))
        } finish: { _, written throws(MailMergeError) in
            for (index, digest) in zip(written.lines, written.digests) { documents.setLetter(index, sha256: digest) }
            if let last = written.lines.last {
                try manifest.append(upTo: last + 1, lines: plan.lines, documents: documents)
                if !printing { try logLines(before: last + 1, pdfs: [:]) }
            }
            done += written.lines.count
            progress?(done, letterCount)
        }
        let unmatchedRows = try plan.children?.unmatched() ?? []

        try manifest.append(upTo: plan.lines.count, lines: plan.lines, documents: documents)
        if !printing { try logLines(before: plan.lines.count, pdfs: [:]) }
        try manifest.finish()
        // The pool's threads' freed buffers, kept per arena, given back before the end (fax copies, commit, mark).
        PrintRunPDF.releaseFreeMemory()
        let printRun = try PrintRunWriter.run(
            request, lines: printLetters.lazy.map { plan.lines[$0] }, documents: printLetters.compactMap { documents.path($0) },
            in: documentsDirectory, workers: pdfWorkers)

        var faxCount = 0
        if let faxDirectory = request.faxDirectory {
            // A print run's faxes made of the letter's PDF (or not made on the pool) are copied now; the others were staged.
            let faxLines = printing ? plan.lines.indices.filter { plan.lines.correspondenceType($0) == .fax && !copies.faxStaged($0) && documents.has($0) } : []
            faxCount = try copies.deliverFaxes { letterName(plan, index: $0, names: names) }
            faxCount += try FaxGateway.deliver(faxLines.compactMap { documents.path($0) }, pdfs: printRun.letterPDFs, to: faxDirectory).count
        }
        // A print run's lines are logged now, a batch at a time, with the e-mails made of their PDFs.
        while loggedLines < plan.lines.count {
            try logLines(before: min(loggedLines + Defaults.batchSize, plan.lines.count), pdfs: printRun.letterPDFs)
        }
        try plan.lines.unchanged()
        guard let logging else { preconditionFailure("a segment has lines, so the log was opened") }
        let logged = try logging.commit()
        committed = true
        try retire(request.segmentPath, logged: logged, prepared: try? marking.wait())

        var followUpPath: String?
        if var followUp = plan.followUp {
            followUp.segment.header.follows?.loggedSegment = logged.entryNo
            do { try followUp.segment.write(to: followUp.path) } catch {
                throw .io(path: followUp.path, message: "segment logged, but the follow-up segment could not be written (\(error))")
            }
            followUpPath = followUp.path
        }
        var result = LogSegmentResult(
            loggedSegment: logged, documentsDirectory: documentsDirectory,
            manifestPath: manifestPath, followUpPath: followUpPath,
            seconds: Date().timeIntervalSince(started), printRun: printRun)
        result.emailCount = emailLines.count
        result.faxCount = faxCount
        result.unmatchedRows = unmatchedRows
        result.withoutDocument = withoutDocument
        result.warnings = plan.attachments.templates.filter { !$0.warnings.isEmpty }.map { ($0.templatePath, $0.warnings) }
        return result
    }

    /// The file names of a segment's letters: `0001-<contact no>-<sort name>.docx` (distributed workers name them alike).
    static func letterNames(lineCount: Int) throws(MailMergeError) -> DocumentNamePattern {
        try DocumentNamePattern("{#:0\(max(4, String(lineCount).count))}-{ContactNo}-{SortName}.docx")
    }

    /// The file name of line `index`'s letter (`letterNames`).
    static func letterName(_ plan: Plan, index: Int, names: DocumentNamePattern) -> String {
        let line = plan.lines[index]
        return names.fileName(number: index + 1) { column in
            switch column.lowercased() {
            case "contactno": line.contact.no
            case "sortname": line.contact.sortName
            default: nil
            }
        }
    }

    /// The letter's name without its extension: an e-mail line without a letter names its message so.
    static func letterStem(_ plan: Plan, index: Int, names: DocumentNamePattern) -> String {
        (letterName(plan, index: index, names: names) as NSString).deletingPathExtension
    }

    /// The letter of line `index` of `plan`, in `documentsDirectory`.
    static func letterTask(_ plan: Plan, index: Int, names: DocumentNamePattern, in documentsDirectory: String, label: String) -> DocumentTask {
        let line = plan.lines[index]
        let name = letterName(plan, index: index, names: names)
        // Every line's attachment compiled: `prepare` refuses the run otherwise.
        return DocumentTask(
            template: line.attachmentPath.flatMap { plan.attachments.position(of: $0) } ?? 0,
            record: MergeRecord(folded: line.foldedMergeFields, children: [:]), path: documentsDirectory + "/" + name, label: label)
    }

    /// Everything a run needs, checked.
    struct Plan {
        var segment: Segment
        /// Resolved again a batch at a time when read: read them in order.
        var lines: ResolvedLines
        var attachments: CompiledAttachments
        var followUp: (segment: Segment, path: String)?
        /// The lines' child tables (`rows:`); nil when no line has any.
        var children: SegmentChildTables?
        /// Whether a line's template is a label sheet (`SegmentLabels`).
        var hasLabels = false
    }

    /// Loads, resolves and checks everything; throws every problem found at once. Without `log` (a distributed
    /// worker: the run was checked when planned) the log is not asked whether the segment is logged.
    static func prepare(_ request: LogSegmentRequest, log: InteractionLogLocation?) throws(MailMergeError) -> Plan {
        // The checks below need one line per template and attachment (every line of a template and attachment has the same
        // merge field names and tables: every contact carries every CSV column) and the fax lines' numbers; the lines are
        // checked a batch at a time and not held, so memory does not grow with the segment.
        var representatives: [(position: Int, line: ResolvedLine)] = []
        var represented = Set<String>()
        var previous: (code: String, attachment: String?) = ("", nil)
        var faxLineNos: [Int] = []
        var faxCount = 0
        let (segment, lines) = try Inputs.segmentLines(
            at: request.segmentPath, templatesDirectory: request.templatesDirectory, holding: request.linesHeldResolved
        ) { position, line in
            // Most lines have the template and attachment of the line before: compared first, without making a key.
            if line.template.code != previous.code || line.attachmentPath != previous.attachment {
                previous = (line.template.code, line.attachmentPath)
                if represented.insert(line.template.code.lowercased() + "\n" + (line.attachmentPath ?? "")).inserted {
                    representatives.append((position, line))
                }
            }
            if line.correspondenceType == .fax {
                faxCount += 1
                if faxLineNos.count < 5 { faxLineNos.append(line.lineNo) }
            }
        }
        let firstLines = representatives.map(\.line)
        var diagnostics: [Diagnostic] = []
        let images = Templates.imagesFolder(request.images, templatesDirectory: request.templatesDirectory)
        let children = SegmentChildTables(segment: segment, lines: firstLines, diagnostics: &diagnostics)
        let attachments = CompiledAttachments(for: firstLines, images: images, regionColumns: children.regionColumns, diagnostics: &diagnostics)
        // Every line has the same merge field names (every contact carries every CSV column),
        // so the first line that uses an attachment stands for all of them.
        var checked = Set<String>()
        for (position, line) in representatives {
            guard let attachment = line.attachmentPath, checked.insert(attachment).inserted, let template = attachments[attachment] else { continue }
            let yamlLine = segment.source.flatMap { position < $0.lineLines.count ? $0.lineLines[position] : nil }
            diagnostics += Templates.missingFields(
                template, line: line, source: segment.path ?? segment.header.no, sourceLine: yamlLine,
                place: "line \(line.lineNo) (contact \(line.contact.no))", childColumns: children.columns[attachment] ?? [:])
        }

        diagnostics += SegmentLabels.check(lines: firstLines, attachments: attachments)
        if faxCount > 0 && request.faxDirectory == nil {
            diagnostics.append(
                Diagnostic(
                    source: request.segmentPath,
                    message:
                        "\(faxCount) line\(faxCount == 1 ? " is" : "s are") fax (lineNo "
                        + faxLineNos.map { String($0) }.joined(separator: ", ") + (faxCount > 5 ? " …" : "")
                        + "): faxes are not printed; give the fax gateway's folder with --fax-out DIR"))
        }
        if request.strict {
            diagnostics += attachments.templates.flatMap { template in
                template.warnings.map { Diagnostic(source: template.templatePath, message: "\($0) (--strict)") }
            }
        }

        // Reading only: a run refused by validation leaves no new database behind.
        if let log { diagnostics += try loggedBefore(segment, path: request.segmentPath, log: log) }
        if let code = request.followUpTemplate, request.followUp {
            diagnostics += SegmentBuilder.templateProblems(code, templatesDirectory: request.templatesDirectory)
        }
        if !diagnostics.isEmpty { throw .validation(diagnostics) }
        var followUp: (segment: Segment, path: String)?
        if request.followUp, let log { followUp = try followUpPlan(segment, request: request, log: log) }
        return Plan(
            segment: segment, lines: lines, attachments: attachments, followUp: followUp, children: children.isEmpty ? nil : children,
            hasLabels: firstLines.contains { $0.template.documentType == .labels })
    }
}

/// The document of each line of a run, kept compactly: a flag and the SHA-256's 32 bytes per line; a letter's
/// path is made again from its line (`letterPath`), a label sheet's is kept once per sheet. A run that logs its lines
/// while it writes them keeps only the lines not logged yet: `drop(before:)` forgets the ones before.
struct LineDocuments {
    /// Per line from `base`: -2 no document, -1 its letter, else the index of its label document in `labelPaths`.
    private var kinds: [Int32]
    private var digests: [UInt8]
    /// The first line kept.
    private var base = 0
    private var labelPaths: [String] = []
    private let letterPath: (Int) -> String

    /// Room for `count` lines from the start (more are added as they are set).
    init(count: Int = 0, letterPath: @escaping (Int) -> String) {
        kinds = Array(repeating: -2, count: count)
        digests = Array(repeating: 0, count: count * 32)
        self.letterPath = letterPath
    }

    /// Whether line `index` has a document.
    func has(_ index: Int) -> Bool { kind(index) != -2 }

    /// Whether line `index`'s document is its own letter (not a label sheet).
    func isLetter(_ index: Int) -> Bool { kind(index) == -1 }

    private func kind(_ index: Int) -> Int32 {
        let position = index - base
        precondition(position >= 0, "line \(index) was dropped")
        return position < kinds.count ? kinds[position] : -2
    }

    /// Line `index`'s document, if it has one.
    func path(_ index: Int) -> String? {
        switch kind(index) {
        case -2: nil
        case -1: letterPath(index)
        case let label: labelPaths[Int(label)]
        }
    }

    /// The SHA-256 (lowercase hex) of line `index`'s document, if it has one.
    func sha256(_ index: Int) -> String? {
        guard has(index) else { return nil }
        let hex = Array("0123456789abcdef".utf8)
        var text = [UInt8]()
        text.reserveCapacity(64)
        let position = index - base
        for byte in digests[position * 32..<position * 32 + 32] {
            text.append(hex[Int(byte >> 4)])
            text.append(hex[Int(byte & 0x0f)])
        }
        return String(decoding: text, as: UTF8.self)
    }

    mutating func setLetter(_ index: Int, sha256: String) {
        set(index, kind: -1)
        store(sha256, at: index)
    }

    mutating func setLabel(_ path: String, sha256: String, lines: [Int]) {
        labelPaths.append(path)
        for index in lines {
            set(index, kind: Int32(labelPaths.count - 1))
            store(sha256, at: index)
        }
    }

    /// Forgets the lines before `end`.
    mutating func drop(before end: Int) {
        let dropped = min(max(0, end - base), kinds.count)
        kinds.removeFirst(dropped)
        digests.removeFirst(dropped * 32)
        base = max(base, end)
    }

    private mutating func set(_ index: Int, kind: Int32) {
        let position = index - base
        precondition(position >= 0, "line \(index) was dropped")
        if position >= kinds.count {
            kinds += repeatElement(-2, count: position + 1 - kinds.count)
            digests += repeatElement(0, count: kinds.count * 32 - digests.count)
        }
        kinds[position] = kind
    }

    private mutating func store(_ hex: String, at index: Int) {
        func value(_ digit: UInt8) -> UInt8 {
            switch digit {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit - UInt8(ascii: "a") + 10
            default: digit &- UInt8(ascii: "A") &+ 10
            }
        }
        let digits = Array(hex.utf8)
        precondition(digits.count == 64, "a SHA-256 is 64 hex digits")
        let position = index - base
        for byte in 0..<32 { digests[position * 32 + byte] = value(digits[2 * byte]) << 4 | value(digits[2 * byte + 1]) }
    }
}

/// A batch of letters to write: their lines and tasks; once written, their lines and SHA-256s.
struct LetterBatch: Sendable {
    var lines: [Int]
    var tasks: [DocumentTask]

    struct Written: Sendable {
        var lines: [Int]
        var digests: [String]
    }
}

/// One letter a run wrote: its line, its file and the file's SHA-256.
struct Letter: Sendable {
    var line: ResolvedLine
    var path: String
    var sha256: String
}

extension Contact {
    /// The name a print shop sorts by: the surname, else the company name.
    var sortName: String { surname.isEmpty ? companyName : surname }
}
