import CLibXML2
import WordXML

/// What the compiler needs of a parsed part beyond the shared `WordXML` helpers.
extension XMLPart {
    /// Whether `root` declares the prefix `w` for WordprocessingML, as the runs the compiler
    /// writes assume.
    static func declaresWordPrefix(_ root: XMLNodePointer) -> Bool {
        var namespace = root.pointee.nsDef
        while let current = namespace {
            if let prefix = current.pointee.prefix, String(cString: prefix) == "w",
                let href = current.pointee.href, String(cString: href) == WordNamespace.main
            {
                return true
            }
            namespace = current.pointee.next
        }
        return false
    }
}

extension UnsafeMutablePointer where Pointee == xmlNode {
    /// The run properties (`w:rPr`) of this run serialized, or empty.
    var runPropertiesBytes: [UInt8] {
        guard let properties = firstWordChild("rPr") else { return [] }
        return XMLPart.serialize([properties])
    }
}
