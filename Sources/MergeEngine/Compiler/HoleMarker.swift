import CLibXML2
import WordXML

/// Processing instructions `<?mailmerge-hole N?>` put where holes go, then found again in the
/// serialized part to split it into chunks.
enum HoleMarker {
    private static let target = "mailmerge-hole"
    private static let opening = Array("<?\(target) ".utf8)

    /// A marker node for hole `index`, not yet in the tree.
    static func node(_ index: Int, in document: xmlDocPtr) -> XMLNodePointer? {
        xmlNewDocPI(document, target, String(index))
    }

    /// Splits `bytes` at the markers: the chunks between them and the hole index of each marker,
    /// or nil when the markers found are not exactly `0..<count` once each.
    static func split(_ bytes: [UInt8], expecting count: Int) -> (chunks: [[UInt8]], order: [Int])? {
        var chunks: [[UInt8]] = [], order: [Int] = []
        var chunkStart = 0, i = 0
        while i + opening.count <= bytes.count {
            guard bytes[i] == opening[0], bytes[i..<i + opening.count].elementsEqual(opening) else { i += 1; continue }
            var j = i + opening.count, index = 0
            while j < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[j]) {
                index = index * 10 + Int(bytes[j] - UInt8(ascii: "0"))
                j += 1
            }
            guard j + 1 < bytes.count, bytes[j] == UInt8(ascii: "?"), bytes[j + 1] == UInt8(ascii: ">") else { return nil }
            chunks.append(Array(bytes[chunkStart..<i]))
            order.append(index)
            chunkStart = j + 2
            i = chunkStart
        }
        chunks.append(Array(bytes[chunkStart...]))
        guard order.count == count, Set(order) == Set(0..<count) else { return nil }
        return (chunks, order)
    }
}
