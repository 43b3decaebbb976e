/// `MERGEREC` and `MERGESEQ` (ECMA-376 Part 1 §17.16.5.37, .38): the record's number in the data
/// source, and the count of records merged so far. They differ once SKIPIF has skipped a record.
enum MergeRecordNumberParser {
    static func parse(keyword: String, _ tokens: [FieldToken]) throws(FieldSyntaxError) -> RecordFieldInstruction {
        try RecordFieldParser.skipGeneralSwitches(tokens, from: 0, field: keyword)
        return keyword == "MERGEREC" ? .mergeRecord : .mergeSequence
    }
}
