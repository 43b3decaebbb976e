/// What the field-instruction fuzzer and the robustness tests drive, so both run the same calls.
@_spi(Exercise)
extension FieldInstruction {
    /// Formats or evaluates the field with each of `values` in each of `languages`; an IF with each of
    /// `nestedValues` for its nested fields, then with none. Nothing here may crash or hang.
    public func exercise(values: [String], nestedValues: [[String]], languages: [FieldLanguage]) {
        switch self {
        case .mergeField(let field):
            for value in values {
                for language in languages { _ = field.format(value, language: language) }
            }
        case .ifField(let field):
            for nested in nestedValues + [[]] { _ = field.evaluate(nestedValues: nested) }
        case .addressBlock(let block):
            for value in values {
                for language in languages { _ = block.lines(language: language) { _ in value } }
            }
        case .greetingLine(let greeting):
            for value in values { _ = greeting.text { _ in value } }
        case .media(.mergeBarcode(_, let options)), .media(.displayBarcode(_, let options)):
            // libzint with arbitrary data: an error message, never a crash.
            for value in values { _ = Barcode.render(value, options) }
        case .media, .recordField, .other:
            break
        }
    }
}
