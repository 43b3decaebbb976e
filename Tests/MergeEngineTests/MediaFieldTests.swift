import DocxPackage
import Foundation
import Testing

@testable import MergeEngine

/// Pictures and barcodes per record in the engine: headers, the images folder's confinement,
/// libzint's errors, and the media parts, relationships and content types a document gets.
@Suite struct ImageHeaderTests {
    @Test func pngJpegAndGifGiveTheirPixelSize() throws {
        let png = PNGEncoder.encode(rgb: Array(repeating: 200, count: 30 * 20 * 3), width: 30, height: 20)
        #expect(try ImageHeader.read(png).get() == ImageHeader(format: .png, width: 30, height: 20))
        #expect(try ImageHeader.read(MediaFixtures.gif).get() == ImageHeader(format: .gif, width: 1, height: 1))
        // JFIF APP0 segment, then a baseline start-of-frame: precision 8, height 120, width 160.
        let jpeg: [UInt8] =
            [0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10] + Array("JFIF".utf8) + [0, 1, 1, 0, 0, 1, 0, 1, 0, 0]
            + [0xFF, 0xC0, 0x00, 0x11, 0x08, 0x00, 0x78, 0x00, 0xA0, 0x03, 1, 0x22, 0, 2, 0x11, 1, 3, 0x11, 1]
        #expect(try ImageHeader.read(jpeg).get() == ImageHeader(format: .jpeg, width: 160, height: 120))
    }

    @Test func textAndTruncatedHeadersAreNoPictures() {
        guard case .failure(let problem) = ImageHeader.read(Array("just some text\n".utf8)) else {
            Issue.record("text read as a picture")
            return
        }
        #expect(problem.message.contains("not a PNG, JPEG or GIF"))
        guard case .failure(let damaged) = ImageHeader.read([0xFF, 0xD8, 0xFF, 0xE0, 0x00]) else {
            Issue.record("a truncated JPEG read as a picture")
            return
        }
        #expect(damaged.message.contains("damaged"))
    }
}

@Suite struct ImageFolderTests {
    /// `images/` with a real picture, beside a picture outside it.
    private func folder() throws -> (TemporaryDirectory, ImageFolder) {
        let directory = try TemporaryDirectory("images")
        try FileManager.default.createDirectory(atPath: directory.path("images"), withIntermediateDirectories: true)
        _ = try directory.write("images/ok.png", PNGEncoder.encode(rgb: Array(repeating: 0, count: 4 * 2 * 3), width: 4, height: 2))
        _ = try directory.write("secret.png", PNGEncoder.encode(rgb: Array(repeating: 0, count: 3), width: 1, height: 1))
        return (directory, try ImageFolder(path: directory.path("images")))
    }

    private func problem(_ folder: ImageFolder, _ path: String) -> String {
        switch folder.load(path) {
        case .success: "loaded"
        case .failure(let problem): problem.message
        }
    }

    @Test func aPictureInsideTheFolderLoads() throws {
        let (directory, images) = try folder()
        let picture = try withExtendedLifetime(directory) { try images.load("ok.png").get() }
        #expect(picture.header == ImageHeader(format: .png, width: 4, height: 2))
        #expect(picture.digest.count == 64)
    }

    @Test func pathsLeavingTheFolderAreRefused() throws {
        let (directory, images) = try folder()
        #expect(problem(images, "../../etc/passwd").contains("contains \"..\""))
        #expect(problem(images, "../secret.png").contains("contains \"..\""))
        #expect(problem(images, "/etc/passwd").contains("is absolute"))
        #expect(problem(images, "C:\\photos\\a.png").contains("is absolute"))
        try FileManager.default.createSymbolicLink(atPath: directory.path("images/link.png"), withDestinationPath: directory.path("secret.png"))
        #expect(problem(images, "link.png").contains("leads out of the --images folder"))
        #expect(problem(images, "nothing.png").contains("no picture at nothing.png"))
    }

    @Test func aTextFileNamedPngIsRefused() throws {
        let (directory, images) = try folder()
        _ = try directory.write("images/fake.png", "this is not a picture\n")
        #expect(problem(images, "fake.png").contains("not a PNG, JPEG or GIF"))
    }

    @Test func aHugeFileIsRefusedByItsSizeBeforeItIsRead() throws {
        let (directory, images) = try folder()
        // A sparse 1 GiB file: reading it would take seconds and a gigabyte; stat refuses it at once.
        let path = try directory.write("images/huge.png", PNGEncoder.encode(rgb: [0, 0, 0], width: 1, height: 1))
        #expect(truncate(path, 1 << 30) == 0)
        let started = Date()
        #expect(problem(images, "huge.png").contains("has 1073741824 bytes, more than the limit of 52428800"))
        #expect(Date().timeIntervalSince(started) < 1)
    }

    @Test func picturesOfTooManyPixelsAreRefused() throws {
        let (directory, images) = try folder()
        // A PNG header claiming 30000 × 10 pixels (nothing is decoded, so the header is enough).
        var png = PNGEncoder.encode(rgb: [0, 0, 0], width: 1, height: 1)
        png.replaceSubrange(16..<24, with: [0, 0, 0x75, 0x30, 0, 0, 0, 10])
        _ = try directory.write("images/wide.png", png)
        #expect(problem(images, "wide.png").contains("30000 × 10 pixels; each side must be 1 to 20000"))
    }

