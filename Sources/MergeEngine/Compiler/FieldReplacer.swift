import CLibXML2

/// Takes a merged field's XML out of the tree, leaving a hole marker where it was.
enum FieldReplacer {
    /// Replaces `field` (complex: begin run through end run; simple: the `w:fldSimple`) by the
    /// marker for hole `index`; returns the field's original XML.
    /// - Throws: when the field's begin and end are not in the same element (e.g. it spans paragraphs).
    static func replace(_ field: ScannedField, markerIndex index: Int) throws(ScanError) -> [UInt8] {
        guard let document = field.begin.pointee.doc, let marker = HoleMarker.node(index, in: document) else {
            throw ScanError(paragraph: field.paragraph, fieldCode: field.trimmedCode, message: "out of memory")
        }
        guard let end = field.end else {
            let original = XMLPart.serialize([field.begin])
            xmlAddPrevSibling(field.begin, marker)
            DOMEdit.remove(field.begin)
            return original
        }
        DOMEdit.splitRun(before: field.begin)
        DOMEdit.splitRun(after: end)
        let first = field.begin.pointee.parent.flatMap { $0.isWord("r") ? $0 : nil } ?? field.begin
        let last = end.pointee.parent.flatMap { $0.isWord("r") ? $0 : nil } ?? end
        guard first.pointee.parent == last.pointee.parent else {
            xmlFreeNode(marker)
            let spansParagraphs = first.wordAncestor("p") != last.wordAncestor("p")
            throw ScanError(
                paragraph: field.paragraph, fieldCode: field.trimmedCode,
                message: spansParagraphs
                    ? "a merged field spans several paragraphs; put the whole field in one paragraph"
                    : "a merged field begins and ends in different elements (e.g. half inside a hyperlink); retype the field")
        }
        var nodes: [XMLNodePointer] = []
        var node: XMLNodePointer? = first
        while let current = node {
            nodes.append(current)
            if current == last { break }
            node = current.pointee.next
        }
        let original = XMLPart.serialize(nodes)
        xmlAddPrevSibling(first, marker)
        for node in nodes { DOMEdit.remove(node) }
        return original
    }
}
