import CLibXML2

/// A libxml2 element or other node of a parsed part.
typealias XMLNodePointer = UnsafeMutablePointer<xmlNode>

/// One story part parsed into a libxml2 DOM for compiling. Owns the document; not `Sendable`,
/// lives only while a part is being compiled.
final class XMLPart {
    let document: xmlDocPtr
    let root: XMLNodePointer
    /// The bytes before the root element in the source (XML declaration and line break),
    /// re-emitted exactly; a UTF-8 declaration instead for a part in another encoding.
    let prolog: [UInt8]
    private static let utf8Declaration = Array("<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\r\n".utf8)

    /// Why a part could not be parsed.
    struct ParseFailure: Error { let message: String }

    /// Parses `bytes` without network access, entity substitution or DTD loading.
    /// A part with a DOCTYPE is refused.
    init(bytes: [UInt8]) throws(ParseFailure) {
        XMLPart.initializeLibrary
        guard bytes.count < Int(Int32.max) else { throw ParseFailure(message: "the part is larger than 2 GB") }
        let prologEnd = try XMLPart.rootStart(in: bytes)
        guard let context = xmlNewParserCtxt() else { throw ParseFailure(message: "out of memory") }
        defer { xmlFreeParserCtxt(context) }
        let options = Int32(XML_PARSE_NONET.rawValue | XML_PARSE_NOERROR.rawValue | XML_PARSE_NOWARNING.rawValue)
        let parsed = bytes.withUnsafeBufferPointer { buffer in
            buffer.baseAddress.flatMap { base in
                base.withMemoryRebound(to: CChar.self, capacity: buffer.count) {
                    xmlCtxtReadMemory(context, $0, Int32(buffer.count), nil, nil, options)
                }
            }
        }
        guard let parsed else {
            var message = "not well-formed XML"
            if let error = xmlCtxtGetLastError(context), let text = error.pointee.message {
                let detail = String(cString: text).filter { $0 != "\n" }.trimmingSpaces
                message += " (line \(error.pointee.line): \(detail))"
            }
            throw ParseFailure(message: message)
        }
        guard parsed.pointee.intSubset == nil, let rootElement = xmlDocGetRootElement(parsed) else {
            xmlFreeDoc(parsed)
            throw ParseFailure(message: "a DOCTYPE or an empty document is not allowed in a Word part")
        }
        document = parsed
        root = rootElement
        // The output is always UTF-8: keep the original prolog only when it says so.
        let encoding = parsed.pointee.encoding.map { String(cString: $0).uppercased() } ?? "UTF-8"
        prolog = encoding == "UTF-8" ? Array(bytes[..<prologEnd]) : XMLPart.utf8Declaration
    }

    deinit { xmlFreeDoc(document) }

    /// libxml2's one-time global set-up, done once before any thread parses.
    private static let initializeLibrary: Void = xmlInitParser()

    /// The part serialized: the original prolog, then the root element, UTF-8, no reformatting.
    func serialized() -> [UInt8] {
        prolog + XMLPart.serialize([root])
    }

    /// Whether `root` declares the prefix `w` for WordprocessingML, as the runs the compiler
    /// writes assume.
    static func declaresWordPrefix(_ root: XMLNodePointer) -> Bool {
        var namespace = root.pointee.nsDef
        while let current = namespace {
            if let prefix = current.pointee.prefix, String(cString: prefix) == "w",
               let href = current.pointee.href, String(cString: href) == WordNamespace.main {
                return true
            }
            namespace = current.pointee.next
        }
        return false
    }

    /// `nodes` serialized one after the other, UTF-8, namespaces as prefixes only.
    static func serialize(_ nodes: [XMLNodePointer]) -> [UInt8] {
        guard let buffer = xmlBufferCreate() else { return [] }
        defer { xmlBufferFree(buffer) }
        guard let save = xmlSaveToBuffer(buffer, "UTF-8", Int32(XML_SAVE_NO_DECL.rawValue)) else { return [] }
        for node in nodes { xmlSaveTree(save, node) }
        xmlSaveClose(save)
        let count = Int(xmlBufferLength(buffer))
        guard count > 0, let content = xmlBufferContent(buffer) else { return [] }
        return Array(UnsafeBufferPointer(start: content, count: count))
    }

    /// Offset of the root element's `<` in `bytes`, skipping the XML declaration, processing
    /// instructions, comments and whitespace. Throws on a DOCTYPE.
    private static func rootStart(in bytes: [UInt8]) throws(ParseFailure) -> Int {
        var i = 0
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { i = 3 }
        func starts(_ text: String, at offset: Int) -> Bool {
            let utf8 = Array(text.utf8)
            return offset + utf8.count <= bytes.count && Array(bytes[offset..<offset + utf8.count]) == utf8
        }
        func skip(past terminator: String, from offset: Int) -> Int {
            var j = offset
            while j < bytes.count, !starts(terminator, at: j) { j += 1 }
            return min(bytes.count, j + terminator.utf8.count)
        }
        while i < bytes.count {
            switch bytes[i] {
            case 0x20, 0x09, 0x0A, 0x0D: i += 1
            case UInt8(ascii: "<") where starts("<?", at: i): i = skip(past: "?>", from: i)
            case UInt8(ascii: "<") where starts("<!--", at: i): i = skip(past: "-->", from: i)
            case UInt8(ascii: "<") where starts("<!", at: i):
                throw ParseFailure(message: "a DOCTYPE is not allowed in a Word part")
            default: return i
            }
        }
        return i
    }
}
