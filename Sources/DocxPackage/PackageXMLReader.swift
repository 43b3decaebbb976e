import CLibXML2
import WordXML

/// Reads the small package XML parts (`[Content_Types].xml`, `*.rels`) with libxml2,
/// safely: no network, no DTD loading, no entity substitution, and any DOCTYPE refused
/// (package parts never carry one).
enum PackageXMLReader {
    /// An element of interest and its attributes (by unprefixed name).
    struct Element {
        let name: String
        let attributes: [String: String]
    }

    private static let options = LibXML2Setup.safeParseOptions | Int32(XML_PARSE_NOCDATA.rawValue)

    /// The elements whose local name is one of `elementNames` in `bytes`, in document order.
    /// - Throws: `DocxError` for a DOCTYPE or malformed XML, naming `file` and `part`.
    static func elements(named elementNames: Set<String>, in bytes: [UInt8], file: String, part: String) throws(DocxError) -> [Element] {
        LibXML2Setup.initialize()
        if DoctypeSniffer.hasDoctype(bytes) { throw doctypeError(file: file, part: part) }
        let errors = ErrorCollector()
        let result: Result<[Element], DocxError> = bytes.withUnsafeBufferPointer { buffer in
            buffer.withMemoryRebound(to: CChar.self) { chars in
                guard let reader = xmlReaderForMemory(chars.baseAddress, Int32(chars.count), part, nil, options) else {
                    return .failure(DocxError(file: file, part: part, message: "cannot parse the XML (out of memory?)"))
                }
                defer { xmlFreeTextReader(reader) }
                xmlTextReaderSetStructuredErrorHandler(reader, ErrorCollector.handler, Unmanaged.passUnretained(errors).toOpaque())
                return collect(elementNames, reader: reader, file: file, part: part, errors: errors)
            }
        }
        return try result.get()
    }

    private static func collect(
        _ elementNames: Set<String>, reader: xmlTextReaderPtr, file: String, part: String,
        errors: ErrorCollector
    ) -> Result<[Element], DocxError> {
        var found: [Element] = []
        while true {
            let status = xmlTextReaderRead(reader)
            if status == 0 { return .success(found) }
            if status < 0 {
                let detail = errors.first ?? "unknown error"
                return .failure(DocxError(file: file, part: part, message: "malformed XML: \(detail); the file is damaged"))
            }
            let type = xmlTextReaderNodeType(reader)
            if type == Int32(XML_READER_TYPE_DOCUMENT_TYPE.rawValue) {
                return .failure(doctypeError(file: file, part: part))
            }
            guard type == Int32(XML_READER_TYPE_ELEMENT.rawValue),
                let local = xmlTextReaderConstLocalName(reader)
            else { continue }
            let name = String(cString: local)
            guard elementNames.contains(name) else { continue }
            var attributes: [String: String] = [:]
            while xmlTextReaderMoveToNextAttribute(reader) == 1 {
                if let name = xmlTextReaderConstLocalName(reader), let value = xmlTextReaderConstValue(reader) {
                    attributes[String(cString: name)] = String(cString: value)
                }
            }
            found.append(Element(name: name, attributes: attributes))
        }
    }

    private static func doctypeError(file: String, part: String) -> DocxError {
        DocxError(
            file: file, part: part,
            message: "contains a DOCTYPE declaration, which Word packages never do; refusing to read it (the file may be crafted)")
    }
}

/// Keeps the first libxml2 error message of one parse.
private final class ErrorCollector {
    var first: String?

    static let handler: xmlStructuredErrorFunc = { context, error in
        guard let context, let error else { return }
        let collector = Unmanaged<ErrorCollector>.fromOpaque(context).takeUnretainedValue()
        guard collector.first == nil else { return }
        let text = error.pointee.message.map { String(cString: $0) } ?? "unknown error"
        let trimmed = text.hasSuffix("\n") ? String(text.dropLast()) : text
        collector.first = "\(trimmed) at line \(error.pointee.line)"
    }
}
