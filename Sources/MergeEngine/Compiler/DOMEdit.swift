import CLibXML2
import WordXML

/// The few DOM edits the compiler makes, on libxml2 nodes of one document.
enum DOMEdit {
    /// Moves whatever precedes `node` in its run (except `w:rPr`) into a new run, with the same
    /// attributes and properties, inserted before it. No-op when `node` is not in a run.
    static func splitRun(before node: XMLNodePointer) {
        guard let run = node.pointee.parent, run.isWord("r") else { return }
        var moving: [XMLNodePointer] = []
        var sibling = node.pointee.prev
        while let current = sibling, !current.isWord("rPr") {
            moving.insert(current, at: 0)
            sibling = current.pointee.prev
        }
        guard !moving.isEmpty, let head = emptyCopy(of: run) else { return }
        for child in moving {
            xmlUnlinkNode(child)
            xmlAddChild(head, child)
        }
        xmlAddPrevSibling(run, head)
    }

    /// Moves whatever follows `node` in its run into a new run, with the same attributes and
    /// properties, inserted after it; returns that run (nil when nothing follows).
    @discardableResult
    static func splitRun(after node: XMLNodePointer) -> XMLNodePointer? {
        guard let run = node.pointee.parent, run.isWord("r") else { return nil }
        var moving: [XMLNodePointer] = []
        var sibling = node.pointee.next
        while let current = sibling {
            moving.append(current)
            sibling = current.pointee.next
        }
        guard !moving.isEmpty, let tail = emptyCopy(of: run) else { return nil }
        for child in moving {
            xmlUnlinkNode(child)
            xmlAddChild(tail, child)
        }
        xmlAddNextSibling(run, tail)
        return tail
    }

    /// A run with `run`'s attributes and a copy of its `w:rPr`, not yet in the tree.
    static func emptyCopy(of run: XMLNodePointer) -> XMLNodePointer? {
        guard let copy = xmlDocCopyNode(run, run.pointee.doc, 2) else { return nil }
        if let properties = run.firstWordChild("rPr"), let propertiesCopy = xmlDocCopyNode(properties, run.pointee.doc, 1) {
            xmlAddChild(copy, propertiesCopy)
        }
        return copy
    }

    /// Removes `node` from the tree and frees it.
    static func remove(_ node: XMLNodePointer) {
        xmlUnlinkNode(node)
        xmlFreeNode(node)
    }

    /// Removes text element `text`, and its run too if nothing but `w:rPr` is left in it.
    static func removeText(_ text: XMLNodePointer) {
        let run = text.pointee.parent
        remove(text)
        guard let run, run.isWord("r") else { return }
        var child = run.pointee.children
        while let current = child {
            if !current.isWord("rPr") { return }
            child = current.pointee.next
        }
        remove(run)
    }
}
