import WordXML

/// Turns a scanned field into the value its hole renders: parses its instruction and, for an
/// `IF`, those of its nested fields (depth bounded by `FieldScanner.maximumNesting`).
struct FieldCompiler {
    let part: String
    /// The document's language (`FieldLanguageResolver`), for fields whose runs set none.
    var documentLanguage: FieldLanguage = .english
    /// Which columns ADDRESSBLOCK/GREETINGLINE tokens read.
    var matchFields = MatchFields()
    /// Lowercased bookmarks that a SET or ASK field of the part assigns: a REF to one is merged.
    var assignedBookmarks: Set<String> = []

    /// The value of `field`, or nil for a field that is not merged (DATE, PAGE, TOC, empty, …).
    func value(of field: ScannedField) throws(ScanError) -> FieldValue? {
        // An empty field `{ }` shows nothing in Word: leave it as it is.
        if field.nested.isEmpty, field.trimmedCode.allSatisfy(\.isWhitespace) { return nil }
        let instruction: FieldInstruction
        do {
            instruction = try FieldInstruction.parse(field.tokens)
        } catch {
            throw ScanError(paragraph: field.paragraph, fieldCode: field.trimmedCode, message: error.message)
        }
        switch instruction {
        case .mergeField(var merge):
            guard !merge.name.trimmingSpaces.isEmpty else {
                throw ScanError(
                    paragraph: field.paragraph, fieldCode: field.trimmedCode,
                    message: "MERGEFIELD has no field name; add the name of a data column")
            }
            if let image = MediaInstruction.imageColumn(of: merge) { return try value(of: image, field: field) }
            let use = FieldUse(name: merge.name, part: part, paragraph: field.paragraph, code: field.trimmedCode)
            merge.language = FieldLanguageResolver.language(of: field, document: documentLanguage)
            return .merge(merge, key: merge.name.lowercased(), use: use)
        case .addressBlock(let block):
            return matched(.addressBlock(block), field)
        case .greetingLine(let greeting):
            return matched(.greetingLine(greeting), field)
        case .ifField(let condition):
            var nested: [FieldValue] = []
            for child in field.nested {
                nested.append(try value(of: child) ?? .fixed(child.resultText))
            }
            return .condition(condition, nested: nested)
        case .recordField(let recordField):
            return try value(of: recordField, field: field)
        case .media(let media):
            return try value(of: media, field: field)
        case .other(let keyword):
            return reference(keyword, field)
        }
    }

    /// A picture or barcode hole: the source of its file name or data, and the placeholder's box.
    private func value(of media: MediaInstruction, field: ScannedField) throws(ScanError) -> FieldValue {
        let code = field.trimmedCode
        func nested() throws(ScanError) -> [FieldValue] {
            var values: [FieldValue] = []
            for child in field.nested { values.append(try value(of: child) ?? .fixed(child.resultText)) }
            return values
        }
        let keyword = UnevaluatedField.keyword(of: code) ?? "INCLUDEPICTURE"
        let itself = FieldUse(name: keyword, part: part, paragraph: field.paragraph, code: code)
        let kind: MediaFieldValue.Kind
        let source: MediaFieldValue.Source
        switch media {
        case .includePicture(let text):
            kind = .picture
            source = .text(text, nested: try nested())
        case .imageColumn(let column):
            let use = FieldUse(name: column, part: part, paragraph: field.paragraph, code: code)
            kind = .picture
            source = .column(key: column.lowercased(), use: use)
        case .mergeBarcode(let column, let options):
            let use = FieldUse(name: column, part: part, paragraph: field.paragraph, code: code)
            kind = .barcode(options)
            source = .column(key: column.lowercased(), use: use)
        case .displayBarcode(let text, let options):
            kind = .barcode(options)
            source = .text(text, nested: try nested())
        }
        let named: FieldUse = if case .column(_, let use) = source { use } else { itself }
        return .media(MediaFieldValue(kind: kind, source: source, field: named, box: PlaceholderBox.find(field)))
    }

    private func matched(_ kind: MatchedField.Kind, _ field: ScannedField) -> FieldValue {
        .matched(
            MatchedField(
                kind: kind, matchFields: matchFields,
                language: FieldLanguageResolver.language(of: field, document: documentLanguage),
                part: part, paragraph: field.paragraph, code: field.trimmedCode))
    }

    /// What ends a line of an ADDRESSBLOCK: a new paragraph with the same `w:pPr` (Word writes the
    /// block's lines as paragraphs), when the field sits directly in a paragraph that holds no
    /// section break; nil otherwise (then `w:br`).
    func paragraphBreak(of field: ScannedField, value: FieldValue) -> [UInt8]? {
        guard case .matched(let matched) = value, case .addressBlock = matched.kind else { return nil }
        let first = field.begin.pointee.parent.flatMap { $0.isWord("r") ? $0 : nil } ?? field.begin
        let last = field.end.flatMap { end in end.pointee.parent.flatMap { $0.isWord("r") ? $0 : nil } ?? end } ?? first
        guard let paragraph = first.pointee.parent, paragraph.isWord("p"), last.pointee.parent == paragraph else { return nil }
        let properties = paragraph.firstWordChild("pPr")
        if properties?.firstWordChild("sectPr") != nil { return nil }
        return Array("</w:p><w:p>".utf8) + (properties.map { XMLPart.serialize([$0]) } ?? [])
    }

    /// The `w:rPr` the result of `field` carries: with `\* MERGEFORMAT`, that of the first
    /// result run; otherwise (no switch, `\* CHARFORMAT`) that of the first instruction run.
    func runProperties(of field: ScannedField, value: FieldValue) -> [UInt8] {
        let keepsResultFormat: Bool
        switch value {
        case .merge(let merge, _, _): keepsResultFormat = merge.resultFormatting == .mergeFormat
        default: keepsResultFormat = Self.hasMergeFormatSwitch(field.tokens)
        }
        if keepsResultFormat || field.isSimple {
            return field.resultRunProperties ?? field.instructionRunProperties ?? []
        }
        return field.instructionRunProperties ?? field.resultRunProperties ?? []
    }

    /// Whether the field's own instruction text (not nested fields) has `\* MERGEFORMAT`.
    private static func hasMergeFormatSwitch(_ tokens: [InstructionToken]) -> Bool {
        tokens.contains { token in
            guard case .text(let text) = token else { return false }
            let squeezed = text.uppercased().filter { $0 != " " }
            return squeezed.contains("\\*MERGEFORMAT")
        }
    }
}