    @Test func theImagesFolderMustExist() {
        #expect(throws: ImageProblem.self) { try ImageFolder(path: "/nonexistent/images") }
    }
}

@Suite struct BarcodeTests {
    @Test func aQRCodeIsAPNGOfSquareSize() throws {
        var options = BarcodeOptions(symbology: .qr)
        options.errorCorrection = 3
        let barcode = try Barcode.render("https://example.com/c/1001", options).get()
        let header = try ImageHeader.read(barcode.png).get()
        #expect(header.format == .png && header.width == header.height)
        #expect(barcode.widthEMU == barcode.heightEMU)
        // 100 %: 2 pixels a module at 96 dpi; the bitmap has 4.
        #expect(barcode.widthEMU == header.width * 9525 / 2)
        options.scale = 200
        #expect(try Barcode.render("https://example.com/c/1001", options).get().widthEMU == 2 * barcode.widthEMU)
    }

    @Test func heightSwitchSetsALinearSymbolsHeight() throws {
        var options = BarcodeOptions(symbology: .code128)
        options.heightTwips = 1440  // one inch
        let barcode = try Barcode.render("C-1001", options).get()
        #expect(abs(barcode.heightEMU - 914_400) < 40_000)
    }

    @Test func invalidDataNamesTheSymbologyAndZintsMessage() {
        guard case .failure(let ean) = Barcode.render("12345", BarcodeOptions(symbology: .ean13)) else {
            Issue.record("EAN13 took 5 digits")
            return
        }
        #expect(ean.message.contains("EAN13 takes 12 digits"))
        guard case .failure(let checkDigit) = Barcode.render("5012345678901", BarcodeOptions(symbology: .ean13)) else {
            Issue.record("EAN13 took a wrong check digit")
            return
        }
        #expect(checkDigit.message.contains("zint cannot encode \"5012345678901\" as EAN13"))
        guard case .failure(let kix) = Barcode.render("1234 AB!", BarcodeOptions(symbology: .kix)) else {
            Issue.record("KIX took a !")
            return
        }
        #expect(kix.message.contains("as KIX"))
        #expect((try? Barcode.render("501234567890", BarcodeOptions(symbology: .ean13)).get()) != nil)
        #expect((try? Barcode.render("2500 GG 1", BarcodeOptions(symbology: .kix)).get()) != nil)
    }

    @Test func wordsSwitchesParse() throws {
        guard case .media(.displayBarcode(_, let options)) = try FieldInstruction.parse(" DISPLAYBARCODE \"abc\" qr \\q 2 \\s 150 \\h 720 \\t ")
        else {
            Issue.record("not a DISPLAYBARCODE")
            return
        }
        #expect(options.symbology == .qr && options.errorCorrection == 2 && options.scale == 150 && options.heightTwips == 720 && options.showsText)
        guard case .media(.mergeBarcode(let column, let postal)) = try FieldInstruction.parse(" MERGEBARCODE PostCode KIX ") else {
            Issue.record("not a MERGEBARCODE")
            return
        }
        #expect(column == "PostCode" && postal.symbology == .kix)
        #expect(throws: FieldSyntaxError.self) { try FieldInstruction.parse(" MERGEBARCODE PostCode PDF417 ") }
        #expect(throws: FieldSyntaxError.self) { try FieldInstruction.parse(" DISPLAYBARCODE \"x\" QR \\q 7 ") }
        // A fixed picture (no merge field in its name) stays Word's.
        #expect(try FieldInstruction.parse(" INCLUDEPICTURE \"logo.png\" \\d ") == .other(keyword: "INCLUDEPICTURE"))
    }
}

@Suite struct MediaRenderingTests {
    /// A template with a Word-style INCLUDEPICTURE (2 × 1 inch placeholder) and `MERGEFIELD Image:Photo`.
    private func template(in directory: TemporaryDirectory) throws -> CompiledTemplate {
        let url = directory.url.appendingPathComponent("photo.docx")
        try MediaFixtures.template(
            [
                MediaFixtures.includePicture("PhotoPath", cx: 1_828_800, cy: 914_400),
                MediaFixtures.complexField(
                    MediaFixtures.instruction(" MERGEFIELD Image:Photo "), result: "<w:r><w:t>«Image:Photo»</w:t></w:r>"),
                "<w:r><w:t>Dear </w:t></w:r>" + MediaFixtures.mergeField("Name"),
            ], to: url)
        return try CompiledTemplate.compile(DocxArchive(path: url.path))
    }

    private func images(_ directory: TemporaryDirectory) throws -> ImageFolder {
        try FileManager.default.createDirectory(atPath: directory.path("images"), withIntermediateDirectories: true)
        _ = try directory.write("images/square.png", PNGEncoder.encode(rgb: Array(repeating: 90, count: 100 * 100 * 3), width: 100, height: 100))
        _ = try directory.write("images/wide.png", PNGEncoder.encode(rgb: Array(repeating: 20, count: 2000 * 10 * 3), width: 2000, height: 10))
        return try ImageFolder(path: directory.path("images"))
    }

