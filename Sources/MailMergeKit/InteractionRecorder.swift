import Foundation
import InteractionLog
import MergeEngine
import Segments

/// What `mailmerge interaction create` should do.
public struct InteractionRequest: Sendable {
    public var contactNo: String
    public var templateCode: String
    /// Overrides the template's description.
    public var description: String?
    public var subject: String?
    /// Overrides the contact's language (and so the attachment chosen).
    public var languageCode: String?
    /// Overrides the contact's and the template's correspondence type.
    public var correspondenceType: CorrespondenceType?
    /// A personal note merged as `Comment`.
    public var comment: String?
    /// Overrides the contact's salesperson.
    public var salespersonCode: String?
    /// The interaction date; today when `nil`.
    public var date: Day?
    /// The contacts CSV.
    public var contactsPath = Defaults.contactsPath
    /// The folder with `templates.yaml` and the attachments.
    public var templatesDirectory = Defaults.templatesDirectory
    /// Documents go into `outputDirectory/interactions/`.
    public var outputDirectory = Defaults.outputDirectory
    /// Save the interaction unfinished instead of merging it now.
    public var postpone = false
    /// The sender address of an e-mail interaction (its message is queued; `EmailDelivery` sends it).
    public var emailFrom = "mailmerge@localhost"

    public init(contactNo: String, templateCode: String) {
        self.contactNo = contactNo
        self.templateCode = templateCode
    }
}

/// What creating or resuming an interaction did.
public struct InteractionResult: Sendable {
    /// The entry recorded (status postponed when the interaction was postponed).
    public var entry: InteractionLogEntry
    /// The merged document; `nil` for a postponed interaction or a template without attachment.
    public var documentPath: String?
    /// The e-mail's message (`.eml`), for an e-mail interaction.
    public var emailPath: String?
}

/// The single-interaction use cases: create (or postpone), list postponed, resume, discard.
///
/// The interaction is resolved like a one-line segment (line overrides, then the contact,
/// then the template; see `SegmentResolver`) and checked before anything is written. The
/// document is written first (atomically), then the entry is recorded; if recording fails
/// the document is removed again.
public enum InteractionRecorder {
    /// Creates the interaction, or postpones it when `request.postpone`, and records it in
    /// `log` (for an SQLite file: created when missing, once everything checked out).
    public static func create(_ request: InteractionRequest, log: InteractionLogLocation) throws(MailMergeError) -> InteractionResult {
        let date = request.date ?? Day.today
        var stored = PostponedRequest(
            contactNo: request.contactNo, templateCode: request.templateCode, description: request.description,
            subject: request.subject, languageCode: request.languageCode, correspondenceType: request.correspondenceType,
            comment: request.comment, date: date, contactsPath: absolute(request.contactsPath),
            templatesDirectory: absolute(request.templatesDirectory), outputDirectory: absolute(request.outputDirectory))
        stored.salespersonCode = request.salespersonCode
        let line = try resolve(stored)
        if request.postpone {
            let store = try log.creating()
            let postponed = try logOperation {
                try store.postpone(NewInteractionLogEntry(line: line, documentPath: nil, documentSHA256: nil), request: stored)
            }
            return InteractionResult(entry: postponed.entry, documentPath: nil)
        }
        let template = try compile(line)
        let store = try log.creating()
        return try record(line, template: template, outputDirectory: stored.outputDirectory, emailFrom: request.emailFrom) { entry in
            try store.record(entry)
        }
    }

    /// The postponed interactions, oldest first.
    public static func postponed(log: InteractionLogLocation) throws(MailMergeError) -> [PostponedInteraction] {
        let store = try log.opened()
        return try logOperation { try store.postponedInteractions() }
    }

    /// Finishes postponed interaction `id`: merges its document with the current contacts and
    /// templates and records the entry; it leaves the postponed list. `changes` replace values
    /// of the postponed request first (Business Central lets the user edit them when resuming).
    /// An e-mail is queued from `emailFrom`.
    public static func resume(
        id: Int64, changing changes: ResumeChanges = ResumeChanges(), log: InteractionLogLocation, emailFrom: String = "mailmerge@localhost"
    ) throws(MailMergeError) -> InteractionResult {
        let store = try log.opened()
        var postponed = try logOperation { try store.postponedInteraction(id: id) }
        changes.apply(to: &postponed.request)
        let line = try resolve(postponed.request)
        let template = try compile(line)
        return try record(line, template: template, outputDirectory: postponed.request.outputDirectory, emailFrom: emailFrom) { entry in
            try store.resume(id: id, as: entry)
        }
    }

    /// Deletes postponed interaction `id`.
    public static func discard(id: Int64, log: InteractionLogLocation) throws(MailMergeError) -> PostponedInteraction {
        let store = try log.opened()
        return try logOperation { try store.discard(id: id) }
    }

