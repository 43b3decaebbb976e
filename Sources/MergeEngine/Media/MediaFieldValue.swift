import WordXML

/// A hole that renders as a picture: where its file name or barcode data comes from, and the
/// placeholder picture's box the template had in the field's result.
struct MediaFieldValue: Sendable {
    enum Source: Sendable {
        /// A column of the record (`MERGEFIELD Image:Photo`, `MERGEBARCODE PostCode KIX`); `key` lowercased.
        case column(key: String, use: FieldUse)
        /// Text with nested fields (`INCLUDEPICTURE "{ MERGEFIELD PhotoPath }"`, `DISPLAYBARCODE "{ MERGEFIELD Url }" QR`).
        case text(FieldText, nested: [FieldValue])
    }

    enum Kind: Sendable {
        case picture
        case barcode(BarcodeOptions)
    }

    let kind: Kind
    let source: Source
    /// The field itself, for messages: its code, part and paragraph (name: the column, or the field type).
    let field: FieldUse
    /// The placeholder picture's size in EMU (`wp:extent` in the field's result), if any: pictures are fitted into it.
    let box: (width: Int, height: Int)?

    /// The file name or data for `record` (nil: a field is missing and `missing == .keep`).
    func resolve(_ record: MergeRecord, missing: MissingFieldPolicy) throws(MissingFieldError) -> String? {
        switch source {
        case .column(let key, let use):
            guard let value = record[folded: key] else {
                switch missing {
                case .error: throw MissingFieldError(field: use)
                case .blank: return ""
                case .keep: return nil
                }
            }
            return value
        case .text(let text, let nested):
            var values: [String] = []
            for value in nested {
                guard let resolved = try value.resolve(record, missing: missing) else { return nil }
                values.append(resolved)
            }
            return text.resolve(values).trimmingSpaces
        }
    }

    var uses: [FieldUse] {
        switch source {
        case .column(_, let use): [use]
        case .text(_, let nested): nested.flatMap(\.uses)
        }
    }
}

/// The size of the placeholder picture in a field's result: the first `wp:extent` between the
/// field's begin and end (or inside a `w:fldSimple`).
enum PlaceholderBox {
    static let drawingNamespace = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"

    static func find(_ field: ScannedField) -> (width: Int, height: Int)? {
        if field.isSimple { return extent(in: field.begin) }
        let first = field.begin.pointee.parent.flatMap { $0.isWord("r") ? $0 : nil } ?? field.begin
        let last = field.end.flatMap { end in end.pointee.parent.flatMap { $0.isWord("r") ? $0 : nil } ?? end }
        var node: XMLNodePointer? = first
        while let current = node {
            if let box = extent(in: current) { return box }
            if current == last { break }
            node = current.pointee.next
        }
        return nil
    }

    private static func extent(in node: XMLNodePointer) -> (width: Int, height: Int)? {
        for element in [node] + node.descendants where element.localName == "extent" && element.namespaceURI == drawingNamespace {
            if let cx = element.attribute("cx", namespace: nil).flatMap(Int.init), let cy = element.attribute("cy", namespace: nil).flatMap(Int.init),
                cx > 0, cy > 0
            {
                return (cx, cy)
            }
        }
        return nil
    }
}
