import CLibXML2
import WordXML

/// The next free value of every id that must be unique in the combined document.
struct IdCounters {
    /// Bookmarks, revisions, permission and move ranges (`w:id` of annotations).
    var annotation = 1
    /// `wp:docPr/@id` of drawings.
    var drawing = 1
    var footnote = 1
    var endnote = 1
    var comment = 0
}

/// How one letter's ids map to the combined document's. Body first, then the other parts of
/// the same letter, so that note, comment and bookmark references and their targets agree.
struct LetterRenumbering {
    /// 1-based position of the letter in the print run.
    let letterNumber: Int
    private var annotations: [String: String] = [:]
    private var footnotes: [String: String] = [:]
    private var endnotes: [String: String] = [:]
    private var comments: [String: String] = [:]
    private var bookmarkNames: [String: String] = [:]

    /// Word's limit on bookmark name length.
    private static let maxBookmarkName = 40
    private static let separatorNoteTypes: Set<String> = ["separator", "continuationSeparator", "continuationNotice"]
    private static let commentElements: Set<String> = ["commentRangeStart", "commentRangeEnd", "commentReference", "comment"]

    init(letterNumber: Int) { self.letterNumber = letterNumber }

    /// Whether `note` (a `w:footnote`/`w:endnote`) is a separator, kept once from the first letter.
    static func isSeparator(_ note: XMLNodePointer) -> Bool {
        note.attribute("type").map(separatorNoteTypes.contains) ?? false
    }

    /// Renumbers every id below `root` (inclusive of its descendants) and, after the first
    /// letter, renames bookmarks (and the links and fields that use them) and drops the
    /// optional Word 2010 paragraph ids, which must be unique too.
    mutating func renumber(_ root: XMLNodePointer, counters: inout IdCounters) {
        let nodes = [root] + root.descendants
        if letterNumber > 1 {
            for node in nodes where node.isWord("bookmarkStart") {
                guard let name = node.attribute("name") else { continue }
                let suffix = "_\(letterNumber)"
                let renamed = String(name.prefix(Self.maxBookmarkName - suffix.count)) + suffix
                bookmarkNames[name] = renamed
                node.setAttribute("name", renamed)
            }
        }
        for node in nodes where node.isElement {
            if node.localName == "docPr", node.namespaceURI == WordNamespace.wordprocessingDrawing {
                node.setAttribute("id", namespace: nil, String(counters.drawing))
                counters.drawing += 1
                continue
            }
            guard node.namespaceURI == WordNamespace.main else {
                if letterNumber > 1 { dropParagraphIds(node) }
                continue
            }
            if letterNumber > 1 { dropParagraphIds(node) }
            if let id = node.attribute("id") { renumber(node, id: id, counters: &counters) }
            if !bookmarkNames.isEmpty { renameBookmarkUses(node) }
        }
    }

    private mutating func renumber(_ node: XMLNodePointer, id: String, counters: inout IdCounters) {
        let name = node.localName
        let new: String
        switch name {
        case "footnoteReference", "footnote":
            if name == "footnote", Self.isSeparator(node) { return }
            new = Self.mapped(id, &footnotes, &counters.footnote)
        case "endnoteReference", "endnote":
            if name == "endnote", Self.isSeparator(node) { return }
            new = Self.mapped(id, &endnotes, &counters.endnote)
        case _ where Self.commentElements.contains(name):
            new = Self.mapped(id, &comments, &counters.comment)
        default:
            new = Self.mapped(id, &annotations, &counters.annotation)
        }
        node.setAttribute("id", new)
    }

    private static func mapped(_ old: String, _ map: inout [String: String], _ next: inout Int) -> String {
        if let known = map[old] { return known }
        let new = String(next)
        next += 1
        map[old] = new
        return new
    }

    private func dropParagraphIds(_ node: XMLNodePointer) {
        node.removeAttribute("paraId", namespace: WordNamespace.word2010)
        node.removeAttribute("textId", namespace: WordNamespace.word2010)
    }

    /// Points hyperlinks and REF/PAGEREF/NOTEREF fields at the renamed bookmarks.
    private func renameBookmarkUses(_ node: XMLNodePointer) {
        if node.localName == "hyperlink", let anchor = node.attribute("anchor"), let renamed = bookmarkNames[anchor] {
            node.setAttribute("anchor", renamed)
        } else if node.localName == "fldSimple", let instruction = node.attribute("instr") {
            let renamed = renamedTokens(instruction)
            if renamed != instruction { node.setAttribute("instr", renamed) }
        } else if node.localName == "instrText" {
            let instruction = node.textContent
            let renamed = renamedTokens(instruction)
            if renamed != instruction { node.setText(renamed) }
        }
    }

    private func renamedTokens(_ instruction: String) -> String {
        instruction.split(separator: " ", omittingEmptySubsequences: false).map { token in
            bookmarkNames[String(token)] ?? String(token)
        }.joined(separator: " ")
    }
}
