import Foundation
import MergeEngine
import Segments

/// What `mailmerge check` (and `log-segment --preflight`) should look at.
public struct PreflightRequest: Sendable {
    /// The segment file (YAML).
    public var segmentPath: String
    /// The folder with `templates.yaml` and the attachments.
    public var templatesDirectory = Defaults.templatesDirectory
    /// Worker threads.
    public var jobs = Defaults.jobs
    /// Lay out every printed letter as PDF and measure the address window, the pages and the
    /// table cells on it (`check --pdf`); without it line widths are estimated from character counts.
    public var pdf = false
    /// How the PDF is laid out (`--pdf-jobs`; chunks as in print runs).
    public var pdfOptions = PrintPDFOptions()

    public init(segmentPath: String) { self.segmentPath = segmentPath }
}

/// The preflight use case: every line's letter checked before anything is printed or logged.
///
/// The segment is loaded and validated as `log-segment` does (every problem at once); then, per
/// line, the letter's address block is rendered in memory (`AddressArea`) and checked against
/// the attachment's envelope window (`templates.yaml`), the merged values are checked for
/// placeholders and for empty running-text fields, a GREETINGLINE for its fallback, an e-mail
/// line for its address; across lines, postal addresses are compared (households, the same
/// person twice). Nothing is written.
public enum Preflight {
    public static func run(_ request: PreflightRequest) throws(MailMergeError) -> PreflightReport {
        let started = Date()
        let (segment, lines) = try Inputs.segment(at: request.segmentPath, templatesDirectory: request.templatesDirectory)
        var diagnostics: [Diagnostic] = []
        let children = SegmentChildTables(segment: segment, lines: lines, diagnostics: &diagnostics)
        let attachments = CompiledAttachments(for: lines, regionColumns: children.regionColumns, diagnostics: &diagnostics)
        var checked = Set<String>()
        for (position, line) in lines.enumerated() {
            guard let path = line.attachmentPath, checked.insert(path).inserted, let template = attachments[path] else { continue }
            diagnostics += Templates.missingFields(
                template, line: line, source: request.segmentPath, sourceLine: fileLine(segment, position),
                place: "line \(line.lineNo) (contact \(line.contact.no))", childColumns: children.columns[path] ?? [:])
        }
        if !diagnostics.isEmpty { throw .validation(diagnostics) }

        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("mailmerge-preflight-\(UUID().uuidString)").path
        try OutputFolder.create(scratch)
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        var areas: [String: AddressArea] = [:]
        for line in lines where line.template.documentType == .letter {
            guard let path = line.attachmentPath, areas[path] == nil else { continue }
            areas[path] = try AddressArea.find(in: path, scratch: scratch)
        }

        let letterAreas = areas
        // Every field a letter reads, once per attachment: its merge fields and the columns of its ADDRESSBLOCK and GREETINGLINE tokens.
        var usedFields: [String: [String]] = [:]
        for path in Set(lines.compactMap(\.attachmentPath)) {
            guard let template = attachments[path] else { continue }
            var seen = Set<String>()
            usedFields[path] = (template.fieldNames + template.matchedFields.flatMap { $0.tokens.flatMap(\.columns) }).filter {
                seen.insert($0.lowercased()).inserted
            }
        }
        let fieldsByAttachment = usedFields
        var perLine = [[PreflightFinding]](repeating: [], count: lines.count)
        let jobs = max(1, min(request.jobs, lines.count / 256 + 1))
        let chunk = (lines.count + jobs - 1) / jobs
        perLine.withUnsafeMutableBufferPointer { results in
            nonisolated(unsafe) let results = results
            DispatchQueue.concurrentPerform(iterations: jobs) { job in
                for index in stride(from: job * chunk, to: min(lines.count, (job + 1) * chunk), by: 1) {
                    let line = lines[index]
                    let checks = LineChecks(
                        line: line, fileLine: fileLine(segment, index), template: line.attachmentPath.flatMap { attachments[$0] },
                        area: line.attachmentPath.flatMap { letterAreas[$0] }, usedFields: line.attachmentPath.flatMap { fieldsByAttachment[$0] } ?? [],
                        contactsPath: segment.contactsPath,
                        measured: request.pdf && LayoutChecks.laidOut(line, attachments: attachments))
                    results[index] = checks.findings()
                }
            }
        }
        let households = Households.findings(lines: lines) { fileLine(segment, $0) }
        for (index, findings) in households { perLine[index] += findings }

        var notes: [String] = []
        if request.pdf {
            let layout = try LayoutChecks.run(
                LayoutChecks.Context(
                    lines: lines, attachments: attachments, children: children, areas: areas, options: request.pdfOptions, jobs: request.jobs,
                    contactsPath: segment.contactsPath, scratch: scratch, fileLine: { fileLine(segment, $0) }))
            for (index, findings) in layout { perLine[index] += findings }
            notes.append(
                "address windows, pages and table cells measured on the letters laid out by LibreOffice (word boxes of pdftotext -bbox-layout)")
        }
        let windows = Set(lines.compactMap { $0.correspondenceType == .email || request.pdf ? nil : $0.template.window })
        for window in windows.sorted(by: { $0.name < $1.name }) {
            notes.append(
                "address line widths are estimated from character counts: the \(window.name) window (\(format(window.width)) mm wide) "
                    + "holds about \(window.estimatedCharactersPerLine) characters at \(format(window.fontSize)) pt")
        }
        return PreflightReport(
            segmentPath: request.segmentPath, lines: lines.count,
            findings: perLine.flatMap { $0.sorted { $0.severity > $1.severity } }, notes: notes,
            seconds: Date().timeIntervalSince(started))
    }

