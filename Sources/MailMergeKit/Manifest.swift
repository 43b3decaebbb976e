import Segments

/// The manifest of a logged segment: one row per line, for print shops and audits.
enum Manifest {
    static let header = [
        "line_no", "contact_no", "contact_name", "company_name", "template_code",
        "language_code", "correspondence_type", "document", "sha256",
    ]

    /// Writes the manifest of `letters`.
    static func write(_ letters: [Letter], to path: String) throws(MailMergeError) {
        let rows = letters.map { letter in
            let line = letter.line
            return [
                String(line.lineNo), line.contact.no, line.contact.fullName, line.contact.companyName,
                line.template.code, line.languageCode, line.correspondenceType.rawValue,
                String(letter.path.split(separator: "/").last ?? ""), letter.sha256,
            ]
        }
        try CSVTable.write(header: header, rows: rows, to: path)
    }
}
