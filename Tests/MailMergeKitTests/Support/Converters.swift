import Foundation

/// External checkers a user's tools would apply: python-docx, LibreOffice, pdftotext.
enum ExternalCheck {
    /// A Python that can `import docx` (Debian's python3-docx or a pip install), if any.
    static let pythonWithDocx: URL? = {
        for path in ["/usr/bin/python3", Process.which("python3")?.path].compactMap({ $0 }) {
            let url = URL(fileURLWithPath: path)
            if let result = try? Process.capture(url, ["-c", "import docx"]), result.status == 0 { return url }
        }
        return nil
    }()

    /// LibreOffice's `soffice`, if installed.
    static let soffice: URL? = Process.which("soffice")
    /// poppler's `pdftotext`, if installed.
    static let pdftotext: URL? = Process.which("pdftotext")

    /// Opens every document with python-docx and returns, per document, the text python-docx
    /// sees in body paragraphs, tables, headers and footers. Throws when a document does not open.
    static func pythonDocxText(_ documents: [URL]) throws -> [String] {
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
        let result = try Process.capture(python, ["-c", script] + documents.map(\.path))
        guard result.status == 0 else { throw CheckError("python-docx failed: \(result.stderr)") }
        return try JSONDecoder().decode([String].self, from: Data(result.stdout.utf8))
    }

    /// Converts documents to PDF with LibreOffice (one call, a private profile) and returns
    /// each PDF's text from pdftotext, in the order given.
    static func pdfText(_ documents: [URL]) throws -> [String] {
        guard let soffice, let pdftotext else {
            throw CheckError("LibreOffice or pdftotext missing (apt-get install libreoffice-writer-nogui poppler-utils)")
        }
        let outDir = try Paths.temporaryDirectory("pdf")
        let profile = try Paths.temporaryDirectory("lo-profile")
        let result = try Process.capture(soffice, ["-env:UserInstallation=file://\(profile.path)", "--headless",
                                                   "--convert-to", "pdf", "--outdir", outDir.path] + documents.map(\.path))
        guard result.status == 0 else { throw CheckError("LibreOffice failed: \(result.stderr)") }
        return try documents.map { doc in
            let pdf = outDir.appendingPathComponent(doc.deletingPathExtension().lastPathComponent + ".pdf")
            guard FileManager.default.fileExists(atPath: pdf.path) else {
                throw CheckError("LibreOffice did not convert \(doc.lastPathComponent): \(result.stdout) \(result.stderr)")
            }
            let text = try Process.capture(pdftotext, ["-layout", pdf.path, "-"])
            return text.stdout
        }
    }

    struct CheckError: Error, CustomStringConvertible {
        var description: String
        init(_ description: String) { self.description = description }
    }
}
