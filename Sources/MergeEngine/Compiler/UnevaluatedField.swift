/// Fields mailmerge leaves as they are although their result would change in a merge: reported
/// as warnings (by `fields` and every merge; errors with `--strict`), so Word's cached text (say
/// `«AddressBlock»`, or a formula's old result) never reaches a finished letter unnoticed.
///
/// - A field type that is not one Word updates itself (PAGE, DATE, TOC … below) nor one
///   mailmerge evaluates: `DATABASE`, `MERGEBARCODE`, an unknown type.
/// - A field left for Word whose instruction holds a merge field (`INCLUDETEXT "{ MERGEFIELD
///   File }"`, `= { MERGEFIELD Amount } * 2`): Word computes it while merging; its old result
///   stays. `HYPERLINK` is the exception: its target is merged and its text is its own.
/// - A field left for Word whose cached result reads `«…»`: Word's placeholder for a merge field.
public struct FieldWarning: Sendable, Hashable, CustomStringConvertible {
    public let part: String
    public let paragraph: Int
    public let fieldCode: String
    public let message: String

    public var description: String { "\(part), paragraph \(paragraph): \(message) (field code: \(fieldCode))" }
}

enum UnevaluatedField {
    /// Field types Word updates by itself, or that need no data (ECMA-376 Part 1 §17.16.5).
    static let updatedByWord: Set<String> = [
        "=", "ADDIN", "ADVANCE", "AUTHOR", "AUTONUM", "AUTONUMLGL", "AUTONUMOUT", "AUTOTEXT", "AUTOTEXTLIST", "BARCODE",
        "BIBLIOGRAPHY", "BIDIOUTLINE", "CITATION", "COMMENTS", "CREATEDATE", "DATE", "DISPLAYBARCODE", "DOCPROPERTY",
        "DOCVARIABLE", "EDITTIME", "EMBED", "EQ", "FILENAME", "FILESIZE", "FORMCHECKBOX", "FORMDROPDOWN", "FORMTEXT",
        "GLOSSARY", "GOTOBUTTON", "HYPERLINK", "INCLUDEPICTURE", "INCLUDETEXT", "INDEX", "INFO", "KEYWORDS", "LASTSAVEDBY",
        "LINK", "LISTNUM", "MACROBUTTON", "NOTEREF", "NUMCHARS", "NUMPAGES", "NUMWORDS", "PAGE", "PAGEREF", "PRINT",
        "PRINTDATE", "PRIVATE", "QUOTE", "RD", "REF", "REVNUM", "SAVEDATE", "SECTION", "SECTIONPAGES", "SEQ", "SHAPE",
        "STYLEREF", "SUBJECT", "SYMBOL", "TA", "TC", "TEMPLATE", "TIME", "TITLE", "TOA", "TOC", "USERADDRESS",
        "USERINITIALS", "USERNAME", "XE",
    ]
    private static let mergeTypes: Set<String> = RecordFieldInstruction.keywords.union(["MERGEFIELD", "IF"])

    /// The warning for `field`, a field the compiler leaves as it is, or nil.
    static func warning(for field: ScannedField, part: String) -> FieldWarning? {
        guard field.listed else { return nil }
        let code = field.trimmedCode
        guard let keyword = keyword(of: code) else { return nil }
        func warn(_ message: String) -> FieldWarning {
            FieldWarning(part: part, paragraph: field.paragraph, fieldCode: code, message: message)
        }
        if !updatedByWord.contains(keyword) {
            return warn("mailmerge does not evaluate \(keyword) fields; the merged document keeps the template's text \"\(field.resultText)\"")
        }
        if keyword != "HYPERLINK", field.nested.contains(where: { mergeTypes.contains(self.keyword(of: $0.trimmedCode) ?? "") }) {
            return warn("\(keyword) holds a merge field, so Word would compute it for each record; mailmerge leaves its old result \"\(field.resultText)\"")
        }
        let result = field.resultText.trimmingSpaces
        if result.hasPrefix("«"), result.hasSuffix("»") {
            return warn("the field's result \(result) is a merge field placeholder that mailmerge does not fill in")
        }
        return nil
    }

    /// The field type: the first word, upper-cased (`=` for formulas); nil for an empty field.
    static func keyword(of code: String) -> String? {
        guard let word = code.split(whereSeparator: { $0.isWhitespace || $0 == "\\" || $0 == "{" }).first else { return nil }
        return word.hasPrefix("=") ? "=" : word.uppercased()
    }
}