    @Test func fieldsAreListedByTheirColumns() throws {
        let directory = try TemporaryDirectory("media")
        let template = try template(in: directory)
        #expect(template.fieldNames == ["PhotoPath", "Photo", "Name"])
        #expect(template.hasMedia)
        #expect(template.warnings.isEmpty)
    }

    @Test func aPictureUsedTwiceIsStoredOnceAndFittedIntoThePlaceholder() throws {
        let directory = try TemporaryDirectory("media")
        var template = try template(in: directory)
        template.images = try images(directory)
        let parts = try template.render(MergeRecord(["PhotoPath": "square.png", "Photo": "square.png", "Name": "Ada"]))
        let media = parts.keys.filter { $0.hasPrefix("word/media/") }
        #expect(media.count == 1)
        let name = try #require(media.first)
        #expect(name.hasPrefix("word/media/img-") && name.hasSuffix(".png"))
        let document = String(decoding: try #require(parts["word/document.xml"]), as: UTF8.self)
        // The placeholder is 2 × 1 inch: the square picture becomes 1 × 1 inch; Image:Photo keeps 100 px at 96 dpi.
        #expect(document.contains("<wp:extent cx=\"914400\" cy=\"914400\"/>"))
        #expect(document.contains("<wp:extent cx=\"952500\" cy=\"952500\"/>"))
        #expect(!document.contains("INCLUDEPICTURE") && !document.contains("rId9"))
        let rels = String(decoding: try #require(parts["word/_rels/document.xml.rels"]), as: UTF8.self)
        #expect(rels.contains("Id=\"rId9\""))
        #expect(rels.components(separatedBy: "relationships/image\" Target=\"media/img-").count == 2)
        let types = String(decoding: try #require(parts["[Content_Types].xml"]), as: UTF8.self)
        #expect(types.contains("<Default Extension=\"png\" ContentType=\"image/png\"/>"))

        // Written and read back: the media part is in the package.
        let archive = try DocxArchive(path: directory.path("photo.docx"))
        try DocxWriter.write(source: archive, replacing: parts, to: directory.path("out.docx"))
        let written = try DocxArchive(path: directory.path("out.docx"))
        #expect(try written.read(name) == TemporaryDirectory.readFile(directory.path("images/square.png")))
    }

    @Test func aWidePictureIsBoundedByTheTextWidth() throws {
        let directory = try TemporaryDirectory("media")
        var template = try template(in: directory)
        template.images = try images(directory)
        let parts = try template.render(MergeRecord(["PhotoPath": "", "Photo": "wide.png", "Name": "Ada"]))
        let document = String(decoding: try #require(parts["word/document.xml"]), as: UTF8.self)
        // A4 less 2 × 1417 twips = 9072 twips = 5,760,720 EMU; 2000 px at 96 dpi would be 19,050,000.
        #expect(document.contains("<wp:extent cx=\"5760720\" cy=\"28803\"/>"))
        #expect(document.components(separatedBy: "<w:drawing>").count == 2)  // an empty path: no picture
    }

    @Test func aMissingPictureNamesFieldAndPathOrIsLeftBlank() throws {
        let directory = try TemporaryDirectory("media")
        var template = try template(in: directory)
        template.images = try images(directory)
        let record = MergeRecord(["PhotoPath": "square.png", "Photo": "gone.png", "Name": "Ada"])
        do {
            _ = try template.render(record)
            Issue.record("a missing picture was rendered")
        } catch {
            #expect(error.field.name == "Photo")
            #expect(error.description.contains("no picture at gone.png"))
            #expect(error.description.contains("MERGEFIELD Image:Photo"))
        }
        let blank = try template.render(record, missing: .blank)
        #expect(String(decoding: try #require(blank["word/document.xml"]), as: UTF8.self).components(separatedBy: "<w:drawing>").count == 2)
    }

    @Test func withoutAnImagesFolderAPictureFieldSaysWhatToPass() throws {
        let directory = try TemporaryDirectory("media")
        let template = try template(in: directory)
        #expect(throws: MissingFieldError.self) { try template.render(MergeRecord(["PhotoPath": "a.png", "Photo": "", "Name": "Ada"])) }
        do { _ = try template.render(MergeRecord(["PhotoPath": "a.png", "Photo": "", "Name": "Ada"])) } catch {
            #expect(error.description.contains("pass --images DIR"))
        }
    }

    @Test func theWriterAddsOnlyMediaAndRelationshipEntries() {
        #expect(DocxWriter.isAddable("word/media/img-0123.png"))
        #expect(DocxWriter.isAddable("word/_rels/header1.xml.rels"))
        #expect(!DocxWriter.isAddable("word/header7.xml"))
        #expect(!DocxWriter.isAddable("word/media/../document.xml"))
        #expect(!DocxWriter.isAddable("word/media/sub/x.png"))
    }
}
