import Foundation

/// Maps the columns of a contacts CSV to contact fields.
struct ContactColumns {
    /// The standard columns, by lowercased merge field name, with their position.
    private let standard: [String: Int]
    /// The other columns: original header name and position.
    private let extra: [(name: String, index: Int)]
    /// Per name of `fieldNames` (same order), its column's position; -1 when the file has no such column. Looked up
    /// once here, not by a lowercased name per field per contact.
    private let positions: [Int]

    /// The contact field names a contacts CSV may use as columns.
    static let fieldNames = [
        "ContactNo", "ContactType", "CompanyNo", "CompanyName", "Salutation", "FirstName", "MiddleName",
        "Surname", "JobTitle", "Address", "Address2", "PostCode", "City", "County", "CountryRegionCode",
        "Phone", "Email", "LanguageCode", "CorrespondenceType", "SalespersonCode",
    ]

    init(header: [String]) {
        let known = Set(Self.fieldNames.map { $0.lowercased() })
        var standard: [String: Int] = [:]
        var extra: [(String, Int)] = []
        for (index, name) in header.enumerated() {
            if known.contains(name.lowercased()) {
                standard[name.lowercased()] = index
            } else {
                extra.append((name, index))
            }
        }
        self.standard = standard
        self.extra = extra
        positions = Self.fieldNames.map { standard[$0.lowercased()] ?? -1 }
    }

    var hasContactNo: Bool { standard["contactno"] != nil }

    /// The contact described by one record, or the problems with it.
    func contact(from values: [String]) -> Result<Contact, ValidationProblems> {
        // By position in `fieldNames`.
        func field(_ position: Int) -> String {
            let index = positions[position]
            return index < 0 ? "" : Self.trimmed(values[index])
        }
        var problems: [String] = []
        let no = field(0)  // ContactNo
        if no.isEmpty {
            problems.append("the contact has no ContactNo; every contact needs a unique number")
        }
        var correspondenceType: CorrespondenceType?
        let correspondenceText = field(18)  // CorrespondenceType
        if !correspondenceText.isEmpty {
            correspondenceType = CorrespondenceType.parse(correspondenceText)
            if correspondenceType == nil {
                problems.append("CorrespondenceType " + CorrespondenceType.invalidMessage(correspondenceText) + " (or leave it empty)")
            }
        }
        let typeText = field(1)  // ContactType
        let firstName = field(5)
        let surname = field(7)
        var kind: Contact.Kind = firstName.isEmpty && surname.isEmpty ? .company : .person
        if !typeText.isEmpty {
            if let parsed = Self.kind(typeText) {
                kind = parsed
            } else {
                problems.append("ContactType '\(typeText)' is not a contact type; use Company or Person")
            }
        }
        guard problems.isEmpty else {
            return .failure(ValidationProblems(messages: problems))
        }
        var extraValues: [String: String] = [:]
        extraValues.reserveCapacity(extra.count)
        for (name, index) in extra {
            extraValues[name] = values[index]
        }
        return .success(
            Contact(
                no: no, type: kind, companyNo: field(2), companyName: field(3),
                salutation: field(4), firstName: firstName, middleName: field(6),
                surname: surname, jobTitle: field(8), address: field(9),
                address2: field(10), postCode: field(11), city: field(12),
                county: field(13), countryRegionCode: field(14), phone: field(15),
                email: field(16), languageCode: field(17), correspondenceType: correspondenceType,
                salespersonCode: field(19), extra: extraValues))
    }

    /// `value` without leading and trailing tabs and space separators when its first or last character is white space
    /// (Foundation's `trimmingCharacters(in: .whitespaces)`); most values need no trimming, which their first and last
    /// byte tell when both are ASCII (no Unicode property lookup, no Foundation call).
    static func trimmed(_ value: String) -> String {
        guard let head = value.utf8.first, let tail = value.utf8.last else { return value }
        if head < 0x80, tail < 0x80, !isASCIIWhitespace(head), !isASCIIWhitespace(tail) { return value }
        guard let first = value.unicodeScalars.first, let last = value.unicodeScalars.last,
            first.properties.isWhitespace || last.properties.isWhitespace
        else { return value }
        return value.trimmingCharacters(in: .whitespaces)
    }

    /// The ASCII characters with Unicode's White_Space property: tab, line feed, vertical tab, form feed, carriage return, space.
    private static func isASCIIWhitespace(_ byte: UInt8) -> Bool { byte == 0x20 || (byte >= 0x09 && byte <= 0x0D) }

    /// The contact type `text` names, ignoring case; nil when none does.
    static func kind(_ text: String) -> Contact.Kind? {
        if text.utf8.allSatisfy({ $0 < 0x80 }) {
            // ASCII: compared byte by byte (the raw values are ASCII letters), not through two lowercased strings.
            return Contact.Kind.allCases.first { kind in
                kind.rawValue.utf8.count == text.utf8.count && zip(kind.rawValue.utf8, text.utf8).allSatisfy { $0 | 0x20 == $1 | 0x20 }
            }
        }
        return Contact.Kind.allCases.first { $0.rawValue.lowercased() == text.lowercased() }
    }
}

/// Messages about one record, to be located by the caller.
struct ValidationProblems: Error {
    var messages: [String]
}
