/// Writes an RGB bitmap (zint's raster output) as a PNG file: an indexed-colour PNG when it has at
/// most 256 colours (barcodes have two), else truecolour. The image data is a zlib stream of
/// stored (uncompressed) deflate blocks: zint 2.11 cannot write a PNG to memory, and a barcode's
/// bitmap is small. The package writer deflates the media part like any other entry.
enum PNGEncoder {
    static func encode(rgb: [UInt8], width: Int, height: Int) -> [UInt8] {
        precondition(rgb.count == width * height * 3, "an RGB bitmap has three bytes a pixel")
        var palette: [UInt32: UInt8] = [:]
        var paletteBytes: [UInt8] = []
        var indexed = true
        var last: UInt32 = .max
        for i in stride(from: 0, to: rgb.count, by: 3) {
            let colour = UInt32(rgb[i]) << 16 | UInt32(rgb[i + 1]) << 8 | UInt32(rgb[i + 2])
            if colour == last { continue }
            last = colour
            if palette[colour] == nil {
                guard palette.count < 256 else {
                    indexed = false
                    break
                }
                palette[colour] = UInt8(palette.count)
                paletteBytes += [rgb[i], rgb[i + 1], rgb[i + 2]]
            }
        }
        var raw: [UInt8] = []
        raw.reserveCapacity(height * (1 + width * (indexed ? 1 : 3)))
        for y in 0..<height {
            raw.append(0)  // filter: none
            let row = rgb[(y * width * 3)..<((y + 1) * width * 3)]
            if indexed {
                // Runs of one colour are the rule (bars, modules): look the palette up only when the colour changes.
                var i = row.startIndex
                var last: UInt32 = .max
                var index: UInt8 = 0
                while i < row.endIndex {
                    let colour = UInt32(rgb[i]) << 16 | UInt32(rgb[i + 1]) << 8 | UInt32(rgb[i + 2])
                    if colour != last {
                        last = colour
                        index = palette[colour] ?? 0
                    }
                    raw.append(index)
                    i += 3
                }
            } else {
                raw.append(contentsOf: row)
            }
        }
        var png: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
        var header: [UInt8] = []
        header += bigEndian(UInt32(width)) + bigEndian(UInt32(height))
        header += [8, indexed ? 3 : 2, 0, 0, 0]  // bit depth 8; palette or RGB; deflate; adaptive filters; no interlace
        chunk("IHDR", header, to: &png)
        if indexed { chunk("PLTE", paletteBytes, to: &png) }
        chunk("IDAT", zlibStored(raw), to: &png)
        chunk("IEND", [], to: &png)
        return png
    }

    /// A zlib stream (RFC 1950) of stored deflate blocks (RFC 1951 §3.2.4).
    private static func zlibStored(_ data: [UInt8]) -> [UInt8] {
        var out: [UInt8] = [0x78, 0x01]
        var offset = 0
        repeat {
            let count = min(65_535, data.count - offset)
            let last: UInt8 = offset + count == data.count ? 1 : 0
            out.append(last)
            out += [UInt8(count & 0xFF), UInt8(count >> 8), UInt8(~count & 0xFF), UInt8((~count >> 8) & 0xFF)]
            out += data[offset..<offset + count]
            offset += count
        } while offset < data.count
        var a: UInt32 = 1
        var b: UInt32 = 0
        for byte in data {
            a = (a + UInt32(byte)) % 65_521
            b = (b + a) % 65_521
        }
        return out + bigEndian(b << 16 | a)
    }

    private static func chunk(_ type: String, _ data: [UInt8], to png: inout [UInt8]) {
        let typed = Array(type.utf8) + data
        png += bigEndian(UInt32(data.count)) + typed + bigEndian(crc32(typed))
    }

    private static let crcTable: [UInt32] = (0..<256).map { n in
        var c = UInt32(n)
        for _ in 0..<8 { c = c & 1 != 0 ? 0xEDB8_8320 ^ (c >> 1) : c >> 1 }
        return c
    }

    private static func crc32(_ bytes: [UInt8]) -> UInt32 {
        var c: UInt32 = 0xFFFF_FFFF
        for byte in bytes { c = crcTable[Int((c ^ UInt32(byte)) & 0xFF)] ^ (c >> 8) }
        return c ^ 0xFFFF_FFFF
    }

    private static func bigEndian(_ value: UInt32) -> [UInt8] {
        [UInt8(value >> 24), UInt8((value >> 16) & 0xFF), UInt8((value >> 8) & 0xFF), UInt8(value & 0xFF)]
    }
}
