import Comparison
import Foundation

/// A field reference in a criteria expression: the name as written and where it is.
struct CriteriaField: Sendable, Hashable {
    var name: String
    var column: Int
}

/// What a field's value is compared with.
enum CriteriaTest: Sendable, Hashable {
    /// `=` or `<>` with a value that may hold `*` and `?` wildcards.
    case pattern(String, negated: Bool)
    /// `<`, `>`, `<=`, `>=`.
    case ordered(ComparisonOperator, String)
    /// `low..high`, inclusive; either end may be missing (`1000..`, `..1999`).
    case range(low: String?, high: String?, negated: Bool)
}

/// The parsed form of a criteria expression.
indirect enum CriteriaExpression: Sendable, Hashable {
    case test(CriteriaField, CriteriaTest)
    case and(CriteriaExpression, CriteriaExpression)
    case or(CriteriaExpression, CriteriaExpression)
    case not(CriteriaExpression)

    /// Every field the expression names, in order.
    var fields: [CriteriaField] {
        switch self {
        case .test(let field, _): return [field]
        case .and(let left, let right), .or(let left, let right): return left.fields + right.fields
        case .not(let inner): return inner.fields
        }
    }

    /// Whether the values found by `value(field)` satisfy the expression.
    func matches(_ value: (String) -> String) -> Bool {
        switch self {
        case .test(let field, let test): return test.matches(value(field.name))
        case .and(let left, let right): return left.matches(value) && right.matches(value)
        case .or(let left, let right): return left.matches(value) || right.matches(value)
        case .not(let inner): return !inner.matches(value)
        }
    }
}

extension CriteriaTest {
    /// Whether `value` passes the test. Text is compared ignoring case; when both sides are
    /// numbers they are compared as numbers (so `200` is not in `1000..1999`).
    func matches(_ value: String) -> Bool {
        switch self {
        case .pattern(let pattern, let negated):
            return Wildcard.matches(value.lowercased(), pattern: pattern.lowercased()) != negated
        case .ordered(let op, let operand):
            let order = CriteriaOrder.compare(value, operand)
            switch op {
            case .less: return order == .orderedAscending
            case .greater: return order == .orderedDescending
            case .lessOrEqual: return order != .orderedDescending
            case .greaterOrEqual: return order != .orderedAscending
            case .equal, .notEqual: return (order == .orderedSame) == (op == .equal)
            }
        case .range(let low, let high, let negated):
            let aboveLow = low.map { CriteriaOrder.compare(value, $0) != .orderedAscending } ?? true
            let belowHigh = high.map { CriteriaOrder.compare(value, $0) != .orderedDescending } ?? true
            return (aboveLow && belowHigh) != negated
        }
    }
}

/// Ordering of field values: numerically when both are numbers, else text ignoring case.
enum CriteriaOrder {
    static func compare(_ left: String, _ right: String) -> ComparisonResult {
        let a = left.trimmingCharacters(in: .whitespaces)
        let b = right.trimmingCharacters(in: .whitespaces)
        if let x = Decimal(string: a, locale: Locale(identifier: "en_US_POSIX")), isNumber(a),
            let y = Decimal(string: b, locale: Locale(identifier: "en_US_POSIX")), isNumber(b)
        {
            return x < y ? .orderedAscending : (x > y ? .orderedDescending : .orderedSame)
        }
        let x = a.lowercased()
        let y = b.lowercased()
        return x < y ? .orderedAscending : (x > y ? .orderedDescending : .orderedSame)
    }

    /// `Decimal(string:)` accepts a numeric prefix ("12ab"); only whole numbers count here.
    private static func isNumber(_ text: String) -> Bool {
        !text.isEmpty && text.allSatisfy { $0.isASCII && ($0.isNumber || $0 == "." || $0 == "-" || $0 == "+") }
            && text.contains { $0.isNumber }
    }
}
