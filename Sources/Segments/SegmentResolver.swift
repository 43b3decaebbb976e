import Comparison
import Foundation

/// Applies Business Central's rules to turn a segment's lines into `ResolvedLine`s.
///
/// Per value: a line override applies to that line only; otherwise the header's value;
/// otherwise the contact's or the template's:
/// - description: line → header → template description;
/// - template: line → header;
/// - language: line → header → contact (the attachment falls back to the template's default);
/// - subject, comment: line → header (subject) → empty;
/// - correspondence type: line → header → contact's preferred (unless the template ignores it)
///   → template's;
/// - salesperson: header → contact; unit cost and duration: header → template.
public enum SegmentResolver {
    /// Resolves every line, or reports every problem at once: empty segment, unknown contact,
    /// duplicate contact, unknown template code (line or header), missing or unreadable
    /// attachment, e-mail correspondence for a contact without an e-mail address. Diagnostics
    /// name the segment file and the line of the YAML.
    public static func resolve(_ segment: Segment, contacts: ContactDirectory, catalogue: TemplateCatalogue) -> Result<[ResolvedLine], ValidationFailure> {
        var resolved: [ResolvedLine] = []
        let lookUp = { (no: String) -> Contact? in contacts[no] }
        let diagnostics = resolve(segment, contact: lookUp, catalogue: catalogue) { _, line in resolved.append(line) }
        guard diagnostics.isEmpty else { return .failure(ValidationFailure(diagnostics: diagnostics)) }
        return .success(resolved)
    }

    /// Resolves the lines one at a time, giving `visit` each line resolved (with its index in `segment.lines`) as
    /// soon as it is, so that they need not be held together; returns every problem (as `resolve(_:contacts:catalogue:)`
    /// reports them), none when each line was visited. `contact` looks a contact up by number (nil: there is none).
    /// `positions` (a `ContactIndex`'s: how many contacts, and a contact number's place among them) lets the repeated
    /// contacts be found with 4 bytes per contact instead of a dictionary of every line's contact number.
    public static func resolve(
        _ segment: Segment, contact: (String) throws(Diagnostic) -> Contact?, positions: (count: Int, of: (String) -> Int?)? = nil,
        catalogue: TemplateCatalogue, visit: (Int, ResolvedLine) -> Void
    ) -> [Diagnostic] {
        let file = segment.path ?? segment.header.no
        let header = segment.header
        var diagnostics: [Diagnostic] = []
        func report(_ message: String, lineIndex: Int?) {
            let line = lineIndex.flatMap { index in segment.source.flatMap { index >= 0 && index < $0.lineLines.count ? $0.lineLines[index] : nil } }
            diagnostics.append(Diagnostic(source: file, line: line, message: message))
        }

        if segment.lines.isEmpty {
            diagnostics.append(
                Diagnostic(
                    source: file, line: segment.source.flatMap { $0.linesKeyLine ?? $0.line(ofHeaderKey: "no") },
                    message: "the segment has no lines; add at least one contact under 'lines'"))
        }
        if catalogue[header.templateCode] == nil {
            diagnostics.append(
                Diagnostic(
                    source: file, line: segment.source?.line(ofHeaderKey: "templateCode"),
                    message: unknownTemplate(header.templateCode, catalogue: catalogue)))
        }

        // Per contact: the first line naming it (1-based; 0: none yet); by number for those `positions` does not know.
        var firstIndexByPosition = [Int32](repeating: 0, count: positions?.count ?? 0)
        var firstIndexByContact: [String: Int] = [:]
        var missingAttachments: [String: (lineIndex: Int, count: Int)] = [:]
        var missingOrder: [String] = []
        var readable = Set<String>()
        for (index, line) in segment.lines.enumerated() {
            let earlier: Int?
            if let position = positions?.of(line.contactNo), index < Int32.max {
                earlier = firstIndexByPosition[position] > 0 ? Int(firstIndexByPosition[position]) - 1 : nil
                if earlier == nil { firstIndexByPosition[position] = Int32(index + 1) }
            } else {
                let contactKey = line.contactNo.uppercased()
                earlier = firstIndexByContact[contactKey]
                if earlier == nil { firstIndexByContact[contactKey] = index }
            }
            if let earlier {
                report(
                    "contact '\(line.contactNo)' is already in this segment (lineNo \(segment.lines[earlier].lineNo)); a contact may appear only "
                        + "once", lineIndex: index)
                continue
            }
            var found: Contact?
            do throws(Diagnostic) { found = try contact(line.contactNo) } catch {
                diagnostics.append(error)
                continue
            }
            guard let resolved = resolve(line, of: segment, contact: found, catalogue: catalogue, report: { report($0, lineIndex: index) }) else {
                continue
            }
            if let attachmentPath = resolved.attachmentPath, !readable.contains(attachmentPath) {
                if let entry = missingAttachments[attachmentPath] {
                    missingAttachments[attachmentPath] = (entry.lineIndex, entry.count + 1)
                } else if FileManager.default.isReadableFile(atPath: attachmentPath) {
                    readable.insert(attachmentPath)
                } else {
                    missingAttachments[attachmentPath] = (index, 1)
                    missingOrder.append(attachmentPath)
                }
            }
            if diagnostics.isEmpty { visit(index, resolved) }
        }
        for path in missingOrder {
            guard let entry = missingAttachments[path] else { continue }
            let others = entry.count > 1 ? " (needed by \(entry.count) lines, the first shown here)" : ""
            report(
                "attachment \(path) is missing or unreadable\(others); put the Word document there or fix the template "
                    + "catalogue", lineIndex: entry.lineIndex)
        }
        return diagnostics.sorted { ($0.line ?? 0) < ($1.line ?? 0) }
    }

