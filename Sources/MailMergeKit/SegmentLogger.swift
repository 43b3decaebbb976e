import Foundation
import InteractionLog
import MergeEngine
import Segments

/// What `mailmerge log-segment` should do.
public struct LogSegmentRequest: Sendable {
    /// The segment file (YAML).
    public var segmentPath: String
    /// The folder with `templates.yaml` and the attachments.
    public var templatesDirectory = "Templates"
    /// Documents go into `outputDirectory/<segment no>/`.
    public var outputDirectory = "letters"
    /// The SQLite interaction log.
    public var databasePath = "mailmerge.sqlite"
    /// Also write a follow-up segment file (next number, same contacts and header).
    public var followUp = false
    /// Worker threads.
    public var jobs = ProcessInfo.processInfo.activeProcessorCount
    /// Deflate level (1–9) for the parts that change.
    public var compressionLevel = DeflateLevel.default
    /// Also combine the printed letters into one print-run document per attachment, with a
    /// print manifest, and write an `.eml` for each line whose correspondence type is email.
    public var printRun = false
    /// The order of the letters in the print-run documents.
    public var sort = PrintRunSort.line
    /// Convert the print-run documents (without `printRun`: every letter) to PDF.
    public var pdf = false
    /// The sender address of the e-mails (the line's salesperson is the sender's name).
    public var emailFrom = "mailmerge@localhost"
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
    /// The print-run documents, PDFs, print manifest and e-mails written, if asked for.
    public var printRun = PrintRunResult()
    /// Per attachment path, the fields it leaves unevaluated (`CompiledTemplate.warnings`).
    public var warnings: [(attachment: String, warnings: [FieldWarning])] = []
}

/// The `log-segment` use case: load → resolve → merge → write → log.
///
/// Everything is checked first and every problem reported at once; then the documents are
/// written (each atomically), then the logged segment and one interaction log entry per line
/// are recorded in ONE transaction. A crash before the commit leaves no entries, so running
/// the command again completes the job; a segment that is logged is refused, so no contact
/// is ever logged twice.
public enum SegmentLogger {
    public static func run(_ request: LogSegmentRequest, progress: ((_ done: Int, _ total: Int?) -> Void)? = nil) throws(MailMergeError) -> LogSegmentResult {
        let started = Date()
        let plan = try prepare(request)

        let documentsDirectory = request.outputDirectory + "/" + SafeFileName.make(plan.segment.header.no)
        try OutputFolder.create(documentsDirectory)
        let width = max(4, String(plan.lines.count).count)
        var paths = plan.lines.enumerated().map { position, line in
            let number = String(position + 1)
            let name = String(repeating: "0", count: width - number.count) + number + "-"
                + SafeFileName.component(line.contact.no) + "-" + SafeFileName.component(line.contact.sortName)
            return documentsDirectory + "/" + SafeFileName.make(name + ".docx")
        }
        // Label attachments: one document per attachment, a label per line (`SegmentLabels`).
        var digests = Array(repeating: "", count: paths.count)
        let labels = try SegmentLabels.write(lines: plan.lines, templates: plan.templates, templateIndex: plan.templateIndex,
                                             in: documentsDirectory, compressionLevel: request.compressionLevel) { line in
            "\(request.segmentPath), line \(line.lineNo) (contact \(line.contact.no))"
        }
        for written in labels { for index in written.lines { paths[index] = written.path; digests[index] = written.sha256 } }
        let letters = labels.isEmpty ? Array(paths.indices) : paths.indices.filter { plan.lines[$0].template.documentType != .labels }
        let pool = DocumentWriterPool(templates: plan.templates, jobs: request.jobs,
                                      compressionLevel: request.compressionLevel, missing: .error)
        // Merge records are built a batch at a time, so memory does not grow with the segment.
        for start in stride(from: 0, to: letters.count, by: MergeRunner.batchSize) {
            let batch = letters[start..<min(start + MergeRunner.batchSize, letters.count)]
            let tasks = batch.map { index in
                let line = plan.lines[index]
                return DocumentTask(template: plan.templateIndex[line.attachmentPath] ?? 0,
                                    record: MergeRecord(line.mergeFields), path: paths[index],
                                    label: "\(request.segmentPath), line \(line.lineNo) (contact \(line.contact.no))")
            }
            for (index, digest) in zip(batch, try pool.write(tasks, hashing: true)) { digests[index] = digest }
            progress?(start + batch.count, letters.count)
        }

        let manifestPath = documentsDirectory + "/manifest.csv"
        try Manifest.write(lines: plan.lines, documents: paths, digests: digests, to: manifestPath)
        let printRun = try PrintRunWriter.run(request, lines: letters.map { plan.lines[$0] }, documents: letters.map { paths[$0] },
                                              in: documentsDirectory, jobs: request.jobs)

        let entries = zip(plan.lines, zip(paths, digests)).map { line, written in
            NewInteractionLogEntry(line: line, documentPath: absolute(written.0), documentSHA256: written.1)
        }
        let logged: LoggedSegment
        do {
            logged = try plan.store.log(NewLoggedSegment(segmentNo: plan.segment.header.no,
                                                         description: plan.segment.header.description),
                                        entries: entries)
        } catch {
            throw .log(String(describing: error))
        }

        var followUpPath: String?
        if let followUp = plan.followUp {
            do { try followUp.segment.write(to: followUp.path) } catch {
                throw .io(path: followUp.path, message: "segment logged, but the follow-up segment could not be written (\(error))")
            }
            followUpPath = followUp.path
        }
        var result = LogSegmentResult(loggedSegment: logged, documentsDirectory: documentsDirectory,
                                      manifestPath: manifestPath, followUpPath: followUpPath,
                                      seconds: Date().timeIntervalSince(started), printRun: printRun)
        result.warnings = plan.templates.filter { !$0.warnings.isEmpty }.map { ($0.templatePath, $0.warnings) }
        return result
    }

