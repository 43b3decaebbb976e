import CLibXML2
import WordXML

/// The section edits that put each letter in its own section: next-page break, page numbers
/// restarting at 1, header and footer references pointing at the letter's own parts.
enum SectionBreaks {
    /// `w:sectPr` children that follow `w:type` in the schema's order.
    private static let afterType: Set<String> = [
        "pgSz", "pgMar", "paperSrc", "pgBorders", "lnNumType", "pgNumType", "cols",
        "formProt", "vAlign", "noEndnote", "titlePg", "textDirection", "bidi",
        "rtlGutter", "docGrid", "printerSettings", "sectPrChange",
    ]
    /// `w:sectPr` children that follow `w:footnotePr`.
    private static let afterFootnoteProperties = afterType.union(["endnotePr", "type"])
    /// `w:sectPr` children that follow `w:pgNumType`.
    private static let afterPageNumbering: Set<String> = [
        "cols", "formProt", "vAlign", "noEndnote", "titlePg", "textDirection",
        "bidi", "rtlGutter", "docGrid", "printerSettings", "sectPrChange",
    ]

    /// The section properties of `body`, in document order: paragraph-level ones, then the body's.
    static func sections(of body: XMLNodePointer) -> [XMLNodePointer] {
        body.descendants.filter { node in
            guard node.isWord("sectPr"), let parent = node.pointee.parent else { return false }
            return parent.isWord("pPr") || parent.isWord("body")
        }
    }

    /// Points `w:headerReference`/`w:footerReference` of `section` at the relationship ids in `newIds`.
    static func retarget(_ section: XMLNodePointer, _ newIds: [String: String]) {
        for reference in section.elementChildren where reference.isWord("headerReference") || reference.isWord("footerReference") {
            if let id = reference.attribute("id", namespace: WordNamespace.relationships), let new = newIds[id] {
                reference.setAttribute("id", namespace: WordNamespace.relationships, new)
            }
        }
    }

    /// The header and footer references (element name, `w:type`) that some section of a
    /// letter has but its first section lacks. On its own, the letter shows no such header or
    /// footer until that section; combined, its first section would inherit the previous
    /// letter's, so it must name an empty one instead.
    static func referencesMissingFromFirst(_ sections: [XMLNodePointer]) -> [(element: String, type: String)] {
        func references(_ section: XMLNodePointer) -> [(element: String, type: String)] {
            section.elementChildren.filter { $0.isWord("headerReference") || $0.isWord("footerReference") }
                .map { ($0.localName, $0.attribute("type") ?? "default") }
        }
        guard let first = sections.first else { return [] }
        let present = Set(references(first).map { $0.element + " " + $0.type })
        var seen = present
        return sections.dropFirst().flatMap(references).filter { seen.insert($0.element + " " + $0.type).inserted }
    }

    /// Adds a `w:<element> w:type="type" r:id="id"` reference at the start of `section`.
    static func addReference(_ element: String, type: String, id: String, to section: XMLNodePointer) {
        guard let reference = section.newWordElement(element) else { return }
        if let first = section.pointee.children { xmlAddPrevSibling(first, reference) } else { xmlAddChild(section, reference) }
        reference.setAttribute("type", type)
        reference.setAttribute("id", namespace: WordNamespace.relationships, id)
    }

    /// Makes `section` start on a new page with page number 1 (other `w:pgNumType`
    /// attributes, such as the number format, are kept).
    static func startOnNewPage(_ section: XMLNodePointer) {
        let type = section.firstWordChild("type") ?? insert(section.newWordElement("type"), into: section, before: afterType)
        type?.setAttribute("val", "nextPage")
        let numbering =
            section.firstWordChild("pgNumType")
            ?? insert(section.newWordElement("pgNumType"), into: section, before: afterPageNumbering)
        numbering?.setAttribute("start", "1")
    }

    /// Restarts `section`'s footnote numbers at 1 in each section (`eachSect`) or on each
    /// page (`eachPage`), unless the section says how to number them, so each letter's
    /// footnotes start at 1 as in the letter on its own.
    static func restartFootnoteNumbering(_ section: XMLNodePointer, _ value: String) {
        guard section.firstWordChild("footnotePr") == nil, let properties = section.newWordElement("footnotePr"),
            let restart = section.newWordElement("numRestart")
        else { return }
        insert(properties, into: section, before: afterFootnoteProperties)
        xmlAddChild(properties, restart)
        restart.setAttribute("val", value)
    }

    /// Moves the body-level `w:sectPr` of `body` into the last paragraph's `w:pPr` (a new empty
    /// paragraph when the body ends with a table or the paragraph already ends a section), as
    /// Word does for every section but the last.
    static func moveBodySectionIntoLastParagraph(_ body: XMLNodePointer) {
        let children = body.elementChildren
        guard let section = children.last, section.isWord("sectPr") else { return }
        xmlUnlinkNode(section)
        var paragraph = children.dropLast().last
        if let last = paragraph, !last.isWord("p") || last.firstWordChild("pPr")?.firstWordChild("sectPr") != nil {
            paragraph = nil
        }
        if paragraph == nil, let new = body.newWordElement("p") {
            xmlAddChild(body, new)
            paragraph = new
        }
        guard let paragraph else { return }
        var properties = paragraph.firstWordChild("pPr")
        if properties == nil, let new = paragraph.newWordElement("pPr") {
            if let first = paragraph.pointee.children { xmlAddPrevSibling(first, new) } else { xmlAddChild(paragraph, new) }
            properties = new
        }
        guard let properties else { return }
        _ = insert(section, into: properties, before: ["pPrChange"])
    }

    /// Inserts `child` into `parent` before its first child element named in `followers`, else last.
    @discardableResult
    private static func insert(_ child: XMLNodePointer?, into parent: XMLNodePointer, before followers: Set<String>) -> XMLNodePointer? {
        guard let child else { return nil }
        if let follower = parent.elementChildren.first(where: { followers.contains($0.localName) }) {
            xmlAddPrevSibling(follower, child)
        } else {
            xmlAddChild(parent, child)
        }
        return child
    }
}
