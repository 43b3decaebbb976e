import Foundation

/// Checks of e-mails and PDFs with the tools a user would use: Python's `email` package,
/// poppler's `pdftotext`.
extension ExternalCheck {
    /// What Python's `email` package makes of an `.eml` file.
    public struct ParsedEmail: Decodable, Sendable {
        public struct Attachment: Decodable, Sendable {
            public var filename: String?
            public var contentType: String
            /// The decoded content's first bytes, as Latin-1 text (`%PDF`, `PK`).
            public var head: String
            public var size: Int
        }
        public var to: [String]
        public var toName: String
        public var from: String
        public var subject: String
        public var date: String
        public var body: String
        public var attachments: [Attachment]
        public var defects: Int
    }

    /// Parses each `.eml` with Python's `email` package (modern policy, strict about defects).
    public static func parseEmails(_ files: [URL]) throws -> [ParsedEmail] {
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
        let result = try Program.run(python.path, ["-c", script], inputs: files.map(\.path), requiresInputs: true, timeout: toolTimeout)
        guard result.status == 0 else { throw CheckError("Python's email package failed: \(result.stderr)") }
        return try JSONDecoder().decode([ParsedEmail].self, from: Data(result.stdout.utf8))
    }

    /// The text of each page of `pdf` (pdftotext, pages split at form feeds).
    public static func pdfPages(_ pdf: URL) throws -> [String] {
        guard let pdftotext else { throw CheckError("pdftotext missing (apt-get install poppler-utils)") }
        let result = try Program.run(pdftotext.path, ["-layout"], inputs: [pdf.path], requiresInputs: true, trailing: ["-"], timeout: toolTimeout)
        guard result.status == 0 else { throw CheckError("pdftotext failed: \(result.stderr)") }
        var pages = result.stdout.components(separatedBy: "\u{0C}")
        if pages.last?.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty == true { pages.removeLast() }
        return pages
    }
}
