import Foundation

/// Word's Match Fields: which data column each ADDRESSBLOCK/GREETINGLINE token reads.
///
/// In this order, the first that names a column wins:
/// 1. `--map "Last Name=Surname"` (`MatchFields.overrides(parsing:)`; the key is Word's Match Fields
///    name, in English, or the token, `_LAST0_`);
/// 2. the template's `w:mailMerge/w:odso/w:fieldMapData` (ECMA-376 Part 1 §17.15.2.x), by position;
/// 3. automatically by name (`synonyms`): our contact fields first (`Surname`), then common
///    spellings (`Last Name`, `LastName`, `last_name`), matched case-insensitively.
/// Columns from 1 and 2 must exist in the data (missing-field checks list them as `FieldUse`s);
/// a token matched automatically is empty when the record has none of its names.
public struct MatchFields: Sendable, Equatable {
    /// Explicit columns per token (`--map`, then `w:fieldMapData`).
    public var explicit: [AddressToken: String]

    public init(explicit: [AddressToken: String] = [:]) { self.explicit = explicit }

    /// The mapping: the template's `w:fieldMapData` (from `SettingsPart`) overridden by `overrides`.
    public func overridden(by overrides: [AddressToken: String]) -> MatchFields {
        MatchFields(explicit: explicit.merging(overrides) { _, override in override })
    }

    /// The column names a token is looked up under, in order (record keys are lowercased).
    func columns(for token: AddressToken) -> ColumnChoice {
        if let column = explicit[token] { return .explicit(column) }
        return .automatic(Self.synonymKeys[token] ?? [])
    }

    enum ColumnChoice: Sendable, Equatable {
        case explicit(String)
        /// Lowercased record keys to try, in order.
        case automatic([String])
    }

    /// Word's Match Fields names, in `w:fieldMapData` order (index = position in the list).
    static let odsoNames = [
        "Unique Identifier", "Courtesy Title", "First Name", "Middle Name", "Last Name", "Suffix", "Nickname", "Job Title",
        "Company", "Address 1", "Address 2", "City", "State", "Postal Code", "Country or Region", "Business Phone",
        "Business Fax", "Home Phone", "Home Fax", "E-mail Address", "Web Page", "Spouse/Partner Courtesy Title",
        "Spouse/Partner First Name", "Spouse/Partner Middle Name", "Spouse/Partner Last Name", "Spouse/Partner Nickname",
        "Phonetic Guide for First Name", "Phonetic Guide for Last Name", "Address 3", "Department",
    ]

    /// The Match Fields entry each token reads.
    static let mappedNames: [AddressToken: String] = [
        .title0: "Courtesy Title", .first0: "First Name", .middle0: "Middle Name", .last0: "Last Name", .suffix0: "Suffix",
        .nick0: "Nickname", .company: "Company", .street1: "Address 1", .street2: "Address 2", .city: "City",
        .state: "State", .postal: "Postal Code", .country: "Country or Region",
        .title1: "Spouse/Partner Courtesy Title", .first1: "Spouse/Partner First Name",
        .middle1: "Spouse/Partner Middle Name", .last1: "Spouse/Partner Last Name", .nick1: "Spouse/Partner Nickname",
    ]

    /// Word's Match Fields name of `token` ("Last Name"), nil for `_BEFORE_`/`_AFTER_` and `_SUFFIX1_`.
    public static func mappedName(of token: AddressToken) -> String? { mappedNames[token] }

