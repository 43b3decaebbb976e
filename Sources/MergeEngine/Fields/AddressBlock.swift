import Foundation

/// `ADDRESSBLOCK [\f "format"] [\c 0|1|2] [\e "country"]… [\d] [\l LCID]` (ECMA-376 Part 1 §17.16.5.1).
///
/// - `\f`: the name-and-address format (`AddressFormat`); Word's default when absent.
/// - `\c`: the country line: 0 never, 1 always, 2 unless the country is one of the `\e` countries
///   (ECMA-376 §17.16.5.1; the dialog's "Only include the country/region if different than …").
///   Without `\c` the country line is shown unless it is an `\e` country.
/// - `\e`: a country left off (a name or ISO code; matched also through the country table, so
///   `\e "United States"` leaves off `US` and `USA`). Repeatable.
/// - `\d`: lay out post code, city and state as the destination country's postal service asks
///   (`AddressCountry`); a country not in the table keeps the `\f` layout.
/// - `\l`: the language (Windows LCID) of country names written for an ISO code; else the field's run language.
///
/// A country written as an ISO code (`DE`, as in our contacts) is shown by its name in the field's
/// language ("Germany"; "Duitsland" in Dutch); a country written as a name is shown as written.
public struct AddressBlockInstruction: Sendable, Equatable {
    let format: AddressFormat
    public var countryMode: Int?
    public var excludedCountries: [String]
    public var formatsByCountry: Bool
    /// `\l` as written (a Windows language ID), if any.
    public var languageID: Int?

    /// The tokens the block reads, in order, with the locality tokens `\d` adds.
    public var tokens: [AddressToken] {
        var seen = Set<AddressToken>()
        var result: [AddressToken] = []
        for token in format.tokens + (formatsByCountry ? [.city, .state, .postal, .country] : []) where seen.insert(token).inserted {
            result.append(token)
        }
        return result
    }

    static func parse(_ tokens: [FieldToken]) throws(FieldSyntaxError) -> AddressBlockInstruction {
        let field = "ADDRESSBLOCK"
        var format: String?
        var mode: Int?
        var excluded: [String] = []
        var byCountry = false
        var lcid: Int?
        var index = 0
        while let letter = try SwitchArguments.nextSwitch(
            in: tokens, at: &index, unexpected: { "\(field): unexpected text \($0); write switches such as \\f \"<<_FIRST0_>>\"" })
        {
            switch letter {
            case "f", "F":
                format = try SwitchArguments.text(for: "\\f", in: tokens, at: &index, field: field, example: "\"<<_FIRST0_>><< _LAST0_>>\"")
            case "c", "C":
                let text = try SwitchArguments.text(for: "\\c", in: tokens, at: &index, field: field, example: "2")
                guard let value = Int(text), (0...2).contains(value) else {
                    throw FieldSyntaxError("\(field): \\c takes 0 (no country), 1 (country) or 2 (country unless \\e), not \(text)")
                }
                mode = value
            case "e", "E":
                excluded.append(try SwitchArguments.text(for: "\\e", in: tokens, at: &index, field: field, example: "\"United States\""))
            case "d", "D":
                byCountry = true
            case "l", "L":
                lcid = try SwitchArguments.languageID(in: tokens, at: &index, field: field)
            default:
                throw FieldSyntaxError("\(field): unknown switch \\\(letter); ADDRESSBLOCK knows \\f \\c \\e \\d \\l")
            }
        }
        let parsed = try AddressFormat(parsing: format ?? AddressFormat.defaultAddress, field: field)
        return AddressBlockInstruction(
            format: parsed, countryMode: mode, excludedCountries: excluded,
            formatsByCountry: byCountry, languageID: lcid)
    }

    /// The block's lines for the token values `value` in `language`.
    public func lines(language: FieldLanguage, _ value: (AddressToken) -> String) -> [String] {
        let rawCountry = value(.country).trimmingCharacters(in: .whitespaces)
        let destination = AddressCountry.named(rawCountry)
        var countryText = ""
        if !rawCountry.isEmpty && showsCountry(rawCountry, destination) {
            if let destination, rawCountry.count == 2, rawCountry.uppercased() == destination.code {
                countryText = language.countryName(destination.code) ?? rawCountry
            } else {
                countryText = rawCountry
            }
        }
        guard formatsByCountry, let destination else {
            return format.lines { $0 == .country ? countryText : value($0) }
        }
        let locality: Set<AddressToken> = [.city, .state, .postal, .country]
        let upper = destination.capitalCity
        let localValue: (AddressToken) -> String = { token in
            let text = value(token)
            return upper && (token == .city || token == .state) ? text.uppercased() : text
        }
        var lines = format.removing(locality).lines(value)
        lines += destination.format.lines(localValue)
        if !countryText.isEmpty { lines.append(countryText) }
        return lines
    }

    private func showsCountry(_ raw: String, _ destination: AddressCountry?) -> Bool {
        switch countryMode {
        case 0: return false
        case 1: return true
        default:
            return !excludedCountries.contains { excluded in
                if excluded.trimmingCharacters(in: .whitespaces).caseInsensitiveCompare(raw) == .orderedSame { return true }
                guard let destination, let other = AddressCountry.named(excluded) else { return false }
                return other.code == destination.code
            }
        }
    }
}