    /// Everything a run needs, checked.
    private struct Plan {
        var segment: Segment
        var lines: [ResolvedLine]
        var templates: [CompiledTemplate]
        var templateIndex: [String: Int]
        var store: SQLiteInteractionLogStore
        var followUp: (segment: Segment, path: String)?
    }

    /// Loads, resolves and checks everything; throws every problem found at once.
    private static func prepare(_ request: LogSegmentRequest) throws(MailMergeError) -> Plan {
        let segment: Segment
        do { segment = try Segment.load(path: request.segmentPath) } catch { throw .validation(error.diagnostics) }

        var diagnostics: [Diagnostic] = []
        var catalogue: TemplateCatalogue?
        var contacts: ContactDirectory?
        do { catalogue = try TemplateCatalogue.load(directory: request.templatesDirectory) } catch { diagnostics += error.diagnostics }
        do { contacts = try ContactDirectory.load(csv: segment.contactsPath) } catch { diagnostics += error.diagnostics }
        guard let catalogue, let contacts else { throw .validation(diagnostics) }

        let lines: [ResolvedLine]
        switch SegmentResolver.resolve(segment, contacts: contacts, catalogue: catalogue) {
        case .success(let resolved): lines = resolved
        case .failure(let failure): throw .validation(failure.diagnostics)
        }

        // Compile each attachment once; every line that uses it shares the compiled template.
        var templates: [CompiledTemplate] = []
        var templateIndex: [String: Int] = [:]
        for line in lines where templateIndex[line.attachmentPath] == nil {
            do {
                templateIndex[line.attachmentPath] = templates.count
                templates.append(try MergeRunner.compileTemplate(at: line.attachmentPath))
            } catch {
                diagnostics.append(Diagnostic(file: line.attachmentPath, message: "attachment of template \(line.template.code): \(error)"))
            }
        }
        diagnostics += missingFields(lines: lines, segment: segment, templates: templates, templateIndex: templateIndex)
        diagnostics += SegmentLabels.check(lines: lines, templates: templates, templateIndex: templateIndex)
        if request.strict {
            diagnostics += templates.flatMap { template in
                template.warnings.map { Diagnostic(file: template.templatePath, message: "\($0) (--strict)") }
            }
        }

        // Reading only: a run refused by validation leaves no new database behind.
        if FileManager.default.fileExists(atPath: request.databasePath) {
            do {
                let store = try SQLiteInteractionLogStore(path: request.databasePath)
                if let logged = try store.loggedSegment(no: segment.header.no) {
                    diagnostics.append(Diagnostic(file: request.segmentPath, line: segment.source?.headerKeyLines["no"],
                                                  message: "segment \(segment.header.no) is already logged (logged segment \(logged.entryNo), \(logged.numberOfInteractions) interactions); log a follow-up segment or cancel the logged segment first"))
                }
            } catch {
                throw .log(String(describing: error))
            }
        }

        var followUp: (Segment, String)?
        if request.followUp {
            do {
                let next = try segment.followUp()
                let path = (request.segmentPath as NSString).deletingLastPathComponent
                let file = (path.isEmpty ? "" : path + "/") + SafeFileName.make(next.header.no + ".yaml")
                if FileManager.default.fileExists(atPath: file) {
                    diagnostics.append(Diagnostic(file: file, message: "the follow-up segment file exists already; move it away or log without --follow-up"))
                }
                followUp = (next, file)
            } catch {
                diagnostics.append(error)
            }
        }
        if !diagnostics.isEmpty { throw .validation(diagnostics) }
        return Plan(segment: segment, lines: lines, templates: templates, templateIndex: templateIndex,
                    store: try openStore(request.databasePath), followUp: followUp)
    }

