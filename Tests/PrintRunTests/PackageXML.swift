import DocxPackage
import Foundation
// The shared test support (TemporaryDirectory, …) for every file of this target.
@_exported import MailMergeTestSupport

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// A produced package read independently of the combiner (Foundation's XML parser): every
/// XML part as a flat list of elements with their attributes, ancestors and text.
struct PackageXML {
    struct Element {
        /// Qualified name as written, e.g. `w:bookmarkStart`.
        var name: String
        var attributes: [String: String]
        /// Qualified names of the ancestors, outermost first.
        var ancestors: [String]
        /// The text of this element's `w:t` descendants; for `w:instrText`, its own text.
        var text = ""
    }

    var parts: [String: [Element]] = [:]
    var malformed: [String: String] = [:]
    var entryNames: [String] = []

    init(path: String) throws {
        let archive = try DocxArchive(path: path)
        entryNames = archive.entryNames
        for name in archive.entryNames where name.hasSuffix(".xml") || name.hasSuffix(".rels") {
            let collector = ElementCollector()
            let parser = XMLParser(data: Data(try archive.read(name)))
            parser.delegate = collector
            if parser.parse() { parts[name] = collector.elements } else { malformed[name] = String(describing: parser.parserError) }
        }
    }

    /// Elements called `name` in `part`.
    func elements(_ name: String, in part: String) -> [Element] { (parts[part] ?? []).filter { $0.name == name } }

    /// The text of every paragraph of `part`, joined.
    func text(_ part: String) -> String { elements("w:p", in: part).map(\.text).joined(separator: "\n") }

    /// Target part of relationship `id` of the main document.
    func target(of id: String) -> String? {
        elements("Relationship", in: "word/_rels/document.xml.rels").first { $0.attributes["Id"] == id }
            .flatMap { $0.attributes["Target"] }.map { "word/" + $0 }
    }
}

private final class ElementCollector: NSObject, XMLParserDelegate {
    var elements: [PackageXML.Element] = []
    private var open: [Int] = []
    /// Where character data goes: nothing, every open element (`w:t`), or the last one.
    private enum Capture { case none, all, own }
    private var capture = Capture.none

    func parser(
        _ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
        attributes: [String: String] = [:]
    ) {
        elements.append(PackageXML.Element(name: name, attributes: attributes, ancestors: open.map { elements[$0].name }))
        open.append(elements.count - 1)
        capture = name == "w:t" ? .all : name == "w:instrText" ? .own : .none
    }

    func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
        open.removeLast()
        capture = .none
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        switch capture {
        case .none: break
        case .all: for index in open { elements[index].text += string }
        case .own: if let last = open.last { elements[last].text += string }
        }
    }
}