    private static func fileLine(_ segment: Segment, _ index: Int) -> Int? {
        guard let lines = segment.source?.lineLines, index < lines.count else { return nil }
        return lines[index]
    }

    private static func format(_ number: Double) -> String {
        number == number.rounded() ? String(Int(number)) : String(number)
    }
}

/// The checks of one line's letter.
private struct LineChecks {
    let line: ResolvedLine
    let fileLine: Int?
    let template: CompiledTemplate?
    let area: AddressArea?
    /// Every field the letter reads (`Preflight.run`), each once.
    let usedFields: [String]
    let contactsPath: String
    /// The letter is laid out and its window measured (`LayoutChecks`): no estimate here.
    let measured: Bool

    func findings() -> [PreflightFinding] {
        let record = MergeRecord(line.mergeFields)
        var found: [PreflightFinding] = []
        func add(_ severity: PreflightSeverity, _ area: PreflightArea, _ field: String?, _ message: String) {
            found.append(PreflightFinding(severity, area, field, message, on: line, fileLine: fileLine))
        }
        let fix = "correct it for contact \(line.contact.no) in \(contactsPath) (or in the segment line)"

        if line.correspondenceType == .email {
            if !PreflightRules.isValidEmail(line.contact.email) {
                add(
                    .error, .email, "Email",
                    "the e-mail address \"\(line.contact.email)\" is not valid; correct Email for contact \(line.contact.no) in \(contactsPath)")
            }
        }

        // Merged values that look like placeholders.
        var reportedValues = Set<String>()
        for used in usedFields {
            guard var value = record[used], let why = PreflightRules.placeholder(value) else { continue }
            // An «AddressLineN» placeholder comes from a contact column: name that column.
            var name = used
            if used.lowercased().hasPrefix("addressline"),
                let column = ["FullName", "CompanyName", "Address", "Address2", "PostCode", "City", "County"].first(where: {
                    record[$0].map { PreflightRules.placeholder($0) != nil } ?? false
                })
            {
                name = column
                value = record[column] ?? value
            }
            guard reportedValues.insert(name.lowercased()).inserted else { continue }
            add(.error, .value, name, "merge field \(name) is \"\(value)\", \(why); \(fix)")
        }

        if let template {
            for greeting in template.matchedFields where greeting.keyword == "GREETINGLINE" {
                let names = greeting.tokens.filter { ![.before, .after].contains($0.token) }
                guard !names.isEmpty, names.allSatisfy({ value(of: $0, in: record).isEmpty }) else { continue }
                let columns = names.compactMap { $0.columns.first }.joined(separator: ", ")
                add(
                    .warning, .greeting, nil,
                    "GREETINGLINE uses its fallback greeting (no name: \(columns) empty); fill in the name for contact \(line.contact.no) "
                        + "in \(contactsPath) if the letter should greet a person")
            }
        }

        if let area {
            var empty = Set<String>()
            for field in area.runningTextFields where empty.insert(field.name.lowercased()).inserted {
                guard let value = record[field.name], PreflightRules.isBlank(value) else { continue }
                add(
                    .warning, .runningText, field.name,
                    "merge field \(field.name) is empty but the letter prints it in running text (\"\(AddressArea.excerpt(field.paragraph, around: field.name))\"); "
                        + "fill it in for contact \(line.contact.no) in \(contactsPath), or change the template (an IF field or a \\b switch)")
            }
            if line.correspondenceType != .email, area.template != nil { addressFindings(area: area, record: record, add: add) }
        }
        return found
    }

    private func value(of token: MatchedFieldUse.TokenColumn, in record: MergeRecord) -> String {
        for column in token.columns {
            if let value = record[column] { return PreflightRules.isBlank(value) ? "" : value }
        }
        return ""
    }

