import DocxPackage
import Testing

/// OLE compound files are named for what they are: a password-protected document (an
/// `EncryptedPackage` stream) or a Word 97–2003 .doc (a `WordDocument` stream).
@Suite struct CompoundFileTests {
    let scratch: TemporaryDirectory
    init() throws { scratch = try TemporaryDirectory() }

    @Test func aPasswordProtectedDocumentIsNamedAsSuch() {
        let path = scratch.path("secret.docx")
        TemporaryDirectory.writeFile(path, MinimalCompoundFile.bytes(streams: ["EncryptionInfo", "EncryptedPackage"]))
        expectDocxError("secret.docx", "password-protected", "remove the password", "Encrypt with Password") {
            _ = try DocxArchive(path: path)
        }
    }

    @Test func theDirectoryIsFollowedPastItsFirstSector() {
        // Five streams need two directory sectors (four entries each); EncryptedPackage is in the second.
        let path = scratch.path("long.docx")
        let streams = ["\u{6}DataSpaces", "EncryptionInfo", "Extra1", "Extra2", "EncryptedPackage"]
        TemporaryDirectory.writeFile(path, MinimalCompoundFile.bytes(streams: streams))
        expectDocxError("long.docx", "password-protected") { _ = try DocxArchive(path: path) }
    }

    @Test func aWord97DocumentIsNamedAsSuch() {
        let path = scratch.path("old.docx")
        TemporaryDirectory.writeFile(path, MinimalCompoundFile.bytes(streams: ["WordDocument", "1Table"]))
        expectDocxError("old.docx", "Word 97–2003 .doc", "save it as .docx") { _ = try DocxArchive(path: path) }
    }

    @Test func anotherCompoundFileIsNotCalledEncrypted() {
        let path = scratch.path("sheet.docx")
        TemporaryDirectory.writeFile(path, MinimalCompoundFile.bytes(streams: ["Workbook"]))
        do {
            _ = try DocxArchive(path: path)
            Issue.record("a compound file was opened as a package")
        } catch {
            #expect(error.description.contains("OLE compound file"), "\(error)")
            #expect(!error.description.contains("password"), "\(error)")
        }
    }

    @Test func aNameOnlyInAnUnusedSectorIsNotTakenForAStream() {
        // "EncryptedPackage" written in a free sector that the directory chain does not reach.
        var bytes = MinimalCompoundFile.bytes(streams: ["WordDocument"])
        let stray = MinimalCompoundFile.directoryEntry(name: "EncryptedPackage", type: 2)
        bytes += stray + [UInt8](repeating: 0, count: 512 - stray.count)
        let path = scratch.path("stray.docx")
        TemporaryDirectory.writeFile(path, bytes)
        expectDocxError("stray.docx", "Word 97–2003") { _ = try DocxArchive(path: path) }
    }
}

/// A minimal version 3 compound file ([MS-CFB]): 512-byte sectors, one FAT sector (sector 0),
/// the directory from sector 1 on (four entries per sector, chained through the FAT), the root
/// entry and one empty stream per name.
enum MinimalCompoundFile {
    static let endOfChain: UInt32 = 0xFFFF_FFFE, free: UInt32 = 0xFFFF_FFFF, fatSector: UInt32 = 0xFFFF_FFFD

    static func bytes(streams: [String]) -> [UInt8] {
        let entries =
            [directoryEntry(name: "Root Entry", type: 5, child: streams.isEmpty ? free : 1)]
            + streams.enumerated().map { index, name in
                directoryEntry(name: name, type: 2, right: index + 1 < streams.count ? UInt32(index + 2) : free)
            }
        let directorySectors = (entries.count + 3) / 4
        var header = [UInt8](repeating: 0, count: 512)
        func put(_ value: [UInt8], at offset: Int) { header.replaceSubrange(offset..<(offset + value.count), with: value) }
        put([0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1], at: 0)
        put(le16(0x3E) + le16(3) + le16(0xFFFE) + le16(9) + le16(6), at: 0x18)
        put(le32(1), at: 0x2C)  // FAT sectors
        put(le32(1), at: 0x30)  // first directory sector
        put(le32(4096), at: 0x38)  // mini stream cutoff
        put(le32(endOfChain) + le32(0) + le32(endOfChain) + le32(0), at: 0x3C)  // no mini FAT, no DIFAT sectors
        put(le32(0), at: 0x4C)  // the FAT is sector 0
        for index in 1..<109 { put(le32(free), at: 0x4C + 4 * index) }
        var fat = [fatSector]
        for sector in 1...directorySectors { fat.append(sector == directorySectors ? endOfChain : UInt32(sector + 1)) }
        fat += [UInt32](repeating: free, count: 128 - fat.count)
        var directory = entries.flatMap { $0 }
        directory += [UInt8](repeating: 0, count: directorySectors * 512 - directory.count)
        return header + fat.flatMap(le32) + directory
    }

    /// A 128-byte directory entry: UTF-16LE name, its byte length with the terminator, type
    /// (2 stream, 5 root), colour black, siblings and child, start sector end-of-chain, size 0.
    static func directoryEntry(name: String, type: UInt8, right: UInt32 = free, child: UInt32 = free) -> [UInt8] {
        var entry = [UInt8](repeating: 0, count: 128)
        let units = Array(name.utf16.prefix(31)) + [0]
        let nameBytes = units.flatMap(le16)
        entry.replaceSubrange(0..<nameBytes.count, with: nameBytes)
        entry.replaceSubrange(0x40..<0x42, with: le16(UInt16(nameBytes.count)))
        entry[0x42] = type
        entry[0x43] = 1
        entry.replaceSubrange(0x44..<0x50, with: le32(free) + le32(right) + le32(child))
        entry.replaceSubrange(0x74..<0x78, with: le32(endOfChain))
        return entry
    }

    static func le16(_ value: UInt16) -> [UInt8] { [UInt8(value & 0xFF), UInt8(value >> 8)] }
    static func le32(_ value: UInt32) -> [UInt8] { le16(UInt16(value & 0xFFFF)) + le16(UInt16(value >> 16)) }
}
