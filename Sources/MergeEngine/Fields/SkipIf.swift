import Comparison

/// `SKIPIF left op right` (ECMA-376 Part 1 §17.16.5.64): when the comparison holds, the current
/// record's document is left out of the merge and the next record starts a new one. In a document
/// that merges several records (a label sheet), the skipped record's label is filled with the
/// next record instead. Parsed by `RecordFieldParser.condition`; evaluated by `RecordCursor`.
extension IfFieldInstruction {
    /// Whether the comparison holds for the results of the nested fields (SKIPIF, NEXTIF, COMPARE, IF).
    func holds(nestedValues: [String]) -> Bool {
        IfComparison.holds(left.resolve(nestedValues), comparison, right.resolve(nestedValues))
    }
}
