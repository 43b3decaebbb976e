import Foundation
import MergeEngine
import Segments

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
        var diagnostics: [Diagnostic] = []
        for index in lines.indices {
            let line = lines[index]
            var fields = fields(for: line.contact, language: line.languageCode, setup: setup)
            let code = salutationCode(of: line.contact)
            if !setup.hasSalutations {
                // No salutations file: the salutations are not merged, so a letter that uses them is refused by the field check.
                fields["FormalSalutation"] = nil
                fields["InformalSalutation"] = nil
            } else if !code.isEmpty {
                if let salutation = setup.salutation(code: code, for: line.contact, language: line.languageCode) {
                    fields["FormalSalutation"] = salutation.formal
                    fields["InformalSalutation"] = salutation.informal
                } else if reported.insert(code.uppercased()).inserted {
                    diagnostics.append(
                        Diagnostic(
                            source: source,
                            message: "contact \(line.contact.no): salutation code '\(code)' is not in \(templatesDirectory)/"
                                + "\(CorrespondenceSetup.salutationsFile); add it there or fix the contact's \(salutationCodeColumn)"))
                }
            }
            lines[index].correspondenceFields = fields
        }
        return diagnostics
    }

    /// The contact's `SalutationCode` column (any case), else empty.
    static func salutationCode(of contact: Contact) -> String {
        contact.extra.first { $0.key.caseInsensitiveCompare(salutationCodeColumn) == .orderedSame }?.value.trimmingCharacters(in: .whitespaces) ?? ""
    }

    /// Every field but the salutations (empty until a code provides them).
    static func fields(for contact: Contact, language: String, setup: CorrespondenceSetup) -> [String: String] {
        let code = contact.countryRegionCode.trimmingCharacters(in: .whitespaces).uppercased()
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
        if foreign { lines.append(name.uppercased(with: Locale(identifier: language.isEmpty ? "en" : language.lowercased()))) }
        lines = lines.map(\.trimmingBlanks).filter { !$0.isEmpty }
        var fields = ["FormalSalutation": "", "InformalSalutation": "", "CountryRegionName": name]
        for number in 1...lineCount {
            fields["AddressLine\(number)"] = number <= lines.count ? lines[number - 1] : ""
        }
        // More lines than eight (very long addresses): the last line keeps the rest, so nothing is lost.
        if lines.count > lineCount { fields["AddressLine\(lineCount)"] = lines[(lineCount - 1)...].joined(separator: ", ") }
        return fields
    }

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
    fileprivate var trimmingBlanks: String {
        func blank(_ c: Character) -> Bool { c.unicodeScalars.allSatisfy { $0 == "\t" || $0.properties.generalCategory == .spaceSeparator } }
        var slice = Substring(self)
        while let first = slice.first, blank(first) { slice.removeFirst() }
        while let last = slice.last, blank(last) { slice.removeLast() }
        return String(slice)
    }
}
