import WordXML

/// Page-count fields in a combined document: a letter's "page X of Y" must count the
/// letter's pages, not the whole print run's.
enum PageFields {
    /// Turns `NUMPAGES` fields below `root` into `SECTIONPAGES` (the pages of the current
    /// section; for a letter that is one section, the letter's page count) and sets their
    /// shown result to `pages`. Word recomputes the field; LibreOffice, which does not know
    /// `SECTIONPAGES`, shows that result.
    static func countSectionPages(in root: XMLNodePointer, pages: Int) {
        for node in root.descendants where node.namespaceURI == WordNamespace.main {
            if node.localName == "instrText" {
                let instruction = node.textContent
                guard isSectionPages(instruction) else { continue }
                node.setText(replacingNumPages(instruction))
                if let run = node.pointee.parent { setComplexFieldResult(after: run, to: String(pages)) }
            } else if node.localName == "fldSimple", let instruction = node.attribute("instr"), isSectionPages(instruction) {
                node.setAttribute("instr", replacingNumPages(instruction))
                setResult(node.descendants.filter { $0.isWord("t") }, to: String(pages))
            }
        }
    }

    private static func isSectionPages(_ instruction: String) -> Bool {
        let keyword = instruction.split(separator: " ").first?.uppercased()
        return keyword == "NUMPAGES" || keyword == "SECTIONPAGES"
    }

    private static func replacingNumPages(_ instruction: String) -> String {
        instruction.split(separator: " ", omittingEmptySubsequences: false).map { token in
            token.uppercased() == "NUMPAGES" ? "SECTIONPAGES" : String(token)
        }.joined(separator: " ")
    }

    /// Sets the result runs (between `separate` and `end`) of the complex field whose
    /// instruction is in `run`.
    private static func setComplexFieldResult(after run: XMLNodePointer, to value: String) {
        var texts: [XMLNodePointer] = []
        var inResult = false
        var sibling = run.pointee.next
        while let current = sibling {
            let type = current.firstWordChild("fldChar")?.attribute("fldCharType")
            if type == "end" { break }
            if type == "separate" { inResult = true } else if inResult { texts += current.descendants.filter { $0.isWord("t") } }
            sibling = current.pointee.next
        }
        setResult(texts, to: value)
    }

    private static func setResult(_ texts: [XMLNodePointer], to value: String) {
        for (index, text) in texts.enumerated() { text.setText(index == 0 ? value : "") }
    }
}
