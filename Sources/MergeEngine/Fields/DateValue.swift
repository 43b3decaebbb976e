/// A calendar date and time of day read from merge data, without a time zone.
struct DateValue: Equatable {
    var year: Int, month: Int, day: Int
    var hour = 0, minute = 0, second = 0

    /// Reads the date forms found in exported data (surrounding whitespace ignored):
    /// - ISO 8601: `2025-03-05`, `2025-03-05T14:30`, `2025-03-05 14:30:15`, optionally with
    ///   fractional seconds and a zone (`Z`, `+01:00`) that are ignored: the time is shown as written;
    /// - day first with `-` or `.`: `5-3-2025`, `05.03.2025` (Dutch and most European data);
    /// - month first with `/`: `3/5/2025` (US data);
    /// each optionally followed by ` HH:mm[:ss]`. Years have four digits. Returns `nil` for
    /// anything else or an impossible date (`2025-02-30`).
    init?(parsing text: String) {
        let scalars = Array(text.unicodeScalars.drop(while: { $0.properties.isWhitespace }))
        var end = scalars.count
        while end > 0 && scalars[end - 1].properties.isWhitespace { end -= 1 }
        var reader = NumberReader(scalars: scalars[..<end])
        guard let first = reader.number(maxDigits: 4) else { return nil }
        let separator = reader.next()
        guard separator == "-" || separator == "." || separator == "/",
            let second = reader.number(maxDigits: 2), reader.next() == separator,
            let third = reader.number(maxDigits: 4)
        else { return nil }
        switch (separator, first.digits, third.digits) {
        case ("-", 4, 1...2): (year, month, day) = (first.value, second.value, third.value)
        case ("-", 1...2, 4), (".", 1...2, 4): (year, month, day) = (third.value, second.value, first.value)
        case ("/", 1...2, 4): (year, month, day) = (third.value, first.value, second.value)
        default: return nil
        }
        guard year >= 1, (1...12).contains(month), (1...Self.daysInMonth(month, year: year)).contains(day) else { return nil }
        if reader.isAtEnd { return }
        guard reader.next() == "T" || reader.previousWasSpace,
            let hour = reader.number(maxDigits: 2), reader.next() == ":",
            let minute = reader.number(maxDigits: 2)
        else { return nil }
        self.hour = hour.value
        self.minute = minute.value
        if reader.peek() == ":" {
            _ = reader.next()
            guard let second = reader.number(maxDigits: 2) else { return nil }
            self.second = second.value
            if reader.peek() == "." || reader.peek() == "," {
                _ = reader.next()
                guard reader.number(maxDigits: Int.max) != nil else { return nil }
            }
        }
        guard self.hour < 24, self.minute < 60, self.second < 60, reader.skipZone(), reader.isAtEnd else { return nil }
    }

    /// Day of the week, 0 = Sunday … 6 = Saturday (proleptic Gregorian calendar).
    var weekday: Int {
        // Sakamoto's method.
        let offsets = [0, 3, 2, 5, 0, 3, 5, 1, 4, 6, 2, 4]
        let y = month < 3 ? year - 1 : year
        return (y + y / 4 - y / 100 + y / 400 + offsets[month - 1] + day) % 7
    }

    static func daysInMonth(_ month: Int, year: Int) -> Int {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }
}

/// Reads unsigned numbers and single characters from a date text.
private struct NumberReader {
    var scalars: ArraySlice<Unicode.Scalar>
    /// Set by `next()` when it skipped spaces (the separator between date and time).
    private(set) var previousWasSpace = false

    init(scalars: ArraySlice<Unicode.Scalar>) { self.scalars = scalars }

    var isAtEnd: Bool { scalars.isEmpty }

    func peek() -> Unicode.Scalar? { scalars.first }

    /// The next character; a run of spaces reads as one space and sets `previousWasSpace`.
    mutating func next() -> Unicode.Scalar? {
        previousWasSpace = false
        guard let c = scalars.popFirst() else { return nil }
        if c == " " {
            while scalars.first == " " { scalars.removeFirst() }
            previousWasSpace = true
        }
        return c
    }

    /// Up to `maxDigits` decimal digits (at least one), with their count.
    mutating func number(maxDigits: Int) -> (value: Int, digits: Int)? {
        var value = 0
        var digits = 0
        while let c = scalars.first, c.value >= 48, c.value <= 57 {
            guard digits < maxDigits else { return nil }
            if digits < 9 { value = value * 10 + Int(c.value - 48) }
            digits += 1
            scalars.removeFirst()
        }
        return digits > 0 ? (value, digits) : nil
    }

    /// Skips `Z` or `±HH:mm` / `±HHmm`; false if something else that is not the end follows.
    mutating func skipZone() -> Bool {
        guard let c = scalars.first else { return true }
        if c == "Z" {
            scalars.removeFirst()
            return true
        }
        guard c == "+" || c == "-" else { return false }
        scalars.removeFirst()
        guard number(maxDigits: 4) != nil else { return false }
        if scalars.first == ":" {
            scalars.removeFirst()
            return number(maxDigits: 2) != nil
        }
        return true
    }
}
