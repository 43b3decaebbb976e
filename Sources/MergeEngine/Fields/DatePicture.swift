/// Formats a date with a Word date-time picture (`\@`, ECMA-376 Part 1 §17.16.4.1).
///
/// Picture items: `d` `dd` (day), `ddd` `dddd` (day name), `M` `MM` (month), `MMM` `MMMM`
/// (month name), `y` `yy` (two-digit year), `yyy` `yyyy` (four-digit year), `H` `HH` (0–23),
/// `h` `hh` (1–12), `m` `mm` (minutes), `s` `ss` (seconds), `am/pm` or `AM/PM` (written in the
/// case of the picture). Longer runs act as the longest item (`ddddd` = `dddd`). Text in single
/// quotes and every other character is copied as written.
///
/// Names and AM/PM are those of `language`; `MMMM` uses the month names of a date when the picture
/// also shows the day number (`d MMMM` → Russian "23 ноября"), else the stand-alone names.
enum DatePicture {
    static func format(_ date: DateValue, picture: String, language: FieldLanguage) -> String {
        let chars = Array(picture)
        let showsDayNumber = hasDayNumber(chars)
        var out = ""
        var i = 0
        while i < chars.count {
            let c = chars[i]
            if c == "'" {
                i += 1
                while i < chars.count && chars[i] != "'" {
                    out.append(chars[i])
                    i += 1
                }
                i += 1
                continue
            }
            if (c == "a" || c == "A") && isAmPm(chars, at: i) {
                let text = date.hour < 12 ? language.names.am : language.names.pm
                out += c == "a" ? text.lowercased() : text
                i += 5
                continue
            }
            var run = 1
            while i + run < chars.count && chars[i + run] == c { run += 1 }
            if let item = item(c, run: run, date: date, language: language, showsDayNumber: showsDayNumber) {
                out += item
            } else {
                out += String(repeating: c, count: run)
            }
            i += run
        }
        return out
    }

    /// Whether the picture shows the day of the month (`d` or `dd` outside quotes).
    private static func hasDayNumber(_ chars: [Character]) -> Bool {
        var i = 0
        var quoted = false
        while i < chars.count {
            if chars[i] == "'" {
                quoted.toggle()
                i += 1
                continue
            }
            var run = 1
            while !quoted && i + run < chars.count && chars[i + run] == chars[i] { run += 1 }
            if !quoted && chars[i] == "d" && run <= 2 { return true }
            i += run
        }
        return false
    }

    private static func item(_ c: Character, run: Int, date: DateValue, language: FieldLanguage, showsDayNumber: Bool) -> String? {
        switch c {
        case "d":
            switch run {
            case 1: String(date.day)
            case 2: padded(date.day)
            case 3: language.dayAbbreviations[date.weekday]
            default: language.dayNames[date.weekday]
            }
        case "M":
            switch run {
            case 1: String(date.month)
            case 2: padded(date.month)
            case 3: language.monthAbbreviations[date.month - 1]
            default: (showsDayNumber ? language.monthNames : language.standaloneMonthNames)[date.month - 1]
            }
        case "y":
            run <= 2 ? padded(date.year % 100) : padded(date.year, width: 4)
        case "H":
            run == 1 ? String(date.hour) : padded(date.hour)
        case "h":
            run == 1 ? String(twelveHour(date.hour)) : padded(twelveHour(date.hour))
        case "m":
            run == 1 ? String(date.minute) : padded(date.minute)
        case "s":
            run == 1 ? String(date.second) : padded(date.second)
        default:
            nil
        }
    }

    private static func isAmPm(_ chars: [Character], at i: Int) -> Bool {
        guard i + 5 <= chars.count else { return false }
        return String(chars[i..<i + 5]).lowercased() == "am/pm"
    }

    private static func twelveHour(_ hour: Int) -> Int {
        hour % 12 == 0 ? 12 : hour % 12
    }

    private static func padded(_ value: Int, width: Int = 2) -> String {
        let digits = String(value)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }
}
