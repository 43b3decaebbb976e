import DocxPackage
import Foundation
import Testing

@testable import MergeEngine

/// `mailmerge merge … --images DIR`: a photo letter (Word's INCLUDEPICTURE with a nested MERGEFIELD,
/// and Aspose's `MERGEFIELD Image:Photo`) and a QR + KIX letter, checked in python-docx, in
/// LibreOffice's PDF (pdfimages) and with a real barcode decoder (zbarimg); hostile paths and data.
@Suite(.serialized) struct PicturesAndBarcodesTests {
    /// A folder with `images/` holding PNG, JPEG and GIF photos, and a CSV of `rows`.
    private func workspace(columns: [String], rows: [[String]]) throws -> TemporaryDirectory {
        let directory = try TemporaryDirectory("pictures")
        let images = directory.url.appendingPathComponent("images")
        try FileManager.default.createDirectory(at: images.appendingPathComponent("staff"), withIntermediateDirectories: true)
        _ = try MediaFixtures.pictures(width: 200, height: 100, named: "wide", in: images)
        _ = try MediaFixtures.pictures(width: 120, height: 160, named: "staff/tall", in: images)
        _ = try directory.write("images/dot.gif", MediaFixtures.gif)
        let csv = ([columns] + rows).map { $0.map { "\"\($0)\"" }.joined(separator: ",") }.joined(separator: "\r\n") + "\r\n"
        _ = try directory.write("data.csv", csv)
        return directory
    }

    private func merge(_ template: String, in directory: TemporaryDirectory, _ extra: [String] = []) throws -> RunResult {
        try CLI.run(["merge", directory.path(template), directory.path("data.csv"), "--out", directory.path("out"), "--jobs", "2"] + extra)
    }

    private func documents(_ directory: TemporaryDirectory) -> [URL] {
        TemporaryDirectory.list(directory.path("out")).filter { $0.hasSuffix(".docx") }.sorted().map { directory.url.appendingPathComponent("out/\($0)") }
    }

    /// Per document, python-docx's inline pictures: SHA-256 of the picture's bytes, width and height (EMU).
    private func inlinePictures(_ documents: [URL]) throws -> [[[JSONValue]]] {
        let script = """
            import sys, docx, json, hashlib
            out = []
            for path in sys.argv[1:]:
                d = docx.Document(path)
                shapes = []
                for shape in d.inline_shapes:
                    blip = shape._inline.graphic.graphicData.pic.blipFill.blip
                    shapes.append([hashlib.sha256(d.part.related_parts[blip.embed].blob).hexdigest(), shape.width, shape.height])
                out.append(shapes)
            print(json.dumps(out))
            """
        let python = try #require(ExternalCheck.pythonWithDocx)
        let run = try Program.run(python.path, ["-c", script], inputs: documents.map(\.path), requiresInputs: true, timeout: ExternalCheck.toolTimeout)
        #expect(run.status == 0, "\(run.stderr)")
        return try JSONDecoder().decode([[[JSONValue]]].self, from: Data(run.stdout.utf8))
    }

    private func digest(_ file: String, in directory: TemporaryDirectory) throws -> String {
        let data = try #require(FileManager.default.contents(atPath: directory.path("images/\(file)")))
        return Picture.digest(of: [UInt8](data))
    }

