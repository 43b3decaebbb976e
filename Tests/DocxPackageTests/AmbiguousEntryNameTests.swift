import DocxPackage
import Foundation
import Testing

/// A package whose entries read as the same name in some zip reader is refused: programs
/// would disagree about which entry is the part.
@Suite struct AmbiguousEntryNameTests {
    let scratch: TemporaryDirectory
    init() throws { scratch = try TemporaryDirectory() }

    /// The minimal package's entries, stored as they are, then `extra`.
    private func package(_ extra: [HandMadeZip.Entry], _ name: String) -> String {
        let path = scratch.path(name)
        let base = Packages.minimal().map { HandMadeZip.Entry(name: Array($0.name.utf8), data: $0.bytes) }
        TemporaryDirectory.writeFile(path, HandMadeZip.bytes(base + extra))
        return path
    }

    @Test func theHandMadeZipOfTheMinimalPackageOpens() throws {
        let path = package([], "plain.docx")
        let archive = try DocxArchive(path: path)
        #expect(archive.entryNames.count == Packages.minimal().count)
        #expect(try archive.read("word/document.xml") == Packages.body)
    }

    @Test func aUnicodePathFieldNamingAnotherEntrysPartIsRefused() {
        // Apache POI's unicode-path.docx: the first entry's raw name is the main document, the
        // second reaches it only through its Unicode Path extra field (0x7075).
        let path = scratch.path("unicode-path.docx")
        let decoy = HandMadeZip.Entry(
            name: Array("word/document.xml".utf8), data: Array("1".utf8),
            extra: HandMadeZip.unicodePath(raw: "word/document.xml", unicode: "word/decoy.xml"))
        let other = HandMadeZip.Entry(
            name: Array("word/other.xml".utf8), data: Array("2".utf8),
            extra: HandMadeZip.unicodePath(raw: "word/other.xml", unicode: "word/document.xml"))
        let base = Packages.minimal().filter { $0.name != "word/document.xml" }.map { HandMadeZip.Entry(name: Array($0.name.utf8), data: $0.bytes) }
        TemporaryDirectory.writeFile(path, HandMadeZip.bytes(base + [decoy, other]))
        expectDocxError("unicode-path.docx", "word/document.xml", "Unicode Path extra field", "disagree") { _ = try DocxArchive(path: path) }
    }

    @Test func aUnicodePathFieldDifferingOnlyInCaseIsRefused() {
        let extra = HandMadeZip.Entry(
            name: Array("word/x.xml".utf8), data: Array("2".utf8),
            extra: HandMadeZip.unicodePath(raw: "word/x.xml", unicode: "WORD/Document.XML"))
        let path = package([extra], "case.docx")
        expectDocxError("case.docx", "WORD/Document.XML", "Unicode Path extra field") { _ = try DocxArchive(path: path) }
    }

    @Test func aUnicodePathFieldWithAWrongChecksumStillCounts() {
        // Info-ZIP ignores a field whose CRC does not match the raw name, other readers do not check.
        var field = HandMadeZip.unicodePath(raw: "something else", unicode: "word/document.xml")
        field[5] ^= 0xFF
        let path = package([HandMadeZip.Entry(name: Array("word/y.xml".utf8), data: [], extra: field)], "crc.docx")
        expectDocxError("crc.docx", "word/document.xml", "Unicode Path extra field") { _ = try DocxArchive(path: path) }
    }

    @Test func aNameThatReadsAsAnotherInCodePage437IsRefused() {
        // Without the UTF-8 flag, the bytes C3 BC are "├╝" in code page 437 (Python's zipfile)
        // and "ü" as UTF-8 (libzip's guess); another entry is called "├╝" in UTF-8.
        let utf8Bytes = HandMadeZip.Entry(name: Array("word/ü.xml".utf8), data: Array("1".utf8))
        let flagged = HandMadeZip.Entry(name: Array("word/├╝.xml".utf8), data: Array("2".utf8), flags: 0x0800)
        let path = package([utf8Bytes, flagged], "cp437.docx")
        expectDocxError("cp437.docx", "word/├╝.xml", "code page 437") { _ = try DocxArchive(path: path) }
    }

