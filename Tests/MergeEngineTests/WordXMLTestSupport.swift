import CLibXML2
// The shared test support (TemporaryDirectory, WordCorpus, …) for every file of this target.
@_exported import MailMergeTestSupport
import Testing
import WordXML

@testable import MergeEngine

/// Builders and readers of WordprocessingML for the compiler tests.
enum WordXML {
    static let namespaces =
        #"xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" "#
        + #"xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" "#
        + #"xmlns:w14="http://schemas.microsoft.com/office/word/2010/wordml" mc:Ignorable="w14""#
    static let declaration = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\r\n"

    /// A `word/document.xml` with `body` inside `w:body`.
    static func document(_ body: String) -> [UInt8] {
        Array("\(declaration)<w:document \(namespaces)><w:body>\(body)</w:body></w:document>".utf8)
    }

    /// A complex field: begin, instruction (one run), separate, result, end.
    static func complexField(
        _ instruction: String, result: String = "«x»", instructionProperties: String = "",
        resultProperties: String = ""
    ) -> String {
        "<w:r>\(instructionProperties)<w:fldChar w:fldCharType=\"begin\"/></w:r>"
            + "<w:r>\(instructionProperties)<w:instrText xml:space=\"preserve\">\(instruction)</w:instrText></w:r>"
            + "<w:r>\(instructionProperties)<w:fldChar w:fldCharType=\"separate\"/></w:r>"
            + "<w:r>\(resultProperties)<w:t>\(result)</w:t></w:r>"
            + "<w:r>\(instructionProperties)<w:fldChar w:fldCharType=\"end\"/></w:r>"
    }

    static func compile(_ bytes: [UInt8], part: String = "word/document.xml") throws(TemplateError) -> CompiledPart {
        try PartCompiler(file: "test.docx").compile(part: part, bytes: bytes)
    }

    static func render(_ body: String, _ values: [String: String], missing: MissingFieldPolicy = .error) throws -> RenderedPart {
        let part = try compile(document(body))
        return try RenderedPart(part.render(MergeRecord(values), missing: missing))
    }
}

/// A rendered part parsed back with libxml2: fails the test when it is not well-formed.
struct RenderedPart {
    let bytes: [UInt8]
    let text: String
    /// Per paragraph (document order), its text: `w:t` concatenated, `w:tab` as tab, `w:br` as line feed.
    let paragraphs: [String]
    /// Every run: its text, its instruction text and the local names of its `w:rPr` children.
    let runs: [(text: String, instruction: String, properties: [String])]

    init(_ bytes: [UInt8]) throws {
        self.bytes = bytes
        text = String(decoding: bytes, as: UTF8.self)
        let xml = try XMLPart(bytes: bytes)
        var paragraphOrder: [XMLNodePointer] = []
        var paragraphText: [XMLNodePointer: String] = [:]
        var runs: [(String, String, [String])] = []
        var node: XMLNodePointer? = xml.root
        while let current = node {
            if current.isWord("p") {
                paragraphOrder.append(current)
                paragraphText[current] = ""
            }
            if current.isWord("r") {
                var properties: [String] = []
                var child = current.firstWordChild("rPr")?.pointee.children
                while let property = child {
                    if property.isElement { properties.append(property.localName) }
                    child = property.pointee.next
                }
                runs.append((current.descendantText("t"), current.descendantText("instrText"), properties))
            }
            if let paragraph = current.wordAncestor("p") {
                if current.isWord("t") { paragraphText[paragraph, default: ""] += current.textContent }
                if current.isWord("tab") { paragraphText[paragraph, default: ""] += "\t" }
                if current.isWord("br") { paragraphText[paragraph, default: ""] += "\n" }
            }
            if current.isElement, let child = current.pointee.children {
                node = child
                continue
            }
            var up = current
            while up.pointee.next == nil, let parent = up.pointee.parent, parent.isElement { up = parent }
            node = up.pointee.next
        }
        paragraphs = paragraphOrder.map { paragraphText[$0] ?? "" }
        self.runs = runs
    }

    /// Properties of the run(s) holding exactly `text`.
    func properties(ofRunWith text: String) -> [[String]] {
        runs.filter { $0.text == text }.map(\.properties)
    }
}

extension XMLPart.ParseFailure: CustomStringConvertible {
    public var description: String { message }
}
