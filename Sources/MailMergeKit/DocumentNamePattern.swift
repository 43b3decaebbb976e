import Foundation

/// A pattern for output file names, e.g. `{ContactNo}-{Surname}.docx` or `letter_{#:05}.docx`.
///
/// `{Name}` is the record's value for column `Name` (any case); `{#}` is the record number,
/// `{#:05}` the same padded with zeros to 5 digits. Everything else is literal. Every name the
/// pattern makes is a safe, single file name inside the output folder (see `SafeFileName`).
public struct DocumentNamePattern: Sendable {
    private enum Piece: Sendable {
        case literal(String)
        /// The column's position in `columns`.
        case column(Int)
        case number(width: Int)
    }
    private let pieces: [Piece]

    /// The column names the pattern uses, in pattern order (a column used twice is listed twice).
    public let columns: [String]
    /// `columns` lowercased, made once: a caller that knows its values by name compares these (`fileName(forNumber:valueAt:)`).
    public let foldedColumns: [String]

    /// The pattern as given.
    public let text: String

    /// Parses `text`. Throws `MailMergeError.invalidNamePattern` for an unclosed `{`,
    /// an empty `{}`, a bad `{#:…}` width or a `/` (patterns name files, not folders).
    public init(_ text: String) throws(MailMergeError) {
        self.text = text
        var pieces: [Piece] = []
        var columns: [String] = []
        var literal = ""
        var rest = Substring(text)
        while let open = rest.firstIndex(of: "{") {
            literal += rest[..<open]
            guard let close = rest[open...].firstIndex(of: "}") else {
                throw .invalidNamePattern(text, "a \"{\" is never closed")
            }
            let name = rest[rest.index(after: open)..<close].trimmingCharacters(in: .whitespaces)
            if !literal.isEmpty {
                pieces.append(.literal(literal))
                literal = ""
            }
            if name.isEmpty { throw .invalidNamePattern(text, "\"{}\" names no column") }
            if name == "#" {
                pieces.append(.number(width: 0))
            } else if name.hasPrefix("#:") {
                guard let width = Int(name.dropFirst(2)), (1...12).contains(width) else {
                    throw .invalidNamePattern(text, "\"{\(name)}\" needs a width from 1 to 12, e.g. {#:05}")
                }
                pieces.append(.number(width: width))
            } else {
                pieces.append(.column(columns.count))
                columns.append(name)
            }
            rest = rest[rest.index(after: close)...]
        }
        literal += rest
        if literal.contains("/") || pieces.contains(where: { if case .literal(let s) = $0 { s.contains("/") } else { false } }) {
            throw .invalidNamePattern(text, "a name pattern makes file names, not folders: remove the \"/\"")
        }
        if !literal.isEmpty { pieces.append(.literal(literal)) }
        if pieces.isEmpty { throw .invalidNamePattern(text, "the pattern is empty") }
        self.pieces = pieces
        self.columns = columns
        foldedColumns = columns.map { $0.lowercased() }
    }

    /// The safe file name for a record with `number` whose values are looked up by `value(column)`.
    /// A `.docx` extension is added when the pattern does not end with one.
    public func fileName(number: Int, value: (String) -> String?) -> String {
        fileName(forNumber: number) { position in value(columns[position]) }
    }

    /// As `fileName(number:value:)`, the values looked up by the column's position in `columns` (and `foldedColumns`):
    /// a run naming a file per line compares no names but the pattern's, folded once.
    public func fileName(forNumber number: Int, valueAt value: (Int) -> String?) -> String {
        var name = ""
        for piece in pieces {
            switch piece {
            case .literal(let s): name += s
            case .column(let position): name += SafeFileName.component(value(position) ?? "")
            case .number(let width):
                let digits = String(number)
                if width > digits.utf8.count { name += String(repeating: "0", count: width - digits.utf8.count) }
                name += digits
            }
        }
        if !Self.hasDocxSuffix(name) { name += ".docx" }
        return SafeFileName.make(name)
    }

    /// `name.lowercased().hasSuffix(".docx")`, decided on the bytes (no lowercased copy) when they show it: the last five
    /// bytes are `.docx` in any case with an ASCII byte (or nothing) before them, so that the dot is a character of its
    /// own; or `name` is ASCII. Otherwise lowercased and compared.
    private static func hasDocxSuffix(_ name: String) -> Bool {
        let bytes = name.utf8
        if bytes.count >= 5,
            zip(bytes.suffix(5), ".docx".utf8).allSatisfy({ byte, expected in
                byte == expected || (byte >= 0x41 && byte <= 0x5A && byte | 0x20 == expected)
            })
        {
            guard let before = bytes.dropLast(5).last, before >= 0x80 else { return true }
        } else if bytes.allSatisfy({ $0 < 0x80 }) {
            return false
        }
        return name.lowercased().hasSuffix(".docx")
    }
}

/// Turns text from data into names that stay inside the output folder on every common file system.
public enum SafeFileName {
    /// The longest file name, in UTF-8 bytes, that common file systems accept.
    public static let maximumBytes = 255

