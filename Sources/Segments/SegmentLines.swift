/// A segment's lines, held compactly: one byte buffer with each line's values one after another (its line number,
/// contact number and only the values the line overrides), and the position of every 32nd line. A line is made
/// again as a `SegmentLine` when read. A million lines of a generated segment (line number and contact only) take
/// about 15 MB, where an array of `SegmentLine`s takes 144 bytes a line (its seven strings and the rest inline).
///
/// Reading the lines in order costs one decoding per line; reading line `i` alone skips at most 31 lines' lengths.
/// Changing a line in the middle (`replaceSubrange`) copies the lines after it: build a changed list with `append`
/// or `filter`, as the criteria actions do.
public struct SegmentLines: Sendable {
    /// Per line: the length of the rest (LEB128), a byte of which values it has (`Flag`), the line number
    /// (zigzag LEB128), the contact number (length, UTF-8), then each value present in `Flag`'s order.
    private var bytes: [UInt8] = []
    /// The byte offset of lines 0, 32, 64, ….
    private var marks: [Int] = []
    public private(set) var count = 0

    private static let stride = 32

    public init() {}

    /// `lines`, encoded.
    public init(_ lines: some Sequence<SegmentLine>) {
        for line in lines { append(line) }
    }

    /// Which optional values a line has; the order they follow each other in a line's bytes.
    private enum Flag {
        static let description: UInt8 = 1
        static let templateCode: UInt8 = 2
        static let languageCode: UInt8 = 4
        static let subject: UInt8 = 8
        static let correspondenceType: UInt8 = 16
        static let comment: UInt8 = 32
        static let attachment: UInt8 = 64
    }

    /// Adds `line` at the end.
    public mutating func append(_ line: SegmentLine) {
        if count % Self.stride == 0 { marks.append(bytes.count) }
        var record: [UInt8] = []
        record.reserveCapacity(16 + line.contactNo.utf8.count)
        var flags: UInt8 = 0
        if line.description != nil { flags |= Flag.description }
        if line.templateCode != nil { flags |= Flag.templateCode }
        if line.languageCode != nil { flags |= Flag.languageCode }
        if line.subject != nil { flags |= Flag.subject }
        if line.correspondenceType != nil { flags |= Flag.correspondenceType }
        if line.comment != nil { flags |= Flag.comment }
        if line.attachment != nil { flags |= Flag.attachment }
        record.append(flags)
        LEB128.append(signed: line.lineNo, to: &record)
        Self.putString(line.contactNo, into: &record)
        if let value = line.description { Self.putString(value, into: &record) }
        if let value = line.templateCode { Self.putString(value, into: &record) }
        if let value = line.languageCode { Self.putString(value, into: &record) }
        if let value = line.subject { Self.putString(value, into: &record) }
        if let value = line.correspondenceType { record.append(UInt8(CorrespondenceType.allCases.firstIndex(of: value) ?? 0)) }
        if let value = line.comment { Self.putString(value, into: &record) }
        if let value = line.attachment { Self.putString(value, into: &record) }
        LEB128.append(UInt64(record.count), to: &bytes)
        bytes.append(contentsOf: record)
        count += 1
    }

    /// The bytes held for the lines, with the room kept for more.
    var storageBytes: Int { bytes.capacity + marks.capacity * MemoryLayout<Int>.size }

    /// Frees the room kept for more lines (after the last `append`).
    public mutating func shrink() {
        bytes.removeSpareCapacity()
        marks.removeSpareCapacity()
    }

    /// The byte offset of line `index`'s length.
    private func offset(of index: Int) -> Int {
        var offset = marks[index / Self.stride]
        for _ in 0..<index % Self.stride {
            let length = LEB128.read(bytes, at: &offset)
            offset += Int(length)
        }
        return offset
    }

