import CLibXML2
import WordXML

/// A structural problem found while scanning a part (turned into a `TemplateError`).
struct ScanError: Error {
    let paragraph: Int?
    let fieldCode: String?
    let message: String
}

/// A paragraph's text nodes (`w:t` outside fields), for `{{Name}}` placeholders: one list per
/// stretch of text between fields, so a placeholder never spans a field.
struct ScannedParagraph {
    let number: Int
    /// False inside `mc:Fallback`.
    let listed: Bool
    var stretches: [[XMLNodePointer]] = [[]]

    mutating func append(_ text: XMLNodePointer) { stretches[stretches.count - 1].append(text) }
    mutating func breakText() { if !(stretches.last?.isEmpty ?? true) { stretches.append([]) } }
    var isEmpty: Bool { stretches.allSatisfy(\.isEmpty) }
}

/// Walks a part's DOM once, iteratively (no recursion, any depth), in document order and
/// collects its fields (complex and simple, nested ones inside their parent) and the text
/// nodes of each paragraph. Does not modify the DOM.
struct FieldScanner {
    /// Fields nested deeper than this are refused (Word itself stops far earlier).
    static let maximumNesting = 64

    private(set) var fields: [ScannedField] = []
    private(set) var paragraphs: [ScannedParagraph] = []
    /// The `w:anchor` of each `w:hyperlink` (a bookmark it links to).
    private(set) var hyperlinkAnchors: [String] = []

    /// One field stack per story (the part itself, and each text box inside it).
    private var stacks: [[ScannedField]] = [[]]
    private var openParagraphs: [ScannedParagraph] = []
    private var paragraphCount = 0
    private var fallbackDepth = 0
    private var openFieldCount = 0

    static func scan(_ root: XMLNodePointer) throws(ScanError) -> FieldScanner {
        var scanner = FieldScanner()
        try scanner.walk(root)
        if let open = scanner.stacks.last?.first {
            throw ScanError(
                paragraph: open.paragraph, fieldCode: open.trimmedCode,
                message: "a field begins here but never ends (its end mark is missing)")
        }
        return scanner
    }

    private var currentParagraph: Int { paragraphCount }

    private mutating func walk(_ root: XMLNodePointer) throws(ScanError) {
        var node = root
        var descend = try enter(node)
        while true {
            if descend, let child = node.pointee.children {
                node = child
                descend = try enter(node)
                continue
            }
            while true {
                try leave(node)
                if node == root { return }
                if let next = node.pointee.next {
                    node = next
                    descend = try enter(node)
                    break
                }
                guard let parent = node.pointee.parent else { return }
                node = parent
            }
        }
    }

    /// Handles an element on the way down; returns whether to walk its children.
    private mutating func enter(_ node: XMLNodePointer) throws(ScanError) -> Bool {
        guard node.isElement else { return false }
        if node.namespaceURI == WordNamespace.markupCompatibility {
            if node.localName == "Fallback" { fallbackDepth += 1 }
            return true
        }
        guard node.namespaceURI == WordNamespace.main else { return true }
        switch node.localName {
        case "p":
            // Paragraphs of `mc:Fallback` copy those of `mc:Choice`: not counted again.
            if fallbackDepth == 0 { paragraphCount += 1 }
            openParagraphs.append(ScannedParagraph(number: paragraphCount, listed: fallbackDepth == 0))
        case "txbxContent":
            stacks.append([])
        case "fldSimple":
            let field = ScannedField(
                simple: node, instruction: node.wordAttribute("instr") ?? "",
                paragraph: currentParagraph, listed: fallbackDepth == 0)
            field.resultRunProperties = node.firstWordChild("r")?.runPropertiesBytes
            field.resultText = node.descendantText("t")
            breakParagraphText()
            close(field)
            return false
        case "fldChar":
            try fieldCharacter(node)
        case "instrText":
            if let field = stacks[stacks.count - 1].last, field.state == .instruction {
                if field.instructionRunProperties == nil {
                    field.instructionRunProperties = node.pointee.parent?.runPropertiesBytes ?? []
                }
                field.appendInstruction(node.textContent)
            }
        case "t":
            guard let parent = node.pointee.parent, parent.isWord("r") else { break }
            if let field = stacks[stacks.count - 1].last {
                if field.state == .result {
                    if field.resultRunProperties == nil { field.resultRunProperties = parent.runPropertiesBytes }
                    field.resultText += node.textContent
                }
            } else if openFieldCount == 0, !openParagraphs.isEmpty {
                openParagraphs[openParagraphs.count - 1].append(node)
            }
        case "hyperlink":
            if let anchor = node.wordAttribute("anchor") { hyperlinkAnchors.append(anchor) }
        case "rPr", "pPr", "sectPr", "tblPr", "trPr", "tcPr":
            return false
        case "del", "moveFrom":
            // Tracked deletions: not part of the document's text, fields in them stay as they are.
            return false
        default:
            break
        }
        return true
    }

    private mutating func leave(_ node: XMLNodePointer) throws(ScanError) {
        guard node.isElement else { return }
        if node.namespaceURI == WordNamespace.markupCompatibility, node.localName == "Fallback" {
            fallbackDepth -= 1
            return
        }
        if node.isWord("p"), let paragraph = openParagraphs.popLast(), !paragraph.isEmpty {
            paragraphs.append(paragraph)
        } else if node.isWord("txbxContent"), let stack = stacks.popLast(), let open = stack.first {
            throw ScanError(
                paragraph: open.paragraph, fieldCode: open.trimmedCode,
                message: "a field in a text box begins here but never ends (its end mark is missing)")
        }
    }

    private mutating func fieldCharacter(_ node: XMLNodePointer) throws(ScanError) {
        let top = stacks.count - 1
        switch node.wordAttribute("fldCharType") {
        case "begin":
            guard stacks[top].count < Self.maximumNesting else {
                throw ScanError(
                    paragraph: currentParagraph, fieldCode: stacks[top].first?.trimmedCode,
                    message: "fields are nested more than \(Self.maximumNesting) deep")
            }
            breakParagraphText()
            stacks[top].append(ScannedField(begin: node, paragraph: currentParagraph, listed: fallbackDepth == 0))
            openFieldCount += 1
        case "separate":
            guard let field = stacks[top].last, field.state == .instruction else {
                throw ScanError(
                    paragraph: currentParagraph, fieldCode: stacks[top].last?.trimmedCode,
                    message: "a field separator mark is outside any field's instruction")
            }
            field.state = .result
        case "end":
            guard let field = stacks[top].popLast() else {
                throw ScanError(
                    paragraph: currentParagraph, fieldCode: nil,
                    message: "a field end mark has no matching field begin")
            }
            openFieldCount -= 1
            field.end = node
            close(field)
        default:
            throw ScanError(
                paragraph: currentParagraph, fieldCode: stacks[top].last?.trimmedCode,
                message: "a field mark has an unknown type \"\(node.wordAttribute("fldCharType") ?? "")\"")
        }
    }

    private mutating func breakParagraphText() {
        if !openParagraphs.isEmpty { openParagraphs[openParagraphs.count - 1].breakText() }
    }

    /// Attaches a complete field to the field it sits in, or to the part.
    private mutating func close(_ field: ScannedField) {
        let top = stacks.count - 1
        if let parent = stacks[top].last {
            switch parent.state {
            case .instruction: parent.appendNested(field)
            case .result: parent.inResult.append(field)
            }
        } else {
            fields.append(field)
        }
    }
}
