import Foundation

/// Maps the columns of a contacts CSV to contact fields.
struct ContactColumns {
    /// The standard columns, by lowercased merge field name, with their position.
    private let standard: [String: Int]
    /// The other columns: original header name and position.
    private let extra: [(name: String, index: Int)]

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
    }

    var hasContactNo: Bool { standard["contactno"] != nil }

    /// The contact described by one record, or the problems with it.
    func contact(from values: [String]) -> Result<Contact, ValidationProblems> {
        func field(_ name: String) -> String {
            guard let index = standard[name.lowercased()] else { return "" }
            let value = values[index]
            // Most values need no trimming; Foundation's trimming is slow enough to show in profiles.
            guard let first = value.unicodeScalars.first, let last = value.unicodeScalars.last,
                first.properties.isWhitespace || last.properties.isWhitespace
            else { return value }
            return value.trimmingCharacters(in: .whitespaces)
        }
        var problems: [String] = []
        let no = field("ContactNo")
        if no.isEmpty {
            problems.append("the contact has no ContactNo; every contact needs a unique number")
        }
        var correspondenceType: CorrespondenceType?
        let correspondenceText = field("CorrespondenceType")
        if !correspondenceText.isEmpty {
            correspondenceType = CorrespondenceType.parse(correspondenceText)
            if correspondenceType == nil {
                problems.append("CorrespondenceType " + CorrespondenceType.invalidMessage(correspondenceText) + " (or leave it empty)")
            }
        }
        let typeText = field("ContactType")
        var kind: Contact.Kind = field("FirstName").isEmpty && field("Surname").isEmpty ? .company : .person
        if !typeText.isEmpty {
            if let parsed = Contact.Kind.allCases.first(where: { $0.rawValue.lowercased() == typeText.lowercased() }) {
                kind = parsed
            } else {
                problems.append("ContactType '\(typeText)' is not a contact type; use Company or Person")
            }
        }
        guard problems.isEmpty else {
            return .failure(ValidationProblems(messages: problems))
        }
        var extraValues: [String: String] = [:]
        for (name, index) in extra {
            extraValues[name] = values[index]
        }
        return .success(
            Contact(
                no: no, type: kind, companyNo: field("CompanyNo"), companyName: field("CompanyName"),
                salutation: field("Salutation"), firstName: field("FirstName"), middleName: field("MiddleName"),
                surname: field("Surname"), jobTitle: field("JobTitle"), address: field("Address"),
                address2: field("Address2"), postCode: field("PostCode"), city: field("City"),
                county: field("County"), countryRegionCode: field("CountryRegionCode"), phone: field("Phone"),
                email: field("Email"), languageCode: field("LanguageCode"), correspondenceType: correspondenceType,
                salespersonCode: field("SalespersonCode"), extra: extraValues))
    }
}

/// Messages about one record, to be located by the caller.
struct ValidationProblems: Error {
    var messages: [String]
}