    /// Line `index` of `segment`, once `resolve(_:contact:catalogue:visit:)` found no problem in the segment: the same
    /// `ResolvedLine` it visited (for resolving a large segment again batch by batch). Nil when the line has a problem.
    public static func resolveChecked(_ segment: Segment, index: Int, contact: Contact?, catalogue: TemplateCatalogue) -> ResolvedLine? {
        var failed = false
        let line = resolve(segment.lines[index], of: segment, contact: contact, catalogue: catalogue) { _ in failed = true }
        return failed ? nil : line
    }

    /// Line `index` of `segment` resolved whatever problems it has (they are not reported); nil when its template is
    /// not in `catalogue`. A stand-in for a run that found an input changed under it and stops.
    public static func resolveIgnoringProblems(_ segment: Segment, index: Int, contact: Contact, catalogue: TemplateCatalogue) -> ResolvedLine? {
        resolve(segment.lines[index], of: segment, contact: contact, catalogue: catalogue) { _ in }
    }

    /// One line's values (see the type's rules); each problem goes to `report`. Nil when the contact or the template is unknown.
    private static func resolve(
        _ line: SegmentLine, of segment: Segment, contact: Contact?, catalogue: TemplateCatalogue, report: (String) -> Void
    ) -> ResolvedLine? {
        let header = segment.header
        if contact == nil {
            report("contact '\(line.contactNo)' (lineNo \(line.lineNo)) is not in the contacts file \(segment.contactsPath)")
        }
        let template: InteractionTemplate?
        if let code = line.templateCode.nonEmpty {
            template = catalogue[code]
            if template == nil {
                report("lineNo \(line.lineNo): " + unknownTemplate(code, catalogue: catalogue))
            }
        } else {
            template = catalogue[header.templateCode]
        }
        guard let contact, let template else { return nil }

        let languageCode = line.languageCode.nonEmpty ?? header.languageCode.nonEmpty ?? contact.languageCode
        var attachmentPath = catalogue.attachmentPath(template, language: languageCode)
        if let own = line.attachment.nonEmpty {
            switch catalogue.lineAttachmentPath(own) {
            case .success(let path): attachmentPath = path
            case .failure(let problem): report("lineNo \(line.lineNo): \(problem.message)")
            }
        }
        let correspondenceType =
            line.correspondenceType ?? header.correspondenceType
            ?? (template.ignoreContactCorrespondenceType ? nil : contact.correspondenceType)
            ?? template.correspondenceType
        if correspondenceType == .email && contact.email.isEmpty {
            report(
                "lineNo \(line.lineNo): contact '\(contact.no)' has no e-mail address but the correspondence type is email; add an Email in "
                    + "the contacts file or choose another correspondence type")
        }
        if correspondenceType == .fax && attachmentPath == nil {
            report(
                "lineNo \(line.lineNo): template '\(template.code)' has no attachment, so there is no document to fax; choose a template "
                    + "with an attachment or another correspondence type")
        }
        return ResolvedLine(
            segmentNo: header.no,
            segmentDescription: header.description,
            lineNo: line.lineNo,
            contact: contact,
            template: template,
            attachmentPath: attachmentPath,
            description: line.description.nonEmpty ?? header.description.nonEmpty ?? template.description,
            subject: line.subject.nonEmpty ?? header.subject ?? "",
            languageCode: languageCode,
            correspondenceType: correspondenceType,
            comment: line.comment ?? "",
            date: header.date,
            salespersonCode: header.salespersonCode.nonEmpty ?? contact.salespersonCode,
            salespersonName: header.salespersonName ?? "",
            campaignNo: header.campaignNo ?? "",
            campaignTarget: header.campaignTarget,
            campaignResponse: header.campaignResponse,
            unitCost: header.unitCost ?? template.unitCost,
            unitDuration: header.unitDuration ?? template.unitDuration)
    }

    private static func unknownTemplate(_ code: String, catalogue: TemplateCatalogue) -> String {
        let known = catalogue.templates.keys.sorted().joined(separator: ", ")
        return "template code '\(code)' is not in the catalogue \(catalogue.directory)/\(TemplateCatalogue.fileName) (known: \(known.isEmpty ? "none" : known))"
    }
}

extension Optional where Wrapped == String {
    /// The string unless it is `nil` or only spaces.
    var nonEmpty: String? {
        flatMap { $0.nonEmpty }
    }
}

extension String {
    /// The string unless it is only spaces (tabs and space separators, as `trimmingCharacters(in: .whitespaces)`
    /// trims them).
    var nonEmpty: String? {
        // Several values of every line go through here (`isBlankWhitespace` answers without Foundation for ASCII).
        isBlankWhitespace ? nil : self
    }
}