    @Test(.enabled(if: ExternalCheck.pythonWithDocx != nil && ExternalCheck.soffice != nil, "needs python3-docx and LibreOffice (scripts/setup-debian.sh)"))
    func photoLetterShowsEachRecordsPictures() throws {
        let directory = try workspace(
            columns: ["Name", "PhotoPath", "Photo"],
            rows: [["Ada", "wide.png", "staff/tall.jpg"], ["Bob", "staff/tall.png", "dot.gif"], ["Cy", "wide.jpg", "wide.png"]])
        try MediaFixtures.template(
            [
                "<w:r><w:t xml:space=\"preserve\">Dear </w:t></w:r>" + MediaFixtures.mergeField("Name"),
                MediaFixtures.includePicture("PhotoPath", cx: 1_828_800, cy: 1_828_800),
                MediaFixtures.complexField(MediaFixtures.instruction(" MERGEFIELD Image:Photo "), result: "<w:r><w:t>«Image:Photo»</w:t></w:r>"),
            ], to: directory.url.appendingPathComponent("photo.docx"))
        let result = try merge("photo.docx", in: directory, ["--images", directory.path("images")])
        #expect(result.status == 0, "\(result.stderr)")
        let letters = documents(directory)
        #expect(letters.count == 3)

        // python-docx opens each letter and finds two inline pictures whose bytes are the record's files.
        let shapes = try inlinePictures(letters)
        let expected = [["wide.png", "staff/tall.jpg"], ["staff/tall.png", "dot.gif"], ["wide.jpg", "wide.png"]]
        for (letter, files) in zip(shapes, expected) {
            #expect(letter.map { $0[0].string } == (try files.map { try digest($0, in: directory) }))
        }
        // The 200 × 100 photo in the 2-inch square placeholder: 2 × 1 inch (EMU); its own size for Image:Photo: 200 px at 96 dpi.
        #expect(shapes[0][0][1].int == 1_828_800 && shapes[0][0][2].int == 914_400)
        #expect(shapes[2][1][1].int == 200 * 9525 && shapes[2][1][2].int == 100 * 9525)

        // LibreOffice's PDF holds one image per photo, at the photo's pixel size.
        let pdfDirectory = try TemporaryDirectory("pictures-pdf")
        let pdfs = try MediaFixtures.pdfs(letters, in: pdfDirectory.url)
        let sizes = try pdfs.map { try MediaFixtures.pdfImages($0).map { "\($0.width)x\($0.height)" }.sorted() }
        #expect(sizes == [["120x160", "200x100"], ["120x160", "1x1"], ["200x100", "200x100"]])
    }

    @Test(
        .enabled(if: MediaFixtures.zbarimg != nil, MediaFixtures.zbarimgAbsent),
        .enabled(if: ExternalCheck.soffice != nil, "needs LibreOffice (scripts/setup-debian.sh)"))
    func qrAndKixLetterDecodesToTheRecordsValues() throws {
        let urls = ["https://example.com/c/1001", "https://example.com/c/1002?x=ä", "https://example.com/c/1003"]
        let directory = try workspace(
            columns: ["Name", "Url", "PostCode"],
            rows: [["Ada", urls[0], "2500 GG 1"], ["Bob", urls[1], "1234AB 56"], ["Cy", urls[2], "9999ZZ 1X"]])
        try MediaFixtures.template(
            [
                "<w:r><w:t xml:space=\"preserve\">Customer </w:t></w:r>" + MediaFixtures.mergeField("Name"),
                MediaFixtures.complexField(
                    MediaFixtures.instruction(" DISPLAYBARCODE \"") + MediaFixtures.mergeField("Url") + MediaFixtures.instruction("\" QR \\q 1 \\s 150 "),
                    result: "<w:r><w:t>QR</w:t></w:r>"),
                "<w:fldSimple w:instr=\" MERGEBARCODE PostCode KIX \"><w:r><w:t>KIX</w:t></w:r></w:fldSimple>",
            ], to: directory.url.appendingPathComponent("qr.docx"))
        let result = try merge("qr.docx", in: directory)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(!result.stderr.contains("warning"), "\(result.stderr)")
        let letters = documents(directory)
        #expect(letters.count == 3)

        // The PNG media parts: the QR decodes to the record's URL; the KIX is the second picture.
        for (letter, url) in zip(letters, urls) {
            let archive = try DocxArchive(path: letter.path)
            let media = archive.entryNames.filter { $0.hasPrefix("word/media/img-") }
            #expect(media.count == 2)
            var decoded: [String] = []
            for name in media {
                let file = directory.url.appendingPathComponent("\(letter.lastPathComponent)-\(name.split(separator: "/").last ?? "")")
                try Data(try archive.read(name)).write(to: file)
                decoded += try MediaFixtures.decode(file)
            }
            #expect(decoded == ["QR-Code:\(url)"])
        }

        // LibreOffice's PDF, drawn at 150 dpi: zbarimg finds the same QR code on the page.
        let pdfDirectory = try TemporaryDirectory("barcodes-pdf")
        let pdfs = try MediaFixtures.pdfs(letters, in: pdfDirectory.url)
        for (pdf, url) in zip(pdfs, urls) {
            #expect(try MediaFixtures.pdfImages(pdf).count == 2)
            let pages = try MediaFixtures.pageImages(pdf, dpi: 150, in: pdfDirectory.url)
            #expect(try pages.flatMap(MediaFixtures.decode) == ["QR-Code:\(url)"])
        }
    }

