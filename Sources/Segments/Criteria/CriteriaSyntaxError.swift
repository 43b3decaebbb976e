/// A criteria expression that does not parse, or names a field the contacts do not have,
/// with the 1-based column the problem starts at.
public struct CriteriaSyntaxError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The expression as given.
    public var expression: String
    /// The 1-based column (in characters) where the problem is.
    public var column: Int
    /// What is wrong and what was expected.
    public var message: String

    /// Creates an error at `column` of `expression`.
    public init(expression: String, column: Int, message: String) {
        self.expression = expression
        self.column = column
        self.message = message
    }

    /// `criteria, column 12: message`, then the expression with a caret under the column.
    public var description: String {
        let indent = "  "
        return "criteria, column \(column): \(message)\n" + indent + expression + "\n"
            + indent + String(repeating: " ", count: max(0, column - 1)) + "^"
    }
}
