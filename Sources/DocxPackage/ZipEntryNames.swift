/// Every name a zip entry can be read under, from the archive's own bytes.
///
/// Zip readers disagree about names: the raw bytes are UTF-8 when general purpose bit 11 is
/// set and code page 437 otherwise (some readers guess UTF-8 anyway); the Info-ZIP Unicode Path
/// extra field (0x7075: version 1, CRC-32 of the raw name, the UTF-8 name) overrides the name
/// for readers that know it (libzip applies it and does not give the raw name back), others
/// ignore it; streaming readers use the local header's name, others the central directory's;
/// OPC compares part names ignoring case. A package where two entries share any of these
/// readings can show different programs different parts, so it is refused.
enum ZipEntryNames {
    /// How a name was read.
    enum Source: Equatable {
        case name, codePage437, unicodePathField, localHeader

        var phrase: String {
            switch self {
            case .name: "its name"
            case .codePage437: "its name read as code page 437"
            case .unicodePathField: "its Unicode Path extra field (0x7075)"
            case .localHeader: "the name in its local header"
            }
        }
    }

    struct Reading: Equatable {
        let name: String
        let source: Source
    }

    /// The readings of every entry, in central directory order (libzip's index order);
    /// nil when the central directory cannot be walked.
    static func readings(_ bytes: UnsafeRawBufferPointer) -> [[Reading]]? {
        guard let (count, start) = centralDirectory(bytes) else { return nil }
        var result: [[Reading]] = []
        var offset = start
        for _ in 0..<count {
            guard offset + 46 <= bytes.count, bytes.uint32LE(at: offset) == 0x0201_4B50 else { return nil }
            let flags = bytes.uint16LE(at: offset + 8)
            let nameLength = Int(bytes.uint16LE(at: offset + 28))
            let extraLength = Int(bytes.uint16LE(at: offset + 30))
            let commentLength = Int(bytes.uint16LE(at: offset + 32))
            let end = offset + 46 + nameLength + extraLength + commentLength
            guard end <= bytes.count else { return nil }
            let rawName = Array(bytes[(offset + 46)..<(offset + 46 + nameLength)])
            let extra = bytes[(offset + 46 + nameLength)..<(offset + 46 + nameLength + extraLength)]
            var readings = names(raw: rawName, flags: flags, extra: extra, primary: .name)
            var localOffset = Int(bytes.uint32LE(at: offset + 42))
            if localOffset == 0xFFFF_FFFF, let zip64 = zip64LocalOffset(extra, central: bytes, at: offset) { localOffset = zip64 }
            if localOffset <= bytes.count - 30, bytes.uint32LE(at: localOffset) == 0x0403_4B50 {
                let localFlags = bytes.uint16LE(at: localOffset + 6)
                let localNameLength = Int(bytes.uint16LE(at: localOffset + 26))
                let localExtraLength = Int(bytes.uint16LE(at: localOffset + 28))
                let nameStart = localOffset + 30
                if nameStart + localNameLength + localExtraLength <= bytes.count {
                    let localName = Array(bytes[nameStart..<(nameStart + localNameLength)])
                    let localExtra = bytes[(nameStart + localNameLength)..<(nameStart + localNameLength + localExtraLength)]
                    for reading in names(raw: localName, flags: localFlags, extra: localExtra, primary: .localHeader)
                    where !readings.contains(where: { $0.name == reading.name }) {
                        readings.append(Reading(name: reading.name, source: .localHeader))
                    }
                }
            }
            result.append(readings)
            offset = end
        }
        return result
    }

    /// The readings of one header's name: raw as UTF-8, as code page 437 (without bit 11),
    /// and the Unicode Path extra field's name.
    private static func names(raw: [UInt8], flags: UInt16, extra: Slice<UnsafeRawBufferPointer>, primary: Source) -> [Reading] {
        var readings: [Reading] = []
        func add(_ name: String, _ source: Source) {
            if !readings.contains(where: { $0.name == name }) { readings.append(Reading(name: name, source: source)) }
        }
        if let utf8 = String(validating: raw, as: UTF8.self) { add(utf8, primary) }
        if flags & 0x0800 == 0 { add(codePage437(raw), primary == .name ? .codePage437 : primary) }
        if let unicode = unicodePath(extra) { add(unicode, primary == .name ? .unicodePathField : primary) }
        return readings
    }

