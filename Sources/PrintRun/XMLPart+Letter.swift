import CLibXML2
import DocxPackage
import WordXML

/// Parsing a letter's part for the combiner, and splicing into it.
extension XMLPart {
    /// Parses `bytes` of part `part` in `file`, keeping only the XML declaration line before the root.
    /// - Throws: `PrintRunError` for malformed XML, a DOCTYPE, no root element or a part over 2 GB.
    static func letterPart(_ bytes: [UInt8], file: String, part: String) throws(PrintRunError) -> XMLPart {
        do {
            return try XMLPart(bytes: bytes, prolog: .declarationLine)
        } catch {
            throw PrintRunError(error, file: file, part: part)
        }
    }

    /// The part split around `placeholder` (an element of the tree): the bytes before it and
    /// after it, so that other elements can be spliced in its place. The placeholder is removed.
    func split(at placeholder: XMLNodePointer) -> (head: [UInt8], tail: [UInt8]) {
        let marker = "printrun-splice-point"
        let comment = xmlNewDocComment(document, marker)
        xmlReplaceNode(placeholder, comment)
        xmlFreeNode(placeholder)
        let bytes = serialized()
        let needle = Array("<!--\(marker)-->".utf8)
        guard let range = bytes.firstRange(of: needle) else { return (bytes, []) }
        return (Array(bytes[..<range.lowerBound]), Array(bytes[range.upperBound...]))
    }
}

extension DocxError {
    /// Why part `part` of letter `file` could not be parsed (`XMLPart.letterPart`, `LetterText`): the parser's
    /// message, and for malformed XML what to do.
    init(_ failure: XMLPart.ParseFailure, file: String, part: String) {
        let advice = failure.kind == .notWellFormed ? "; the letter is damaged, write it again" : ""
        self.init(file: file, part: part, message: failure.message + advice)
    }
}
