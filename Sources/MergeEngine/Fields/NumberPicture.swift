/// Formats a number with a Word numeric picture (`\#`, ECMA-376 Part 1 §17.16.4.2).
///
/// - `0` shows a digit or `0`; `#` shows a digit or a space (Word pads with spaces: use `,0.00`
///   rather than `#,##0.00` for no padding); after the decimal point a `#` whose digit and all
///   following digits are zero shows nothing. `x` shows a digit and drops the digits to its left.
///   The leftmost placeholder also shows every digit that has no placeholder of its own.
/// - The first `.` is the decimal point; the value is rounded, halves away from zero, to as many
///   decimals as placeholders follow it (none: to an integer).
/// - A `,` before the decimal point turns on thousands grouping (`1,234,567`).
/// - `-` shows a minus for a negative value and a space otherwise; `+` shows `+`, `-` or a space
///   for zero. Without either, a negative value gets a `-` before its first digit.
/// - `%`, `$` and other characters, and text in single quotes, are copied: Word does **not**
///   multiply by 100 for `%` (`0.25` with `0%` is `0%`, `25` is `25%`).
/// - Separators follow the field's language (`FieldLanguage`), as in Word: in a Dutch run
///   `#.##0,00` groups with `.` and has `,` as decimal point (1234.5 → `1.234,50`); where the group
///   separator is a (no-break) space (Norwegian, French …), a space between two digit placeholders groups.
/// - `positive;negative[;zero]` sections: the negative section shows the magnitude (write the
///   minus in it, e.g. `(0.00)` or `-0.00`); the zero section is used when the value is zero.
enum NumberPicture {
    private enum Placeholder { case zero, hash, x }

    private enum Element {
        case literal(Character)
        case digit(Placeholder)
        case decimalPoint
        case sign(Character)
    }

    private struct Section {
        var elements: [Element] = []
        var grouping = false
    }

    /// The picture's decimal point and group separator, and what is written for them.
    struct Separators {
        var decimal: Character = "."
        var grouping: Character = ","

        init(_ language: FieldLanguage) {
            decimal = language.names.decimalSeparator
            grouping = language.names.groupingSeparator
        }

        init() {}

        var groupsWithSpace: Bool { Self.spaces.contains(grouping) }
        static let spaces: Set<Character> = [" ", "\u{A0}", "\u{202F}"]
    }

    static func format(_ number: DecimalNumber, picture: String, language: FieldLanguage = .english) -> String {
        let separators = language == .english ? Separators() : Separators(language)
        let sections = splitSections(picture, separators)
        var section = sections[0]
        var value = number
        var signNegative = number.isNegative
        if number.isZero && sections.count > 2 {
            section = sections[2]
            signNegative = false
        } else if number.isNegative && sections.count > 1 && !sections[1].elements.isEmpty {
            section = sections[1]
            value = number.magnitude
        }
        let decimals = section.elements.drop(while: { !isDecimalPoint($0) })
            .filter { if case .digit = $0 { true } else { false } }.count
        let rounded = value.magnitude.rounded(toDecimals: decimals)
        if value.isNegative && rounded.isZero { signNegative = false }
        let hasSignElement = section.elements.contains { if case .sign = $0 { true } else { false } }
        let autoMinus = value.isNegative && !rounded.isZero && !hasSignElement
        return render(section, rounded, decimals: decimals, signNegative: signNegative, autoMinus: autoMinus, separators: separators)
    }

