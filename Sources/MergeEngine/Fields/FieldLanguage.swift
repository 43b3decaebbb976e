/// The language of month and day names in date pictures (`MMMM`, `dddd`, `MMM`, `ddd`).
public enum FieldLanguage: String, Sendable, Equatable, CaseIterable {
    case english = "en"
    case dutch = "nl"

    /// Full month names, January first.
    var monthNames: [String] {
        switch self {
        case .english: ["January", "February", "March", "April", "May", "June", "July",
                        "August", "September", "October", "November", "December"]
        case .dutch: ["januari", "februari", "maart", "april", "mei", "juni", "juli",
                      "augustus", "september", "oktober", "november", "december"]
        }
    }

    /// Abbreviated month names (`MMM`), January first.
    var monthAbbreviations: [String] {
        switch self {
        case .english: ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        case .dutch: ["jan", "feb", "mrt", "apr", "mei", "jun", "jul", "aug", "sep", "okt", "nov", "dec"]
        }
    }

    /// Full day names, Sunday first.
    var dayNames: [String] {
        switch self {
        case .english: ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"]
        case .dutch: ["zondag", "maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag"]
        }
    }

    /// Abbreviated day names (`ddd`), Sunday first.
    var dayAbbreviations: [String] {
        switch self {
        case .english: ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
        case .dutch: ["zo", "ma", "di", "wo", "do", "vr", "za"]
        }
    }
}
