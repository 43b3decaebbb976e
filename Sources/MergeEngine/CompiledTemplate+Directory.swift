// Word's "Directory" (catalog) merge: every record's copy of the main document's body, one
// after another in ONE document, no breaks between them.

/// A directory merge: the parts of its one document and the records it shows.
public struct DirectoryRendering: Sendable {
    public let parts: [String: [UInt8]]
    /// Indices of the records shown, in order.
    public let records: [Int]
    /// Indices of the records SKIPIF left out.
    public let skipped: [Int]
}

extension CompiledTemplate {
    /// Renders `records` as a directory: the main document's body content once per record
    /// (NEXT and SKIPIF work as in `render(records:from:state:missing:)`), between the first
    /// record's start of the document and its final section properties. Headers, footers and
    /// notes are those of the first record. Nil when no record is left to show.
    public func renderDirectory(
        records: [MergeRecord], state: inout MergeState,
        missing: MissingFieldPolicy = .error
    ) throws(MissingFieldError) -> DirectoryRendering? {
        var start = 0
        var first: RecordsRendering?
        var bodies: [UInt8] = []
        var shown: [Int] = []
        var skipped: [Int] = []
        while start < records.count, let rendering = try render(records: records, from: start, state: &state, missing: missing) {
            shown += rendering.records
            skipped += rendering.skipped
            start = rendering.next
            guard let main = parts.first?.name, let bytes = rendering.parts[main], let body = Self.bodyContent(bytes) else {
                if first == nil { first = rendering }
                continue
            }
            bodies.append(contentsOf: bytes[body])
            if first == nil { first = rendering }
        }
        guard let first else { return nil }
        var parts = first.parts
        if let main = self.parts.first?.name, let bytes = first.parts[main], let body = Self.bodyContent(bytes) {
            parts[main] = Array(bytes[..<body.lowerBound]) + bodies + Array(bytes[body.upperBound...])
        }
        return DirectoryRendering(parts: parts, records: shown, skipped: skipped)
    }

    /// The byte range of the body's content before its final `w:sectPr` (or before `</w:body>`).
    static func bodyContent(_ bytes: [UInt8]) -> Range<Int>? {
        guard let open = find(Array("<w:body".utf8), in: bytes, from: 0, last: false),
            let openEnd = bytes[open...].firstIndex(of: UInt8(ascii: ">")),
            let close = find(Array("</w:body>".utf8), in: bytes, from: openEnd, last: true)
        else { return nil }
        let start = openEnd + 1
        var end = close
        if let sectPr = find(Array("<w:sectPr".utf8), in: Array(bytes[start..<close]), from: 0, last: true),
            !bytes[(start + sectPr)..<close].containsBytes(Array("</w:p>".utf8))
        {
            end = start + sectPr
        }
        return start..<end
    }

    private static func find(_ needle: [UInt8], in bytes: [UInt8], from: Int, last: Bool) -> Int? {
        guard bytes.count >= needle.count + from else { return nil }
        let positions = stride(
            from: last ? bytes.count - needle.count : from, through: last ? from : bytes.count - needle.count,
            by: last ? -1 : 1)
        return positions.first { bytes[$0] == needle[0] && bytes[$0..<($0 + needle.count)].elementsEqual(needle) }
    }
}

extension ArraySlice where Element == UInt8 {
    fileprivate func containsBytes(_ needle: [UInt8]) -> Bool {
        guard count >= needle.count else { return false }
        var i = startIndex
        while i + needle.count <= endIndex {
            if self[i..<(i + needle.count)].elementsEqual(needle) { return true }
            i += 1
        }
        return false
    }
}
