import Testing

@_spi(Exercise) @testable import MergeEngine

/// Odd and hostile instructions: parsing and formatting never crash or hang.
struct FieldRobustnessTests {
    /// Parses, and when that works, formats or evaluates with a few values. Returns the result
    /// kind so tests can check it.
    @discardableResult
    private func exercise(_ tokens: [InstructionToken]) -> FieldInstruction? {
        guard let instruction = try? FieldInstruction.parse(tokens) else { return nil }
        let values = ["", " ", "2025-03-05", "-1,234.5", "Jan*", "ÉLODIE ß 😀", "\u{0301}\"\\"]
        instruction.exercise(values: values, nestedValues: [values], languages: [.english, .dutch])
        return instruction
    }

    @Test(arguments: [
        "\"", "\\", "\u{201C}", "\u{201D}", "MERGEFIELD \"", "MERGEFIELD \\", "IF \"", "IF \\",
        "MERGEFIELD x \\b \"\\", "IF a = b \"\\\"", "\"\"\"\"", "\\\\\\", "MERGEFIELD \u{0000}",
        "MERGEFIELD \"\u{0301}\" \\\u{0301}", "IF \u{202E}a\u{202C} = a b c", "MERGEFIELD 👨‍👩‍👧",
        "IF ===", "IF <><><>", "IF a \u{00A0}=\u{2003}a", "MERGEFIELD \\* \"\"",
    ])
    func oddInstructionsDoNotCrash(instruction: String) {
        exercise([.text(instruction)])
        exercise([.text(instruction), .nested(0), .text(instruction)])
    }

    @Test func aThousandNestedFieldsInABranch() throws {
        var tokens: [InstructionToken] = [.text("IF a = a \"")]
        for i in 0..<1000 { tokens += [.nested(i), .text("-")] }
        tokens.append(.text("\" no"))
        guard case .ifField(let field) = try FieldInstruction.parse(tokens) else {
            Issue.record("not an IF field")
            return
        }
        let result = field.evaluate(nestedValues: (0..<1000).map(String.init))
        #expect(result.hasPrefix("0-1-2-"))
        #expect(result.hasSuffix("998-999-"))
    }

    @Test func aThousandNestedFieldsEverywhere() {
        var tokens: [InstructionToken] = [.text("IF ")]
        for i in 0..<1000 { tokens += [.nested(i), .text(i % 3 == 0 ? " " : i % 3 == 1 ? "\"" : "=")] }
        exercise(tokens)
        exercise([.text("MERGEFIELD ")] + (0..<1000).map { .nested($0) })
    }

    @Test func hugeInputsFinishQuickly() throws {
        let clock = ContinuousClock()
        let elapsed = try clock.measure {
            let picture = String(repeating: "#,##0.", count: 20_000)
            let numberField = MergeFieldInstruction(name: "n", numberPicture: picture)
            #expect(!numberField.format(String(repeating: "9", count: 50_000)).isEmpty)
            let dateField = MergeFieldInstruction(name: "d", datePicture: String(repeating: "dMyHhmsa'/", count: 20_000))
            #expect(!dateField.format("2025-03-05 10:11").isEmpty)
            let longName = String(repeating: "a", count: 200_000)
            guard case .mergeField(let field) = try FieldInstruction.parse("MERGEFIELD \(longName) \\b \"x\"") else {
                Issue.record("not a MERGEFIELD")
                return
            }
            #expect(field.name.count == 200_000)
            exercise([.text(String(repeating: "IF \"a\\\"\" <> \u{201C}b\u{201D} \\* Upper ", count: 20_000))])
            exercise([.text("IF " + String(repeating: "x", count: 100_000) + " = " + String(repeating: "?*", count: 200))])
        }
        #expect(elapsed < .seconds(20))
    }

    /// Deterministic pseudo-random instructions built from the language's special pieces.
    @Test func randomInstructions() {
        let pieces = [
            "MERGEFIELD", "IF", "mergefield", " ", "\u{00A0}", "\"", "\u{201C}", "\u{201D}", "\\", "\\*",
            "\\b", "\\@", "\\#", "Upper", "MERGEFORMAT", "=", "<", ">", "<>", "a", "First Name",
            "dd MMMM", "#,##0.00", "'", ";", "0", "x", "é\u{0301}", "😀", "\n", "\t",
        ]
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        func next(_ bound: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((state >> 33) % UInt64(bound))
        }
        for _ in 0..<3000 {
            var tokens: [InstructionToken] = []
            var nested = 0
            for _ in 0..<(1 + next(12)) {
                if next(6) == 0 {
                    tokens.append(.nested(nested))
                    nested += 1
                } else {
                    tokens.append(.text(pieces[next(pieces.count)]))
                }
            }
            let result = exercise(tokens)
            if case .other(let keyword)? = result {
                #expect(keyword != "MERGEFIELD" && keyword != "IF")
            }
        }
    }
}
