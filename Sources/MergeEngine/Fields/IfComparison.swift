import Comparison

/// The comparison of an `IF` field.
enum IfComparison {
    /// Whether `left op right` holds: numerically when both sides read as numbers
    /// (`007 = 7`, `10 > 9`), otherwise as case-sensitive text, where `=` and `<>` treat `*`
    /// (any run of characters) and `?` (one character) in `right` as wildcards. `<` and `>` on
    /// text use Swift's Unicode ordering (`"B" < "a"`), not a locale collation.
    static func holds(_ left: String, _ op: ComparisonOperator, _ right: String) -> Bool {
        if let l = DecimalNumber(parsing: left), let r = DecimalNumber(parsing: right) {
            return compare(l, op, r)
        }
        switch op {
        case .equal: return Wildcard.matches(left, pattern: right)
        case .notEqual: return !Wildcard.matches(left, pattern: right)
        default: return compare(left, op, right)
        }
    }

    private static func compare<T: Comparable>(_ l: T, _ op: ComparisonOperator, _ r: T) -> Bool {
        switch op {
        case .equal: l == r
        case .notEqual: l != r
        case .less: l < r
        case .greater: l > r
        case .lessOrEqual: l <= r
        case .greaterOrEqual: l >= r
        }
    }

}
