import Foundation
import MergeEngine
import Segments
import Synchronization

/// The salutations and address lines Business Central gives a contact, merged as
/// `FormalSalutation`, `InformalSalutation`, `AddressLine1`…`AddressLine8` and `CountryRegionName`.
///
/// Salutations come from the contact's `SalutationCode` column and `salutations.yaml`, in the
/// line's language. The address lines are: the person's name, the company name, the street lines,
/// the locality lines in the country's layout (`countries.yaml`; by default the destination
/// country's postal layout, the ADDRESSBLOCK `\d` table), the county line when the country prints
/// it, and for a foreign address the country's name in the line's language IN CAPITALS (nothing
/// for `ownCountry` in `setup.yaml`); empty lines are left out, the rest of the eight are empty.
enum CorrespondenceFields {
    /// The contacts CSV column with the salutation code.
    static let salutationCodeColumn = "SalutationCode"
    static let lineCount = 8

    /// Fills `correspondenceFields` of every line from the files in `templatesDirectory`;
    /// throws every problem (a bad file, an unknown salutation code) at once.
    static func apply(to lines: inout [ResolvedLine], templatesDirectory: String, source: String) throws(MailMergeError) {
        let setup = try setup(templatesDirectory: templatesDirectory)
        var reported = Set<String>()
        let diagnostics = apply(to: &lines, setup: setup, templatesDirectory: templatesDirectory, source: source, reported: &reported)
        if !diagnostics.isEmpty { throw .validation(diagnostics) }
    }

    /// The salutations, countries and setup in `templatesDirectory`.
    static func setup(templatesDirectory: String) throws(MailMergeError) -> CorrespondenceSetup {
        do { return try CorrespondenceSetup.load(directory: templatesDirectory) } catch { throw .validation(error.diagnostics) }
    }

    /// Fills `correspondenceFields` of `lines` (a batch of a segment's lines) from `setup`; returns the problems
    /// (an unknown salutation code, each once: `reported` holds the codes reported in earlier batches).
    static func apply(
        to lines: inout [ResolvedLine], setup: CorrespondenceSetup, templatesDirectory: String, source: String, reported: inout Set<String>
    ) -> [Diagnostic] {
        // Each line's fields on its own (on every core: a run checks its lines before anything else can start); the
        // unknown codes are then reported in line order, each once.
        var unknownCodes = [String?](repeating: nil, count: lines.count)
        let count = lines.count
        let workers = max(1, min(ProcessInfo.processInfo.activeProcessorCount, count / 64))
        lines.withUnsafeMutableBufferPointer { buffer in
            unknownCodes.withUnsafeMutableBufferPointer { codes in
                // Each worker writes only its own indices of the two buffers, which outlive `concurrentPerform`.
                let shared = SharedBuffers(lines: buffer, unknownCodes: codes)
                DispatchQueue.concurrentPerform(iterations: workers) { worker in
                    for index in stride(from: worker, to: count, by: workers) {
                        shared.unknownCodes[index] = fill(&shared.lines[index], setup: setup)
                    }
                }
            }
        }
        var diagnostics: [Diagnostic] = []
        for (index, code) in unknownCodes.enumerated() {
            guard let code, reported.insert(code.uppercased()).inserted else { continue }
            diagnostics.append(
                Diagnostic(
                    source: source,
                    message: "contact \(lines[index].contact.no): salutation code '\(code)' is not in \(templatesDirectory)/"
                        + "\(CorrespondenceSetup.salutationsFile); add it there or fix the contact's \(salutationCodeColumn)"))
        }
        return diagnostics
    }

    /// Fills `line`'s correspondence fields from `setup`; returns its salutation code when `setup` has no such code.
    /// The line is changed in place, not copied: a copy of a whole `ResolvedLine` per line showed in log-segment's profiles.
    private static func fill(_ line: inout ResolvedLine, setup: CorrespondenceSetup) -> String? {
        var fields = fields(for: line.contact, language: line.languageCode, setup: setup)
        let code = salutationCode(of: line.contact)
        var unknown: String?
        if !setup.hasSalutations {
            // No salutations file: the salutations are not merged, so a letter that uses them is refused by the field check.
            fields["FormalSalutation"] = nil
            fields["InformalSalutation"] = nil
        } else if !code.isEmpty {
            if let salutation = setup.salutation(code: code, for: line.contact, language: line.languageCode) {
                fields["FormalSalutation"] = salutation.formal
                fields["InformalSalutation"] = salutation.informal
            } else {
                unknown = code
            }
        }
        line.correspondenceFields = fields
        return unknown
    }

    /// The buffers `apply` fills on several threads, each index by one of them.
    private struct SharedBuffers: @unchecked Sendable {
        let lines: UnsafeMutableBufferPointer<ResolvedLine>
        let unknownCodes: UnsafeMutableBufferPointer<String?>
    }

