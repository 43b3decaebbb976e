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
    /// Lines checked, and letters handed to the writers, per batch (`CheckedBatches`). Tests lower it to have a small
    /// segment written in many batches.
    var batchSize = Defaults.batchSize
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

/// The `log-segment` use case: load → resolve → merge → write → log, in one pass over the lines.
///
/// The lines are resolved and checked once, a batch at a time, on a thread of their own (`CheckedBatches`) while the
/// batches checked before are written; each attachment is compiled and checked before its first letter. Every problem is
/// still reported at once: once one is found nothing more is written, the check goes on to the last line, and the
/// letters, e-mails, fax copies and manifest written before are removed. Each batch's interaction log entries are stored
/// (`ConcurrentLog`) while the next batch is written, in ONE transaction with the logged segment, committed after the
/// last letter, e-mail and fax copy. A failure or a crash before the commit leaves no entries, so running the command
/// again completes the job; a segment that is logged is refused, so no contact is ever logged twice. A segment with label
/// sheets or child tables is checked whole first (`prepare`): its labels span lines and its tables are opened for every
/// template before the first record.
public enum SegmentLogger {
    /// Logs the segment `request` names into `log` (for an SQLite file: created only when
    /// everything checked out).
    public static func run(
        _ request: LogSegmentRequest, log: InteractionLogLocation,
        progress: ((_ done: Int, _ total: Int?) -> Void)? = nil
    ) throws(MailMergeError) -> LogSegmentResult {
        let started = Date()
        let (segment, unchecked) = try Inputs.uncheckedSegmentLines(at: request.segmentPath, templatesDirectory: request.templatesDirectory)
        let streamed = !needsEveryLineFirst(segment, catalogue: unchecked.catalogue)
        var plan: Plan
        // Problems found without reading a line (the segment logged before, the follow-up's template), reported with the lines'.
        var linelessProblems: [Diagnostic] = []
        if streamed {
            plan = Plan(segment: segment, lines: unchecked, attachments: CompiledAttachments(), followUp: nil, children: nil)
            linelessProblems = try problemsWithoutLines(segment, request: request, log: log)
            if linelessProblems.isEmpty && request.followUp { plan.followUp = try followUpPlan(segment, request: request, log: log) }
        } else {
            plan = try prepare(request, log: log, segment: segment, lines: unchecked)
        }
        let lines = plan.lines
        // A streamed run's lines are checked on another thread, a batch at a time, while the batches before are written.
        let checking = streamed ? CheckedBatches(lines, size: max(1, request.batchSize)) : nil
        defer { checking?.stop() }
        // A problem found without a line: nothing is written, the lines are checked to report theirs too.
        if !linelessProblems.isEmpty { checking?.noteProblem() }
        // A print run's LibreOffice workers start as soon as the first attachment is compiled, while the letters are merged
        // (`PrintRunWriter.startPDF`).
        var pdfWorkers = streamed ? nil : try PrintRunWriter.startPDF(request, warmUp: plan.attachments.templates.first?.templatePath)
        var pdfStarted = !streamed
        // What reading the inputs (or, for a segment checked first, every line) left freed but kept by the allocator
        // (`mailmerge_tune_allocator`'s 64 MB trim threshold) is given back before the letters.
        FreeMemory.release()
        defer { pdfWorkers?.close() }

        let documentsDirectory = request.outputDirectory + "/" + SafeFileName.make(plan.segment.header.no)
        // The folders the run makes: removed again (when empty) if the check finds a problem.
        let madeFolders = [request.outputDirectory, documentsDirectory, request.faxDirectory].compactMap { $0 }.filter {
            !FileManager.default.fileExists(atPath: $0)
        }
        try OutputFolder.create(documentsDirectory)
        let names = try letterNames(lineCount: lines.count)
        let label = { (line: ResolvedLine) in "\(request.segmentPath), line \(line.lineNo) (contact \(line.contact.no))" }
        // A print run (its PDFs, and the e-mails and faxes made of them) needs every letter first: its lines are logged
        // after it. Otherwise each batch's lines are logged as soon as their letters are written.
        let printing = request.printRun || request.pdf
        // The document of each line not logged yet, kept compactly (a segment may have millions of lines).
        var documents = LineDocuments { index in documentsDirectory + "/" + letterName(lines[index], index: index, names: names) }
        // Label attachments: one document per attachment, a label per line (`SegmentLabels`).
        let labels =
            plan.hasLabels
            ? try SegmentLabels.write(
                lines: lines, attachments: plan.attachments, in: documentsDirectory, compressionLevel: request.compressionLevel, label: label)
            : []
        for written in labels {
            documents.setLabel(written.path, sha256: written.sha256, lines: written.lines)
        }
        // How many letters (known when the lines were checked first).
        let letterCount = streamed ? nil : lines.indices.count { lines.hasAttachment($0) && !documents.has($0) }
        // A print run's letters, by line (only a print run lists them).
        var printLetters: [Int] = []
        // The writers: made again when an attachment is compiled (a streamed run compiles each before its first letter).
        var pool = DocumentWriterPool(
            templates: plan.attachments.templates, jobs: request.jobs, compressionLevel: request.compressionLevel, missing: .error)
        // The manifest's rows are written after each batch, while its lines are in hand.
        let manifestPath = documentsDirectory + "/manifest.csv"
        var manifest: Manifest.Rows? = try Manifest.Rows(path: manifestPath)
        // E-mails and fax copies are made on the pool as each letter is written (`LetterCopies`).
        let copies = try LetterCopies(
            templates: plan.attachments.templates.map(\.templatePath), sender: request.emailFrom, withPDF: request.pdf,
            faxDirectory: request.faxDirectory)

        // The log's one transaction is open while the letters are written (`ConcurrentLog`), from the first entries on.
        var logging: ConcurrentLog?
        // Whether the run created the SQLite file: removed again when the run fails, unless another process uses it.
        var createdLog = false
        // The lines handed to the log so far, those whose e-mail was written (removed when the run fails), those
        // without a document.
        var loggedLines = 0
        var emailLines: [Int32] = []
        var withoutDocument = 0
        // The letters of the batches handed to the writers and not listed in the manifest yet (at most two batches).
        var unlisted: [[String]] = []
        // Until the log has committed, a failure rolls it back and removes the e-mails and fax copies made; when the
        // check found a problem, also the letters and the folders the run made.
        var committed = false
        defer {
            checking?.stop()
            if !committed {
                logging?.abandon(
                    .io(path: request.segmentPath, message: "the run stopped before the interaction log was committed; nothing is logged"),
                    removingCreatedLog: createdLog)
                logging = nil
                copies.discard()
                for index in emailLines {
                    let stem = letterStem(lines[Int(index)], index: Int(index), names: names)
                    unlink(documentsDirectory + "/" + stem + ".eml")
                    unlink(documentsDirectory + "/" + SafeFileName.make(stem + ".eml"))
                }
                if let checking, !checking.clean {
                    // The letters written are those of the manifest's rows (every written batch's rows were added).
                    manifest?.forEachDocument { name in unlink(documentsDirectory + "/" + name) }
                    for path in unlisted.joined() { unlink(path) }
                    manifest = nil
                    for folder in madeFolders.reversed() { rmdir(folder) }
                }
            }
        }
        let paths = AbsolutePaths(folder: documentsDirectory)
        // Hands the entries of the lines before `end` to the log, with their e-mails (written here for the e-mail lines
        // the pool made none for: no letter, PDF attachment), then forgets those lines' documents (a print run keeps them).
        func logLines(before end: Int, pdfs: [String: String]) throws(MailMergeError) {
            guard loggedLines < end else { return }
            try lines.unchanged()
            let range = loggedLines..<end
            var emails = copies.take(before: end)
            emailLines += emails.keys.map { Int32($0) }
            let outboxLines = range.filter { lines.correspondenceType($0) == .email && emails[$0] == nil }
            if !outboxLines.isEmpty {
                emailLines += outboxLines.map { Int32($0) }
                var letters: [Int: String] = [:]
                for index in outboxLines where documents.isLetter(index) { letters[index] = documents.path(index) }
                emails.merge(
                    try EmailOutbox.write(
                        lines: lines, emailLines: outboxLines, letters: letters, pdfs: pdfs, sender: request.emailFrom, in: documentsDirectory,
                        stem: { letterStem(lines[$0], index: $0, names: names) }, jobs: request.jobs)
                ) { pool, _ in pool }
            }
            // A fax line whose document the pool did not write (a label sheet) is staged like the letters.
            if !printing && request.faxDirectory != nil {
                for index in range where lines.correspondenceType(index) == .fax && !copies.faxStaged(index) {
                    if let document = documents.path(index) { try copies.stageFax(of: document, index: index) }
                }
            }
            var entries: [NewInteractionLogEntry] = []
            entries.reserveCapacity(range.count)
            for index in range {
                let document = documents.path(index)
                if document == nil { withoutDocument += 1 }
                // A print run's copies are not noted: its letters' names are made again when delivered (`letterName`),
                // its PDFs' copies keep the names they were staged under.
                if let document, !printing, request.faxDirectory != nil, copies.faxStaged(index) {
                    try copies.noteFax(index, name: Manifest.lastComponent(of: document))
                }
                var entry = NewInteractionLogEntry(line: lines[index], documentPath: document.map { paths($0) }, documentSHA256: documents.sha256(index))
                if let email = emails[index] { entry.queue(email, absolutePaths: paths) }
                entries.append(entry)
            }
            try lines.unchanged()
            if logging == nil {
                if case .sqlite(let path) = log, !FileManager.default.fileExists(atPath: path) { createdLog = true }
                logging = ConcurrentLog(
                    store: try log.creating(),
                    segment: NewLoggedSegment(segmentNo: plan.segment.header.no, description: plan.segment.header.description, segment: plan.segment),
                    count: lines.count)
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
        // What a streamed run's check finds in the batches themselves (`StreamedChecks`).
        var found = StreamedChecks(request: request, segment: plan.segment)
        var done = 0
        // A batch's lines and merge records are made while the pool writes the one before (`OverlappedBatches`): a
        // batch is a stretch of `batchSize` lines (a streamed run's as checked), its letters those with an attachment.
        let batchSize = streamed ? max(1, request.batchSize) : Defaults.batchSize
        try OverlappedBatches.run(count: (lines.count + batchSize - 1) / batchSize) { batch throws(MailMergeError) in
            let start: Int
            let batchLines: [ResolvedLine]
            if let checking {
                // Nothing more is written once the check found a problem; the check goes on to the end meanwhile.
                guard checking.clean, let checked = checking.next() else { return LetterBatch(lines: [], tasks: [], pool: nil) }
                (start, batchLines) = checked
                lines.keep(batchLines, from: start)
                let compiled = plan.attachments.templates.count
                found.look(at: batchLines, from: start, attachments: &plan.attachments)
                guard !found.stopsWriting else {
                    checking.noteProblem()
                    return LetterBatch(lines: [], tasks: [], pool: nil)
                }
                if plan.attachments.templates.count > compiled {
                    for template in plan.attachments.templates[compiled...] { copies.add(template: template.templatePath) }
                    pool = DocumentWriterPool(
                        templates: plan.attachments.templates, jobs: request.jobs, compressionLevel: request.compressionLevel, missing: .error)
                    if !pdfStarted {
                        pdfStarted = true
                        pdfWorkers = try PrintRunWriter.startPDF(request, warmUp: plan.attachments.templates.first?.templatePath)
                    }
                }
            } else {
                start = batch * batchSize
                batchLines = (start..<min(start + batchSize, lines.count)).map { lines[$0] }
            }
            var indices: [Int] = []
            var tasks: [DocumentTask] = []
            indices.reserveCapacity(batchLines.count)
            tasks.reserveCapacity(batchLines.count)
            // By position, not `enumerated()`, whose elements are copies of the lines (every contact value retained).
            for offset in batchLines.indices {
                let index = start + offset
                guard batchLines[offset].attachmentPath != nil && !documents.has(index) else { continue }
                let line = batchLines[offset]
                var task = letterTask(line, index: index, attachments: plan.attachments, names: names, in: documentsDirectory, label: label(line))
                if let children = plan.children { task.record = try children.record(of: line, position: index) }
                task.then = copies.then(line: line, index: index, template: task.template)
                indices.append(index)
                tasks.append(task)
            }
            if printing { printLetters += indices }
            // A streamed run's lines were read once, by the check, which reports an input changed meanwhile.
            if checking == nil { try lines.unchanged() }
            unlisted.append(tasks.map(\.path))
            return LetterBatch(lines: indices, tasks: tasks, pool: pool, end: start + batchLines.count)
        } write: { batch throws(MailMergeError) in
            LetterBatch.Written(
                lines: batch.lines, paths: batch.tasks.map(\.path), digests: try batch.pool?.write(batch.tasks, hashing: true) ?? [], end: batch.end)
        } finish: { _, written throws(MailMergeError) in
            for ((index, path), digest) in zip(zip(written.lines, written.paths), written.digests) {
                documents.setLetter(index, path: path, sha256: digest)
            }
            // The manifest lists every letter written (a run whose check fails removes them by it); nothing is logged then.
            try manifest?.append(upTo: written.end, lines: lines, documents: documents)
            // A print run keeps every line's document until it is logged, after the print run: not their paths.
            if printing { documents.forgetPaths(before: written.end) }
            if !unlisted.isEmpty { unlisted.removeFirst() }
            guard checking?.clean ?? true else { return }
            if !printing && written.end > 0 { try logLines(before: written.end, pdfs: [:]) }
            done += written.lines.count
            progress?(done, letterCount)
        }
        if let checking {
            // Every problem at once: the resolution's (they hide the rest, as when the lines are checked first), else those
            // the batches showed, and those found without a line.
            let problems = checking.problems
            try lines.unchanged()
            if !problems.isEmpty { throw .validation(problems) }
            let all = found.problems(plan.attachments) + linelessProblems
            if !all.isEmpty {
                checking.noteProblem()
                throw .validation(all)
            }
        }
        let unmatchedRows = try plan.children?.unmatched() ?? []

        try manifest?.append(upTo: lines.count, lines: lines, documents: documents)
        if !printing { try logLines(before: lines.count, pdfs: [:]) }
        try manifest?.finish()
        // The pool's threads' freed buffers, kept per arena, given back before the end (fax copies, commit, mark).
        FreeMemory.release()
        let printRun = try PrintRunWriter.run(
            request, lines: printLetters.lazy.map { lines[$0] }, documents: printLetters.compactMap { documents.path($0) },
            in: documentsDirectory, workers: pdfWorkers)

        if request.faxDirectory != nil && printing {
            // A print run's faxes made of the letter's PDF (or not made on the pool) are staged now, as the others were.
            for index in lines.indices where lines.correspondenceType(index) == .fax && !copies.faxStaged(index) {
                if let document = documents.path(index) { try copies.stageFax(of: printRun.letterPDFs[document] ?? document, index: index) }
            }
        }
        // A print run's lines are logged now, a batch at a time, with the e-mails made of their PDFs.
        while loggedLines < lines.count {
            try logLines(before: min(loggedLines + Defaults.batchSize, lines.count), pdfs: printRun.letterPDFs)
        }
        try lines.unchanged()
        guard let logging else { preconditionFailure("a segment has lines, so the log was opened") }
        let logged = try logging.commit()
        committed = true
        // The fax copies go to the gateway once their lines are logged: a run that fails logs nothing and sends no fax.
        // The copies' names as noted when their lines were logged; a print run's are made again.
        let faxCount = try copies.deliverFaxes(logged: true) { letterName(lines[$0], index: $0, names: names) }
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

    /// Whether a segment's letters need every line checked before the first is written: a label sheet spans lines, and
    /// child tables (`rows:` of a template the lines use or of the segment header) are opened for every template first.
    static func needsEveryLineFirst(_ segment: Segment, catalogue: TemplateCatalogue) -> Bool {
        var codes = Set<String>()
        if !segment.header.templateCode.isEmpty { codes.insert(segment.header.templateCode) }
        for line in segment.lines { if let code = line.templateCode, !code.isEmpty { codes.insert(code) } }
        return codes.contains { code in
            guard let template = catalogue[code] else { return false }
            return template.documentType == .labels || !SegmentChildTables.specs(template, header: segment.header).isEmpty
        }
    }

    /// The file names of a segment's letters: `0001-<contact no>-<sort name>.docx` (distributed workers name them alike).
    static func letterNames(lineCount: Int) throws(MailMergeError) -> DocumentNamePattern {
        try DocumentNamePattern("{#:0\(max(4, String(lineCount).count))}-{ContactNo}-{SortName}.docx")
    }

    /// The file name of line `index`'s letter (`letterNames`).
    static func letterName(_ plan: Plan, index: Int, names: DocumentNamePattern) -> String {
        letterName(plan.lines[index], index: index, names: names)
    }

    /// The file name of the letter of `line`, line `index` (`letterNames`).
    static func letterName(_ line: ResolvedLine, index: Int, names: DocumentNamePattern) -> String {
        names.fileName(forNumber: index + 1) { position in
            switch names.foldedColumns[position] {
            case "contactno": line.contact.no
            case "sortname": line.contact.sortName
            default: nil
            }
        }
    }

    /// The letter's name without its extension: an e-mail line without a letter names its message so.
    static func letterStem(_ plan: Plan, index: Int, names: DocumentNamePattern) -> String {
        letterStem(plan.lines[index], index: index, names: names)
    }

    /// The name of the letter of `line`, line `index`, without its extension.
    static func letterStem(_ line: ResolvedLine, index: Int, names: DocumentNamePattern) -> String {
        (letterName(line, index: index, names: names) as NSString).deletingPathExtension
    }

    /// The letter of line `index` of `plan`, in `documentsDirectory`.
    static func letterTask(_ plan: Plan, index: Int, names: DocumentNamePattern, in documentsDirectory: String, label: String) -> DocumentTask {
        letterTask(plan.lines[index], index: index, attachments: plan.attachments, names: names, in: documentsDirectory, label: label)
    }

    /// The letter of `line`, line `index`, in `documentsDirectory`.
    static func letterTask(
        _ line: ResolvedLine, index: Int, attachments: CompiledAttachments, names: DocumentNamePattern, in documentsDirectory: String, label: String
    ) -> DocumentTask {
        // Every line's attachment compiled: the run is refused otherwise.
        let template = line.attachmentPath.flatMap { attachments.position(of: $0) } ?? 0
        // Only the fields the letter may read (`CompiledTemplate.recordKeys`; all of them when that is not known).
        let selection = template < attachments.fieldSelections.count ? attachments.fieldSelections[template] : nil
        return DocumentTask(
            template: template, record: MergeRecord(folded: line.foldedMergeFields(selection), children: [:]),
            path: documentsDirectory + "/" + letterName(line, index: index, names: names), label: label)
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
        let (segment, lines) = try Inputs.uncheckedSegmentLines(at: request.segmentPath, templatesDirectory: request.templatesDirectory)
        return try prepare(request, log: log, segment: segment, lines: lines)
    }

    /// Checks every line of `segment` (`lines`, loaded not checked) and everything else before the first letter.
    private static func prepare(
        _ request: LogSegmentRequest, log: InteractionLogLocation?, segment: Segment, lines: ResolvedLines
    ) throws(MailMergeError) -> Plan {
        // The checks below need one line per template and attachment (every line of a template and attachment has the same
        // merge field names and tables: every contact carries every CSV column) and the fax lines' numbers; the lines are
        // checked a batch at a time and not held, so memory does not grow with the segment.
        var representatives: [(position: Int, line: ResolvedLine)] = []
        var represented = Set<String>()
        var previous: (code: String, attachment: String?) = ("", nil)
        var faxLineNos: [Int] = []
        var faxCount = 0
        try lines.checkAll { position, line in
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
            diagnostics += missingFields(template, line: line, position: position, segment: segment, childColumns: children.columns[attachment] ?? [:])
        }

        diagnostics += SegmentLabels.check(lines: firstLines, attachments: attachments)
        if faxCount > 0 && request.faxDirectory == nil {
            diagnostics.append(faxProblem(request, count: faxCount, lineNos: faxLineNos))
        }
        if request.strict { diagnostics += strictProblems(attachments.templates) }
        // Reading only: a run refused by validation leaves no new database behind.
        diagnostics += try problemsWithoutLines(segment, request: request, log: log)
        if !diagnostics.isEmpty { throw .validation(diagnostics) }
        var followUp: (segment: Segment, path: String)?
        if request.followUp, let log { followUp = try followUpPlan(segment, request: request, log: log) }
        return Plan(
            segment: segment, lines: lines, attachments: attachments, followUp: followUp, children: children.isEmpty ? nil : children,
            hasLabels: firstLines.contains { $0.template.documentType == .labels })
    }

    /// The fields `template` uses that `line` (line `position` of `segment`, the first with this attachment) has no column for.
    static func missingFields(
        _ template: CompiledTemplate, line: ResolvedLine, position: Int, segment: Segment, childColumns: [String: [String]] = [:]
    ) -> [Diagnostic] {
        let yamlLine = segment.source.flatMap { position < $0.lineLines.count ? $0.lineLines[position] : nil }
        return Templates.missingFields(
            template, line: line, source: segment.path ?? segment.header.no, sourceLine: yamlLine,
            place: "line \(line.lineNo) (contact \(line.contact.no))", childColumns: childColumns)
    }

    /// Fax lines without the fax gateway's folder: `count` of them, the first of their numbers `lineNos`.
    static func faxProblem(_ request: LogSegmentRequest, count: Int, lineNos: [Int]) -> Diagnostic {
        Diagnostic(
            source: request.segmentPath,
            message:
                "\(count) line\(count == 1 ? " is" : "s are") fax (lineNo "
                + lineNos.map { String($0) }.joined(separator: ", ") + (count > 5 ? " …" : "")
                + "): faxes are not printed; give the fax gateway's folder with --fax-out DIR")
    }

    /// `--strict`: the fields the attachments leave unevaluated.
    static func strictProblems(_ templates: [CompiledTemplate]) -> [Diagnostic] {
        templates.flatMap { template in template.warnings.map { Diagnostic(source: template.templatePath, message: "\($0) (--strict)") } }
    }

    /// The problems found without a line: the segment logged before (reading the log only: a run refused leaves no new
    /// database behind), the follow-up's template.
    static func problemsWithoutLines(_ segment: Segment, request: LogSegmentRequest, log: InteractionLogLocation?) throws(MailMergeError) -> [Diagnostic] {
        var diagnostics: [Diagnostic] = []
        if let log { diagnostics += try loggedBefore(segment, path: request.segmentPath, log: log) }
        if let code = request.followUpTemplate, request.followUp {
            diagnostics += SegmentBuilder.templateProblems(code, templatesDirectory: request.templatesDirectory)
        }
        return diagnostics
    }
}

/// What a streamed run (`SegmentLogger.run`) checks in the batches as they come, before a batch's letters are written:
/// each attachment compiled and its fields (and with `--strict` its warnings) checked before its first letter, fax lines
/// without a fax folder. Once one is found nothing more is written; the problems are reported when every line is checked.
struct StreamedChecks {
    private let request: LogSegmentRequest
    private let segment: Segment
    private let images: String?
    /// The attachments that did not compile, then the fields missing, in the order the lines met them.
    private var compileProblems: [Diagnostic] = []
    private var fieldProblems: [Diagnostic] = []
    private var warned = false
    private var tried = Set<String>()
    private var previous: (code: String, attachment: String?) = ("", nil)
    private var faxCount = 0
    private var faxLineNos: [Int] = []

    init(request: LogSegmentRequest, segment: Segment) {
        self.request = request
        self.segment = segment
        images = Templates.imagesFolder(request.images, templatesDirectory: request.templatesDirectory)
    }

    /// Whether a problem was found: nothing more may be written.
    var stopsWriting: Bool { !compileProblems.isEmpty || !fieldProblems.isEmpty || faxCount > 0 || warned }

    /// Every problem found, in the order a run that checks every line first reports them (`SegmentLogger.prepare`).
    func problems(_ attachments: CompiledAttachments) -> [Diagnostic] {
        compileProblems + fieldProblems + (faxCount > 0 ? [SegmentLogger.faxProblem(request, count: faxCount, lineNos: faxLineNos)] : [])
            + (request.strict ? SegmentLogger.strictProblems(attachments.templates) : [])
    }

    /// Looks at `lines` (lines `start...`, just checked): compiles each attachment met for the first time into
    /// `attachments` and checks its fields, counts the fax lines without a fax folder.
    mutating func look(at lines: [ResolvedLine], from start: Int, attachments: inout CompiledAttachments) {
        for offset in lines.indices {
            // Each line's values are read in place; only a line with a new template or attachment is copied (a copy of
            // every line, all its contact's values retained and released, showed in log-segment's profiles).
            if lines[offset].correspondenceType == .fax && request.faxDirectory == nil {
                faxCount += 1
                if faxLineNos.count < 5 { faxLineNos.append(lines[offset].lineNo) }
            }
            // Most lines have the template and attachment of the line before: compared first.
            guard lines[offset].template.code != previous.code || lines[offset].attachmentPath != previous.attachment else { continue }
            let line = lines[offset]
            previous = (line.template.code, line.attachmentPath)
            guard let attachment = line.attachmentPath, tried.insert(attachment).inserted else { continue }
            guard let template = attachments.add(line, images: images, diagnostics: &compileProblems) else { continue }
            fieldProblems += SegmentLogger.missingFields(template, line: line, position: start + offset, segment: segment)
            if request.strict && !template.warnings.isEmpty { warned = true }
        }
    }
}

/// The document of each line of a run, kept compactly: a flag and the SHA-256's 32 bytes per line; a letter's
/// path is made again from its line (`letterPath`), a label sheet's is kept once per sheet. A run that logs its lines
/// while it writes them keeps only the lines not logged yet: `drop(before:)` forgets the ones before.
/// The letters in hand (set and not dropped or forgotten yet) also keep their path and SHA-256 text as the writers
/// gave them: the manifest row and the log entry of a line read them, so a letter's name is made once per line (it
/// was made three times: the writer's task, the manifest, the log) and its digest is not turned into hex again.
struct LineDocuments {
    /// Per line from `base`: -2 no document, -1 its letter, else the index of its label document in `labelPaths`.
    private var kinds: [Int32]
    private var digests: [UInt8]
    /// The first line kept.
    private var base = 0
    private var labelPaths: [String] = []
    private let letterPath: (Int) -> String
    /// The letters in hand, by line: their path and SHA-256 (hex) as `setLetter(_:path:sha256:)` was given them.
    private var inHand: [Int: (path: String, sha256: String)] = [:]

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
        case -1: inHand[index]?.path ?? letterPath(index)
        case let label: labelPaths[Int(label)]
        }
    }

    /// The SHA-256 (lowercase hex) of line `index`'s document, if it has one.
    func sha256(_ index: Int) -> String? {
        guard has(index) else { return nil }
        if let kept = inHand[index] { return kept.sha256 }
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

    /// Line `index`'s letter, written with SHA-256 `sha256` (lowercase hex, as the writers give it); `path`: where
    /// they put it (`letterPath` makes it again when not given or once forgotten).
    mutating func setLetter(_ index: Int, path: String? = nil, sha256: String) {
        set(index, kind: -1)
        store(sha256, at: index)
        if let path { inHand[index] = (path, sha256) }
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
        forgetPaths(before: end)
    }

    /// Forgets the paths and digest texts kept for the letters before `end` (a run that keeps every line, a print run,
    /// once their manifest rows are written): their paths are made again by `letterPath` when asked for.
    mutating func forgetPaths(before end: Int) {
        guard inHand.keys.contains(where: { $0 < end }) else { return }
        inHand = inHand.filter { $0.key >= end }
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
    /// The writers that write them (nil: no letter).
    var pool: DocumentWriterPool?
    /// The line after the batch's last.
    var end = 0

    struct Written: Sendable {
        var lines: [Int]
        /// Where each line's letter was written (its task's path).
        var paths: [String]
        var digests: [String]
        var end = 0
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
