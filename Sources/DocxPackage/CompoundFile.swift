/// Recognises an OLE compound file ([MS-CFB]): what Word saves a password-protected .docx as
/// (an `EncryptedPackage` stream beside `EncryptionInfo`), and the container of a Word 97–2003
/// .doc (a `WordDocument` stream). Only the header, the FAT and the directory chain are read.
enum CompoundFile {
    /// What an OLE compound file holds, as far as opening a .docx goes.
    enum Content: Equatable {
        /// A password-protected (encrypted) Office Open XML document.
        case encryptedPackage
        /// A Word 97–2003 binary document.
        case wordDocument
        /// Something else (another Office 97–2003 file, or an unreadable directory).
        case other
    }

    static let signature: [UInt8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]

    /// Whether `bytes` start with the compound file signature.
    static func startsLikeCompoundFile(_ bytes: UnsafeRawBufferPointer) -> Bool {
        bytes.count >= 8 && bytes.prefix(8).elementsEqual(signature)
    }

    /// What the compound file `bytes` holds, from the names of its directory entries.
    static func content(of bytes: UnsafeRawBufferPointer) -> Content {
        let names = Set(directoryNames(bytes))
        if names.contains("EncryptedPackage") { return .encryptedPackage }
        if names.contains("WordDocument") { return .wordDocument }
        return .other
    }

    /// The names of the directory entries, following the directory's sector chain through the
    /// FAT; stops at the first inconsistency (a damaged file yields what could be read).
    static func directoryNames(_ bytes: UnsafeRawBufferPointer) -> [String] {
        guard bytes.count >= 512, startsLikeCompoundFile(bytes) else { return [] }
        let shift = Int(bytes.uint16LE(at: 0x1E))
        guard shift == 9 || shift == 12 else { return [] }
        let sectorSize = 1 << shift
        func sectorOffset(_ sector: UInt32) -> Int? {
            let offset = (Int(sector) + 1) * sectorSize
            return offset + sectorSize <= bytes.count ? offset : nil
        }
        // The FAT sectors listed in the header's DIFAT (109 entries), then in DIFAT sectors.
        var fatSectors: [UInt32] = []
        let fatCount = min(Int(bytes.uint32LE(at: 0x2C)), bytes.count / sectorSize)  // a lying header cannot make it huge
        for index in 0..<109 where fatSectors.count < fatCount {
            fatSectors.append(bytes.uint32LE(at: 0x4C + 4 * index))
        }
        var difat = bytes.uint32LE(at: 0x44)
        var visited = 0
        while fatSectors.count < fatCount, difat < 0xFFFF_FFFA, let offset = sectorOffset(difat), visited < 1 << 16 {
            let perSector = sectorSize / 4 - 1
            for index in 0..<perSector where fatSectors.count < fatCount {
                fatSectors.append(bytes.uint32LE(at: offset + 4 * index))
            }
            difat = bytes.uint32LE(at: offset + 4 * perSector)
            visited += 1
        }
        func next(_ sector: UInt32) -> UInt32? {
            let perSector = sectorSize / 4
            let fatIndex = Int(sector) / perSector
            guard fatIndex < fatSectors.count, let offset = sectorOffset(fatSectors[fatIndex]) else { return nil }
            return bytes.uint32LE(at: offset + 4 * (Int(sector) % perSector))
        }
        var names: [String] = []
        var sector = bytes.uint32LE(at: 0x30)
        var seen: Set<UInt32> = []
        while sector < 0xFFFF_FFFA, seen.insert(sector).inserted, let offset = sectorOffset(sector) {
            for entry in stride(from: offset, to: offset + sectorSize, by: 128) {
                let length = Int(bytes.uint16LE(at: entry + 0x40))
                guard length >= 2, length <= 64, bytes[entry + 0x42] != 0 else { continue }
                let units = (0..<(length / 2 - 1)).map { bytes.uint16LE(at: entry + 2 * $0) }
                names.append(String(decoding: units, as: UTF16.self))
            }
            guard let following = next(sector) else { break }
            sector = following
        }
        return names
    }
}