    @Test func aLocalHeaderNamingAnotherEntrysPartIsRefused() {
        let sneaky = HandMadeZip.Entry(name: Array("word/z.xml".utf8), data: Array("2".utf8), localName: Array("word/document.xml".utf8))
        let path = package([sneaky], "local.docx")
        // libzip's consistency check or the name check refuses it; either way it names the problem.
        do {
            _ = try DocxArchive(path: path)
            Issue.record("a package whose local header names another entry's part was opened")
        } catch {
            #expect(!error.description.isEmpty)
        }
    }

    @Test func namesThatAgreeInEveryReadingOpen() throws {
        // Non-ASCII names with the UTF-8 flag and a Unicode Path field repeating the name are fine.
        let accented = HandMadeZip.Entry(
            name: Array("word/média/ü.xml".utf8), data: Array("1".utf8), flags: 0x0800,
            extra: HandMadeZip.unicodePath(raw: "word/média/ü.xml", unicode: "word/média/ü.xml"))
        let path = package([accented], "fine.docx")
        let archive = try DocxArchive(path: path)
        #expect(archive.contains("word/média/ü.xml"))
        #expect(try archive.read("word/média/ü.xml") == Array("1".utf8))
    }
}

/// A zip written byte by byte (stored entries), so names, flags and extra fields can be
/// chosen freely, even inconsistent ones.
enum HandMadeZip {
    struct Entry {
        var name: [UInt8]
        var data: [UInt8]
        var flags: UInt16 = 0
        /// Extra field in both the local header and the central directory.
        var extra: [UInt8] = []
        /// The local header's name, when it should differ from the central directory's.
        var localName: [UInt8]?
    }

    /// An Info-ZIP Unicode Path extra field: version 1, CRC-32 of the raw name, the UTF-8 name.
    static func unicodePath(raw: String, unicode: String) -> [UInt8] {
        let body = [1] + le32(crc32(Array(raw.utf8))) + Array(unicode.utf8)
        return le16(0x7075) + le16(UInt16(body.count)) + body
    }

    static func bytes(_ entries: [Entry]) -> [UInt8] {
        var output: [UInt8] = []
        var central: [UInt8] = []
        for entry in entries {
            let offset = UInt32(output.count)
            let crc = crc32(entry.data)
            let localName = entry.localName ?? entry.name
            output += le32(0x0403_4B50) + le16(20) + le16(entry.flags) + le16(0) + le16(0) + le16(0x21)
            output += le32(crc) + le32(UInt32(entry.data.count)) + le32(UInt32(entry.data.count))
            output += le16(UInt16(localName.count)) + le16(UInt16(entry.extra.count)) + localName + entry.extra + entry.data
            central += le32(0x0201_4B50) + le16(20) + le16(20) + le16(entry.flags) + le16(0) + le16(0) + le16(0x21)
            central += le32(crc) + le32(UInt32(entry.data.count)) + le32(UInt32(entry.data.count))
            central += le16(UInt16(entry.name.count)) + le16(UInt16(entry.extra.count)) + le16(0) + le16(0) + le16(0) + le32(0)
            central += le32(offset) + entry.name + entry.extra
        }
        let centralOffset = UInt32(output.count)
        output += central
        output += le32(0x0605_4B50) + le16(0) + le16(0) + le16(UInt16(entries.count)) + le16(UInt16(entries.count))
        output += le32(UInt32(central.count)) + le32(centralOffset) + le16(0)
        return output
    }

    static func crc32(_ bytes: [UInt8]) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in bytes {
            crc ^= UInt32(byte)
            for _ in 0..<8 { crc = crc & 1 == 1 ? (crc >> 1) ^ 0xEDB8_8320 : crc >> 1 }
        }
        return ~crc
    }

    static func le16(_ value: UInt16) -> [UInt8] { [UInt8(value & 0xFF), UInt8(value >> 8)] }
    static func le32(_ value: UInt32) -> [UInt8] { le16(UInt16(value & 0xFFFF)) + le16(UInt16(value >> 16)) }
}