    private static func render(
        _ section: Section, _ number: DecimalNumber, decimals: Int,
        signNegative: Bool, autoMinus: Bool, separators: Separators
    ) -> String {
        let elements = section.elements
        let pointIndex = elements.firstIndex(where: isDecimalPoint) ?? elements.count
        let integerSlots = elements[..<pointIndex].compactMap { element -> Placeholder? in
            if case .digit(let p) = element { p } else { nil }
        }
        var integerDigits = number.integerDigits[...]
        if let firstX = integerSlots.firstIndex(where: { $0 == .x }) {
            integerDigits = integerDigits.suffix(integerSlots.count - firstX)
        }
        var fraction = number.fractionDigits
        fraction += repeatElement(0, count: max(0, decimals - fraction.count))
        var fractionNonZeroFrom = fraction.count
        while fractionNonZeroFrom > 0 && fraction[fractionNonZeroFrom - 1] == 0 { fractionNonZeroFrom -= 1 }

        var out: [Character] = []
        var minusIndex: Int?
        var slot = 0
        var fractionSlot = 0
        func markNumberStart() { if minusIndex == nil { minusIndex = out.count } }
        func emitDigit(_ digit: UInt8, position: Int) {
            markNumberStart()
            out.append(Character(Unicode.Scalar(48 + digit)))
            if section.grouping && position > 0 && position % 3 == 0 { out.append(separators.grouping) }
        }

        for (index, element) in elements.enumerated() {
            switch element {
            case .literal(let c):
                out.append(c)
            case .sign(let c):
                out.append(signNegative ? "-" : (c == "+" && !number.isZero ? "+" : " "))
            case .decimalPoint:
                if integerSlots.isEmpty {
                    for (offset, digit) in integerDigits.enumerated() {
                        emitDigit(digit, position: integerDigits.count - 1 - offset)
                    }
                }
                markNumberStart()
                out.append(separators.decimal)
            case .digit(let placeholder) where index < pointIndex:
                let position = integerSlots.count - 1 - slot
                if slot == 0 && integerDigits.count > integerSlots.count {
                    let overflow = integerDigits.count - integerSlots.count + 1
                    for (offset, digit) in integerDigits.prefix(overflow).enumerated() {
                        emitDigit(digit, position: integerDigits.count - 1 - offset)
                    }
                } else if position < integerDigits.count {
                    emitDigit(integerDigits[integerDigits.endIndex - 1 - position], position: position)
                } else if placeholder == .hash {
                    out.append(" ")
                } else {
                    emitDigit(0, position: position)
                }
                slot += 1
            case .digit(let placeholder):
                if placeholder != .hash || fractionSlot < fractionNonZeroFrom {
                    markNumberStart()
                    out.append(Character(Unicode.Scalar(48 + fraction[fractionSlot])))
                }
                fractionSlot += 1
            }
        }
        if autoMinus { out.insert("-", at: minusIndex ?? 0) }
        return String(out)
    }

    private static func isDecimalPoint(_ element: Element) -> Bool {
        if case .decimalPoint = element { true } else { false }
    }

    /// Splits the picture at `;` (outside single quotes) and reads each section's elements.
    private static func splitSections(_ picture: String, _ separators: Separators) -> [Section] {
        var sections = [Section()]
        var inQuote = false
        var sawPoint = false
        let chars = Array(picture)
        func isPlaceholder(_ index: Int) -> Bool { chars.indices.contains(index) && "0#x".contains(chars[index]) }
        for (index, c) in chars.enumerated() {
            if c == "'" {
                inQuote.toggle()
            } else if inQuote {
                sections[sections.count - 1].elements.append(.literal(c))
            } else if c == ";" && sections.count < 3 {
                sections.append(Section())
                sawPoint = false
            } else {
                switch c {
                case "0": sections[sections.count - 1].elements.append(.digit(.zero))
                case "#": sections[sections.count - 1].elements.append(.digit(.hash))
                case "x": sections[sections.count - 1].elements.append(.digit(.x))
                case separators.decimal where !sawPoint:
                    sawPoint = true
                    sections[sections.count - 1].elements.append(.decimalPoint)
                case separators.grouping where !sawPoint && !separators.groupsWithSpace: sections[sections.count - 1].grouping = true
                case _
                where !sawPoint && separators.groupsWithSpace && Separators.spaces.contains(c)
                    && isPlaceholder(index - 1) && isPlaceholder(index + 1):
                    sections[sections.count - 1].grouping = true
                case "-", "+": sections[sections.count - 1].elements.append(.sign(c))
                default: sections[sections.count - 1].elements.append(.literal(c))
                }
            }
        }
        return sections
    }
}
