import CLibXML2

/// A libxml2 element or other node of a parsed part.
public typealias XMLNodePointer = UnsafeMutablePointer<xmlNode>

/// One package part parsed into a libxml2 DOM, safely: no network access, no entity
/// substitution, no DTD loading, and a DOCTYPE refused. Owns the document; not `Sendable`,
/// lives only while the part is read or edited.
public final class XMLPart {
    /// The parsed document, freed with the part.
    public let document: xmlDocPtr
    /// The root element.
    public let root: XMLNodePointer
    /// The bytes written before the root element by `serialized()`.
    public let prolog: [UInt8]

    /// Which bytes before the root element `serialized()` writes. A part in another encoding
    /// than UTF-8 always gets the standard UTF-8 declaration instead, as the output is UTF-8.
    public enum Prolog: Sendable {
        /// Every byte before the root element as written (XML declaration, comments, line breaks).
        case asWritten
        /// The XML declaration alone, then CR LF; the standard declaration when there is none.
        case declarationLine
    }

    /// Why a part could not be parsed.
    public struct ParseFailure: Error, Sendable {
        /// The kind of problem.
        public enum Kind: Sendable {
            /// The part is 2 GB or more.
            case tooLarge
            /// libxml2 could not allocate its parser.
            case outOfMemory
            /// The bytes are not well-formed XML.
            case notWellFormed
            /// The part has a DOCTYPE or no root element.
            case doctypeOrEmpty
        }

        /// The kind of problem.
        public let kind: Kind
        /// What is wrong, e.g. `not well-formed XML (line 3: …)`.
        public let message: String
    }

    private static let utf8Declaration = Array("<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\r\n".utf8)

    /// Parses `bytes`, keeping the bytes before the root element as `prolog` says.
    /// - Throws: `ParseFailure` for a part over 2 GB, malformed XML, a DOCTYPE or no root element.
    public init(bytes: [UInt8], prolog style: Prolog = .asWritten) throws(ParseFailure) {
        LibXML2Setup.initialize()
        let prologEnd = try XMLPart.rootStart(checking: bytes)
        guard let context = xmlNewParserCtxt() else { throw ParseFailure(kind: .outOfMemory, message: "out of memory") }
        defer { xmlFreeParserCtxt(context) }
        let parsed = bytes.withUnsafeBufferPointer { buffer in
            buffer.baseAddress.flatMap { base in
                base.withMemoryRebound(to: CChar.self, capacity: buffer.count) {
                    xmlCtxtReadMemory(context, $0, Int32(buffer.count), nil, nil, LibXML2Setup.safeParseOptions)
                }
            }
        }
        guard let parsed else { throw XMLPart.notWellFormed(context) }
        guard parsed.pointee.intSubset == nil, let rootElement = xmlDocGetRootElement(parsed) else {
            xmlFreeDoc(parsed)
            throw XMLPart.doctypeOrEmpty
        }
        document = parsed
        root = rootElement
        let encoding = parsed.pointee.encoding.map { String(cString: $0).uppercased() } ?? "UTF-8"
        prolog = encoding == "UTF-8" ? XMLPart.prolog(style, of: bytes, rootStart: prologEnd) : XMLPart.utf8Declaration
    }

    deinit { xmlFreeDoc(document) }

    /// The part serialized: the prolog, then the root element, UTF-8, no reformatting.
    public func serialized() -> [UInt8] {
        prolog + XMLPart.serialize([root])
    }

    /// `nodes` serialized one after the other, UTF-8, namespaces as prefixes only.
    public static func serialize(_ nodes: [XMLNodePointer]) -> [UInt8] {
        guard let buffer = xmlBufferCreate() else { return [] }
        defer { xmlBufferFree(buffer) }
        guard let save = xmlSaveToBuffer(buffer, "UTF-8", Int32(XML_SAVE_NO_DECL.rawValue)) else { return [] }
        for node in nodes { xmlSaveTree(save, node) }
        xmlSaveClose(save)
        let count = Int(xmlBufferLength(buffer))
        guard count > 0, let content = xmlBufferContent(buffer) else { return [] }
        return Array(UnsafeBufferPointer(start: content, count: count))
    }

    /// The prolog of a UTF-8 part whose root element starts at `rootStart`.
    private static func prolog(_ style: Prolog, of bytes: [UInt8], rootStart: Int) -> [UInt8] {
        switch style {
        case .asWritten:
            return Array(bytes[..<rootStart])
        case .declarationLine:
            guard let start = bytes.firstIndex(of: UInt8(ascii: "<")), bytes[start...].starts(with: Array("<?xml".utf8)),
                let end = bytes.firstIndex(of: UInt8(ascii: ">"))
            else { return utf8Declaration }
            return Array(bytes[...end]) + Array("\r\n".utf8)
        }
    }

    /// Offset of the root element's `<` in `bytes`, checked before parsing: a part of 2 GB or more and a DOCTYPE (in
    /// UTF-8, seen on the bytes) are refused. Shared with `XMLEventReader`, which refuses what `XMLPart` refuses.
    static func rootStart(checking bytes: [UInt8]) throws(ParseFailure) -> Int {
        guard bytes.count < Int(Int32.max) else { throw ParseFailure(kind: .tooLarge, message: "the part is larger than 2 GB") }
        return try rootStart(in: bytes)
    }

    /// The failure of a parse `context` found not well-formed, with libxml2's last error (line and message).
    static func notWellFormed(_ context: xmlParserCtxtPtr) -> ParseFailure {
        var message = "not well-formed XML"
        if let error = xmlCtxtGetLastError(context), let text = error.pointee.message {
            let detail = String(cString: text).filter { $0 != "\n" }.trimmingSpaces
            message += " (line \(error.pointee.line): \(detail))"
        }
        return ParseFailure(kind: .notWellFormed, message: message)
    }

    /// A DOCTYPE found while parsing (a part not in UTF-8), or no root element.
    static let doctypeOrEmpty = ParseFailure(kind: .doctypeOrEmpty, message: "a DOCTYPE or an empty document is not allowed in a Word part")

    /// Offset of the root element's `<` in `bytes`, skipping a byte order mark, the XML
    /// declaration, processing instructions, comments and whitespace. Throws on a DOCTYPE.
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
                throw ParseFailure(kind: .doctypeOrEmpty, message: "a DOCTYPE is not allowed in a Word part")
            default: return i
            }
        }
        return i
    }
}

extension String {
    /// Without leading and trailing spaces.
    fileprivate var trimmingSpaces: String {
        var slice = Substring(self)
        while slice.first == " " { slice.removeFirst() }
        while slice.last == " " { slice.removeLast() }
        return String(slice)
    }
}