    /// Writes the line's document (when its template has an attachment) and, for an e-mail, its
    /// message; then records its entry with `recording`. If anything fails, what was written is removed again.
    private static func record(
        _ line: ResolvedLine, template: CompiledTemplate?, outputDirectory: String, emailFrom: String,
        recording: (NewInteractionLogEntry) throws -> InteractionLogEntry
    ) throws(MailMergeError) -> InteractionResult {
        var written: [String] = []
        do {
            var path: String?
            var digest: String?
            if let template {
                let document = try writeDocument(line, template: template, outputDirectory: outputDirectory)
                written.append(document.0)
                (path, digest) = (document.0, document.1)
            }
            var entry = NewInteractionLogEntry(line: line, documentPath: path, documentSHA256: digest)
            var emailPath: String?
            if line.correspondenceType == .email {
                let folder = outputDirectory + "/interactions"
                try OutputFolder.create(folder)
                let stem = "\(line.date)-\(SafeFileName.component(line.contact.no))-\(SafeFileName.component(line.template.code))"
                let email = try EmailOutbox.write(
                    lines: [line], letters: path.map { [0: $0] } ?? [:], pdfs: [:], sender: emailFrom, in: folder,
                    stem: { _ in
                        // Claimed like a document's name, so two processes never write the same message file.
                        let claimed = (try? claimName(in: folder, stem: stem, extension: "eml")) ?? folder + "/" + stem + ".eml"
                        return ((claimed as NSString).lastPathComponent as NSString).deletingPathExtension
                    },
                    jobs: 1)
                if let queued = email[0] {
                    written.append(queued.messagePath)
                    entry.queue(queued)
                    emailPath = queued.messagePath
                }
            }
            let recorded = try logOperation { try recording(entry) }
            return InteractionResult(entry: recorded, documentPath: path, emailPath: emailPath)
        } catch {
            for file in written { try? FileManager.default.removeItem(atPath: file) }
            throw error
        }
    }

    /// Resolves the request as a one-line segment, reporting every problem at once.
    static func resolve(_ request: PostponedRequest) throws(MailMergeError) -> ResolvedLine {
        var diagnostics: [Diagnostic] = []
        let (catalogue, contacts) = try Inputs.catalogueAndContacts(
            templatesDirectory: request.templatesDirectory,
            contactsPath: request.contactsPath)
        let place = "interaction for contact \(request.contactNo)"
        if contacts[request.contactNo] == nil {
            diagnostics.append(
                Diagnostic(
                    source: request.contactsPath,
                    message: "there is no contact '\(request.contactNo)'; check --contact against "
                        + "the ContactNo column"))
        }
        if catalogue[request.templateCode] == nil {
            let known = catalogue.templates.keys.sorted().joined(separator: ", ")
            diagnostics.append(
                Diagnostic(
                    source: place,
                    message: "template code '\(request.templateCode)' is not in "
                        + "\(catalogue.directory)/\(TemplateCatalogue.fileName) (known: \(known))"))
        }
        if !diagnostics.isEmpty { throw .validation(diagnostics) }

        let header = SegmentHeader(
            no: "", description: "", templateCode: request.templateCode, subject: request.subject,
            languageCode: request.languageCode, correspondenceType: request.correspondenceType,
            salespersonCode: request.salespersonCode, date: request.date, contacts: request.contactsPath)
        let line = SegmentLine(
            lineNo: Segment.lineNoStep, contactNo: request.contactNo,
            description: request.description, comment: request.comment)
        switch SegmentResolver.resolve(Segment(header: header, lines: [line]), contacts: contacts, catalogue: catalogue) {
        case .success(var lines) where lines.count == 1:
            try Inputs.addSalespeople(to: &lines, templatesDirectory: request.templatesDirectory)
            try CorrespondenceFields.apply(to: &lines, templatesDirectory: request.templatesDirectory, source: place)
            return lines[0]
        case .success:
            throw .validation([Diagnostic(source: place, message: "the interaction did not resolve to one document")])
        case .failure(let failure):
            throw .validation(failure.diagnostics.map { Diagnostic(source: place, line: nil, message: $0.message) })
        }
    }

    /// Compiles the line's attachment (`nil` when its template has none) and checks that the
    /// line provides every field it uses.
    private static func compile(_ line: ResolvedLine) throws(MailMergeError) -> CompiledTemplate? {
        guard let attachment = line.attachmentPath else { return nil }
        let template = try Templates.compile(at: attachment)
        let missing = Templates.missingFields(template, line: line, source: "interaction for contact \(line.contact.no)")
        if !missing.isEmpty { throw .validation(missing) }
        return template
    }

    /// Writes the document into `outputDirectory/interactions/` under a name no other document
    /// has. The name is claimed first by creating the file exclusively, so two processes never
    /// pick the same one; a failed write removes the claim.
    private static func writeDocument(_ line: ResolvedLine, template: CompiledTemplate, outputDirectory: String) throws(MailMergeError) -> (String, String) {
        let folder = outputDirectory + "/interactions"
        try OutputFolder.create(folder)
        let path = try claimName(
            in: folder, stem: "\(line.date)-\(SafeFileName.component(line.contact.no))-\(SafeFileName.component(line.template.code))", extension: "docx")
        let task = DocumentTask(
            template: 0, record: MergeRecord(line.mergeFields), path: path,
            label: "interaction for contact \(line.contact.no)")
        let pool = DocumentWriterPool(templates: [template], jobs: 1, compressionLevel: DeflateLevel.default, missing: .error)
        do {
            let digests = try pool.write([task], hashing: true)
            return (path, digests.first ?? "")
        } catch {
            try? FileManager.default.removeItem(atPath: path)
            throw error
        }
    }

    /// Creates `folder/stem.EXT`, else `stem-2.EXT`, `stem-3.EXT` …, whichever does not exist yet.
    private static func claimName(in folder: String, stem: String, extension ext: String) throws(MailMergeError) -> String {
        var number = 1
        while true {
            let path = folder + "/" + SafeFileName.make(number == 1 ? stem + "." + ext : "\(stem)-\(number).\(ext)")
            do {
                try Data().write(to: URL(fileURLWithPath: path), options: .withoutOverwriting)
                return path
            } catch {
                guard FileManager.default.fileExists(atPath: path) else {
                    throw .io(path: path, message: "cannot create the document (\(error.localizedDescription))")
                }
                number += 1
            }
        }
    }
}
