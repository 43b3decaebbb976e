/// `COMPARE left op right` (ECMA-376 Part 1 §17.16.5.9): `1` when the comparison holds, else `0`;
/// compared as IF compares (numbers, text, `*`/`?` wildcards). Parsed by `RecordFieldParser.condition`.
enum Compare {
    static func result(_ instruction: IfFieldInstruction, nestedValues: [String]) -> String {
        instruction.holds(nestedValues: nestedValues) ? "1" : "0"
    }
}
