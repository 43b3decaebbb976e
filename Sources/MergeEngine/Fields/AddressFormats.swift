import Comparison
import Foundation

/// ADDRESSBLOCK `\d`: the locality lines (post code, city, state/county) of each destination
/// country as its postal service asks for them (UPU POST*CODE; Royal Mail, USPS, Canada Post,
/// Australia Post, Deutsche Post, PostNL, bpost, La Poste, Posten Norge, Swiss Post …).
///
/// `layout` uses the `\f` syntax with `_CITY_`, `_STATE_` and `_POSTAL_`; `capitalCity` writes the
/// city (and state) in capitals. The name, company and street lines come from the field's `\f`
/// format; these lines replace its city/state/post code groups; the country line (if any) is last.
/// The README's country table is this table.
struct AddressCountry: Sendable {
    /// ISO 3166-1 alpha-2.
    let code: String
    /// Names the country goes by in data (English, native, common short forms), besides its code.
    let names: [String]
    let layout: String
    let capitalCity: Bool
    /// `layout` parsed once.
    let format: AddressFormat
    /// Whether `layout` has the state (county) in it, found once: `PostalAddress.layoutShowsCounty` asks for every
    /// segment line's address.
    let showsCounty: Bool

    init(code: String, names: [String], layout: String, capitalCity: Bool) {
        self.code = code
        self.names = names
        self.layout = layout
        self.capitalCity = capitalCity
        // The table is constant; a layout that does not parse is a programming error the tests catch.
        format = (try? AddressFormat(parsing: layout, field: "ADDRESSBLOCK \\d")) ?? AddressFormat.empty
        showsCounty = layout.contains(AddressToken.state.written)
    }

    private static let postalCity = "<<_POSTAL_ >><<_CITY_>>"

    static let all: [AddressCountry] = [
        // Post code before the city.
        AddressCountry(code: "AT", names: ["Austria", "Österreich"], layout: postalCity, capitalCity: false),
        AddressCountry(code: "BE", names: ["Belgium", "België", "Belgique", "Belgien"], layout: postalCity, capitalCity: false),
        AddressCountry(code: "BG", names: ["Bulgaria", "България"], layout: postalCity, capitalCity: false),
        AddressCountry(code: "CH", names: ["Switzerland", "Schweiz", "Suisse", "Svizzera"], layout: postalCity, capitalCity: false),
        AddressCountry(code: "CY", names: ["Cyprus", "Κύπρος"], layout: postalCity, capitalCity: false),
        AddressCountry(code: "CZ", names: ["Czech Republic", "Czechia", "Česko"], layout: postalCity, capitalCity: false),
        AddressCountry(code: "DE", names: ["Germany", "Deutschland"], layout: postalCity, capitalCity: false),
        AddressCountry(code: "DK", names: ["Denmark", "Danmark"], layout: postalCity, capitalCity: false),
        AddressCountry(code: "EE", names: ["Estonia", "Eesti"], layout: postalCity, capitalCity: false),
        AddressCountry(code: "ES", names: ["Spain", "España"], layout: postalCity + "\n<<_STATE_>>", capitalCity: false),
        AddressCountry(code: "FI", names: ["Finland", "Suomi"], layout: postalCity, capitalCity: true),
        AddressCountry(code: "FR", names: ["France"], layout: postalCity, capitalCity: true),
        AddressCountry(code: "GR", names: ["Greece", "Ελλάδα"], layout: postalCity, capitalCity: true),
        AddressCountry(code: "HR", names: ["Croatia", "Hrvatska"], layout: postalCity, capitalCity: false),
        AddressCountry(code: "HU", names: ["Hungary", "Magyarország"], layout: "<<_CITY_>><<\n_POSTAL_>>", capitalCity: false),
        AddressCountry(code: "IS", names: ["Iceland", "Ísland"], layout: postalCity, capitalCity: false),
        AddressCountry(code: "IT", names: ["Italy", "Italia"], layout: postalCity + "<< _STATE_>>", capitalCity: true),
        AddressCountry(code: "LI", names: ["Liechtenstein"], layout: postalCity, capitalCity: false),
        AddressCountry(code: "LT", names: ["Lithuania", "Lietuva"], layout: postalCity, capitalCity: false),
        AddressCountry(code: "LU", names: ["Luxembourg", "Luxemburg"], layout: postalCity, capitalCity: true),
        AddressCountry(code: "LV", names: ["Latvia", "Latvija"], layout: "<<_CITY_>><<, _POSTAL_>>", capitalCity: false),
        AddressCountry(
            code: "NL", names: ["Netherlands", "The Netherlands", "Nederland", "Holland"],
            layout: "<<_POSTAL_  >><<_CITY_>>", capitalCity: true),
        AddressCountry(code: "NO", names: ["Norway", "Norge", "Noreg"], layout: postalCity, capitalCity: true),
        AddressCountry(code: "PL", names: ["Poland", "Polska"], layout: postalCity, capitalCity: false),
        AddressCountry(code: "PT", names: ["Portugal"], layout: postalCity, capitalCity: true),
        AddressCountry(code: "RO", names: ["Romania", "România"], layout: postalCity + "<<, _STATE_>>", capitalCity: false),
        AddressCountry(code: "SE", names: ["Sweden", "Sverige"], layout: postalCity, capitalCity: true),
        AddressCountry(code: "SI", names: ["Slovenia", "Slovenija"], layout: postalCity, capitalCity: false),
        AddressCountry(code: "SK", names: ["Slovakia", "Slovensko"], layout: postalCity, capitalCity: false),
        // City, then post code.
        AddressCountry(
            code: "GB", names: ["United Kingdom", "UK", "Great Britain", "England", "Scotland", "Wales", "Northern Ireland"],
            layout: "<<_CITY_>>\n<<_POSTAL_>>", capitalCity: true),
        AddressCountry(code: "IE", names: ["Ireland", "Éire"], layout: "<<_CITY_>>\n<<_STATE_>>\n<<_POSTAL_>>", capitalCity: false),
        AddressCountry(code: "MT", names: ["Malta"], layout: "<<_CITY_>><< _POSTAL_>>", capitalCity: false),
        AddressCountry(
            code: "US", names: ["United States", "United States of America", "USA", "U.S.A.", "U.S."],
            layout: "<<_CITY_>><<, _STATE_>><<  _POSTAL_>>", capitalCity: false),
        AddressCountry(code: "CA", names: ["Canada"], layout: "<<_CITY_>><< _STATE_>><<  _POSTAL_>>", capitalCity: true),
        AddressCountry(code: "AU", names: ["Australia"], layout: "<<_CITY_>><< _STATE_>><<  _POSTAL_>>", capitalCity: true),
    ]

    private static let byName: [String: AddressCountry] = {
        var index: [String: AddressCountry] = [:]
        for country in all {
            index[country.code.lowercased()] = country
            for name in country.names { index[name.lowercased()] = country }
        }
        return index
    }()

    /// The country a data value names (code or name, any case), nil when not in the table.
    static func named(_ value: String) -> AddressCountry? {
        byName[value.trimmingWhitespace.lowercased()]
    }
}
