import CLibXML2
import WordXML

/// Finds, once the fields are replaced by hole markers, the paragraphs Word leaves out of a
/// merge when all their fields are empty, and brackets each with line markers (`HoleMarker`)
/// so that the split records its byte range.
///
/// The rule is Word's (ECMA-376 Part 1 §17.14.12: "lines whose sole contents are merge fields").
/// A paragraph qualifies when its direct children are at least one hole marker and otherwise only
/// `w:pPr` without `w:sectPr`, runs holding nothing but `w:rPr`, empty `w:t` and
/// `w:lastRenderedPageBreak`, `w:proofErr`, bookmarks that start and end in it, and XML white
/// space and comments. Anything else — any text, a single space included (`«First» «Last»`:
/// put the space in a `\f " "` switch to have the line suppressed), tabs, breaks, drawings,
/// footnote references, other fields, hyperlinks, content controls, tracked changes — keeps it.
/// So does its place: it must sit directly in the body, a table cell, a text box, a header,
/// a footer or a note, and be followed by another paragraph (the last paragraph of a cell, a
/// text box or the body is needed, and one between two tables keeps them apart).
enum BlankLineFinder {
    private static let containers: Set<String> = ["body", "tc", "txbxContent", "hdr", "ftr", "footnote", "endnote"]

    /// Marks the qualifying paragraphs under `root` with line markers `0..<n`, in document
    /// order; returns each one's bookmark names, lowercased.
    static func markParagraphs(under root: XMLNodePointer) -> [[String]] {
        var found: [(paragraph: XMLNodePointer, bookmarks: [String])] = []
        var node = root
        while true {
            if node.isWord("p"), let bookmarks = bookmarksOfBlankLine(node) {
                found.append((node, bookmarks))
            }
            if node.isElement, !node.isWord("pPr"), !node.isWord("rPr"), let child = node.pointee.children {
                node = child
                continue
            }
            var up = node
            while up.pointee.next == nil {
                guard let parent = up.pointee.parent, parent != root else { return mark(found) }
                up = parent
            }
            guard up != root, let next = up.pointee.next else { return mark(found) }
            node = next
        }
    }

    private static func mark(_ found: [(paragraph: XMLNodePointer, bookmarks: [String])]) -> [[String]] {
        var marked: [[String]] = []
        for (paragraph, bookmarks) in found {
            guard let document = paragraph.pointee.doc,
                let (start, end) = HoleMarker.lineNodes(marked.count, in: document)
            else { continue }
            xmlAddPrevSibling(paragraph, start)
            xmlAddNextSibling(paragraph, end)
            marked.append(bookmarks)
        }
        return marked
    }

    /// The lowercased bookmark names of `paragraph` when it qualifies, else nil.
    private static func bookmarksOfBlankLine(_ paragraph: XMLNodePointer) -> [String]? {
        guard let parent = paragraph.pointee.parent, parent.namespaceURI == WordNamespace.main,
            containers.contains(parent.localName), nextElement(after: paragraph)?.isWord("p") == true
        else { return nil }
        var holes = 0
        var started: [String: String] = [:]
        var ended: Set<String> = []
        var child = paragraph.pointee.children
        while let node = child {
            child = node.pointee.next
            switch node.pointee.type {
            case XML_PI_NODE:
                guard HoleMarker.isHole(node) else { return nil }
                holes += 1
            case XML_TEXT_NODE:
                guard isWhiteSpace(node) else { return nil }
            case XML_COMMENT_NODE:
                continue
            case XML_ELEMENT_NODE where node.namespaceURI == WordNamespace.main:
                switch node.localName {
                case "pPr": guard node.firstWordChild("sectPr") == nil else { return nil }
                case "r": guard isBlankRun(node) else { return nil }
                case "proofErr": continue
                case "bookmarkStart":
                    guard let id = node.wordAttribute("id") else { return nil }
                    started[id] = (node.wordAttribute("name") ?? "").lowercased()
                case "bookmarkEnd":
                    guard let id = node.wordAttribute("id") else { return nil }
                    ended.insert(id)
                default: return nil
                }
            default:
                return nil
            }
        }
        guard holes > 0, Set(started.keys) == ended else { return nil }
        return Array(started.values)
    }

    /// Whether `run` shows nothing: only `w:rPr`, empty `w:t` and `w:lastRenderedPageBreak`.
    private static func isBlankRun(_ run: XMLNodePointer) -> Bool {
        var child = run.pointee.children
        while let node = child {
            child = node.pointee.next
            if node.pointee.type == XML_TEXT_NODE, isWhiteSpace(node) { continue }
            guard node.isElement, node.namespaceURI == WordNamespace.main else { return false }
            switch node.localName {
            case "rPr", "lastRenderedPageBreak": continue
            case "t": guard node.textContent.isEmpty else { return false }
            default: return false
            }
        }
        return true
    }

    private static func nextElement(after node: XMLNodePointer) -> XMLNodePointer? {
        var sibling = node.pointee.next
        while let current = sibling, !current.isElement { sibling = current.pointee.next }
        return sibling
    }

    private static func isWhiteSpace(_ textNode: XMLNodePointer) -> Bool {
        guard let content = textNode.pointee.content else { return true }
        var byte = content
        while byte.pointee != 0 {
            guard isWhiteSpace(byte.pointee) else { return false }
            byte += 1
        }
        return true
    }

    private static func isWhiteSpace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D
    }
}