    /// A field an attachment uses that no line's data provides, reported once per attachment and field.
    private static func missingFields(lines: [ResolvedLine], segment: Segment, templates: [CompiledTemplate],
                                      templateIndex: [String: Int]) -> [Diagnostic] {
        // Every line has the same merge field names (every contact carries every CSV column),
        // so the first line that uses an attachment stands for all of them.
        var checked = Set<String>()
        var reported = Set<String>()
        var diagnostics: [Diagnostic] = []
        for (position, line) in lines.enumerated() where checked.insert(line.attachmentPath).inserted {
            guard let index = templateIndex[line.attachmentPath], index < templates.count else { continue }
            let record = MergeRecord(line.mergeFields)
            for field in templates[index].fields where !record.has(field.name) {
                guard reported.insert(line.attachmentPath + "\u{0}" + field.name.lowercased()).inserted else { continue }
                let yamlLine = segment.source.flatMap { position < $0.lineLines.count ? $0.lineLines[position] : nil }
                diagnostics.append(Diagnostic(
                    file: segment.path ?? segment.header.no, line: yamlLine,
                    message: "line \(line.lineNo) (contact \(line.contact.no)): attachment \(line.attachmentPath) uses field \"\(field.name)\" (\(field.part), paragraph \(field.paragraph)), which no contact column or segment field provides; add a column \"\(field.name)\" to the contacts CSV or fix the template"))
            }
        }
        return diagnostics
    }

    /// Opens (creating it and its folder when missing) the interaction log.
    static func openStore(_ path: String) throws(MailMergeError) -> SQLiteInteractionLogStore {
        let folder = (path as NSString).deletingLastPathComponent
        if !folder.isEmpty { try OutputFolder.create(folder) }
        do { return try SQLiteInteractionLogStore(path: path) } catch { throw .log(String(describing: error)) }
    }
}

extension Contact {
    /// The name a print shop sorts by: the surname, else the company name.
    var sortName: String { surname.isEmpty ? companyName : surname }
}
