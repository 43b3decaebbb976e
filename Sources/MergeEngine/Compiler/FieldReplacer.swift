import CLibXML2
import WordXML

/// Takes a merged field's XML out of the tree, leaving a hole marker where it was.
enum FieldReplacer {
    /// Replaces `field` (complex: begin run through end run; simple: the `w:fldSimple`) by the
    /// marker for hole `index`; returns the field's original XML. A field spanning several
    /// paragraphs is taken out only when `joiningParagraphs` (a MERGEFIELD whose old result
    /// held paragraph marks, as Word does): the text after it joins its first paragraph.
    /// - Throws: for a field spanning paragraphs that cannot be joined.
    static func replace(_ field: ScannedField, markerIndex index: Int, joiningParagraphs: Bool) throws(ScanError) -> [UInt8] {
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
        let firstParagraph = first.wordAncestor("p")
        let lastParagraph = last.wordAncestor("p")
        let joined = firstParagraph != lastParagraph ? lastParagraph : nil
        if let joined {
            guard joiningParagraphs else {
                xmlFreeNode(marker)
                throw ScanError(
                    paragraph: field.paragraph, fieldCode: field.trimmedCode,
                    message: "an IF field spanning several paragraphs is not supported; keep each IF within one paragraph")
            }
            guard let firstParagraph, firstParagraph.pointee.parent == joined.pointee.parent else {
                xmlFreeNode(marker)
                throw ScanError(
                    paragraph: field.paragraph, fieldCode: field.trimmedCode,
                    message: "a merge field spans paragraphs in different cells or text boxes; put the whole field in one paragraph")
            }
        }
        guard let nodes = nodes(from: first, through: last) else {
            xmlFreeNode(marker)
            throw ScanError(paragraph: field.paragraph, fieldCode: field.trimmedCode, message: "a field ends before it begins")
        }
        let original = joined == nil ? XMLPart.serialize(nodes) : rebuilt(field)
        xmlAddPrevSibling(first, marker)
        for node in nodes { DOMEdit.remove(node) }
        if let joined, let firstParagraph {
            while let child = joined.pointee.children {
                xmlUnlinkNode(child)
                xmlAddChild(firstParagraph, child)
            }
            DOMEdit.remove(joined)
        }
        return original
    }

    /// A one-paragraph copy of `field` (same code and result text), to re-emit a field whose
    /// original XML spanned paragraphs.
    private static func rebuilt(_ field: ScannedField) -> [UInt8] {
        let properties = field.instructionRunProperties ?? []
        func mark(_ type: String) -> [UInt8] {
            Array("<w:r>".utf8) + properties + Array("<w:fldChar w:fldCharType=\"\(type)\"/></w:r>".utf8)
        }
        var bytes = mark("begin")
        RunWriter.append(" \(field.trimmedCode) ", runProperties: properties, asInstruction: true, to: &bytes)
        bytes += mark("separate")
        RunWriter.append(field.resultText, runProperties: field.resultRunProperties ?? properties, to: &bytes)
        return bytes + mark("end")
    }

    /// The subtrees that make up the document from `first` through `last` (siblings, or in
    /// different elements such as a field that ends inside a hyperlink), in document order;
    /// nil when `last` does not follow `first`.
    private static func nodes(from first: XMLNodePointer, through last: XMLNodePointer) -> [XMLNodePointer]? {
        if first == last { return [first] }
        var lastChain: [XMLNodePointer] = []
        var ancestor: XMLNodePointer? = last
        while let current = ancestor {
            lastChain.append(current)
            ancestor = current.pointee.parent
        }
        var result: [XMLNodePointer] = []
        var node = first
        result.append(first)
        while let parent = node.pointee.parent {
            if let level = lastChain.firstIndex(of: parent), level > 0 {
                // `parent` is the common ancestor: the siblings up to last's branch, then down it.
                var sibling = node.pointee.next
                while let current = sibling, current != lastChain[level - 1] {
                    result.append(current)
                    sibling = current.pointee.next
                }
                guard sibling != nil else { return nil }
                for depth in stride(from: level - 1, to: 0, by: -1) {
                    var child = lastChain[depth].pointee.children
                    while let current = child, current != lastChain[depth - 1] {
                        result.append(current)
                        child = current.pointee.next
                    }
                }
                result.append(last)
                return result
            }
            var sibling = node.pointee.next
            while let current = sibling {
                result.append(current)
                sibling = current.pointee.next
            }
            node = parent
        }
        return nil
    }
}
