/// What a picture file's first bytes say: its format and pixel size. Read from the header only
/// (PNG's IHDR, a JPEG's start-of-frame marker, GIF's logical screen), never by decoding it.
public struct ImageHeader: Sendable, Equatable {
    public enum Format: String, Sendable {
        case png, jpeg, gif

        /// The file extension of the media part, and its content type.
        var fileExtension: String { self == .jpeg ? "jpeg" : rawValue }
        var contentType: String { "image/\(fileExtension)" }
    }

    public let format: Format
    public let width: Int
    public let height: Int

    /// The header of `bytes`, or a sentence saying why they are not a PNG, JPEG or GIF picture.
    public static func read(_ bytes: [UInt8]) -> Result<ImageHeader, ImageProblem> {
        if bytes.starts(with: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) {
            // Signature, then the IHDR chunk: length (4), "IHDR", width (4, big-endian), height (4).
            guard bytes.count >= 24, bytes[12..<16].elementsEqual(Array("IHDR".utf8)) else {
                return .failure(ImageProblem("a PNG signature without an IHDR header: the file is damaged"))
            }
            return .success(ImageHeader(format: .png, width: bigEndian(bytes, 16, 4), height: bigEndian(bytes, 20, 4)))
        }
        if bytes.starts(with: Array("GIF87a".utf8)) || bytes.starts(with: Array("GIF89a".utf8)) {
            guard bytes.count >= 10 else { return .failure(ImageProblem("a GIF signature without its screen size: the file is damaged")) }
            return .success(
                ImageHeader(format: .gif, width: Int(bytes[6]) | Int(bytes[7]) << 8, height: Int(bytes[8]) | Int(bytes[9]) << 8))
        }
        if bytes.starts(with: [0xFF, 0xD8, 0xFF]) { return jpeg(bytes) }
        return .failure(ImageProblem("not a PNG, JPEG or GIF picture (its first bytes are no picture signature)"))
    }

    /// Walks the JPEG markers up to the first start-of-frame (SOF0–SOF15 but DHT, JPG, DAC).
    private static func jpeg(_ bytes: [UInt8]) -> Result<ImageHeader, ImageProblem> {
        var i = 2
        while i + 4 <= bytes.count {
            guard bytes[i] == 0xFF else { break }
            let marker = bytes[i + 1]
            if marker == 0xFF {  // fill byte
                i += 1
                continue
            }
            if marker == 0xD8 || marker == 0x01 || (0xD0...0xD7).contains(marker) {
                i += 2
                continue
            }
            let length = bigEndian(bytes, i + 2, 2)
            guard length >= 2 else { break }
            if (0xC0...0xCF).contains(marker), ![0xC4, 0xC8, 0xCC].contains(marker) {
                guard i + 9 <= bytes.count else { break }
                return .success(ImageHeader(format: .jpeg, width: bigEndian(bytes, i + 7, 2), height: bigEndian(bytes, i + 5, 2)))
            }
            if marker == 0xDA || marker == 0xD9 { break }
            i += 2 + length
        }
        return .failure(ImageProblem("a JPEG signature without a frame header giving its size: the file is damaged"))
    }

    private static func bigEndian(_ bytes: [UInt8], _ offset: Int, _ count: Int) -> Int {
        bytes[offset..<offset + count].reduce(0) { $0 << 8 | Int($1) }
    }
}

/// Why a picture cannot go into a document, as a sentence.
public struct ImageProblem: Error, Sendable, Equatable, CustomStringConvertible {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
