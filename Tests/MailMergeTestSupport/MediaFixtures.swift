import Foundation
import Testing

/// Templates with picture and barcode fields as Word writes them, test pictures, and the checks
/// on them: poppler's `pdfimages`/`pdftoppm` and zbar's `zbarimg`, all through `Program.run`.
public enum MediaFixtures {
    static let wp = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
    static let a = "http://schemas.openxmlformats.org/drawingml/2006/main"
    static let pic = "http://schemas.openxmlformats.org/drawingml/2006/picture"
    static let r = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"

    /// A 1 × 1 GIF (the placeholder picture of the templates, and a GIF photo).
    public static let gif: [UInt8] = [
        0x47, 0x49, 0x46, 0x38, 0x39, 0x61, 0x01, 0x00, 0x01, 0x00, 0x80, 0x00, 0x00, 0xFF, 0xFF, 0xFF, 0x00, 0x00, 0x00, 0x21, 0xF9, 0x04,
        0x01, 0x00, 0x00, 0x00, 0x00, 0x2C, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00, 0x02, 0x02, 0x44, 0x01, 0x00, 0x3B,
    ]

    /// A complex field as Word writes it: `instruction` may hold nested fields (already XML), `result` is result runs.
    public static func complexField(_ instruction: String, result: String) -> String {
        "<w:r><w:fldChar w:fldCharType=\"begin\"/></w:r>\(instruction)<w:r><w:fldChar w:fldCharType=\"separate\"/></w:r>\(result)"
            + "<w:r><w:fldChar w:fldCharType=\"end\"/></w:r>"
    }

    public static func instruction(_ text: String) -> String { "<w:r><w:instrText xml:space=\"preserve\">\(text)</w:instrText></w:r>" }

    public static func mergeField(_ name: String) -> String {
        complexField(instruction(" MERGEFIELD \(name) "), result: "<w:r><w:rPr><w:noProof/></w:rPr><w:t>«\(name)»</w:t></w:r>")
    }

    /// Word's inline placeholder picture of `cx` × `cy` EMU showing relationship `rId9` (the template's GIF).
    public static func placeholderDrawing(cx: Int, cy: Int) -> String {
        "<w:r><w:rPr><w:noProof/></w:rPr><w:drawing><wp:inline distT=\"0\" distB=\"0\" distL=\"0\" distR=\"0\">"
            + "<wp:extent cx=\"\(cx)\" cy=\"\(cy)\"/><wp:effectExtent l=\"0\" t=\"0\" r=\"0\" b=\"0\"/><wp:docPr id=\"1\" name=\"Picture 1\"/>"
            + "<wp:cNvGraphicFramePr><a:graphicFrameLocks noChangeAspect=\"1\"/></wp:cNvGraphicFramePr>"
            + "<a:graphic><a:graphicData uri=\"\(pic)\"><pic:pic><pic:nvPicPr><pic:cNvPr id=\"0\" name=\"placeholder.gif\"/><pic:cNvPicPr/></pic:nvPicPr>"
            + "<pic:blipFill><a:blip r:embed=\"rId9\"/><a:stretch><a:fillRect/></a:stretch></pic:blipFill>"
            + "<pic:spPr><a:xfrm><a:off x=\"0\" y=\"0\"/><a:ext cx=\"\(cx)\" cy=\"\(cy)\"/></a:xfrm><a:prstGeom prst=\"rect\"><a:avLst/></a:prstGeom></pic:spPr>"
            + "</pic:pic></a:graphicData></a:graphic></wp:inline></w:drawing></w:r>"
    }

    /// `INCLUDEPICTURE "{ MERGEFIELD column }" \d \* MERGEFORMATINET` with a `cx` × `cy` placeholder picture, as Word writes it.
    public static func includePicture(_ column: String, cx: Int = 1_828_800, cy: Int = 1_828_800) -> String {
        complexField(
            instruction(" INCLUDEPICTURE  \"") + mergeField(column) + instruction("\" \\d \\* MERGEFORMATINET "),
            result: placeholderDrawing(cx: cx, cy: cy))
    }

    /// A letter: `paragraphs` (XML of runs, one paragraph each) on an A4 page with 2.5 cm margins.
    public static func template(_ paragraphs: [String], to url: URL) throws {
        let body =
            paragraphs.map { "<w:p>\($0)</w:p>" }.joined()
            + "<w:sectPr><w:pgSz w:w=\"11906\" w:h=\"16838\"/><w:pgMar w:top=\"1417\" w:right=\"1417\" w:bottom=\"1417\" w:left=\"1417\"/></w:sectPr>"
        let document =
            "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\r\n<w:document xmlns:w=\"\(TestPackage.w)\" xmlns:wp=\"\(wp)\" "
            + "xmlns:a=\"\(a)\" xmlns:pic=\"\(pic)\" xmlns:r=\"\(r)\"><w:body>\(body)</w:body></w:document>"
        let documentRels = """
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
            <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">\
            <Relationship Id="rId9" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/image" \
            Target="media/placeholder.gif"/></Relationships>
            """
        try TestPackage.write(
            documentXML: document, parts: [("word/_rels/document.xml.rels", Array(documentRels.utf8)), ("word/media/placeholder.gif", gif)],
            defaults: [("gif", "image/gif")], to: url)
    }

