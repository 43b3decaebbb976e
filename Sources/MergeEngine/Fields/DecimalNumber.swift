/// An exact decimal number read from merge data, e.g. `-1234.5` or `1,234.50`.
///
/// Digits are kept as written (no binary floating point), so rounding and comparison are exact
/// for any length.
struct DecimalNumber: Comparable {
    var isNegative: Bool
    /// Integer digits, most significant first, without leading zeros (empty for zero).
    var integerDigits: [UInt8]
    /// Fraction digits, without trailing zeros.
    var fractionDigits: [UInt8]

    var isZero: Bool { integerDigits.isEmpty && fractionDigits.isEmpty }

    /// Reads `text` (surrounding whitespace ignored): an optional `+`/`-`, digits with optional
    /// `,` thousands groups (`1,234,567`: groups of exactly three), an optional `.` and fraction.
    /// Returns `nil` for anything else (`1.234,50`, `12e3`, `1,2`, `abc`, empty).
    init?(parsing text: String) {
        var scalars = Array(text.unicodeScalars)[...]
        while let first = scalars.first, first.properties.isWhitespace { scalars.removeFirst() }
        while let last = scalars.last, last.properties.isWhitespace { scalars.removeLast() }
        var negative = false
        if let sign = scalars.first, sign == "-" || sign == "+" {
            negative = sign == "-"
            scalars.removeFirst()
        }
        var integer: [UInt8] = []
        var groupLength = 0
        var grouped = false
        while let c = scalars.first, c != "." {
            scalars.removeFirst()
            if c == "," {
                guard !integer.isEmpty, groupLength <= 3, !grouped || groupLength == 3 else { return nil }
                grouped = true
                groupLength = 0
            } else if let digit = Self.digit(c) {
                integer.append(digit)
                groupLength += 1
            } else {
                return nil
            }
        }
        if grouped && groupLength != 3 { return nil }
        var fraction: [UInt8] = []
        if scalars.first == "." {
            scalars.removeFirst()
            for c in scalars {
                guard let digit = Self.digit(c) else { return nil }
                fraction.append(digit)
            }
        }
        guard !integer.isEmpty || !fraction.isEmpty else { return nil }
        self.init(isNegative: negative, integer: integer, fraction: fraction)
    }

    /// Normalises leading/trailing zeros and the sign of zero.
    init(isNegative: Bool, integer: [UInt8], fraction: [UInt8]) {
        integerDigits = Array(integer.drop(while: { $0 == 0 }))
        var fraction = fraction
        while fraction.last == 0 { fraction.removeLast() }
        fractionDigits = fraction
        self.isNegative = isNegative && !(integerDigits.isEmpty && fractionDigits.isEmpty)
    }

    var magnitude: DecimalNumber {
        DecimalNumber(isNegative: false, integer: integerDigits, fraction: fractionDigits)
    }

    /// Rounded to `decimals` fraction digits, halves away from zero (2.5 → 3, -2.5 → -3).
    func rounded(toDecimals decimals: Int) -> DecimalNumber {
        guard fractionDigits.count > decimals else { return self }
        var digits = integerDigits + fractionDigits.prefix(decimals)
        if fractionDigits[decimals] >= 5 {
            var position = digits.count - 1
            while position >= 0 && digits[position] == 9 {
                digits[position] = 0
                position -= 1
            }
            if position >= 0 { digits[position] += 1 } else { digits.insert(1, at: 0) }
        }
        let integerCount = digits.count - decimals
        return DecimalNumber(
            isNegative: isNegative, integer: Array(digits[..<integerCount]),
            fraction: Array(digits[integerCount...]))
    }

    static func < (lhs: DecimalNumber, rhs: DecimalNumber) -> Bool {
        if lhs.isNegative != rhs.isNegative { return lhs.isNegative }
        return lhs.isNegative ? magnitudeLess(rhs, lhs) : magnitudeLess(lhs, rhs)
    }

    private static func magnitudeLess(_ a: DecimalNumber, _ b: DecimalNumber) -> Bool {
        if a.integerDigits.count != b.integerDigits.count {
            return a.integerDigits.count < b.integerDigits.count
        }
        if a.integerDigits != b.integerDigits {
            return a.integerDigits.lexicographicallyPrecedes(b.integerDigits)
        }
        return a.fractionDigits.lexicographicallyPrecedes(b.fractionDigits)
    }

    private static func digit(_ c: Unicode.Scalar) -> UInt8? {
        c.value >= 48 && c.value <= 57 ? UInt8(c.value - 48) : nil
    }
}
