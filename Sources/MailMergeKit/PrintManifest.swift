import Segments

/// The print manifest (CSV) for inserting machines: one row per printed letter, in print
/// order, with its print document, its page range in that document's PDF (empty without
/// PDF output), the contact and the postal address.
enum PrintManifest {
    static let header = [
        "print_document", "pdf", "sequence", "first_page", "last_page", "pages", "line_no",
        "contact_no", "address_line_1", "address_line_2", "address_line_3", "address_line_4",
        "address_line_5", "address_line_6", "address_line_7", "post_code", "country_region_code",
    ]

    /// One letter of a print document.
    struct Row {
        var document: String
        var pdf: String?
        var sequence: Int
        var pages: ClosedRange<Int>?
        var line: ResolvedLine
    }

    static func write(_ rows: [Row], to path: String) throws(MailMergeError) {
        try CSVTable.write(
            header: header,
            rows: rows.map { row in
                var address = addressLines(row.line.contact)
                address += Array(repeating: "", count: max(0, 7 - address.count))
                return [
                    row.document, row.pdf ?? "", String(row.sequence),
                    row.pages.map { String($0.lowerBound) } ?? "", row.pages.map { String($0.upperBound) } ?? "",
                    row.pages.map { String($0.count) } ?? "", String(row.line.lineNo), row.line.contact.no,
                ]
                    + address.prefix(7) + [row.line.contact.postCode, row.line.contact.countryRegionCode]
            }, to: path)
    }

    /// The postal block: person, company, street lines, post code and city, county, country.
    static func addressLines(_ contact: Contact) -> [String] {
        let person = contact.type == .person ? [contact.salutation, contact.fullName].filter { !$0.isEmpty }.joined(separator: " ") : ""
        let town = [contact.postCode, contact.city].filter { !$0.isEmpty }.joined(separator: " ")
        return [person, contact.companyName, contact.address, contact.address2, town, contact.county, contact.countryRegionCode]
            .filter { !$0.isEmpty }
    }
}
