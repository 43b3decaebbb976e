import CLibXML2
import WordXML

/// Replaces each `{{Name}}` of a stretch of paragraph text (`w:t` nodes, possibly split over
/// runs by Word) by a hole marker placed after the run where `{{` starts. Text before and after
/// stays in its own runs with its own formatting.
struct PlaceholderRewriter {
    let part: String
    let paragraph: ScannedParagraph

    /// Rewrites the paragraph's text; `addHole` gets each hole and returns its marker index.
    func rewrite(addHole: (Hole) -> Int) {
        for texts in paragraph.stretches where !texts.isEmpty { rewrite(texts, addHole: addHole) }
    }

    private func rewrite(_ texts: [XMLNodePointer], addHole: (Hole) -> Int) {
        let contents = texts.map { Array($0.textContent.utf8) }
        var starts: [Int] = []
        var offset = 0
        for content in contents {
            starts.append(offset)
            offset += content.count
        }
        let placeholders = Placeholder.find(in: Array(contents.joined()))
        for placeholder in placeholders.reversed() {
            let first = location(of: placeholder.range.lowerBound, starts: starts)
            let last = location(of: placeholder.range.upperBound - 1, starts: starts)
            replace(placeholder, texts: texts, first: first, last: (last.node, last.offset + 1), addHole: addHole)
        }
    }

    /// The node holding byte `position` of the concatenation, and the offset inside it.
    private func location(of position: Int, starts: [Int]) -> (node: Int, offset: Int) {
        var node = starts.count - 1
        while node > 0, starts[node] > position { node -= 1 }
        return (node, position - starts[node])
    }

    private func replace(
        _ placeholder: Placeholder, texts: [XMLNodePointer],
        first: (node: Int, offset: Int), last: (node: Int, end: Int), addHole: (Hole) -> Int
    ) {
        let text = texts[first.node]
        guard let run = text.pointee.parent, let document = text.pointee.doc else { return }
        let current = Array(text.textContent.utf8)
        let prefix = current[..<first.offset]
        var suffix: ArraySlice<UInt8> = []
        if first.node == last.node {
            suffix = current[last.end...]
        } else {
            for middle in texts[(first.node + 1)..<last.node] { DOMEdit.removeText(middle) }
            let lastText = texts[last.node]
            let rest = Array(lastText.textContent.utf8)[last.end...]
            if rest.isEmpty { DOMEdit.removeText(lastText) } else { lastText.setText(rest) }
        }
        let runProperties = run.runPropertiesBytes
        var tail = DOMEdit.splitRun(after: text)
        if !suffix.isEmpty {
            if tail == nil, let copy = DOMEdit.emptyCopy(of: run) {
                xmlAddNextSibling(run, copy)
                tail = copy
            }
            if let tail, let suffixText = xmlDocCopyNode(text, document, 2) {
                suffixText.setText(suffix)
                tail.insertAtStart(suffixText, afterProperties: "rPr")
            }
        }
        var original: [UInt8] = []
        RunWriter.append(placeholder.code, runProperties: runProperties, to: &original)
        let use = FieldUse(name: placeholder.name, part: part, paragraph: paragraph.number, code: placeholder.code)
        let index = addHole(
            Hole(
                value: .placeholder(key: placeholder.name.lowercased(), use: use),
                runProperties: runProperties, original: original, listed: paragraph.listed))
        if let marker = HoleMarker.node(index, in: document) { xmlAddNextSibling(run, marker) }
        if prefix.isEmpty { DOMEdit.removeText(text) } else { text.setText(prefix) }
    }
}
