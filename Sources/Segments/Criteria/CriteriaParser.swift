import Comparison

/// Recursive-descent parser for criteria expressions:
///
/// ```
/// expression := and ( OR and )*
/// and        := unary ( AND unary )*
/// unary      := NOT unary | '(' expression ')' | test
/// test       := FIELD ( '=' | '<>' ) value-or-range | FIELD ( '<' | '>' | '<=' | '>=' ) value
/// value-or-range := value | value '..' [value] | '..' value
/// value      := bare word | 'quoted text' | "quoted text"
/// ```
struct CriteriaParser {
    private let text: String
    private let tokens: [CriteriaToken]
    private var position = 0

    private init(text: String) throws(CriteriaSyntaxError) {
        self.text = text
        tokens = try CriteriaLexer.tokens(text)
    }

    /// Parses `text`; throws with the column of the first problem.
    static func parse(_ text: String) throws(CriteriaSyntaxError) -> CriteriaExpression {
        var parser = try CriteriaParser(text: text)
        if case .end = parser.current.kind {
            throw parser.error("the criteria are empty; write e.g. CountryRegionCode=NL AND City=Amst*")
        }
        let expression = try parser.parseBinary()
        if case .end = parser.current.kind {
            return expression
        }
        throw parser.error("expected AND, OR or the end of the criteria, found \(parser.current.display)")
    }

    private var current: CriteriaToken { tokens[position] }

    private func error(_ message: String, at token: CriteriaToken? = nil) -> CriteriaSyntaxError {
        CriteriaSyntaxError(expression: text, column: (token ?? current).column, message: message)
    }

    /// The binary operators, loosest first (see the grammar): `OR` joins `and`s, `AND` joins `unary`s.
    private static let binaryOperators: [(keyword: String, join: @Sendable (CriteriaExpression, CriteriaExpression) -> CriteriaExpression)] = [
        ("OR", { .or($0, $1) }), ("AND", { .and($0, $1) }),
    ]

    /// `operand ( KEYWORD operand )*` for `binaryOperators[level]`, joined left to right; the operands are
    /// those of the next level, past the last one `unary`.
    private mutating func parseBinary(level: Int = 0) throws(CriteriaSyntaxError) -> CriteriaExpression {
        guard level < Self.binaryOperators.count else { return try parseUnary() }
        let (keyword, join) = Self.binaryOperators[level]
        var expression = try parseBinary(level: level + 1)
        while current.keyword == keyword {
            position += 1
            expression = join(expression, try parseBinary(level: level + 1))
        }
        return expression
    }

    private mutating func parseUnary() throws(CriteriaSyntaxError) -> CriteriaExpression {
        if current.keyword == "NOT" {
            position += 1
            return .not(try parseUnary())
        }
        if case .openParenthesis = current.kind {
            let open = current
            position += 1
            let inner = try parseBinary()
            guard case .closeParenthesis = current.kind else {
                throw error("expected ')' to close the '(' at column \(open.column), found \(current.display)")
            }
            position += 1
            return inner
        }
        return try parseTest()
    }

    private mutating func parseTest() throws(CriteriaSyntaxError) -> CriteriaExpression {
        guard case .word(let name) = current.kind, current.keyword == nil else {
            throw error("expected a field name (a column of the contacts CSV, e.g. City), found \(current.display)")
        }
        let field = CriteriaField(name: name, column: current.column)
        position += 1
        guard case .comparison(let op) = current.kind else {
            throw error("expected a comparison (=, <>, <, >, <=, >=) after field '\(name)', found \(current.display)")
        }
        position += 1
        switch op {
        case .equal, .notEqual:
            return .test(field, try parseValueOrRange(negated: op == .notEqual, after: op))
        case .less, .greater, .lessOrEqual, .greaterOrEqual:
            guard let value = value(current) else {
                throw error("expected a value after '\(op.rawValue)', found \(current.display)")
            }
            position += 1
            return .test(field, .ordered(op, value))
        }
    }

    private mutating func parseValueOrRange(negated: Bool, after op: ComparisonOperator) throws(CriteriaSyntaxError) -> CriteriaTest {
        if case .rangeDots = current.kind {
            position += 1
            guard let high = value(current) else {
                throw error("expected the end of the range after '..', found \(current.display)")
            }
            position += 1
            return .range(low: nil, high: high, negated: negated)
        }
        guard let low = value(current) else {
            throw error("expected a value after '\(op.rawValue)' (quote it when it has spaces: City='New York'), found \(current.display)")
        }
        let lowToken = current
        position += 1
        guard case .rangeDots = current.kind else {
            return .pattern(low, negated: negated)
        }
        position += 1
        if low.contains("*") || low.contains("?") {
            throw error("a range cannot hold wildcards (* or ?)", at: lowToken)
        }
        let high = value(current)
        if high != nil { position += 1 }
        return .range(low: low, high: high, negated: negated)
    }

    /// The value a token holds in value position (keywords count as plain words there).
    private func value(_ token: CriteriaToken) -> String? {
        switch token.kind {
        case .word(let text), .quoted(let text): return text
        default: return nil
        }
    }
}
