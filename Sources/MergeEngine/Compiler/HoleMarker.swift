import CLibXML2
import WordXML

/// Processing instructions put in the DOM, then found again in the serialized part to split it
/// into chunks: `<?mailmerge-hole N?>` where hole N goes, and `<?mailmerge-line N?>` …
/// `<?mailmerge-line-end N?>` around blank line N (a paragraph `BlankLineFinder` picked).
enum HoleMarker {
    private static let hole = "mailmerge-hole"
    private static let lineStart = "mailmerge-line"
    private static let lineEnd = "mailmerge-line-end"
    private static let opening = Array("<?mailmerge-".utf8)

    /// A marker node for hole `index`, not yet in the tree.
    static func node(_ index: Int, in document: xmlDocPtr) -> XMLNodePointer? {
        xmlNewDocPI(document, hole, String(index))
    }

    /// The start and end markers for blank line `index`, not yet in the tree.
    static func lineNodes(_ index: Int, in document: xmlDocPtr) -> (start: XMLNodePointer, end: XMLNodePointer)? {
        guard let start = xmlNewDocPI(document, lineStart, String(index)) else { return nil }
        guard let end = xmlNewDocPI(document, lineEnd, String(index)) else {
            xmlFreeNode(start)
            return nil
        }
        return (start, end)
    }

    /// Whether `node` is a hole marker.
    static func isHole(_ node: XMLNodePointer) -> Bool {
        guard node.pointee.type == XML_PI_NODE, let name = node.pointee.name else { return false }
        return String(cString: name) == hole
    }

    /// A serialized part cut at its markers.
    struct Split {
        /// The bytes between hole markers, line markers left out (`holeCount + 1` chunks).
        var chunks: [[UInt8]] = []
        /// The hole index of each hole marker, in the order found.
        var order: [Int] = []
        /// Per blank line, in order: its holes (as positions in `order`) and its start and end
        /// offsets in its first and last chunk.
        var lines: [(holes: Range<Int>, start: Int, end: Int)] = []
    }

    /// Splits `bytes` at the markers, or nil when the hole markers found are not exactly
    /// `0..<holeCount` once each, or the line markers not `0..<lineCount` in order, each around
    /// at least one hole.
    static func split(_ bytes: [UInt8], holeCount: Int, lineCount: Int) -> Split? {
        var split = Split()
        var current: [UInt8] = []
        var openLine: (chunk: Int, start: Int)?
        var chunkStart = 0
        var i = 0
        while i + opening.count <= bytes.count {
            guard bytes[i] == opening[0], bytes[i..<i + opening.count].elementsEqual(opening) else {
                i += 1
                continue
            }
            var j = i + 2
            while j < bytes.count, bytes[j] != 0x20, bytes[j] != UInt8(ascii: "?") { j += 1 }
            let target = String(decoding: bytes[(i + 2)..<j], as: UTF8.self)
            guard [hole, lineStart, lineEnd].contains(target), j < bytes.count, bytes[j] == 0x20 else {
                i += 1
                continue
            }
            j += 1
            var index = 0
            let digits = j
            while j < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[j]), j - digits < 9 {
                index = index * 10 + Int(bytes[j] - UInt8(ascii: "0"))
                j += 1
            }
            guard j > digits, j + 1 < bytes.count, bytes[j] == UInt8(ascii: "?"), bytes[j + 1] == UInt8(ascii: ">") else { return nil }
            current.append(contentsOf: bytes[chunkStart..<i])
            switch target {
            case hole:
                split.chunks.append(current)
                current = []
                split.order.append(index)
            case lineStart:
                guard openLine == nil, index == split.lines.count else { return nil }
                openLine = (split.chunks.count, current.count)
            default:
                guard let open = openLine, index == split.lines.count, split.chunks.count > open.chunk else { return nil }
                split.lines.append((open.chunk..<split.chunks.count, open.start, current.count))
                openLine = nil
            }
            chunkStart = j + 2
            i = chunkStart
        }
        current.append(contentsOf: bytes[chunkStart...])
        split.chunks.append(current)
        guard split.order.count == holeCount, Set(split.order) == Set(0..<holeCount),
            openLine == nil, split.lines.count == lineCount
        else { return nil }
        return split
    }
}
