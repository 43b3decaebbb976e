/// The YAML line where each of a segment's lines starts (`SegmentSource.lineLines`), held compactly: per line the
/// distance from the line before (LEB128, one byte for distances under 128: a generated line is 2 or 3 YAML lines
/// long), and the value of every 32nd line. A million lines take about 1.3 MB, where an `[Int]` takes 8 MB and up to
/// twice that while it grows. Reading line `i` decodes at most 31 distances; iterating them in order decodes each
/// once per line too.
public struct YAMLLineNumbers: Sendable, Hashable, RandomAccessCollection, ExpressibleByArrayLiteral {
    /// Per line: the zigzag LEB128 of its distance from the line before (from 0 for the first).
    private var distances: [UInt8] = []
    /// Per 32 lines: the first one's value and where its distance starts in `distances`.
    private var marks: [(value: Int, offset: Int)] = []
    private var last = 0
    public private(set) var count = 0

    private static let stride = 32

    public init() {}

    public init(arrayLiteral elements: Int...) {
        self.init(elements)
    }

    public init(_ values: some Sequence<Int>) {
        for value in values { append(value) }
        shrink()
    }

    /// Adds `value` at the end.
    public mutating func append(_ value: Int) {
        if count % Self.stride == 0 { marks.append((value, distances.count)) }
        LEB128.append(signed: value &- last, to: &distances)
        last = value
        count += 1
    }

    /// Frees the room kept for more lines (after the last `append`).
    public mutating func shrink() {
        distances.removeSpareCapacity()
        marks.removeSpareCapacity()
    }

    public var startIndex: Int { 0 }
    public var endIndex: Int { count }

    public subscript(position: Int) -> Int {
        precondition(position >= 0 && position < count, "line \(position) of \(count)")
        let mark = marks[position / Self.stride]
        var value = mark.value
        var offset = mark.offset
        _ = LEB128.readSigned(distances, at: &offset)  // the marked line's own, from the line before it
        for _ in 0..<position % Self.stride { value &+= LEB128.readSigned(distances, at: &offset) }
        return value
    }

    public static func == (left: Self, right: Self) -> Bool { left.elementsEqual(right) }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(count)
        for value in self { hasher.combine(value) }
    }

    /// The bytes held, with the room kept for more.
    var storageBytes: Int { distances.capacity + marks.capacity * MemoryLayout<(Int, Int)>.stride }
}