    /// The contact's `SalutationCode` column (any case), else empty.
    static func salutationCode(of contact: Contact) -> String {
        // Compared byte by byte (ASCII, ignoring case): this runs for every line, and Foundation's comparison showed in profiles.
        let column = salutationCodeColumn.utf8
        func isColumn(_ key: String) -> Bool {
            key.utf8.count == column.count && zip(key.utf8, column).allSatisfy { $0 | 0x20 == $1 | 0x20 }
        }
        return contact.extra.first { isColumn($0.key) }?.value.trimmingBlanks ?? ""
    }

    /// Every field but the salutations (empty until a code provides them).
    static func fields(for contact: Contact, language: String, setup: CorrespondenceSetup) -> [String: String] {
        let code = contact.countryRegionCode.trimmingBlanks.uppercased()
        let country = setup.countries[code]
        let name =
            code.isEmpty ? "" : country?.name(in: language) ?? PostalAddress.countryName(code, language: language) ?? code
        var lines: [String] = []
        // The name, then the company a person works for (a company contact's name is its company name).
        if contact.type == .person { lines.append(contact.fullName) }
        lines.append(contact.companyName)
        lines += [contact.address, contact.address2]
        lines += locality(contact, code: code, country: country)
        let foreign = !code.isEmpty && code != setup.ownCountry
        if foreign { lines.append(capitals(name, language: language)) }
        lines = lines.map(\.trimmingBlanks).filter { !$0.isEmpty }
        var fields: [String: String] = [:]
        fields.reserveCapacity(lineCount + 3)
        fields["FormalSalutation"] = ""
        fields["InformalSalutation"] = ""
        fields["CountryRegionName"] = name
        for (offset, key) in addressLineNames.enumerated() {
            fields[key] = offset < lines.count ? lines[offset] : ""
        }
        // More lines than eight (very long addresses): the last line keeps the rest, so nothing is lost.
        if lines.count > lineCount { fields[addressLineNames[lineCount - 1]] = lines[(lineCount - 1)...].joined(separator: ", ") }
        return fields
    }

    /// `AddressLine1` … `AddressLine8`, made once rather than per line.
    private static let addressLineNames = (1...lineCount).map { "AddressLine\($0)" }

    /// A foreign country's name in capitals in `language`'s casing rules, made once per name and language (a run has
    /// few of them; Foundation's locale-aware upper-casing per line showed in profiles).
    private static func capitals(_ name: String, language: String) -> String {
        let key = language + "\u{0}" + name
        if let known = capitalNames.withLock({ $0[key] }) { return known }
        let upper = name.uppercased(with: Locale(identifier: language.isEmpty ? "en" : language.lowercased()))
        capitalNames.withLock { if $0.count < 4096 { $0[key] = upper } }
        return upper
    }

    private static let capitalNames = Mutex<[String: String]>([:])

    /// Post code, city and county as the country's address format says.
    private static func locality(_ contact: Contact, code: String, country: CorrespondenceSetup.Country?) -> [String] {
        let (postCode, city, county) = (contact.postCode, contact.city, contact.county)
        var lines: [String]
        var countyShown = false
        switch country?.addressFormat ?? .postal {
        case .postal:
            if let postal = PostalAddress.localityLines(country: code, postCode: postCode, city: city, county: county) {
                lines = postal
                countyShown = PostalAddress.layoutShowsCounty(country: code)
            } else {
                lines = [postCode + " " + city]
            }
        case .postCodeCity: lines = [postCode + " " + city]
        case .cityPostCode: lines = [city + " " + postCode]
        case .cityCountyPostCode:
            lines = [[city, county].filter { !$0.isEmpty }.joined(separator: ", ") + " " + postCode]
            countyShown = true
        }
        if country?.printCounty == true && !countyShown { lines.append(county) }
        return lines
    }
}

extension String {
    /// Without leading and trailing tabs and space separators (Unicode Zs): `trimmingCharacters(in: .whitespaces)`
    /// without Foundation's per-call cost, as this runs for every address line of every segment line.
    var trimmingBlanks: String {
        // Most values have nothing to trim: an ASCII first and last byte that is no tab or space says so.
        guard let head = utf8.first, let tail = utf8.last else { return self }
        if head < 0x80, head != 0x20, head != 0x09, tail < 0x80, tail != 0x20, tail != 0x09 { return self }
        func blank(_ c: Character) -> Bool { c.unicodeScalars.allSatisfy { $0 == "\t" || $0.properties.generalCategory == .spaceSeparator } }
        var slice = Substring(self)
        while let first = slice.first, blank(first) { slice.removeFirst() }
        while let last = slice.last, blank(last) { slice.removeLast() }
        return String(slice)
    }
}
