import Foundation
import Segments

/// The print manifest (CSV) for inserting machines: one row per printed letter, in print
/// order, with its print document, its print file and page range in it, the blank pages after
/// it (duplex), its sheets and paper weight (these empty without PDF output), the contact and
/// the postal address.
enum PrintManifest {
    static let header = [
        "print_document", "pdf", "sequence", "first_page", "last_page", "pages", "line_no",
        "contact_no", "address_line_1", "address_line_2", "address_line_3", "address_line_4",
        "address_line_5", "address_line_6", "address_line_7", "post_code", "country_region_code",
        "blank_pages", "sheets", "weight_grams", "weight_class_grams",
    ]

    /// Postal weight steps in grams (the common letter classes: standard, compact, large, maxi, …);
    /// a letter's class is the first step its paper weight does not exceed.
    static let weightClasses = [20, 50, 100, 250, 500, 1000, 2000]

    /// One letter of a print document.
    struct Row {
        var document: String
        var pdf: String?
        var sequence: Int
        var placement: PrintRunPDF.Placement?
        var line: ResolvedLine
    }

    static func write(_ rows: [Row], to path: String) throws(MailMergeError) {
        try CSVTable.write(
            header: header,
            rows: rows.map { row in
                var address = addressLines(row.line.contact)
                address += Array(repeating: "", count: max(0, 7 - address.count))
                let pages = row.placement?.pages
                var cells: [String] = [row.document, row.pdf ?? "", String(row.sequence)]
                cells += [pages.map { String($0.lowerBound) } ?? "", pages.map { String($0.upperBound) } ?? "", pages.map { String($0.count) } ?? ""]
                cells += [String(row.line.lineNo), row.line.contact.no]
                cells += address.prefix(7)
                cells += [row.line.contact.postCode, row.line.contact.countryRegionCode]
                cells += weight(row.placement, paper: row.line.template.paper ?? .standard)
                return cells
            }, to: path)
    }

    /// blank_pages, sheets, weight_grams (the paper only, one decimal) and weight_class_grams.
    static func weight(_ placement: PrintRunPDF.Placement?, paper: Paper) -> [String] {
        guard let placement else { return ["", "", "", ""] }
        let grams = Double(placement.sheets) * placement.sheetArea * paper.weightGrams
        let rounded = (grams * 10).rounded() / 10
        let step = weightClasses.first { Double($0) >= rounded }.map(String.init) ?? "over \(weightClasses.last ?? 0)"
        return [String(placement.blankPages), String(placement.sheets), String(format: "%.1f", rounded), step]
    }

    /// The postal block: person, company, street lines, post code and city, county, country.
    static func addressLines(_ contact: Contact) -> [String] {
        let person = contact.type == .person ? [contact.salutation, contact.fullName].filter { !$0.isEmpty }.joined(separator: " ") : ""
        let town = [contact.postCode, contact.city].filter { !$0.isEmpty }.joined(separator: " ")
        return [person, contact.companyName, contact.address, contact.address2, town, contact.county, contact.countryRegionCode]
            .filter { !$0.isEmpty }
    }
}