    @Test(.enabled(if: ExternalCheck.pythonWithDocx != nil, "needs python3-docx (scripts/setup-debian.sh)"))
    func singleDocumentCarriesEveryRecordsPictures() throws {
        let directory = try workspace(
            columns: ["Name", "Photo"], rows: [["Ada", ""], ["Bob", "staff/tall.jpg"], ["Cy", "wide.png"], ["Dee", "staff/tall.jpg"]])
        try MediaFixtures.template(
            [
                "<w:r><w:t xml:space=\"preserve\">Dear </w:t></w:r>" + MediaFixtures.mergeField("Name"),
                MediaFixtures.complexField(MediaFixtures.instruction(" MERGEFIELD Image:Photo "), result: "<w:r><w:t>«Image:Photo»</w:t></w:r>"),
            ], to: directory.url.appendingPathComponent("photo.docx"))
        // The first letter has no picture: the combined document must still get the others' media parts and content types.
        let result = try merge("photo.docx", in: directory, ["--images", directory.path("images"), "--single-document"])
        #expect(result.status == 0, "\(result.stderr)")
        let combined = documents(directory)
        #expect(combined.count == 1)
        let shapes = try inlinePictures(combined)
        #expect(shapes.first?.map { $0[0].string } == (try ["staff/tall.jpg", "wide.png", "staff/tall.jpg"].map { try digest($0, in: directory) }))
        let archive = try DocxArchive(path: try #require(combined.first).path)
        #expect(archive.entryNames.filter { $0.hasPrefix("word/media/img-") }.count == 2)
        let types = String(decoding: try archive.read("[Content_Types].xml"), as: UTF8.self)
        #expect(types.contains("Extension=\"jpeg\"") && types.contains("Extension=\"png\""))
    }

    @Test func hostilePicturePathsStopTheRunNamingRecordFieldAndPath() throws {
        let directory = try workspace(columns: ["Name", "PhotoPath"], rows: [["Ada", "wide.png"], ["Eve", "../../etc/passwd"]])
        try MediaFixtures.template(
            ["<w:r><w:t>Photo: </w:t></w:r>" + MediaFixtures.includePicture("PhotoPath")], to: directory.url.appendingPathComponent("photo.docx"))
        let escape = try merge("photo.docx", in: directory, ["--images", directory.path("images")])
        #expect(escape.status == 1)
        #expect(escape.stderr.contains("line 3"), "\(escape.stderr)")
        #expect(escape.stderr.contains("INCLUDEPICTURE") && escape.stderr.contains("the picture path ../../etc/passwd contains \"..\""))

        // A text file named .png, a symbolic link out of the folder, no --images at all.
        _ = try directory.write("images/notes.png", "not a picture\n")
        try FileManager.default.createSymbolicLink(atPath: directory.path("images/out.png"), withDestinationPath: "/etc/hostname")
        for (path, message) in [("notes.png", "is not a PNG, JPEG or GIF"), ("out.png", "leads out of the --images folder")] {
            _ = try directory.write("data.csv", "Name,PhotoPath\r\nAda,\(path)\r\n")
            let refused = try merge("photo.docx", in: directory, ["--images", directory.path("images")])
            #expect(refused.status == 1)
            #expect(refused.stderr.contains(message), "\(refused.stderr)")
        }
        let noFolder = try merge("photo.docx", in: directory)
        #expect(noFolder.status == 1 && noFolder.stderr.contains("pass --images DIR"), "\(noFolder.stderr)")
        let blank = try merge("photo.docx", in: directory, ["--images", directory.path("images"), "--missing", "blank"])
        #expect(blank.status == 0, "\(blank.stderr)")
    }

    @Test func invalidBarcodeDataNamesRecordFieldAndSymbology() throws {
        let directory = try workspace(columns: ["Name", "Ean"], rows: [["Ada", "501234567890"], ["Bob", "12345"]])
        try MediaFixtures.template(
            ["<w:fldSimple w:instr=\" MERGEBARCODE Ean EAN13 \\t \"><w:r><w:t>EAN</w:t></w:r></w:fldSimple>"],
            to: directory.url.appendingPathComponent("ean.docx"))
        let result = try merge("ean.docx", in: directory)
        #expect(result.status == 1)
        #expect(result.stderr.contains("line 3") && result.stderr.contains("field \"Ean\""), "\(result.stderr)")
        #expect(result.stderr.contains("EAN13 takes 12 digits (13 with the check digit), not \"12345\""))
    }
}

/// A JSON number or string (python-docx's output).
enum JSONValue: Decodable {
    case string(String)
    case int(Int)
    init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let int = try? container.decode(Int.self) { self = .int(int) } else { self = .string(try container.decode(String.self)) }
    }
    var string: String? { if case .string(let s) = self { s } else { nil } }
    var int: Int? { if case .int(let i) = self { i } else { nil } }
}

