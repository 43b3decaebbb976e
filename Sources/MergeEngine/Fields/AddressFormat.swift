import Comparison
import Foundation

/// The name-and-address format of `ADDRESSBLOCK \f` and `GREETINGLINE \f` (ECMA-376 Part 1
/// §17.16.5.1, §17.16.5.27): literal text and `<<…>>` groups, each around one token such as
/// `_LAST0_`. A group whose token comes out empty disappears with its own text (spaces,
/// punctuation, line break): `<< _LAST0_>>`, `<<_COMPANY_\n>>`. CR, LF and CRLF all end a line;
/// lines are trimmed of spaces, and lines left empty are dropped.
struct AddressFormat: Sendable, Equatable {
    enum Item: Sendable, Equatable {
        case text(String)
        case group(before: String, token: AddressToken, after: String)
    }

    let items: [Item]

    /// Word's default address block (Insert Address Block, English).
    static let defaultAddress =
        "<<_TITLE0_ >><<_FIRST0_>><< _LAST0_>><< _SUFFIX0_>>\n<<_COMPANY_\n>><<_STREET1_\n>>"
        + "<<_STREET2_\n>><<_CITY_>><<, _STATE_>><< _POSTAL_>><<\n_COUNTRY_>>"
    /// Word's default greeting line.
    static let defaultGreeting = "<<_BEFORE_ Dear >><<_TITLE0_ >><<_LAST0_>><<,_AFTER_ >>"

    /// Reads `text`; `field` names the field in messages.
    /// - Throws: for a group with no token, two tokens, or a token Word does not know.
    init(parsing text: String, field: String) throws(FieldSyntaxError) {
        var items: [Item] = []
        var rest = Substring(text)
        while let open = rest.range(of: "<<") {
            if open.lowerBound > rest.startIndex { items.append(.text(String(rest[..<open.lowerBound]))) }
            guard let close = rest[open.upperBound...].range(of: ">>") else {
                throw FieldSyntaxError("\(field): a \"<<\" in the \\f format has no \">>\"; write groups as <<_LAST0_>>")
            }
            let inside = rest[open.upperBound..<close.lowerBound]
            items.append(try Self.group(inside, field: field))
            rest = rest[close.upperBound...]
        }
        if !rest.isEmpty { items.append(.text(String(rest))) }
        self.items = items
    }

    private static func group(_ inside: Substring, field: String) throws(FieldSyntaxError) -> Item {
        var tokens: [(range: Range<Substring.Index>, token: AddressToken)] = []
        var index = inside.startIndex
        while let start = inside[index...].firstIndex(of: "_") {
            let afterStart = inside.index(after: start)
            guard let end = inside[afterStart...].firstIndex(of: "_") else { break }
            let name = String(inside[afterStart..<end])
            if !name.isEmpty, name.allSatisfy({ $0.isLetter || $0.isNumber }), name == name.uppercased() {
                guard let token = AddressToken(rawValue: name) else {
                    throw FieldSyntaxError(
                        "\(field): unknown token _\(name)_ in the \\f format; use one of "
                            + AddressToken.allCases.map { "_\($0.rawValue)_" }.joined(separator: " "))
                }
                tokens.append((start..<inside.index(after: end), token))
                index = inside.index(after: end)
            } else {
                index = end
            }
        }
        guard tokens.count == 1, let only = tokens.first else {
            throw FieldSyntaxError("\(field): the group <<\(inside)>> in the \\f format needs exactly one token such as _LAST0_")
        }
        return .group(
            before: String(inside[..<only.range.lowerBound]), token: only.token,
            after: String(inside[only.range.upperBound...]))
    }

    /// The tokens of the format, in order.
    var tokens: [AddressToken] {
        items.compactMap { if case .group(_, let token, _) = $0 { token } else { nil } }
    }

    /// The lines for `value` (a token's text; empty when the record has none). `_BEFORE_` and
    /// `_AFTER_` groups always show their text.
    func lines(_ value: (AddressToken) -> String) -> [String] {
        var text = ""
        for item in items {
            switch item {
            case .text(let literal):
                text += literal
            case .group(let before, let token, let after):
                if token == .before || token == .after {
                    text += before + after
                    continue
                }
                let tokenText = value(token)
                if !tokenText.isAllWhitespaceCharacters { text += before + tokenText + after }
            }
        }
        return Self.lines(of: text)
    }

    /// `text` cut at CR, LF and CRLF, each line trimmed, empty lines dropped.
    static func lines(of text: String) -> [String] {
        // Text without CR or LF (a locality line, every segment line's `AddressLine` fields) is the one line, trimmed:
        // not split scalar by scalar into new strings. (CR and LF bytes occur in UTF-8 only as those characters.)
        if !text.utf8.contains(where: { $0 == 0x0A || $0 == 0x0D }) {
            let line = text.trimmingWhitespace
            return line.isEmpty ? [] : [line]
        }
        return text.unicodeScalars.split(omittingEmptySubsequences: true, whereSeparator: { $0 == "\n" || $0 == "\r" })
            .map { String(String.UnicodeScalarView($0)).trimmingWhitespace }
            .filter { !$0.isEmpty }
    }

    /// This format without the groups of `removed` (the country-specific layout replaces them).
    func removing(_ removed: Set<AddressToken>) -> AddressFormat {
        AddressFormat(items: items.filter { if case .group(_, let token, _) = $0 { !removed.contains(token) } else { true } })
    }

    private init(items: [Item]) { self.items = items }

    static let empty = AddressFormat(items: [])
}

/// The tokens of Word's name-and-address formats, with the Match Fields entry each one reads
/// (`mappedName`, the English name Word shows; `odsoIndex`, its position in `w:odso`'s
/// `w:fieldMapData` list, which Word writes in this fixed order whatever its UI language).
public enum AddressToken: String, CaseIterable, Sendable, Hashable {
    case title0 = "TITLE0"
    case first0 = "FIRST0"
    case middle0 = "MIDDLE0"
    case last0 = "LAST0"
    case suffix0 = "SUFFIX0"
    case nick0 = "NICK0"
    case title1 = "TITLE1"
    case first1 = "FIRST1"
    case middle1 = "MIDDLE1"
    case last1 = "LAST1"
    case suffix1 = "SUFFIX1"
    case nick1 = "NICK1"
    case company = "COMPANY"
    case street1 = "STREET1"
    case street2 = "STREET2"
    case city = "CITY"
    case state = "STATE"
    case postal = "POSTAL"
    case country = "COUNTRY"
    /// GREETINGLINE's salutation (`<<_BEFORE_ Dear >>`) and closing punctuation (`<<,_AFTER_ >>`).
    case before = "BEFORE"
    case after = "AFTER"

    /// The token as written in a format, e.g. `_LAST0_`.
    public var written: String { "_\(rawValue)_" }

    /// Whether the token names a person (GREETINGLINE falls back to `\e` when all are empty).
    var isName: Bool {
        switch self {
        case .title0, .first0, .middle0, .last0, .suffix0, .nick0, .title1, .first1, .middle1, .last1, .suffix1, .nick1: true
        default: false
        }
    }
}
