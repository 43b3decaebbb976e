import Foundation
import InteractionLog
import Segments

/// What `mailmerge segment new` should create.
public struct NewSegmentRequest: Sendable {
    /// The segment number; the next number of the number series (`setup.yaml`) when `nil`.
    public var no: String?
    public var description: String
    public var templateCode: String
    /// The contacts CSV; stored relative to the segment file when it is in the same folder.
    public var contactsPath: String
    /// The interaction date; today when `nil`.
    public var date: Day?
    public var subject: String?
    public var languageCode: String?
    public var correspondenceType: CorrespondenceType?
    public var salespersonCode: String?
    public var salespersonName: String?
    public var campaignNo: String?
    /// The segment file to write; `<no>.yaml` in the current folder when `nil`.
    public var path: String?
    /// The folder with `templates.yaml`, to check the template code.
    public var templatesDirectory = Defaults.templatesDirectory

    public init(no: String?, description: String, templateCode: String, contactsPath: String) {
        self.no = no
        self.description = description
        self.templateCode = templateCode
        self.contactsPath = contactsPath
    }
}

/// What `mailmerge segment from-logged` should create.
public struct ReuseLoggedSegmentRequest: Sendable {
    /// The logged segment's entry number.
    public var loggedSegmentEntryNo: Int64
    /// The contacts CSV the new segment uses.
    public var contactsPath: String
    /// The new segment's number; the next number after the logged segment's when `nil`.
    public var no: String?
    /// The logged segment's description when `nil`.
    public var description: String?
    /// The template most of the logged entries used when `nil`.
    public var templateCode: String?
    /// Today when `nil`.
    public var date: Day?
    /// `<no>.yaml` in the current folder when `nil`.
    public var path: String?
    /// Copy the lines' one-off values (comment, description, subject, attachment).
    public var keepLineOverrides = false
    /// The folder with `templates.yaml` and `setup.yaml` (the number series).
    public var templatesDirectory = Defaults.templatesDirectory

    public init(loggedSegmentEntryNo: Int64, contactsPath: String) {
        self.loggedSegmentEntryNo = loggedSegmentEntryNo
        self.contactsPath = contactsPath
    }
}

/// The segment-building use cases: create a segment file, add/reduce/refine its contacts by
/// criteria, save and re-apply criteria by name, and reuse a logged segment's contacts.
/// A segment file is rewritten only when the whole operation succeeded.
public enum SegmentBuilder {
    /// Creates a segment file with no lines.
    /// Without a number, the next number of the number series is reserved in `log` (see
    /// `SegmentNumbering`); a number given is refused when `log` has it as used already.
    public static func create(_ request: NewSegmentRequest, log: InteractionLogLocation) throws(MailMergeError) -> (segment: Segment, path: String) {
        var diagnostics: [Diagnostic] = []
        if let no = request.no, no.trimmingCharacters(in: .whitespaces).isEmpty {
            diagnostics.append(Diagnostic(source: request.path ?? "NO", message: "the segment number is empty"))
        }
        let date = request.date ?? Day.today
        if let no = request.no {
            let path = request.path ?? SafeFileName.make(no + ".yaml")
            if FileManager.default.fileExists(atPath: path) {
                diagnostics.append(Diagnostic(source: path, message: "the segment file exists already; choose another number or --file"))
            }
            diagnostics += try SegmentNumbering.problems(with: no, folder: folder(of: path), log: log)
        } else if let path = request.path, FileManager.default.fileExists(atPath: path) {
            diagnostics.append(Diagnostic(source: path, message: "the segment file exists already; choose another --file"))
        }
        diagnostics += templateProblems(request.templateCode, templatesDirectory: request.templatesDirectory)
        do { _ = try CSVRowReader(path: request.contactsPath) } catch { diagnostics.append(error) }
        if !diagnostics.isEmpty { throw .validation(diagnostics) }

        let no: String
        if let given = request.no {
            no = given
        } else {
            let series = try SegmentNumbering.series(templatesDirectory: request.templatesDirectory, after: nil)
            no = try SegmentNumbering.reserve(series: series, folder: folder(of: request.path ?? ""), log: log)
        }
        let path = request.path ?? SafeFileName.make(no + ".yaml")
        let header = SegmentHeader(
            no: no, description: request.description, templateCode: request.templateCode,
            subject: request.subject, languageCode: request.languageCode, correspondenceType: request.correspondenceType,
            salespersonCode: request.salespersonCode, salespersonName: request.salespersonName, date: date,
            campaignNo: request.campaignNo, contacts: contactsReference(request.contactsPath, segmentPath: path))
        let segment = Segment(header: header, lines: [])
        try write(segment, to: path)
        return (segment, path)
    }

