import Testing

@testable import MergeEngine

/// `IF` fields: parsing and `evaluate(nestedValues:)`.
struct IfFieldTests {
    private func ifField(_ tokens: [InstructionToken]) throws -> IfFieldInstruction {
        guard case .ifField(let field) = try FieldInstruction.parse(tokens) else {
            Issue.record("not an IF field: \(tokens)")
            return IfFieldInstruction(
                left: FieldText([]), comparison: .equal, right: FieldText([]),
                whenTrue: FieldText([]), whenFalse: FieldText([]))
        }
        return field
    }

    @Test(arguments: [
        (#"IF 1 = 1 "yes" "no""#, "yes"),
        (#"if 1 = 2 "yes" "no""#, "no"),
        (#"IF 10 > 9 "T" "F""#, "T"),
        (#"IF "10" < "9" "T" "F""#, "F"),
        (#"IF "007" = "7" "T" "F""#, "T"),
        (#"IF 1,000.0 = 1000 "T" "F""#, "T"),
        (#"IF -2 < -1.5 "T" "F""#, "T"),
        (#"IF "abc" < "abd" "T" "F""#, "T"),
        (#"IF "b" > "abc" "T" "F""#, "T"),
        (#"IF "f" = "F" "T" "F""#, "F"),
        (#"IF "a"="a" "T" "F""#, "T"),
        (#"IF a<>b T F"#, "T"),
        (#"IF 5>=5 T F"#, "T"),
        (#"IF 4<=3 T F"#, "F"),
        (#"IF "x y" <> "x y" T F"#, "F"),
        (#"IF "Jansen" = "Jan*" T F"#, "T"),
        (#"IF "Jan" = "J?n" T F"#, "T"),
        (#"IF "Jansen" = "*sen" T F"#, "T"),
        (#"IF "Jansen" = "J*x" T F"#, "F"),
        (#"IF "Jansen" <> "Jan*" T F"#, "F"),
        (#"IF "" = "*" T F"#, "T"),
        (#"IF "Jan*" < "Jan*x" T F"#, "T"),
        (#"IF 1 = 2 "yes""#, ""),
        (#"IF 1 = 1"#, ""),
        (#"IF 1 = 1 "yes" "no" \* Upper"#, "YES"),
        (#"IF 1 = 1 "jan de vries" \* Caps \* MERGEFORMAT"#, "Jan De Vries"),
        ("IF \u{201C}a\u{201D} = \u{201C}a\u{201D} \u{201C}ja\u{201D} \u{201C}nee\u{201D}", "ja"),
        ("IF\u{00A0}1\u{00A0}=\u{00A0}1\u{00A0}ja\u{00A0}nee", "ja"),
        (#"IF "a" = "a" "say \"hi\"" "no""#, #"say "hi""#),
    ])
    func textOnly(instruction: String, expected: String) throws {
        #expect(try ifField([.text(instruction)]).evaluate(nestedValues: []) == expected)
    }

    /// `IF { MERGEFIELD G } = "F" "Dear Ms. { MERGEFIELD Surname }" "Dear Sir"`: the quote spans
    /// the nested field.
    @Test(arguments: [(["F", "Jansen"], "Dear Ms. Jansen"), (["M", "Jansen"], "Dear Sir")])
    func nestedFieldsInOperandAndBranch(values: [String], expected: String) throws {
        let field = try ifField([
            .text(" IF "), .nested(0), .text(" = \"F\" \"Dear Ms. "), .nested(1),
            .text("\" \"Dear Sir\" "),
        ])
        #expect(field.left == FieldText([.nested(0)]))
        #expect(field.whenTrue == FieldText([.literal("Dear Ms. "), .nested(1)]))
        #expect(field.evaluate(nestedValues: values) == expected)
    }

    @Test func nestedFieldTouchingTheOperator() throws {
        let field = try ifField([.text("IF"), .nested(0), .text("=\"F\" ja nee")])
        #expect(field.comparison == .equal)
        #expect(field.evaluate(nestedValues: ["F"]) == "ja")
        #expect(field.evaluate(nestedValues: ["f"]) == "nee")
    }

    @Test func nestedOperandsCompareAsNumbers() throws {
        let field = try ifField([.text("IF "), .nested(0), .text(" > "), .nested(1), .text(" more less")])
        #expect(field.evaluate(nestedValues: ["10", "9"]) == "more")
        #expect(field.evaluate(nestedValues: ["abc", "b"]) == "less")
    }

    /// A nested IF is a nested token; the compiler passes its result.
    @Test func nestedIfInABranch() throws {
        let field = try ifField([.text("IF "), .nested(0), .text(" = \"NL\" \""), .nested(1), .text("\" \"Hello\"")])
        #expect(field.evaluate(nestedValues: ["NL", "Hallo"]) == "Hallo")
        #expect(field.evaluate(nestedValues: ["BE", "Hallo"]) == "Hello")
    }

    @Test func wildcardInANestedRightOperand() throws {
        let field = try ifField([.text("IF \"Amsterdam\" = "), .nested(0), .text(" T F")])
        #expect(field.evaluate(nestedValues: ["Am*"]) == "T")
        #expect(field.evaluate(nestedValues: ["Rot*"]) == "F")
    }

    @Test func missingNestedValuesCountAsEmpty() throws {
        let field = try ifField([.text("IF "), .nested(3), .text(" = \"\" empty full")])
        #expect(field.evaluate(nestedValues: []) == "empty")
    }

    @Test(arguments: [
        ("IF", "IF needs a comparison: left operator right"),
        ("IF \"a\" \"b\"", "IF needs a comparison: left operator right; found \"b\""),
        ("IF \"a\"", "IF needs a comparison: left operator right; nothing after"),
        ("IF = \"b\" T F", "nothing is written before the operator ="),
        ("IF \"a\" =", "nothing is written after the operator ="),
        ("IF a = \\* Upper", "nothing is written after the operator ="),
        ("IF a =< b", "unknown operator =<"),
        ("IF a = = b", "a second operator = follows ="),
        ("IF a = b=c T F", "more than one operator"),
        ("IF a = b x y z", "unexpected text z"),
        ("IF a = b x y \\b \"q\"", "switch \\b is not supported"),
        ("IF a = b \\* Bold", "unsupported format \\* Bold"),
        ("IF a = b \\*", "switch \\* needs an argument"),
        ("IF \"a = b", "never closed"),
    ])
    func errors(instruction: String, message: String) {
        do {
            let result = try FieldInstruction.parse(instruction)
            Issue.record("\(instruction) parsed as \(result)")
        } catch {
            #expect(error.message.contains(message), "\(instruction): \(error.message)")
        }
    }
}
