import Foundation

/// The language a field's result is written in: month and day names and AM/PM of `\@` date
/// pictures, decimal and group separators of `\#` number pictures, country names of ADDRESSBLOCK.
///
/// Names and separators come from Foundation's locale data (CLDR), looked up once per language
/// (the compiler resolves a field's language once, at compile time; see `FieldLanguageResolver`).
/// `MMMM` after a day number uses the format-context month names (Russian "23 ноября", Polish
/// "23 listopada"); a month with no day uses the stand-alone names ("ноябрь 2026").
public struct FieldLanguage: Sendable, Equatable, Hashable, CustomStringConvertible {
    /// BCP 47 tag, as in `w:lang/@w:val`, e.g. `en-US`, `nl-NL`, `nb-NO`.
    public let tag: String
    let names: Names

    struct Names: Sendable, Hashable {
        /// Full month names in a date (format context), January first.
        var monthNames: [String]
        /// Full month names on their own (stand-alone context), January first.
        var standaloneMonthNames: [String]
        var monthAbbreviations: [String]
        /// Full day names, Sunday first.
        var dayNames: [String]
        var dayAbbreviations: [String]
        var am: String
        var pm: String
        /// The decimal separator (`,` in Dutch) and the group separator (`.` in Dutch, a no-break space in Norwegian).
        var decimalSeparator: Character
        var groupingSeparator: Character
        /// The names of the countries of the `\d` table (`AddressCountry`), by ISO code.
        var countryNames: [String: String]
    }

    public static func == (lhs: FieldLanguage, rhs: FieldLanguage) -> Bool { lhs.tag == rhs.tag }
    public func hash(into hasher: inout Hasher) { hasher.combine(tag) }
    public var description: String { tag }

    /// English (United States): Word's default.
    public static let english = FieldLanguage(tag: "en-US")
    /// Dutch (Netherlands).
    public static let dutch = FieldLanguage(tag: "nl-NL")

    /// The languages the tests and the fuzzer exercise (any BCP 47 tag works).
    public static let allCases: [FieldLanguage] = [
        "en-US", "nl-NL", "nb-NO", "ru-RU", "de-DE", "fr-FR", "es-ES",
        "da-DK", "sv-SE", "pl-PL", "it-IT", "pt-PT",
    ].map { FieldLanguage(tag: $0) }

    /// The language with BCP 47 tag `tag` (`nl-NL`, `nl`, `nb_NO`); Foundation falls back to
    /// English names for a language it does not know.
    public init(tag: String) {
        let normalized = tag.replacingOccurrences(of: "_", with: "-")
        self.tag = normalized
        names = Self.cache.names(for: normalized)
    }

    /// The language of a Windows language ID (`\l 1033` = en-US, `\l 1043` = nl-NL); nil for 0 and
    /// IDs not in `lcidTags` (the field then uses its run's language).
    public init?(lcid: Int) {
        guard let tag = Self.lcidTags[lcid] else { return nil }
        self.init(tag: tag)
    }

    /// Language code of the tag, lowercased (`nl` for `nl-BE`).
    public var languageCode: String { String(tag.prefix { $0 != "-" }).lowercased() }

    var monthNames: [String] { names.monthNames }
    var standaloneMonthNames: [String] { names.standaloneMonthNames }
    var monthAbbreviations: [String] { names.monthAbbreviations }
    var dayNames: [String] { names.dayNames }
    var dayAbbreviations: [String] { names.dayAbbreviations }

    /// The country or region `code` (ISO 3166 alpha-2) named in this language, e.g. `DE` → "Germany" / "Duitsland".
    /// Read once per language for the countries of the `\d` table; others are looked up each time.
    public func countryName(_ code: String) -> String? {
        let upper = code.uppercased()
        if let name = names.countryNames[upper] { return name }
        return Locale(identifier: tag.replacingOccurrences(of: "-", with: "_")).localizedString(forRegionCode: upper)
    }

    /// Windows language IDs (LCID) Word writes in `\l` for the languages we cover.
    static let lcidTags: [Int: String] = [
        1033: "en-US", 2057: "en-GB", 3081: "en-AU", 4105: "en-CA", 6153: "en-IE",
        1043: "nl-NL", 2067: "nl-BE", 1044: "nb-NO", 2068: "nn-NO", 1049: "ru-RU",
        1031: "de-DE", 3079: "de-AT", 2055: "de-CH", 4103: "de-LU",
        1036: "fr-FR", 2060: "fr-BE", 4108: "fr-CH", 3084: "fr-CA", 5132: "fr-LU",
        3082: "es-ES", 1034: "es-ES", 1030: "da-DK", 1053: "sv-SE", 1035: "fi-FI", 1045: "pl-PL",
        1040: "it-IT", 2064: "it-CH", 2070: "pt-PT", 1046: "pt-BR", 1029: "cs-CZ", 1051: "sk-SK",
        1038: "hu-HU", 1048: "ro-RO", 1026: "bg-BG", 1032: "el-GR", 1060: "sl-SI", 1050: "hr-HR",
        1061: "et-EE", 1062: "lv-LV", 1063: "lt-LT", 1082: "mt-MT", 2108: "ga-IE", 1039: "is-IS",
    ]

    /// Locale data per tag, read from Foundation once per process.
    private static let cache = NamesCache()

    private final class NamesCache: @unchecked Sendable {
        private let lock = NSLock()
        private var byTag: [String: Names] = [:]

        func names(for tag: String) -> Names {
            lock.lock()
            defer { lock.unlock() }
            if let names = byTag[tag] { return names }
            let names = Self.read(tag)
            byTag[tag] = names
            return names
        }

        private static func read(_ tag: String) -> Names {
            // A tag Foundation does not know (Word's "x-none", a typo) reads as English, not as CLDR's root ("M11").
            let asked = Locale(identifier: tag.replacingOccurrences(of: "-", with: "_"))
            let known = asked.language.languageCode.map { Locale.LanguageCode.isoLanguageCodes.contains($0) } ?? false
            let locale = known ? asked : Locale(identifier: "en_US")
            let formatter = DateFormatter()
            formatter.locale = locale
            formatter.calendar = Calendar(identifier: .gregorian)
            let english = locale.language.languageCode?.identifier == "en"
            return Names(
                monthNames: formatter.monthSymbols, standaloneMonthNames: formatter.standaloneMonthSymbols,
                monthAbbreviations: formatter.shortMonthSymbols, dayNames: formatter.weekdaySymbols,
                dayAbbreviations: formatter.shortWeekdaySymbols,
                // Word writes AM/PM for English whatever the region (CLDR's en-GB says "am").
                am: english ? "AM" : formatter.amSymbol, pm: english ? "PM" : formatter.pmSymbol,
                decimalSeparator: locale.decimalSeparator?.first ?? ".",
                groupingSeparator: locale.groupingSeparator?.first ?? ",",
                countryNames: Dictionary(
                    uniqueKeysWithValues: AddressCountry.all.compactMap { country in
                        locale.localizedString(forRegionCode: country.code).map { (country.code, $0) }
                    }))
        }
    }
}
