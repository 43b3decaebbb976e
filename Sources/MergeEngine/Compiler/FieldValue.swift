/// How a hole's text is computed from a record.
indirect enum FieldValue: Sendable {
    /// A `MERGEFIELD`; `key` is the lowercased name.
    case merge(MergeFieldInstruction, key: String, use: FieldUse)
    /// A `{{Name}}` placeholder; `key` is the lowercased name.
    case placeholder(key: String, use: FieldUse)
    /// An `IF` with the values of its nested fields.
    case condition(IfFieldInstruction, nested: [FieldValue])
    /// A nested field that is not merged (e.g. `DATE`): its result as Word last computed it.
    case fixed(String)
    /// ADDRESSBLOCK or GREETINGLINE (`MatchedField`).
    case matched(MatchedField)
    /// NEXT, SKIPIF, MERGEREC, SET, REF … : evaluated by a `RecordCursor` (`RecordFieldValue.swift`).
    case record(RecordFieldValue)
    /// A picture or barcode (`Media/`): resolves to its file name or data; `CompiledPart.render` draws it.
    case media(MediaFieldValue)
    /// A repeating region (`Regions/`): rendered by `CompiledPart.render`, not as text.
    case region(Region)
    /// `= SUM(ABOVE)` below a repeating table region (`ColumnSum`).
    case columnSum(ColumnSum)

    /// The text for `record`, or nil when a field is missing and `missing == .keep`
    /// (the whole hole is then left as it was).
    func resolve(_ record: MergeRecord, missing: MissingFieldPolicy) throws(MissingFieldError) -> String? {
        switch self {
        case .merge(let instruction, let key, let use):
            guard let value = record[folded: key] else { return try Self.absent(use, missing) }
            return instruction.format(value)
        case .placeholder(let key, let use):
            guard let value = record[folded: key] else { return try Self.absent(use, missing) }
            return value
        case .condition(let instruction, let nested):
            var values: [String] = []
            values.reserveCapacity(nested.count)
            for field in nested {
                guard let value = try field.resolve(record, missing: missing) else { return nil }
                values.append(value)
            }
            return instruction.evaluate(nestedValues: values)
        case .fixed(let text):
            return text
        case .matched(let field):
            return try field.resolve(record, missing: missing)
        case .media(let field):
            return try field.resolve(record, missing: missing)
        case .record:
            return ""  // Templates with record fields render through `RecordCursor`, which evaluates them.
        case .region:
            return ""  // Rendered by `CompiledPart.render` with the record's child rows.
        case .columnSum(let sum):
            return sum.resolve(record)
        }
    }

    private static func absent(_ use: FieldUse, _ missing: MissingFieldPolicy) throws(MissingFieldError) -> String? {
        switch missing {
        case .error: throw MissingFieldError(field: use)
        case .blank: return ""
        case .keep: return nil
        }
    }

    /// Every merge field and placeholder in this value, in order.
    var uses: [FieldUse] {
        switch self {
        case .merge(_, _, let use), .placeholder(_, let use): return [use]
        case .condition(_, let nested): return nested.flatMap(\.uses)
        case .fixed: return []
        case .matched(let field): return field.uses
        case .record(let field): return field.nested.flatMap(\.uses)
        case .media(let field): return field.uses
        case .region(let region): return region.body.uses
        case .columnSum: return []
        }
    }
}

/// A place in a part where a field was: rendered per record as runs.
struct Hole: Sendable {
    let value: FieldValue
    /// The `w:rPr` the rendered runs carry (may be empty).
    let runProperties: [UInt8]
    /// The field's original XML, re-emitted with `MissingFieldPolicy.keep`.
    let original: [UInt8]
    /// Whether its fields are listed in `CompiledTemplate.fields` (not for `mc:Fallback` copies).
    let listed: Bool
    /// Whether it sits in the instruction of a field that is left as it is (e.g.
    /// `HYPERLINK "mailto:{ MERGEFIELD Email }"`): rendered as instruction text.
    var inInstruction = false
    /// For ADDRESSBLOCK: what ends one paragraph and starts the next (`</w:p><w:p>` and the
    /// paragraph's `w:pPr`), written for each line end as Word writes the block's lines as
    /// paragraphs; nil: line ends are `w:br`.
    var paragraphBreak: [UInt8]?
}
