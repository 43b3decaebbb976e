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
        case .equal: return matches(left, pattern: right)
        case .notEqual: return !matches(left, pattern: right)
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

    /// Wildcard match of the whole `text` against `pattern` (greedy with one backtrack point).
    static func matches(_ text: String, pattern: String) -> Bool {
        guard pattern.contains(where: { $0 == "*" || $0 == "?" }) else { return text == pattern }
        let t = Array(text)
        let p = Array(pattern)
        var ti = 0
        var pi = 0
        var starP = -1
        var starT = 0
        while ti < t.count {
            if pi < p.count && (p[pi] == "?" || (p[pi] != "*" && p[pi] == t[ti])) {
                ti += 1
                pi += 1
            } else if pi < p.count && p[pi] == "*" {
                starP = pi
                starT = ti
                pi += 1
            } else if starP >= 0 {
                pi = starP + 1
                starT += 1
                ti = starT
            } else {
                return false
            }
        }
        while pi < p.count && p[pi] == "*" { pi += 1 }
        return pi == p.count
    }
}
