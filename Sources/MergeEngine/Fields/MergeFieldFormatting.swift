extension MergeFieldInstruction {
    /// The text Word shows for `value`, with month and day names in `language`:
    /// 1. `\@` picture if the value reads as a date (`DateValue`), else `\#` picture if it reads
    ///    as a number (`DecimalNumber`); a value that reads as neither is kept as it is;
    /// 2. the `\*` case conversion;
    /// 3. `\b` before and `\f` after, only when the value is not blank (empty or whitespace).
    public func format(_ value: String, language: FieldLanguage) -> String {
        var text = value
        if let picture = datePicture, !picture.isEmpty, let date = DateValue(parsing: value) {
            text = DatePicture.format(date, picture: picture, language: language)
        } else if let picture = numberPicture, !picture.isEmpty, let number = DecimalNumber(parsing: value) {
            text = NumberPicture.format(number, picture: picture, language: language)
        }
        if let caseFormat { text = caseFormat.apply(to: text) }
        if textBefore == nil, textAfter == nil { return text }
        guard !value.allSatisfy(\.isWhitespace) else { return text }
        return (textBefore ?? "") + text + (textAfter ?? "")
    }
}
