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

    /// What the print run keeps of a printed letter's line: what its manifest row, its sort keys and its outline
    /// entry need, not the whole `ResolvedLine` (a print run of 10,000 letters held 10,000 of those several times).
    struct Letter: Sendable {
        var lineNo: Int
        var contactNo: String
        /// The contact's full name, or its company's name.
        var name: String
        /// The postal block (`addressLines`), at most 7 lines.
        var address: [String]
        var postCode: String
        var countryRegionCode: String
        var paper: Paper

        init(_ line: ResolvedLine) {
            lineNo = line.lineNo
            contactNo = line.contact.no
            name = line.contact.fullName.isEmpty ? line.contact.companyName : line.contact.fullName
            address = Array(addressLines(line.contact).prefix(7))
            postCode = line.contact.postCode
            countryRegionCode = line.contact.countryRegionCode
            paper = line.template.paper ?? .standard
        }

        /// "line 10000 (contact CT000001)", for messages.
        var label: String { "line \(lineNo) (contact \(contactNo))" }
    }

    /// One letter of a print document.
    struct Row {
        var document: String
        var pdf: String?
        var sequence: Int
        var placement: PrintRunPDF.Placement?
        var letter: Letter

        init(document: String, pdf: String?, sequence: Int, placement: PrintRunPDF.Placement?, letter: Letter) {
            self.document = document
            self.pdf = pdf
            self.sequence = sequence
            self.placement = placement
            self.letter = letter
        }

        init(document: String, pdf: String?, sequence: Int, placement: PrintRunPDF.Placement?, line: ResolvedLine) {
            self.init(document: document, pdf: pdf, sequence: sequence, placement: placement, letter: Letter(line))
        }

        var cells: [String] {
            let address = letter.address + Array(repeating: "", count: max(0, 7 - letter.address.count))
            let pages = placement?.pages
            var cells: [String] = [document, pdf ?? "", String(sequence)]
            cells += [pages.map { String($0.lowerBound) } ?? "", pages.map { String($0.upperBound) } ?? "", pages.map { String($0.count) } ?? ""]
            cells += [String(letter.lineNo), letter.contactNo]
            cells += address
            cells += [letter.postCode, letter.countryRegionCode]
            cells += weight(placement, paper: letter.paper)
            return cells
        }
    }

    /// Writes the rows as they come (row by row, atomically), so no table of every row's cells is held.
    static func write<Rows: Sequence<Row>>(_ rows: Rows, to path: String) throws(MailMergeError) {
        let writer = try CSVTable.FileWriter(path: path, header: header)
        for row in rows { try writer.append(row.cells) }
        try writer.finish()
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