    /// The line whose length is at `offset`; `offset` moves to the next line's.
    private func line(at offset: inout Int) -> SegmentLine {
        let length = Int(LEB128.read(bytes, at: &offset))
        let end = offset + length
        let flags = bytes[offset]
        offset += 1
        let lineNo = LEB128.readSigned(bytes, at: &offset)
        var line = SegmentLine(lineNo: lineNo, contactNo: string(at: &offset))
        if flags & Flag.description != 0 { line.description = string(at: &offset) }
        if flags & Flag.templateCode != 0 { line.templateCode = string(at: &offset) }
        if flags & Flag.languageCode != 0 { line.languageCode = string(at: &offset) }
        if flags & Flag.subject != 0 { line.subject = string(at: &offset) }
        if flags & Flag.correspondenceType != 0 {
            line.correspondenceType = CorrespondenceType.allCases[Int(bytes[offset])]
            offset += 1
        }
        if flags & Flag.comment != 0 { line.comment = string(at: &offset) }
        if flags & Flag.attachment != 0 { line.attachment = string(at: &offset) }
        offset = end
        return line
    }

    private func string(at offset: inout Int) -> String {
        let length = Int(LEB128.read(bytes, at: &offset))
        defer { offset += length }
        return bytes.withUnsafeBufferPointer { String(decoding: UnsafeBufferPointer(rebasing: $0[offset..<offset + length]), as: UTF8.self) }
    }

    private static func putString(_ value: String, into bytes: inout [UInt8]) {
        LEB128.append(UInt64(value.utf8.count), to: &bytes)
        bytes.append(contentsOf: value.utf8)
    }

}

extension SegmentLines: RandomAccessCollection {
    public var startIndex: Int { 0 }
    public var endIndex: Int { count }

    public subscript(position: Int) -> SegmentLine {
        precondition(position >= 0 && position < count, "segment line index out of range")
        var offset = offset(of: position)
        return line(at: &offset)
    }

    /// Reads the lines in order, each decoded once.
    public struct Iterator: IteratorProtocol {
        fileprivate let lines: SegmentLines
        fileprivate var index = 0
        fileprivate var offset = 0

        public mutating func next() -> SegmentLine? {
            guard index < lines.count else { return nil }
            index += 1
            return lines.line(at: &offset)
        }
    }

    public func makeIterator() -> Iterator { Iterator(lines: self) }
}

extension SegmentLines: RangeReplaceableCollection {
    public mutating func replaceSubrange<C: Collection<SegmentLine>>(_ subrange: Range<Int>, with newElements: C) {
        if subrange.lowerBound == count && subrange.isEmpty {
            for line in newElements { append(line) }
            return
        }
        var replaced = SegmentLines()
        for line in self[..<subrange.lowerBound] { replaced.append(line) }
        for line in newElements { replaced.append(line) }
        for line in self[subrange.upperBound...] { replaced.append(line) }
        self = replaced
    }

    public mutating func reserveCapacity(_ n: Int) {
        marks.reserveCapacity(n / Self.stride + 1)
    }
}

extension SegmentLines: ExpressibleByArrayLiteral {
    public init(arrayLiteral elements: SegmentLine...) { self.init(elements) }
}

extension SegmentLines: Hashable {
    /// Equal when they hold equal lines in the same order (as `[SegmentLine]`s compare).
    public static func == (left: SegmentLines, right: SegmentLines) -> Bool {
        left.count == right.count && (left.bytes == right.bytes || left.elementsEqual(right))
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(count)
        for line in self { hasher.combine(line) }
    }
}

extension SegmentLines: Codable {
    /// Decodes a list of lines.
    public init(from decoder: any Decoder) throws {
        var container = try decoder.unkeyedContainer()
        self.init()
        while !container.isAtEnd { append(try container.decode(SegmentLine.self)) }
    }

    /// Encodes the lines as a list.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.unkeyedContainer()
        for line in self { try container.encode(line) }
    }
}

extension SegmentLines: CustomStringConvertible {
    public var description: String { Array(self).description }
}
