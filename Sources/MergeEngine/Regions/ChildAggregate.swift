import Foundation

/// The fields a record's child tables add: `Table.Count` (the number of rows the record has)
/// and `Table.Sum:Column` (the sum of the column's numbers over those rows; blank values and
/// values that are not numbers count as 0, as in Word's `= SUM(ABOVE)`). Numbers are read as in
/// merge data (`1234.5`, `1,234.50`, `-3`) and summed exactly (decimal, not binary floating point).
enum ChildAggregate {
    /// The value of the lowercased field name `key` when it is an aggregate of a table in
    /// `children`, else nil.
    static func value(_ key: String, in children: [String: [MergeRecord]]) -> String? {
        guard let dot = key.firstIndex(of: ".") else { return nil }
        guard let rows = children[String(key[..<dot])] else { return nil }
        let what = key[key.index(after: dot)...]
        if what == "count" { return String(rows.count) }
        guard what.hasPrefix("sum:") else { return nil }
        let column = String(what.dropFirst(4)).trimmingCharacters(in: .whitespaces)
        var total = Decimal(0)
        for row in rows {
            guard let text = row.own(folded: column), let number = number(text) else { continue }
            total += number
        }
        return format(total)
    }

    /// `text` as a number: optional sign, digits with optional `,` groups, optional fraction.
    static func number(_ text: String) -> Decimal? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty, DecimalNumber(parsing: trimmed) != nil else { return nil }
        return Decimal(string: trimmed.replacingOccurrences(of: ",", with: ""), locale: Locale(identifier: "en_US_POSIX"))
    }

    /// `value` written plainly (`1234.5`, `-3`, `0`), so that `\#` pictures can format it.
    static func format(_ value: Decimal) -> String {
        var value = value
        var rounded = Decimal()
        NSDecimalRound(&rounded, &value, 10, .plain)
        return NSDecimalNumber(decimal: rounded).description(withLocale: Locale(identifier: "en_US_POSIX"))
    }
}
