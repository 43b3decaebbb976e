import DocxPackage
import Foundation

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// Reads a produced .docx the way a checker would: every story part's paragraphs as text,
/// independently of the engine (Foundation's XML parser, not the engine's libxml2 code).
public struct DocxInspector: Sendable {
    /// Paragraph texts of each story part (entry name → paragraphs).
    public var paragraphs: [String: [String]] = [:]
    /// Raw XML of every `.xml`/`.rels` entry.
    public var xml: [String: String] = [:]
    /// Entries whose XML did not parse, with the parser's message.
    public var malformed: [String: String] = [:]

    public init(path: String) throws {
        let archive = try DocxArchive(path: path)
        for name in archive.entryNames where name.hasSuffix(".xml") || name.hasSuffix(".rels") {
            let bytes = try archive.read(name)
            xml[name] = String(decoding: bytes, as: UTF8.self)
            let collector = ParagraphCollector()
            let parser = XMLParser(data: Data(bytes))
            parser.shouldProcessNamespaces = true
            parser.delegate = collector
            if parser.parse() {
                paragraphs[name] = collector.paragraphs
            } else {
                malformed[name] = parser.parserError.map { String(describing: $0) } ?? "parse failed"
            }
        }
    }

    /// All text of part `name`, paragraphs joined by newlines.
    public func text(_ part: String) -> String { (paragraphs[part] ?? []).joined(separator: "\n") }

    /// All text of every story part (`word/*.xml`).
    public var allText: String {
        paragraphs.keys.filter { $0.hasPrefix("word/") }.sorted().map(text).joined(separator: "\n")
    }
}

/// Collects `w:t` text per `w:p`, with `w:tab` as a tab and `w:br` as a newline.
private final class ParagraphCollector: NSObject, XMLParserDelegate {
    static let w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    public var paragraphs: [String] = []
    private var stack: [String] = []
    private var inText = false

    func parser(
        _ parser: XMLParser, didStartElement name: String, namespaceURI: String?,
        qualifiedName: String?, attributes: [String: String] = [:]
    ) {
        guard namespaceURI == Self.w else { return }
        switch name {
        case "p": stack.append("")
        case "t": inText = true
        case "tab": if !stack.isEmpty { stack[stack.count - 1] += "\t" }
        case "br", "cr": if !stack.isEmpty { stack[stack.count - 1] += "\n" }
        default: break
        }
    }

    func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
        guard namespaceURI == Self.w else { return }
        switch name {
        case "p": if let text = stack.popLast() { paragraphs.append(text) }
        case "t": inText = false
        default: break
        }
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        if inText, !stack.isEmpty { stack[stack.count - 1] += string }
    }
}
