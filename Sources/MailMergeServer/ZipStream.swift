import Foundation
import Hummingbird

/// Streams files on disk as a zip archive (stored entries: .docx and PDF are compressed already),
/// reading each file in 64 KiB chunks: the archive is never built in memory. Each entry's CRC-32 and
/// sizes follow its data in a data descriptor (APPNOTE 4.3.9), so nothing is read twice.
enum ZipStream {
    static func body(files: [(name: String, path: String)], onFinish: @escaping @Sendable () -> Void) -> ResponseBody {
        ResponseBody { writer in
            defer { onFinish() }
            var central = ByteBuffer()
            var offset: UInt32 = 0
            for file in files {
                let name = Array(file.name.utf8)
                var header = ByteBuffer()
                header.writeInteger(UInt32(0x0403_4b50), endianness: .little)
                header.writeInteger(UInt16(20), endianness: .little)  // version needed
                header.writeInteger(UInt16(0x0808), endianness: .little)  // data descriptor, UTF-8 names
                header.writeInteger(UInt16(0), endianness: .little)  // stored
                header.writeInteger(UInt16(0), endianness: .little)  // time
                header.writeInteger(UInt16(0x21), endianness: .little)  // date 1980-01-01
                header.writeInteger(UInt32(0), endianness: .little)  // crc (in the descriptor)
                header.writeInteger(UInt32(0), endianness: .little)
                header.writeInteger(UInt32(0), endianness: .little)
                header.writeInteger(UInt16(name.count), endianness: .little)
                header.writeInteger(UInt16(0), endianness: .little)
                header.writeBytes(name)
                try await writer.write(header)

                guard let handle = FileHandle(forReadingAtPath: file.path) else {
                    throw APIError(status: .internalServerError, error: "io", detail: "a merged document vanished")
                }
                defer { try? handle.close() }
                var crc = CRC32()
                var size: UInt32 = 0
                while let chunk = try handle.read(upToCount: 65536), !chunk.isEmpty {
                    crc.update(chunk)
                    size &+= UInt32(chunk.count)
                    try await writer.write(ByteBuffer(bytes: chunk))
                }
                var descriptor = ByteBuffer()
                descriptor.writeInteger(UInt32(0x0807_4b50), endianness: .little)
                descriptor.writeInteger(crc.value, endianness: .little)
                descriptor.writeInteger(size, endianness: .little)
                descriptor.writeInteger(size, endianness: .little)
                try await writer.write(descriptor)

                central.writeInteger(UInt32(0x0201_4b50), endianness: .little)
                central.writeInteger(UInt16(20), endianness: .little)  // made by
                central.writeInteger(UInt16(20), endianness: .little)
                central.writeInteger(UInt16(0x0808), endianness: .little)
                central.writeInteger(UInt16(0), endianness: .little)
                central.writeInteger(UInt16(0), endianness: .little)
                central.writeInteger(UInt16(0x21), endianness: .little)
                central.writeInteger(crc.value, endianness: .little)
                central.writeInteger(size, endianness: .little)
                central.writeInteger(size, endianness: .little)
                central.writeInteger(UInt16(name.count), endianness: .little)
                central.writeInteger(UInt16(0), endianness: .little)  // extra
                central.writeInteger(UInt16(0), endianness: .little)  // comment
                central.writeInteger(UInt16(0), endianness: .little)  // disk
                central.writeInteger(UInt16(0), endianness: .little)  // internal attributes
                central.writeInteger(UInt32(0), endianness: .little)  // external attributes
                central.writeInteger(offset, endianness: .little)
                central.writeBytes(name)
                offset &+= UInt32(30 + name.count) &+ size &+ 16
            }
            let centralSize = UInt32(central.readableBytes)
            var end = central
            end.writeInteger(UInt32(0x0605_4b50), endianness: .little)
            end.writeInteger(UInt16(0), endianness: .little)
            end.writeInteger(UInt16(0), endianness: .little)
            end.writeInteger(UInt16(files.count), endianness: .little)
            end.writeInteger(UInt16(files.count), endianness: .little)
            end.writeInteger(centralSize, endianness: .little)
            end.writeInteger(offset, endianness: .little)
            end.writeInteger(UInt16(0), endianness: .little)
            try await writer.write(end)
            try await writer.finish(nil)
        }
    }
}

/// CRC-32 (ISO 3309, zip's), table-driven.
struct CRC32 {
    private static let table: [UInt32] = (0..<256).map { index in
        var c = UInt32(index)
        for _ in 0..<8 { c = c & 1 == 1 ? 0xEDB8_8320 ^ (c >> 1) : c >> 1 }
        return c
    }
    private var crc: UInt32 = 0xFFFF_FFFF

    mutating func update(_ data: Data) {
        data.withUnsafeBytes { bytes in
            for byte in bytes { crc = Self.table[Int((crc ^ UInt32(byte)) & 0xFF)] ^ (crc >> 8) }
        }
    }

    var value: UInt32 { crc ^ 0xFFFF_FFFF }
}
