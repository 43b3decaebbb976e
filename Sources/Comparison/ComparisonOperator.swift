/// The comparison operators `= <> < > <= >=`, as Word's IF, NEXTIF, SKIPIF and COMPARE fields and
/// the segment criteria language write them.
public enum ComparisonOperator: String, Sendable, Hashable {
    case equal = "="
    case notEqual = "<>"
    case less = "<"
    case greater = ">"
    case lessOrEqual = "<="
    case greaterOrEqual = ">="
}