    /// The UTF-8 name of a version 1 Unicode Path extra field, whatever its CRC says (readers
    /// differ in checking it).
    private static func unicodePath(_ extra: Slice<UnsafeRawBufferPointer>) -> String? {
        guard let body = extraField(0x7075, in: extra), body.count >= 5, extra.base[body.lowerBound] == 1 else { return nil }
        return String(validating: Array(extra.base[(body.lowerBound + 5)..<body.upperBound]), as: UTF8.self)
    }

    /// The bytes of the first extra field `id` in a header's extra field block, if well-formed.
    private static func extraField(_ id: UInt16, in extra: Slice<UnsafeRawBufferPointer>) -> Range<Int>? {
        var offset = extra.startIndex
        while offset + 4 <= extra.endIndex {
            let size = Int(extra.base.uint16LE(at: offset + 2))
            let body = offset + 4
            guard body + size <= extra.endIndex else { return nil }
            if extra.base.uint16LE(at: offset) == id { return body..<(body + size) }
            offset = body + size
        }
        return nil
    }

    /// The local header offset from a central entry's zip64 extra field (0x0001), whose values
    /// appear only for the header fields set to 0xFFFFFFFF, in a fixed order.
    private static func zip64LocalOffset(_ extra: Slice<UnsafeRawBufferPointer>, central bytes: UnsafeRawBufferPointer, at entry: Int) -> Int? {
        guard let body = extraField(0x0001, in: extra) else { return nil }
        var field = body.lowerBound
        if bytes.uint32LE(at: entry + 24) == 0xFFFF_FFFF { field += 8 }  // uncompressed size
        if bytes.uint32LE(at: entry + 20) == 0xFFFF_FFFF { field += 8 }  // compressed size
        guard field + 8 <= body.upperBound else { return nil }
        return Int(exactly: bytes.uint64LE(at: field))
    }

    /// The entry count and offset of the central directory, from the end of central
    /// directory record (or its zip64 version).
    private static func centralDirectory(_ bytes: UnsafeRawBufferPointer) -> (count: Int, offset: Int)? {
        guard bytes.count >= 22 else { return nil }
        var end = bytes.count - 22
        let lowest = max(0, bytes.count - 22 - 0xFFFF)
        while end >= lowest, bytes.uint32LE(at: end) != 0x0605_4B50 { end -= 1 }
        guard end >= lowest else { return nil }
        var count = Int(bytes.uint16LE(at: end + 10))
        var offset = Int(bytes.uint32LE(at: end + 16))
        if count == 0xFFFF || offset == 0xFFFF_FFFF, end >= 20, bytes.uint32LE(at: end - 20) == 0x0706_4B50 {
            guard let record = Int(exactly: bytes.uint64LE(at: end - 12)), record <= bytes.count - 56,
                bytes.uint32LE(at: record) == 0x0606_4B50,
                let zip64Count = Int(exactly: bytes.uint64LE(at: record + 32)),
                let zip64Offset = Int(exactly: bytes.uint64LE(at: record + 48))
            else { return nil }
            count = zip64Count
            offset = zip64Offset
        }
        guard offset <= bytes.count, count <= bytes.count / 46 + 1 else { return nil }
        return (count, offset)
    }

    /// Code page 437 (the zip format's default name encoding) for bytes 0x80–0xFF.
    private static let highCodePage437 = Array(
        "ÇüéâäàåçêëèïîìÄÅÉæÆôöòûùÿÖÜ¢£¥₧ƒáíóúñÑªº¿⌐¬½¼¡«»░▒▓│┤╡╢╖╕╣║╗╝╜╛┐"
            + "└┴┬├─┼╞╟╚╔╩╦╠═╬╧╨╤╥╙╘╒╓╫╪┘┌█▄▌▐▀"
            + "αßΓπΣσµτΦΘΩδ∞φε∩≡±≥≤⌠⌡÷≈°∙·√ⁿ²■\u{A0}")

    private static func codePage437(_ raw: [UInt8]) -> String {
        var result = ""
        for byte in raw {
            if byte < 0x80 { result.unicodeScalars.append(Unicode.Scalar(byte)) } else { result.append(highCodePage437[Int(byte) - 0x80]) }
        }
        return result
    }
}