    private func addressFindings(
        area: AddressArea, record: MergeRecord, add: (PreflightSeverity, PreflightArea, String?, String) -> Void
    ) {
        // What an address needs: a name, a street, a post code and a city, for each that the
        // block prints (by MERGEFIELD or ADDRESSBLOCK token).
        let fields = Set(area.fieldNames.map { $0.lowercased() })
        let tokens = template?.matchedFields.filter { $0.keyword == "ADDRESSBLOCK" }.flatMap(\.tokens) ?? []
        // «AddressLine1» … «AddressLine8» are made from the contact's name, street, post code and city.
        let correspondence = fields.contains { $0.hasPrefix("addressline") }
        func slot(_ names: [String], _ addressTokens: [AddressToken]) -> [String]? {
            let used = names.filter { fields.contains($0.lowercased()) } + tokens.filter { addressTokens.contains($0.token) }.compactMap(\.columns.first)
            return used.isEmpty ? (correspondence ? names : nil) : used
        }
        let required: [(what: String, names: [String]?)] = [
            ("no recipient name", slot(["FullName", "Surname", "FirstName", "CompanyName"], [.last0, .first0, .company])),
            ("no street", slot(["Address"], [.street1])),
            ("no post code", slot(["PostCode"], [.postal])),
            ("no city", slot(["City"], [.city])),
        ]
        for (what, names) in required {
            guard let names, names.allSatisfy({ PreflightRules.isBlank(record[$0] ?? "") }) else { continue }
            let listed = names.joined(separator: ", ")
            add(
                .error, .addressBlock, names.first,
                "the address block has \(what): \(listed) \(names.count == 1 ? "is" : "are") empty; fill \(names.count == 1 ? "it" : "one") in "
                    + "for contact \(line.contact.no) in \(contactsPath)")
        }

        let lines = area.lines(for: record)
        for (number, text) in lines.enumerated() where !text.contains(where: { $0.isLetter || $0.isNumber }) {
            add(
                .error, .addressBlock, nil,
                "line \(number + 1) of the address block is empty (\"\(text)\"); fill in the values it prints for contact \(line.contact.no) "
                    + "in \(contactsPath)")
        }
        if let window = line.template.window, !measured {
            if lines.count > window.lines {
                add(
                    .error, .window, nil,
                    "the address block has \(lines.count) lines, the \(window.name) window shows \(window.lines); shorten the address of "
                        + "contact \(line.contact.no) (e.g. leave out JobTitle or Address2)")
            }
            let fits = window.estimatedCharactersPerLine
            for (number, text) in lines.enumerated() where text.count > fits {
                add(
                    .warning, .window, nil,
                    "address line \(number + 1) \"\(text)\" has \(text.count) characters, about \(fits) fit the \(window.name) window "
                        + "(\(Int(window.width)) mm, estimated from the character count); abbreviate it for contact \(line.contact.no)")
            }
        }
    }
}

/// Lines at the same postal address: the same person twice, or a household.
private enum Households {
    /// Findings by line index: on every line after the first at an address.
    static func findings(lines: [ResolvedLine], fileLine: (Int) -> Int?) -> [(Int, [PreflightFinding])] {
        var firstByAddress: [String: [Int]] = [:]
        var result: [(Int, [PreflightFinding])] = []
        for (index, line) in lines.enumerated() where line.correspondenceType != .email {
            let contact = line.contact
            guard !PreflightRules.isBlank(contact.address) else { continue }
            let key = [
                PreflightRules.normalized(contact.address + " " + contact.address2),
                PreflightRules.normalized(contact.postCode).replacingOccurrences(of: " ", with: ""),
                PreflightRules.normalized(contact.city), PreflightRules.normalized(contact.countryRegionCode),
            ].joined(separator: "|")
            let earlier = firstByAddress[key, default: []]
            firstByAddress[key, default: []].append(index)
            guard let first = earlier.first else { continue }
            let name = personName(contact)
            let place = "\(contact.address), \(contact.postCode) \(contact.city)"
            if let same = earlier.first(where: { personName(lines[$0].contact) == name }) {
                let other = lines[same]
                result.append(
                    (
                        index,
                        [
                            PreflightFinding(
                                severity: .warning, lineNo: line.lineNo, fileLine: fileLine(index), contactNo: contact.no, area: .duplicate,
                                field: nil,
                                message: "the same contact as line \(other.lineNo) (contact \(other.contact.no)): same name and address "
                                    + "(\(place)); remove one of the lines or merge the contacts")
                        ]
                    ))
            } else {
                let other = lines[first]
                result.append(
                    (
                        index,
                        [
                            PreflightFinding(
                                severity: .info, lineNo: line.lineNo, fileLine: fileLine(index), contactNo: contact.no, area: .household,
                                field: nil,
                                message: "same postal address as line \(other.lineNo) (contact \(other.contact.no)): \(place); consider one "
                                    + "letter per household")
                        ]
                    ))
            }
        }
        return result
    }

    /// The name a letter goes to, compared loosely: the person's name, else the company's.
    private static func personName(_ contact: Contact) -> String {
        PreflightRules.normalized(contact.fullName.isEmpty ? contact.companyName : contact.fullName)
    }
}
