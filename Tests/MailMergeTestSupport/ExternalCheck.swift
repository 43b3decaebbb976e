import Foundation

/// External checkers a user's tools would apply: python-docx, LibreOffice, pdftotext, Python's
/// `email` package. Every one runs through `Program.run`, with a timeout.
public enum ExternalCheck {
    /// Seconds a Python or poppler check may take.
    public static let toolTimeout: Double = 120

    /// A Python 3 (`/usr/bin/python3`, else the first on the PATH).
    public static let python: URL? =
        FileManager.default.isExecutableFile(atPath: "/usr/bin/python3")
        ? URL(fileURLWithPath: "/usr/bin/python3") : Program.find("python3")

    /// A Python that can `import docx` (Debian's python3-docx or a pip install), if any.
    public static let pythonWithDocx: URL? = {
        for path in ["/usr/bin/python3", Program.find("python3")?.path].compactMap({ $0 }) {
            if let result = try? Program.run(path, ["-c", "import docx"], timeout: toolTimeout), result.status == 0 {
                return URL(fileURLWithPath: path)
            }
        }
        return nil
    }()

    /// LibreOffice's `soffice`, if installed.
    public static let soffice: URL? = Program.find("soffice")
    /// poppler's `pdftotext`, if installed.
    public static let pdftotext: URL? = Program.find("pdftotext")

    /// Opens every document with python-docx and returns, per document, the text python-docx
    /// sees in body paragraphs, tables, headers and footers. Throws when a document does not open.
    public static func pythonDocxText(_ documents: [URL]) throws -> [String] {
        guard let python = pythonWithDocx else { throw CheckError("no python3 with python-docx (apt-get install python3-docx)") }
        let script = """
            import sys, docx, json
            out = []
            for path in sys.argv[1:]:
                d = docx.Document(path)
                texts = [p.text for p in d.paragraphs]
                for t in d.tables:
                    for row in t.rows:
                        for cell in row.cells:
                            texts += [p.text for p in cell.paragraphs]
                for s in d.sections:
                    for part in (s.header, s.footer):
                        texts += [p.text for p in part.paragraphs]
                out.append("\\n".join(texts))
            print(json.dumps(out))
            """
        let result = try Program.run(
            python.path, ["-c", script], inputs: documents.map(\.path), requiresInputs: true,
            timeout: toolTimeout)
        guard result.status == 0 else { throw CheckError("python-docx failed: \(result.stderr)") }
        return try JSONDecoder().decode([String].self, from: Data(result.stdout.utf8))
    }

    /// Seconds LibreOffice may take for `count` documents (a first start with a new profile included).
    public static func libreOfficeTimeout(documents count: Int) -> Double { 120 + 15 * Double(count) }

    /// Converts documents to PDF with LibreOffice (one call, a private profile) and returns
    /// each PDF's text from pdftotext, in the order given. No documents: refused before LibreOffice starts.
    public static func pdfText(_ documents: [URL]) throws -> [String] {
        guard let soffice, let pdftotext else {
            throw CheckError("LibreOffice or pdftotext missing (apt-get install libreoffice-writer-nogui poppler-utils)")
        }
        let outDir = try TemporaryDirectory("pdf")
        let profile = try TemporaryDirectory("lo-profile")
        let result = try Program.run(
            soffice.path,
            [
                "-env:UserInstallation=\(profile.url.absoluteString)", "--headless", "--norestore",
                "--convert-to", "pdf", "--outdir", outDir.path,
            ],
            inputs: documents.map(\.path), requiresInputs: true,
            timeout: libreOfficeTimeout(documents: documents.count))
        guard result.status == 0 else { throw CheckError("LibreOffice failed: \(result.stderr)") }
        return try documents.map { doc in
            let pdf = outDir.path(doc.deletingPathExtension().lastPathComponent + ".pdf")
            guard FileManager.default.fileExists(atPath: pdf) else {
                throw CheckError("LibreOffice did not convert \(doc.lastPathComponent): \(result.stdout) \(result.stderr)")
            }
            return try Program.run(pdftotext.path, ["-layout"], inputs: [pdf], requiresInputs: true, trailing: ["-"], timeout: toolTimeout).stdout
        }
    }

    public struct CheckError: Error, CustomStringConvertible {
        public var description: String
        public init(_ description: String) { self.description = description }
    }
}
