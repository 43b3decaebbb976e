/// Variable-length integers (unsigned LEB128: seven bits a byte, the high bit set on every byte but the last) and the
/// zigzag form of signed ones, as the compact per-line stores keep their numbers (`SegmentLines`, `YAMLLineNumbers`,
/// `FaxNames`).
public enum LEB128 {
    /// Appends `value` to `bytes`.
    public static func append(_ value: UInt64, to bytes: inout [UInt8]) {
        var value = value
        while value >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: value) | 0x80)
            value >>= 7
        }
        bytes.append(UInt8(value))
    }

    /// Appends the signed `value`, zigzag-encoded (0, -1, 1, -2, … as 0, 1, 2, 3, …), to `bytes`.
    public static func append(signed value: Int, to bytes: inout [UInt8]) {
        append(UInt64(bitPattern: Int64((value &<< 1) ^ (value >> (Int.bitWidth - 1)))), to: &bytes)
    }

    /// The value at `offset` in `bytes`; `offset` moves past it.
    public static func read(_ bytes: [UInt8], at offset: inout Int) -> UInt64 {
        var value: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            let byte = bytes[offset]
            offset += 1
            value |= UInt64(byte & 0x7f) << shift
            if byte < 0x80 { return value }
            shift += 7
        }
    }

    /// The signed value at `offset` in `bytes` (`append(signed:to:)`); `offset` moves past it.
    public static func readSigned(_ bytes: [UInt8], at offset: inout Int) -> Int {
        let zigzag = read(bytes, at: &offset)
        return Int(Int64(bitPattern: zigzag >> 1) ^ -Int64(bitPattern: zigzag & 1))
    }
}
