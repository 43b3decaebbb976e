/// `GREETINGLINE [\f "format"] [\e "fallback"] [\l LCID]` (ECMA-376 Part 1 §17.16.5.27).
///
/// `\f` is the greeting with `<<_BEFORE_ Dear >>` (the salutation, always shown), name tokens
/// (`<<_TITLE0_ >><<_LAST0_>>`) and `<<,_AFTER_ >>` (the closing punctuation). When every name
/// token of the record is empty, the whole greeting is `\e` ("Dear Sir or Madam,"), never "Dear ,".
public struct GreetingLineInstruction: Sendable, Equatable {
    let format: AddressFormat
    public var fallback: String
    public var languageID: Int?

    /// Word's default `\e`.
    public static let defaultFallback = "Dear Sir or Madam,"

    /// The tokens the greeting reads, in order (without `_BEFORE_`/`_AFTER_`).
    public var tokens: [AddressToken] { format.tokens.filter { $0 != .before && $0 != .after } }

    static func parse(_ tokens: [FieldToken]) throws(FieldSyntaxError) -> GreetingLineInstruction {
        let field = "GREETINGLINE"
        var format: String?
        var fallback: String?
        var lcid: Int?
        var index = 0
        while let letter = try SwitchArguments.nextSwitch(
            in: tokens, at: &index, unexpected: { "\(field): unexpected text \($0); write switches such as \\f \"<<_BEFORE_ Dear >>…\"" })
        {
            switch letter {
            case "f", "F":
                format = try SwitchArguments.text(
                    for: "\\f", in: tokens, at: &index, field: field,
                    example: "\"<<_BEFORE_ Dear >><<_FIRST0_>><<,_AFTER_ >>\"")
            case "e", "E":
                fallback = try SwitchArguments.text(for: "\\e", in: tokens, at: &index, field: field, example: "\"Dear Sir or Madam,\"")
            case "l", "L":
                lcid = try SwitchArguments.languageID(in: tokens, at: &index, field: field)
            default:
                throw FieldSyntaxError("\(field): unknown switch \\\(letter); GREETINGLINE knows \\f \\e \\l")
            }
        }
        let parsed = try AddressFormat(parsing: format ?? AddressFormat.defaultGreeting, field: field)
        return GreetingLineInstruction(format: parsed, fallback: fallback ?? defaultFallback, languageID: lcid)
    }

    /// The greeting for the token values `value`: the format, or `\e` when all name tokens are empty.
    public func text(_ value: (AddressToken) -> String) -> String {
        let hasName = format.tokens.contains { $0.isName && !value($0).allSatisfy(\.isWhitespace) }
        guard hasName else { return fallback }
        return format.lines(value).joined(separator: " ")
    }
}
