import CLibXML2
import Synchronization

/// A part read once, start to end, as libxml2's SAX2 events, no tree built: for a reader that keeps only a little of a
/// part (`LetterText`), about half the cost of parsing it into an `XMLPart` (no node is allocated, none freed). Safe
/// and strict as `XMLPart`: its parser options, no DOCTYPE, under 2 GB, and its `ParseFailure`s, with the same messages.
public enum XMLEventReader {
    /// The callbacks of a read. Each gets the parser context (an `xmlParserCtxtPtr`) as its first argument: `reader(_:)`
    /// gives the `reader` that `read` was given.
    public struct Events: Sendable {
        /// An element's start tag: its local name, prefix and namespace URI (nil: none), then its namespaces and attributes.
        public var startElement: startElementNsSAX2Func
        /// An element's end tag (local name, prefix, namespace URI).
        public var endElement: endElementNsSAX2Func
        /// Character data in UTF-8, in pieces: text (character and predefined entity references resolved), the
        /// whitespace between elements, and CDATA sections.
        public var text: charactersSAXFunc

        public init(startElement: startElementNsSAX2Func, endElement: endElementNsSAX2Func, text: charactersSAXFunc) {
            self.startElement = startElement
            self.endElement = endElement
            self.text = text
        }
    }

    /// Parses `bytes`, calling `events` as it goes; `reader` is what the callbacks work on (`reader(_:)`).
    /// - Throws: `XMLPart.ParseFailure` as `XMLPart(bytes:)` would for these bytes: a part over 2 GB, malformed XML
    ///   (the events seen until then were called), a DOCTYPE.
    public static func read(_ bytes: [UInt8], events: Events, reader: UnsafeMutableRawPointer) throws(XMLPart.ParseFailure) {
        LibXML2Setup.initialize()
        _ = try XMLPart.rootStart(checking: bytes)
        guard let context = idle.withLock({ $0.popLast() })?.pointer ?? xmlNewParserCtxt() else {
            throw XMLPart.ParseFailure(kind: .outOfMemory, message: "out of memory")
        }
        var handler = xmlSAXHandler()
        handler.initialized = XML_SAX2_MAGIC
        handler.startElementNs = events.startElement
        handler.endElementNs = events.endElement
        handler.characters = events.text
        handler.ignorableWhitespace = events.text
        handler.cdataBlock = events.text
        // A DOCTYPE the check before parsing did not see (a part in UTF-16): refused, as `XMLPart` refuses it.
        handler.internalSubset = { context, _, _, _ in xmlStopParser(context?.assumingMemoryBound(to: xmlParserCtxt.self)) }
        // No startDocument: libxml2 makes no document (`xmlCtxtReadMemory` returns nil).
        context.pointee.sax.pointee = handler
        context.pointee._private = reader
        let read: Bool = bytes.withUnsafeBufferPointer { buffer in
            guard let base = buffer.baseAddress else { return false }
            let document = base.withMemoryRebound(to: CChar.self, capacity: buffer.count) {
                xmlCtxtReadMemory(context, $0, Int32(buffer.count), nil, nil, LibXML2Setup.safeParseOptions)
            }
            if let document { xmlFreeDoc(document) }
            return true
        }
        let failure: XMLPart.ParseFailure?
        if !read {
            failure = XMLPart.ParseFailure(kind: .notWellFormed, message: "not well-formed XML")
        } else if context.pointee.wellFormed == 0 {
            failure = XMLPart.notWellFormed(context)
        } else if context.pointee.errNo == Int32(XML_ERR_USER_STOP.rawValue) {
            failure = XMLPart.doctypeOrEmpty
        } else {
            failure = nil
        }
        release(context, reusable: failure == nil)
        if let failure { throw failure }
    }

    /// The `reader` given to `read`, from a callback's first argument (the parser context).
    @inline(__always)
    public static func reader(_ context: UnsafeMutableRawPointer?) -> UnsafeMutableRawPointer {
        context.unsafelyUnwrapped.assumingMemoryBound(to: xmlParserCtxt.self).pointee._private.unsafelyUnwrapped
    }

    /// A parser context, used by one read at a time (taken from `idle`, put back after).
    private struct Context: @unchecked Sendable {
        let pointer: xmlParserCtxtPtr
    }

    /// Contexts of reads that finished, kept for the next: a new context costs about a tenth of a letter's read, and
    /// its dictionary (the names libxml2 interns) fills again.
    private static let idle = Mutex<[Context]>([])
    /// At most as many contexts as threads read at once, in practice.
    private static let keptContexts = 16
    /// A context whose dictionary holds more than this (names of a large or strange part) is freed, not kept: libxml2
    /// limits a dictionary to 10 MB, which what one part left must not eat into.
    private static let keptDictionaryBytes = 64 << 10

    private static func release(_ context: xmlParserCtxtPtr, reusable: Bool) {
        context.pointee._private = nil
        if reusable, xmlDictGetUsage(context.pointee.dict) <= keptDictionaryBytes,
            idle.withLock({ idle in
                guard idle.count < keptContexts else { return false }
                idle.append(Context(pointer: context))
                return true
            })
        {
            return
        }
        xmlFreeParserCtxt(context)
    }
}