    /// Column names matched automatically, our contact fields first.
    static let synonyms: [AddressToken: [String]] = [
        .title0: ["Salutation", "Courtesy Title", "Title"],
        .first0: ["FirstName", "First Name", "Given Name", "Forename", "First"],
        .middle0: ["MiddleName", "Middle Name", "Middle"],
        .last0: ["Surname", "Last Name", "LastName", "Family Name", "Last"],
        .suffix0: ["Suffix"],
        .nick0: ["Nickname", "Nick Name"],
        .company: ["CompanyName", "Company Name", "Company", "Organization", "Organisation"],
        .street1: ["Address", "Address 1", "Address1", "Address Line 1", "Street", "Street Address"],
        .street2: ["Address2", "Address 2", "Address Line 2", "Street 2"],
        .city: ["City", "Town", "Post Town", "Locality"],
        .state: ["County", "State", "Province", "Region", "State/Province"],
        .postal: ["PostCode", "Postal Code", "Post Code", "ZIP", "ZIP Code", "ZipCode", "Postcode"],
        .country: [
            "Country", "Country or Region", "CountryRegion", "Country/Region", "CountryRegionCode", "Country Code",
            "CountryCode",
        ],
        .title1: ["Spouse Courtesy Title", "Spouse Title", "Partner Title", "Spouse/Partner Courtesy Title"],
        .first1: ["Spouse First Name", "Partner First Name", "Spouse/Partner First Name"],
        .middle1: ["Spouse Middle Name", "Partner Middle Name", "Spouse/Partner Middle Name"],
        .last1: ["Spouse Last Name", "Partner Last Name", "Spouse/Partner Last Name"],
        .nick1: ["Spouse Nickname", "Partner Nickname", "Spouse/Partner Nickname"],
    ]

    /// The mailmerge contact field (segments' contacts) a token reads when nothing maps it; nil for
    /// the tokens our contacts have no field for (`_SUFFIX0_`, `_NICK0_`, the second person's).
    public static func contactField(for token: AddressToken) -> String? {
        let fields: [AddressToken: String] = [
            .title0: "Salutation", .first0: "FirstName", .middle0: "MiddleName", .last0: "Surname", .company: "CompanyName",
            .street1: "Address", .street2: "Address2", .city: "City", .state: "County", .postal: "PostCode",
            .country: "CountryRegionCode",
        ]
        return fields[token]
    }

    /// The synonyms as record keys: lowercased, each also with `_` for spaces (`last_name`), distinct.
    static let synonymKeys: [AddressToken: [String]] = synonyms.mapValues { names in
        var seen = Set<String>()
        var keys: [String] = []
        for name in names {
            let key = name.lowercased()
            for variant in [key, key.replacingOccurrences(of: " ", with: "_")] where seen.insert(variant).inserted {
                keys.append(variant)
            }
        }
        return keys
    }

    /// The token a `--map` key names: Word's Match Fields name ("Last Name", "Address 1"), any case,
    /// or the token (`_LAST0_`, `LAST0`).
    public static func token(named key: String) -> AddressToken? {
        let folded = key.trimmingCharacters(in: .whitespaces).lowercased()
        let bare = folded.trimmingCharacters(in: CharacterSet(charactersIn: "_")).uppercased()
        if let token = AddressToken(rawValue: bare), token != .before, token != .after { return token }
        return mappedNames.first { $0.value.lowercased() == folded }?.key
    }

    /// Reads `--map` options, each `NAME=COLUMN` (`"Last Name=Surname"`, `"_POSTAL_=ZIP"`).
    /// - Throws: `FieldSyntaxError` saying which option is wrong and what to write.
    public static func overrides(parsing options: [String]) throws(FieldSyntaxError) -> [AddressToken: String] {
        var result: [AddressToken: String] = [:]
        for option in options {
            guard let equals = option.firstIndex(of: "=") else {
                throw FieldSyntaxError("--map \"\(option)\": write NAME=COLUMN, e.g. --map \"Last Name=Surname\"")
            }
            let key = String(option[..<equals])
            let column = option[option.index(after: equals)...].trimmingCharacters(in: .whitespaces)
            guard let token = token(named: key) else {
                let names = AddressToken.allCases.compactMap { mappedNames[$0] }.map { "\"\($0)\"" }.joined(separator: ", ")
                throw FieldSyntaxError("--map \"\(option)\": \"\(key)\" is not a Match Fields name; use one of \(names) or a token such as _LAST0_")
            }
            guard !column.isEmpty else {
                throw FieldSyntaxError("--map \"\(option)\": the column name after \"=\" is empty")
            }
            result[token] = column
        }
        return result
    }
}
