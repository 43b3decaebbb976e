/// Finds a `<!DOCTYPE` in the prolog of UTF-8 XML before libxml2 sees it.
enum DoctypeSniffer {
    /// Whether the prolog (before the root element) of `bytes` holds a DOCTYPE.
    static func hasDoctype(_ bytes: [UInt8]) -> Bool {
        let doctype = Array("<!DOCTYPE".utf8)
        var index = 0
        while index < bytes.count {
            guard bytes[index] == UInt8(ascii: "<") else {
                index += 1
                continue
            }
            if starts(bytes, at: index, with: doctype) { return true }
            if starts(bytes, at: index, with: Array("<?".utf8)) {
                index = end(of: Array("?>".utf8), in: bytes, from: index + 2)
            } else if starts(bytes, at: index, with: Array("<!--".utf8)) {
                index = end(of: Array("-->".utf8), in: bytes, from: index + 4)
            } else {
                return false  // the root element: the prolog is over
            }
        }
        return false
    }

    private static func starts(_ bytes: [UInt8], at index: Int, with prefix: [UInt8]) -> Bool {
        bytes.count - index >= prefix.count && bytes[index..<index + prefix.count].elementsEqual(prefix)
    }

    private static func end(of terminator: [UInt8], in bytes: [UInt8], from start: Int) -> Int {
        var index = start
        while index < bytes.count, !starts(bytes, at: index, with: terminator) { index += 1 }
        return index + terminator.count
    }
}
