import Segments

/// The manifest of a logged segment: one row per line, for print shops and audits.
enum Manifest {
    static let header = [
        "line_no", "contact_no", "contact_name", "company_name", "template_code",
        "language_code", "correspondence_type", "document", "sha256",
    ]

    /// Writes the manifest of `letters`.
    static func write(_ letters: [Letter], to path: String) throws(MailMergeError) {
        let writer = try CSVTable.FileWriter(path: path, header: header)
        for letter in letters { try writer.append(row(letter.line, path: letter.path, sha256: letter.sha256)) }
        try writer.finish()
    }

    /// Writes the manifest of the lines that have a document, row by row.
    static func write<Lines: RandomAccessCollection<ResolvedLine>>(lines: Lines, documents: LineDocuments, to path: String) throws(MailMergeError)
    where Lines.Index == Int {
        let writer = try CSVTable.FileWriter(path: path, header: header)
        for index in lines.indices {
            guard let document = documents.path(index), let sha256 = documents.sha256(index) else { continue }
            try writer.append(row(lines[index], path: document, sha256: sha256))
        }
        try writer.finish()
    }

    private static func row(_ line: ResolvedLine, path: String, sha256: String) -> [String] {
        [
            String(line.lineNo), line.contact.no, line.contact.fullName, line.contact.companyName,
            line.template.code, line.languageCode, line.correspondenceType.rawValue,
            String(path.split(separator: "/").last ?? ""), sha256,
        ]
    }
}
