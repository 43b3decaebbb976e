import Foundation

/// A contact's locality lines laid out as the destination country's postal service asks, from
/// the same table as ADDRESSBLOCK `\d` (`AddressCountry`), for callers that build address lines
/// outside a Word field (the `AddressLine1`…`AddressLine8` merge fields).
public enum PostalAddress {
    /// The locality lines (post code, city, state or county) for `country` (ISO code or name);
    /// `nil` when the table does not know the country. Empty lines are left out.
    public static func localityLines(country: String, postCode: String, city: String, county: String) -> [String]? {
        guard let destination = AddressCountry.named(country) else { return nil }
        let upper = destination.capitalCity
        return destination.format.lines { token in
            switch token {
            case .postal: postCode
            case .city: upper ? city.uppercased() : city
            case .state: upper ? county.uppercased() : county
            default: ""
            }
        }
    }

    /// Whether the postal layout of `country` has the county (state, province) in it.
    public static func layoutShowsCounty(country: String) -> Bool {
        AddressCountry.named(country)?.showsCounty ?? false
    }

    /// The name of country `code` (ISO 3166 alpha-2) in language `language` (`NL`, `fr-BE` …),
    /// from Foundation's locale data, as ADDRESSBLOCK prints it.
    public static func countryName(_ code: String, language: String) -> String? {
        FieldLanguage(tag: language.isEmpty ? "en" : language.lowercased()).countryName(code)
    }
}
