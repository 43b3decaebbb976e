/// `NEXT` (ECMA-376 Part 1 §17.16.5.40). `NEXTIF` shares the comparison of `SKIPIF` and
/// `COMPARE` (`RecordFieldParser.condition`). Word writes `{ NEXT }` at the start of every label
/// of a label sheet but the first.
enum NextRecordParser {
    static func parseNext(_ tokens: [FieldToken]) throws(FieldSyntaxError) -> RecordFieldInstruction {
        try RecordFieldParser.skipGeneralSwitches(tokens, from: 0, field: "NEXT")
        return .next
    }
}
