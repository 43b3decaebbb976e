import Segments

/// The manifest of a logged segment: one row per line, for print shops and audits.
enum Manifest {
    static let header = ["line_no", "contact_no", "contact_name", "company_name", "template_code",
                         "language_code", "correspondence_type", "document", "sha256"]

    /// Writes the manifest for `lines`, whose documents are `documents` with SHA-256 `digests`.
    static func write(lines: [ResolvedLine], documents: [String], digests: [String], to path: String) throws(MailMergeError) {
        let rows = zip(lines, zip(documents, digests)).map { line, document in
            [String(line.lineNo), line.contact.no, line.contact.fullName, line.contact.companyName,
             line.template.code, line.languageCode, line.correspondenceType.rawValue,
             String(document.0.split(separator: "/").last ?? ""), document.1]
        }
        try CSVTable.write(header: header, rows: rows, to: path)
    }
}
