import Foundation

/// Checks of e-mails and PDFs with the tools a user would use: Python's `email` package,
/// poppler's `pdftotext`.
extension ExternalCheck {
    /// A Python 3 (`/usr/bin/python3`, else the first on the PATH).
    static let python: URL? = FileManager.default.isExecutableFile(atPath: "/usr/bin/python3")
        ? URL(fileURLWithPath: "/usr/bin/python3") : Process.which("python3")

    /// What Python's `email` package makes of an `.eml` file.
    struct ParsedEmail: Decodable {
        struct Attachment: Decodable {
            var filename: String?
            var contentType: String
            /// The decoded content's first bytes, as Latin-1 text (`%PDF`, `PK`).
            var head: String
            var size: Int
        }
        var to: [String]
        var toName: String
        var from: String
        var subject: String
        var date: String
        var body: String
        var attachments: [Attachment]
        var defects: Int
    }

    /// Parses each `.eml` with Python's `email` package (modern policy, strict about defects).
    static func parseEmails(_ files: [URL]) throws -> [ParsedEmail] {
        guard let python else { throw CheckError("no python3 to parse the e-mails") }
        let script = """
            import sys, json, email, email.policy
            out = []
            for path in sys.argv[1:]:
                with open(path, 'rb') as f:
                    m = email.message_from_binary_file(f, policy=email.policy.default)
                to = m['To']
                atts = []
                for part in m.iter_attachments():
                    content = part.get_content()
                    atts.append({'filename': part.get_filename(), 'contentType': part.get_content_type(),
                                 'head': content[:4].decode('latin-1'), 'size': len(content)})
                body = m.get_body(('plain',))
                defects = len(m.defects) + sum(len(p.defects) for p in m.walk())
                out.append({'to': [a.addr_spec for a in to.addresses], 'toName': to.addresses[0].display_name,
                            'from': str(m['From']), 'subject': str(m['Subject']), 'date': str(m['Date']),
                            'body': body.get_content() if body else '', 'attachments': atts, 'defects': defects})
            print(json.dumps(out))
            """
        let result = try Process.capture(python, ["-c", script] + files.map(\.path))
        guard result.status == 0 else { throw CheckError("Python's email package failed: \(result.stderr)") }
        return try JSONDecoder().decode([ParsedEmail].self, from: Data(result.stdout.utf8))
    }

    /// The text of each page of `pdf` (pdftotext, pages split at form feeds).
    static func pdfPages(_ pdf: URL) throws -> [String] {
        guard let pdftotext else { throw CheckError("pdftotext missing (apt-get install poppler-utils)") }
        let result = try Process.capture(pdftotext, ["-layout", pdf.path, "-"])
        guard result.status == 0 else { throw CheckError("pdftotext failed: \(result.stderr)") }
        var pages = result.stdout.components(separatedBy: "\u{0C}")
        if pages.last?.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty == true { pages.removeLast() }
        return pages
    }
}