/// `log-segment` with pictures: `images/` beside the templates is the default folder, `--images` another.
@Suite struct SegmentPicturesTests {
    @Test func logSegmentReadsPicturesBesideTheTemplates() throws {
        let workspace = try SampleWorkspace()
        defer { workspace.remove() }
        // The sample catalogue, its direct-mail letters replaced by a photo letter: INCLUDEPICTURE "{ MERGEFIELD ContactNo }.png".
        let templates = workspace.root.appendingPathComponent("Templates")
        try FileManager.default.copyItem(at: Paths.templates, to: templates)
        for name in ["DirectMail_EN.docx", "DirectMail_NL.docx"] {
            let url = templates.appendingPathComponent(name)
            try FileManager.default.removeItem(at: url)
            try MediaFixtures.template(
                [
                    "<w:r><w:t xml:space=\"preserve\">Contact </w:t></w:r>" + MediaFixtures.mergeField("ContactNo"),
                    MediaFixtures.complexField(
                        MediaFixtures.instruction(" INCLUDEPICTURE \"") + MediaFixtures.mergeField("ContactNo")
                            + MediaFixtures.instruction(".png\" \\d "),
                        result: MediaFixtures.placeholderDrawing(cx: 914_400, cy: 914_400)),
                ], to: url)
        }
        let images = templates.appendingPathComponent("images")
        try FileManager.default.createDirectory(at: images, withIntermediateDirectories: true)
        let contacts = try String(contentsOf: workspace.segments.appendingPathComponent("contacts.csv"), encoding: .utf8)
        let numbers = contacts.split(whereSeparator: \.isNewline).dropFirst().compactMap { $0.split(separator: ",").first.map(String.init) }
        for (offset, number) in numbers.enumerated() {
            // A distinct picture per contact (its colour from its position).
            let png = PNGEncoder.encode(rgb: Array(repeating: UInt8(offset * 9 % 256), count: 8 * 4 * 3), width: 8, height: 4)
            try Data(png).write(to: images.appendingPathComponent("\(number).png"))
        }

        let refused = try CLI.run([
            "log-segment", workspace.segment.path, "--templates", templates.path, "--out", workspace.letters.path, "--db", workspace.database.path,
            "--images", workspace.root.appendingPathComponent("nowhere").path,
        ])
        #expect(refused.status != 0 && refused.stderr.contains("nowhere"), "\(refused.stderr)")

        let result = try CLI.run([
            "log-segment", workspace.segment.path, "--templates", templates.path, "--out", workspace.letters.path, "--db", workspace.database.path,
        ])
        #expect(result.status == 0, "\(result.stderr)")
        var checked = 0
        for file in workspace.letterFiles() {
            let archive = try DocxArchive(path: workspace.letters.appendingPathComponent(file).path)
            let media = archive.entryNames.filter { $0.hasPrefix("word/media/img-") }
            guard !media.isEmpty else { continue }
            let text = try DocxInspector(path: archive.path).allText
            let number = try #require(numbers.first { text.contains("Contact \($0)") })
            #expect(media.count == 1)
            #expect(try archive.read(try #require(media.first)) == TemporaryDirectory.readFile(images.appendingPathComponent("\(number).png").path))
            checked += 1
        }
        #expect(checked >= 10)
    }
}
