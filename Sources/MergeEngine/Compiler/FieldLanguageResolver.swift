import CLibXML2
import Foundation
import WordXML

/// The language of a field's result, found once per field at compile time, as Word does: the
/// `w:lang/@w:val` of the field's result run, else of its first instruction run, else of its
/// paragraph mark's run properties (`w:pPr/w:rPr/w:lang`), else the document's: the default
/// paragraph style's `w:lang` in `word/styles.xml`, else `w:docDefaults/w:rPrDefault/w:rPr/w:lang`,
/// else English (United States).
enum FieldLanguageResolver {
    static let stylesPart = "word/styles.xml"

    /// The language `field` is written in; `document` is the document's language.
    static func language(of field: ScannedField, document: FieldLanguage) -> FieldLanguage {
        if let tag = tag(inRunProperties: field.resultRunProperties) ?? tag(inRunProperties: field.instructionRunProperties)
            ?? paragraphTag(field.begin)
        {
            return FieldLanguage(tag: tag)
        }
        return document
    }

    /// `w:val` of the `w:lang` in serialized run properties.
    static func tag(inRunProperties bytes: [UInt8]?) -> String? {
        guard let bytes, !bytes.isEmpty else { return nil }
        let text = String(decoding: bytes, as: UTF8.self)
        guard let lang = text.range(of: "<w:lang ") else { return nil }
        let rest = text[lang.upperBound...]
        guard let end = rest.firstIndex(of: ">"), let value = rest[..<end].range(of: "w:val=\"") else { return nil }
        let tail = rest[value.upperBound..<end]
        guard let close = tail.firstIndex(of: "\"") else { return nil }
        let tag = String(tail[..<close])
        return tag.isEmpty ? nil : tag
    }

    /// The paragraph mark's language of the paragraph holding `node`.
    private static func paragraphTag(_ node: XMLNodePointer) -> String? {
        let paragraph = node.isWord("p") ? node : node.wordAncestor("p")
        return paragraph?.firstWordChild("pPr")?.firstWordChild("rPr")?.firstWordChild("lang")?.wordAttribute("val")
    }

    /// The document's language from `word/styles.xml` (nil when it sets none).
    static func documentLanguage(styles bytes: [UInt8]) -> FieldLanguage? {
        guard let xml = try? XMLPart(bytes: bytes) else { return nil }
        var child = xml.root.pointee.children
        var defaultStyleTag: String?
        while let node = child {
            child = node.pointee.next
            guard node.isWord("style"), node.wordAttribute("type") == "paragraph",
                ["1", "true", "on"].contains(node.wordAttribute("default") ?? "")
            else { continue }
            defaultStyleTag = node.firstWordChild("rPr")?.firstWordChild("lang")?.wordAttribute("val")
            break
        }
        let defaults = xml.root.firstWordChild("docDefaults")?.firstWordChild("rPrDefault")?.firstWordChild("rPr")?
            .firstWordChild("lang")?.wordAttribute("val")
        return (defaultStyleTag ?? defaults).map { FieldLanguage(tag: $0) }
    }
}