    /// Pictures of `width` × `height` pixels (left half red, right half blue) as PNG and JPEG files in
    /// `directory`, drawn by poppler's `pdftoppm` from a one-page PDF. Returns the two paths.
    public static func pictures(width: Int, height: Int, named name: String, in directory: URL) throws -> (png: String, jpeg: String) {
        guard let pdftoppm = Program.find("pdftoppm") else { throw ExternalCheck.CheckError("pdftoppm missing (apt-get install poppler-utils)") }
        let half = width / 2
        let content = "1 0 0 rg 0 0 \(half) \(height) re f 0 0 1 rg \(half) 0 \(width - half) \(height) re f"
        let pdf = """
            %PDF-1.4
            1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj
            2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj
            3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 \(width) \(height)]/Contents 4 0 R>>endobj
            4 0 obj<</Length \(content.utf8.count)>>stream
            \(content)
            endstream endobj
            trailer<</Root 1 0 R>>
            %%EOF
            """
        let source = directory.appendingPathComponent("\(name)-source.pdf")
        try Data(pdf.utf8).write(to: source)
        var paths: [String] = []
        for format in ["png", "jpeg"] {
            let stem = directory.appendingPathComponent(name).path
            let result = try Program.run(
                pdftoppm.path, ["-\(format)", "-r", "72", "-singlefile"], inputs: [source.path], requiresInputs: true, trailing: [stem],
                timeout: ExternalCheck.toolTimeout)
            let made = stem + (format == "png" ? ".png" : ".jpg")
            guard result.status == 0, FileManager.default.fileExists(atPath: made) else {
                throw ExternalCheck.CheckError("pdftoppm could not draw \(made): \(result.stderr)")
            }
            paths.append(made)
        }
        try FileManager.default.removeItem(at: source)
        return (paths[0], paths[1])
    }

    /// Converts `documents` to PDF with LibreOffice into `directory`; the PDFs in the same order.
    public static func pdfs(_ documents: [URL], in directory: URL) throws -> [URL] {
        guard let soffice = ExternalCheck.soffice else { throw ExternalCheck.CheckError("LibreOffice missing (apt-get install libreoffice-writer-nogui)") }
        let profile = try TemporaryDirectory("lo-profile")
        let result = try Program.run(
            soffice.path,
            ["-env:UserInstallation=\(profile.url.absoluteString)", "--headless", "--norestore", "--convert-to", "pdf", "--outdir", directory.path],
            inputs: documents.map(\.path), requiresInputs: true, timeout: ExternalCheck.libreOfficeTimeout(documents: documents.count))
        return try documents.map { document in
            let pdf = directory.appendingPathComponent(document.deletingPathExtension().lastPathComponent + ".pdf")
            guard FileManager.default.fileExists(atPath: pdf.path) else {
                throw ExternalCheck.CheckError("LibreOffice did not convert \(document.lastPathComponent): \(result.stdout) \(result.stderr)")
            }
            return pdf
        }
    }

    /// The images `pdfimages -list` finds in `pdf`: one (page, width, height) per image (soft masks left out).
    public static func pdfImages(_ pdf: URL) throws -> [(page: Int, width: Int, height: Int)] {
        guard let pdfimages = Program.find("pdfimages") else { throw ExternalCheck.CheckError("pdfimages missing (apt-get install poppler-utils)") }
        let result = try Program.run(pdfimages.path, ["-list"], inputs: [pdf.path], requiresInputs: true, timeout: ExternalCheck.toolTimeout)
        guard result.status == 0 else { throw ExternalCheck.CheckError("pdfimages failed: \(result.stderr)") }
        return result.stdout.split(separator: "\n").dropFirst(2).compactMap { line in
            let columns = line.split(separator: " ")
            guard columns.count > 4, columns[2] == "image", let page = Int(columns[0]), let width = Int(columns[3]), let height = Int(columns[4])
            else { return nil }
            return (page, width, height)
        }
    }

    /// The pages of `pdf` drawn as PNG files at `dpi` (pdftoppm), in page order.
    public static func pageImages(_ pdf: URL, dpi: Int, in directory: URL) throws -> [URL] {
        guard let pdftoppm = Program.find("pdftoppm") else { throw ExternalCheck.CheckError("pdftoppm missing (apt-get install poppler-utils)") }
        let stem = directory.appendingPathComponent(pdf.deletingPathExtension().lastPathComponent).path
        let result = try Program.run(
            pdftoppm.path, ["-png", "-r", String(dpi)], inputs: [pdf.path], requiresInputs: true, trailing: [stem], timeout: ExternalCheck.toolTimeout)
        guard result.status == 0 else { throw ExternalCheck.CheckError("pdftoppm failed: \(result.stderr)") }
        let prefix = (stem as NSString).lastPathComponent + "-"
        return try FileManager.default.contentsOfDirectory(atPath: directory.path)
            .filter { $0.hasPrefix(prefix) && $0.hasSuffix(".png") }.sorted().map { directory.appendingPathComponent($0) }
    }

    /// zbar's `zbarimg`, if installed (Debian zbar-tools).
    public static let zbarimg: URL? = Program.find("zbarimg")
    public static let zbarimgAbsent: Comment = "zbarimg (Debian zbar-tools) is absent; scripts/setup-debian.sh installs it"

    /// What `zbarimg` decodes in `image`: `TYPE:data` per symbol (e.g. `QR-Code:https://…`); empty when none.
    public static func decode(_ image: URL) throws -> [String] {
        guard let zbarimg else { throw ExternalCheck.CheckError("zbarimg missing (apt-get install zbar-tools)") }
        let result = try Program.run(zbarimg.path, ["-q"], inputs: [image.path], requiresInputs: true, timeout: ExternalCheck.toolTimeout)
        // Exit status 4: no symbol found.
        guard result.status == 0 || result.status == 4 else { throw ExternalCheck.CheckError("zbarimg failed: \(result.stderr)") }
        return result.stdout.split(separator: "\n").map(String.init)
    }
}