    /// `text` with path separators, NUL, control characters and `: * ? " < > |` replaced by `_`.
    public static func component(_ text: String) -> String {
        // Most values need nothing replaced: decided on the bytes (a byte of 0x80 or more is part of a scalar above
        // U+007F, which is kept), the value returned as it is.
        if text.utf8.allSatisfy({ byte in
            byte >= 0x80 || (byte >= 0x20 && byte != 0x7F && !replacedBytes.contains(byte))
        }) {
            return text
        }
        var out = ""
        out.unicodeScalars.reserveCapacity(text.unicodeScalars.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "/", "\\", ":", "*", "?", "\"", "<", ">", "|": out.unicodeScalars.append("_")
            case _ where scalar.value < 0x20 || scalar.value == 0x7F: out.unicodeScalars.append("_")
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// A complete safe file name: components cleaned, no leading dots (no `..`, no hidden
    /// files), no trailing dots or spaces, Windows device names (`CON`, `NUL`, `COM1` …)
    /// prefixed with `_`, and shortened to `maximumBytes` keeping the extension.
    public static func make(_ name: String) -> String {
        if isSafeAlready(name) { return name }
        let cleaned = component(name)
        var stem = cleaned
        var ext = ""
        if let dot = cleaned.lastIndex(of: ".") {
            stem = String(cleaned[..<dot])
            ext = String(cleaned[dot...])
        }
        while stem.hasPrefix(".") || stem.hasPrefix(" ") { stem.removeFirst() }
        while stem.hasSuffix(".") || stem.hasSuffix(" ") { stem.removeLast() }
        if stem.isEmpty { stem = "_" }
        let device = stem.split(separator: ".", maxSplits: 1).first.map { $0.uppercased() } ?? ""
        if reservedDeviceNames.contains(device) { stem = "_" + stem }
        while stem.utf8.count + ext.utf8.count > maximumBytes { stem.removeLast() }
        return stem + ext
    }

    /// Whether `make` would return `name` as it is, decided on its bytes (a run names a file per line): no byte that
    /// `component` replaces, no leading dot or space, none at the end of the stem, a first part that cannot be a device
    /// name (not 3 or 4 bytes before its first dot), not too long. Bytes of 0x80 and more (letters such as `ø`, `é`) are
    /// kept by `make` as long as its character-wise look at the name sees what the bytes show: the first part (up to the
    /// first dot) is ASCII or longer than a device name can come from, and the last dot has ASCII on both sides, so that it is a character of its own (no combining
    /// mark after it, no prepended one before it) and `make` splits the extension where the bytes do. Anything else
    /// takes `make`'s way.
    private static func isSafeAlready(_ name: String) -> Bool {
        let bytes = name.utf8
        guard let first = bytes.first, bytes.count <= maximumBytes, first != UInt8(ascii: "."), first != UInt8(ascii: " ") else { return false }
        var lastDot: String.UTF8View.Index?
        var firstDot: String.UTF8View.Index?
        var firstWide: String.UTF8View.Index?
        for index in bytes.indices {
            switch bytes[index] {
            case 0x20...0x7E:
                switch bytes[index] {
                case UInt8(ascii: "/"), UInt8(ascii: "\\"), UInt8(ascii: ":"), UInt8(ascii: "*"), UInt8(ascii: "?"), UInt8(ascii: "\""),
                    UInt8(ascii: "<"), UInt8(ascii: ">"), UInt8(ascii: "|"):
                    return false
                case UInt8(ascii: "."):
                    if firstDot == nil { firstDot = index }
                    lastDot = index
                default: break
                }
            case 0x80...:
                if firstWide == nil { firstWide = index }
            default: return false
            }
        }
        let stemEnd = lastDot ?? bytes.endIndex
        guard stemEnd > bytes.startIndex else { return false }
        let lastOfStem = bytes[bytes.index(before: stemEnd)]
        guard lastOfStem != UInt8(ascii: "."), lastOfStem != UInt8(ascii: " ") else { return false }
        let firstPartEnd = firstDot.map { $0 < stemEnd ? $0 : stemEnd } ?? stemEnd
        let firstPart = bytes.distance(from: bytes.startIndex, to: firstPartEnd)
        if let firstWide {
            // Upper-casing maps each scalar to one or more: a first part of more than 16 bytes (4 scalars of up to 4
            // bytes) with a scalar beyond ASCII never becomes a 3- or 4-letter device name.
            guard firstWide > firstPartEnd || firstPart > 16, lastOfStem < 0x80 else { return false }
            if let lastDot {
                let next = bytes.index(after: lastDot)
                guard next == bytes.endIndex || bytes[next] < 0x80 else { return false }
            }
        }
        return firstPart != 3 && firstPart != 4
    }

    /// The printable ASCII characters `component` replaces.
    private static let replacedBytes: [UInt8] = Array("/\\:*?\"<>|".utf8)

    private static let reservedDeviceNames: Set<String> = {
        var names: Set<String> = ["CON", "PRN", "AUX", "NUL"]
        for i in 1...9 {
            names.insert("COM\(i)")
            names.insert("LPT\(i)")
        }
        return names
    }()
}
