import CLibXML2

/// A libxml2 element or other node.
typealias XMLNode = UnsafeMutablePointer<xmlNode>

/// One package part parsed into a libxml2 DOM, safely: no network, no entity substitution,
/// no DTD loading, and a DOCTYPE refused. Owns the document.
final class XMLTree {
    let document: xmlDocPtr
    let root: XMLNode
    /// The bytes before the root element (XML declaration), re-emitted as they were.
    private let prolog: [UInt8]

    private static let initializeLibrary: Void = xmlInitParser()
    private static let options = Int32(XML_PARSE_NONET.rawValue | XML_PARSE_NOERROR.rawValue | XML_PARSE_NOWARNING.rawValue)
    private static let declaration = Array("<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\r\n".utf8)

    /// Parses `bytes` of part `part` in `file`.
    /// - Throws: `PrintRunError` for malformed XML, a DOCTYPE, a non-UTF-8 part or a part over 2 GB.
    init(bytes: [UInt8], file: String, part: String) throws(PrintRunError) {
        XMLTree.initializeLibrary
        guard bytes.count < Int(Int32.max) else { throw PrintRunError(file: file, part: part, message: "the part is larger than 2 GB") }
        guard let context = xmlNewParserCtxt() else { throw PrintRunError(file: file, part: part, message: "out of memory") }
        defer { xmlFreeParserCtxt(context) }
        let parsed = bytes.withUnsafeBufferPointer { buffer in
            buffer.baseAddress.flatMap { base in
                base.withMemoryRebound(to: CChar.self, capacity: buffer.count) {
                    xmlCtxtReadMemory(context, $0, Int32(buffer.count), nil, nil, XMLTree.options)
                }
            }
        }
        guard let parsed else {
            var message = "not well-formed XML"
            if let error = xmlCtxtGetLastError(context), let text = error.pointee.message {
                message += " (line \(error.pointee.line): \(String(cString: text).filter { $0 != "\n" }))"
            }
            throw PrintRunError(file: file, part: part, message: message + "; the letter is damaged, write it again")
        }
        guard parsed.pointee.intSubset == nil, let root = xmlDocGetRootElement(parsed) else {
            xmlFreeDoc(parsed)
            throw PrintRunError(file: file, part: part, message: "a DOCTYPE or an empty document is not allowed in a Word part")
        }
        let encoding = parsed.pointee.encoding.map { String(cString: $0).uppercased() } ?? "UTF-8"
        document = parsed
        self.root = root
        if encoding == "UTF-8", let start = bytes.firstIndex(of: UInt8(ascii: "<")), bytes[start...].starts(with: Array("<?xml".utf8)),
           let end = bytes.firstIndex(of: UInt8(ascii: ">")) {
            prolog = Array(bytes[...end]) + Array("\r\n".utf8)
        } else {
            prolog = XMLTree.declaration
        }
    }

    deinit { xmlFreeDoc(document) }

    /// The whole part, UTF-8, without reformatting.
    func serialized() -> [UInt8] { prolog + XMLTree.serialize([root]) }

    /// The part split around `placeholder` (an element of the tree): the bytes before it and
    /// after it, so that other elements can be spliced in its place. The placeholder is removed.
    func split(at placeholder: XMLNode) -> (head: [UInt8], tail: [UInt8]) {
        let marker = "printrun-splice-point"
        let comment = xmlNewDocComment(document, marker)
        xmlReplaceNode(placeholder, comment)
        xmlFreeNode(placeholder)
        let bytes = serialized()
        let needle = Array("<!--\(marker)-->".utf8)
        guard let range = bytes.firstRange(of: needle) else { return (bytes, []) }
        return (Array(bytes[..<range.lowerBound]), Array(bytes[range.upperBound...]))
    }

    /// `nodes` serialized one after the other, UTF-8, namespaces as prefixes only.
    static func serialize(_ nodes: [XMLNode]) -> [UInt8] {
        guard let buffer = xmlBufferCreate() else { return [] }
        defer { xmlBufferFree(buffer) }
        guard let save = xmlSaveToBuffer(buffer, "UTF-8", Int32(XML_SAVE_NO_DECL.rawValue)) else { return [] }
        for node in nodes { xmlSaveTree(save, node) }
        xmlSaveClose(save)
        let count = Int(xmlBufferLength(buffer))
        guard count > 0, let content = xmlBufferContent(buffer) else { return [] }
        return Array(UnsafeBufferPointer(start: content, count: count))
    }
}