    /// Applies one criteria action to the segment file at `segmentPath` and records it there.
    ///
    /// - Throws: when the criteria do not parse (naming the column), name a field the contacts
    ///   CSV lacks, or match no contact at all; the file is then left unchanged.
    public static func apply(_ action: CriteriaAction, criteria text: String, to segmentPath: String) throws(MailMergeError) -> CriteriaOutcome {
        var (segment, contacts, columns) = try load(segmentPath, editing: action.rawValue)
        let criteria = try parse(text, columns: columns, segmentPath: segmentPath)
        let outcome = segment.apply(action, criteria, contacts: contacts)
        if outcome.matched == 0 {
            throw .validation([Diagnostic(source: segment.contactsPath, message: "no contact matches the criteria '\(text)'; the segment was not changed")])
        }
        try write(segment, to: segmentPath)
        return outcome
    }

    /// Saves the criteria actions recorded in the segment file as `name` in the criteria file
    /// (`criteria.yaml` beside the segment when `criteriaFile` is `nil`), replacing criteria of
    /// that name only when `replace`.
    public static func saveCriteria(
        name: String, description: String?, from segmentPath: String,
        criteriaFile: String?, replace: Bool
    ) throws(MailMergeError) -> (saved: SavedCriteria, path: String) {
        let segment = try loadSegment(segmentPath)
        let file = criteriaFile ?? defaultCriteriaFile(beside: segmentPath)
        guard !segment.criteria.isEmpty else {
            throw .validation([
                Diagnostic(
                    source: segmentPath,
                    message: "the segment has no criteria actions to save; build it with add-contacts, "
                        + "reduce-contacts or refine-contacts first")
            ])
        }
        var library = try loadLibrary(file)
        if library[name] != nil && !replace {
            throw .validation([Diagnostic(source: file, message: "criteria '\(name)' exist already; choose another name or use --replace")])
        }
        let saved = SavedCriteria(name: name, description: description, steps: segment.criteria)
        library.save(saved)
        do { try library.write(to: file) } catch {
            throw .io(path: file, message: "cannot write the criteria file (\(error.localizedDescription))")
        }
        return (saved, file)
    }

    /// Applies saved criteria `name`, step by step, to the segment file at `segmentPath` and
    /// records each step there. A step that matches no contact is not an error here.
    public static func applyCriteria(
        name: String, to segmentPath: String,
        criteriaFile: String?
    ) throws(MailMergeError) -> [(step: CriteriaStep, outcome: CriteriaOutcome)] {
        let file = criteriaFile ?? defaultCriteriaFile(beside: segmentPath)
        let library = try loadLibrary(file)
        guard let saved = library[name] else {
            let known = library.criteria.map(\.name).joined(separator: ", ")
            throw .validation([
                Diagnostic(
                    source: file,
                    message: "there are no saved criteria '\(name)' (saved: \(known.isEmpty ? "none" : known)); "
                        + "save some with `mailmerge segment criteria save`")
            ])
        }
        var (segment, contacts, columns) = try load(segmentPath, editing: "criteria apply")
        var results: [(CriteriaStep, CriteriaOutcome)] = []
        for step in saved.steps {
            let criteria = try parse(step.expression, columns: columns, segmentPath: file)
            results.append((step, segment.apply(step.action, criteria, contacts: contacts)))
        }
        try write(segment, to: segmentPath)
        return results
    }

