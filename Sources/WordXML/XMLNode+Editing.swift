import CLibXML2

/// DOM edits shared by the compiler (MergeEngine) and the print-run combiner (PrintRun).
extension UnsafeMutablePointer where Pointee == xmlNode {
    /// Replaces this element's content by the text `utf8` (UTF-8 bytes, not escaped: the
    /// serializer escapes them) and marks it `xml:space="preserve"`, so Word keeps leading and
    /// trailing spaces.
    public func setText(_ utf8: ArraySlice<UInt8>) {
        while let child = pointee.children {
            xmlUnlinkNode(child)
            xmlFreeNode(child)
        }
        if !utf8.isEmpty {
            let text = utf8.withUnsafeBufferPointer { xmlNewDocTextLen(pointee.doc, $0.baseAddress, Int32($0.count)) }
            if let text { xmlAddChild(self, text) }
        }
        xmlNodeSetSpacePreserve(self, 1)
    }

    /// Replaces this element's content by `text`, spaces preserved (see `setText(_:)` on bytes).
    public func setText(_ text: String) {
        setText(Array(text.utf8)[...])
    }

    /// Inserts `node` at the start of this element's content: right after its properties element `w:<properties>`
    /// (`pPr`, `rPr` …) when it has one, else before its first child, else as its only child.
    public func insertAtStart(_ node: XMLNodePointer, afterProperties properties: String) {
        if let existing = firstWordChild(properties) {
            xmlAddNextSibling(existing, node)
        } else if let child = pointee.children {
            xmlAddPrevSibling(child, node)
        } else {
            xmlAddChild(self, node)
        }
    }
}