    /// The saved criteria in `file`.
    public static func savedCriteria(file: String) throws(MailMergeError) -> CriteriaLibrary {
        guard FileManager.default.fileExists(atPath: file) else {
            throw .io(path: file, message: "no criteria file here; save criteria with `mailmerge segment criteria save` or name the file with --criteria-file")
        }
        return try loadLibrary(file)
    }

    // MARK: - Helpers

    /// The segment to change with `command`, its contacts and their columns; a logged segment is refused.
    private static func load(_ segmentPath: String, editing command: String) throws(MailMergeError) -> (Segment, ContactDirectory, [String]) {
        let segment = try loadSegment(segmentPath)
        if let refusal = segment.refusalToEdit(command) { throw .validation([refusal]) }
        do {
            let columns = try CSVRowReader(path: segment.contactsPath).header
            return (segment, try ContactDirectory.load(csv: segment.contactsPath), columns)
        } catch let error as Diagnostic {
            throw .validation([error])
        } catch let error as ValidationFailure {
            throw .validation(error.diagnostics)
        } catch {
            throw .io(path: segment.contactsPath, message: "\(error)")
        }
    }

    static func loadSegment(_ path: String) throws(MailMergeError) -> Segment {
        do { return try Segment.load(path: path) } catch { throw .validation(error.diagnostics) }
    }

    private static func parse(_ text: String, columns: [String], segmentPath: String) throws(MailMergeError) -> Criteria {
        do {
            let criteria = try Criteria(text)
            try criteria.check(columns: columns)
            return criteria
        } catch {
            throw .validation([Diagnostic(source: segmentPath, message: error.description)])
        }
    }

    private static func loadLibrary(_ file: String) throws(MailMergeError) -> CriteriaLibrary {
        do { return try CriteriaLibrary.load(path: file) } catch { throw .validation([error]) }
    }

    static func write(_ segment: Segment, to path: String) throws(MailMergeError) {
        do { try segment.write(to: path) } catch {
            throw .io(path: path, message: "cannot write the segment file (\(error.localizedDescription))")
        }
    }

    static func templateProblems(_ code: String, templatesDirectory: String) -> [Diagnostic] {
        let catalogue: TemplateCatalogue
        do { catalogue = try TemplateCatalogue.load(directory: templatesDirectory) } catch { return error.diagnostics }
        guard catalogue[code] == nil else { return [] }
        let known = catalogue.templates.keys.sorted().joined(separator: ", ")
        return [
            Diagnostic(
                source: "--template",
                message: "template code '\(code)' is not in \(catalogue.directory)/\(TemplateCatalogue.fileName) "
                    + "(known: \(known))")
        ]
    }

    /// `criteria.yaml` in the segment file's folder.
    static func defaultCriteriaFile(beside segmentPath: String) -> String {
        URL(fileURLWithPath: segmentPath).deletingLastPathComponent().appendingPathComponent(CriteriaLibrary.defaultFileName).path
    }

    /// The contacts CSV as the segment header names it: its file name when it is in the
    /// segment file's folder, else its absolute path.
    static func contactsReference(_ contactsPath: String, segmentPath: String) -> String {
        let contacts = URL(fileURLWithPath: contactsPath).standardizedFileURL
        let folder = URL(fileURLWithPath: segmentPath).standardizedFileURL.deletingLastPathComponent()
        return contacts.deletingLastPathComponent().path == folder.path ? contacts.lastPathComponent : contacts.path
    }

    static func mostUsedTemplate(_ entries: [InteractionLogEntry]) -> String {
        var counts: [String: Int] = [:]
        for entry in entries { counts[entry.templateCode, default: 0] += 1 }
        return entries.map(\.templateCode).max { counts[$0, default: 0] < counts[$1, default: 0] } ?? ""
    }

    /// The folder of `path` (empty for the current folder).
    static func folder(of path: String) -> String {
        (path as NSString).deletingLastPathComponent
    }
}
