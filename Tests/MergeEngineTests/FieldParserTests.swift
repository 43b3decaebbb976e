import Testing

@testable import MergeEngine

/// The MERGEFIELD part of `FieldInstruction.parse` and the keyword dispatch.
struct FieldParserTests {
    private func mergeField(_ text: String) throws -> MergeFieldInstruction {
        guard case .mergeField(let field) = try FieldInstruction.parse(text) else {
            Issue.record("not a MERGEFIELD: \(text)")
            return MergeFieldInstruction(name: "")
        }
        return field
    }

    private func syntaxError(_ tokens: [InstructionToken]) -> FieldSyntaxError? {
        do {
            _ = try FieldInstruction.parse(tokens)
            return nil
        } catch {
            return error
        }
    }

    /// Instructions exactly as Word wrote them in /work/shared/fixtures/word/ (test_spaces.docx
    /// quotes names with spaces; test_winword2010.docx quotes Dutch names; test_issue8.docx
    /// puts two spaces around the name).
    @Test(arguments: [
        (" MERGEFIELD Singleword \\* MERGEFORMAT ", "Singleword", ResultFormatting.mergeFormat),
        (" MERGEFIELD \"Hello world\" \\* MERGEFORMAT ", "Hello world", .mergeFormat),
        (" MERGEFIELD \"More than one space\" \\* MERGEFORMAT ", "More than one space", .mergeFormat),
        (" MERGEFIELD \"Voornaam\" ", "Voornaam", ResultFormatting.none),
        (" MERGEFIELD \"Land_of_regio\" ", "Land_of_regio", ResultFormatting.none),
        (" MERGEFIELD  testfield  \\* MERGEFORMAT ", "testfield", .mergeFormat),
        (" MERGEFIELD address_line \\* MERGEFORMAT ", "address_line", .mergeFormat),
    ])
    func fixtureInstructions(instruction: String, name: String, formatting: ResultFormatting) throws {
        let field = try mergeField(instruction)
        #expect(field == MergeFieldInstruction(name: name, resultFormatting: formatting))
    }

    @Test(arguments: [
        ("mergefield Name", "Name"),
        ("  MergeField   Name  ", "Name"),
        ("MERGEFIELD Contact.Name", "Contact.Name"),
        ("MERGEFIELD a:b", "a:b"),
        ("MERGEFIELD first_name", "first_name"),
        ("MERGEFIELD \"First Name\"", "First Name"),
        ("MERGEFIELD First Name \\* Upper", "First Name"),
        ("MERGEFIELD First   Name", "First Name"),
        ("MERGEFIELD\u{00A0}Naam\u{00A0}", "Naam"),
        ("MERGEFIELD \u{201C}First Name\u{201D}", "First Name"),
        ("MERGEFIELD \u{201D}Achternaam\u{201D}", "Achternaam"),
        ("MERGEFIELD \"Größe × Maß\"", "Größe × Maß"),
        ("MERGEFIELD\"Quoted\"", "Quoted"),
    ])
    func names(instruction: String, name: String) throws {
        #expect(try mergeField(instruction).name == name)
    }

    @Test func allSwitches() throws {
        let field = try mergeField(
            ##" MERGEFIELD Amount \# "#,##0.00" \@ "dd MMMM yyyy" \b "(" \f ")" \* Caps \* MERGEFORMAT \m \v "##)
        #expect(
            field
                == MergeFieldInstruction(
                    name: "Amount", textBefore: "(", textAfter: ")", caseFormat: .caps,
                    resultFormatting: .mergeFormat, datePicture: "dd MMMM yyyy", numberPicture: "#,##0.00"))
    }

    @Test func switchesAreCaseInsensitiveAndLastCaseWins() throws {
        let field = try mergeField(#"MERGEFIELD Name \* upper \* charformat \* FIRSTCAP \B "x" \F "y""#)
        #expect(field.caseFormat == .firstCap)
        #expect(field.resultFormatting == .charFormat)
        #expect(field.textBefore == "x")
        #expect(field.textAfter == "y")
    }

    @Test func unquotedPictures() throws {
        let field = try mergeField(##"MERGEFIELD Due \@ dd-MM-yyyy \# $#,##0.00"##)
        #expect(field.datePicture == "dd-MM-yyyy")
        #expect(field.numberPicture == "$#,##0.00")
    }

    @Test func escapesAndSmartQuotesInArguments() throws {
        let field = try mergeField(#"MERGEFIELD Name \b "say \"hi\" \\ \n" \f “ (”"#)
        #expect(field.textBefore == #"say "hi" \ \n"#)
        #expect(field.textAfter == " (")
    }

    @Test func straightQuotedTextMayContainSmartQuotes() throws {
        #expect(try mergeField("MERGEFIELD Name \\b \"\u{201C}Hi\u{201D} \"").textBefore == "\u{201C}Hi\u{201D} ")
    }

    @Test func instructionSplitOverSeveralRuns() throws {
        // test_multiple_elements.docx: instrText split over several runs.
        let tokens: [InstructionToken] = [.text(" MERGE"), .text("FIELD fo"), .text("o \\* Up"), .text("per ")]
        #expect(try FieldInstruction.parse(tokens) == .mergeField(MergeFieldInstruction(name: "foo", caseFormat: .upper)))
    }

    @Test(arguments: [
        (" DATE \\@ \"d MMMM yyyy\" ", "DATE"),
        ("date", "DATE"),
        ("PAGE", "PAGE"),
        (" NUMPAGES \\* Arabic ", "NUMPAGES"),
        ("TOC \\o \"1-3\" \\h", "TOC"),
        ("REF _Ref123 \\h", "REF"),
        ("= 2+3", "="),
        ("=SUM(ABOVE)", "="),
        ("DATE \\@ \"d MMM", "DATE"),
        ("INCLUDETEXT \"C:\\\\x.docx\" \\", "INCLUDETEXT"),
    ])
    func otherFieldsAreLeftAlone(instruction: String, keyword: String) throws {
        #expect(try FieldInstruction.parse(instruction) == .other(keyword: keyword))
    }

    @Test(arguments: [
        ("", "empty"),
        ("   \u{00A0} ", "empty"),
        ("\"MERGEFIELD\" Name", "must start with a field type"),
        ("\\* Upper", "must start with a field type"),
        ("MERGEFIELD", "MERGEFIELD needs a field name"),
        ("MERGEFIELD \\* Upper", "MERGEFIELD needs a field name"),
        ("MERGEFIELD \"  \"", "MERGEFIELD needs a field name"),
        ("MERGEFIELD Name \\b", "switch \\b needs an argument"),
        ("MERGEFIELD Name \\f \\* Upper", "switch \\f needs an argument"),
        ("MERGEFIELD Name \\@", "switch \\@ needs an argument"),
        ("MERGEFIELD Name \\#", "switch \\# needs an argument"),
        ("MERGEFIELD Name \\*", "switch \\* needs an argument"),
        ("MERGEFIELD Name \\q", "unknown switch \\q"),
        ("MERGEFIELD Name \\* Bold", "unsupported format \\* Bold"),
        ("MERGEFIELD \"Name", "is never closed"),
        ("MERGEFIELD Name \\b \"Dear ", "is never closed"),
        ("MERGEFIELD Name \\", "lone backslash"),
        ("MERGEFIELD Name \\ b", "must be followed by a switch letter"),
        ("MERGEFIELD \"First\" Name", "unexpected text Name after the quoted name"),
        ("MERGEFIELD First \"Name\"", "quote the whole field name"),
        ("MERGEFIELD Name \\b Dear Sir", "unexpected text Sir"),
    ])
    func errors(instruction: String, message: String) {
        let error = syntaxError([.text(instruction)])
        #expect(error?.message.contains(message) == true, "\(instruction): \(String(describing: error))")
    }

    @Test func nestedFieldInANameIsAnError() {
        let error = syntaxError([.text("MERGEFIELD "), .nested(0)])
        #expect(error?.message.contains("cannot contain a nested field") == true)
    }

    @Test func nestedFieldInASwitchArgumentIsAnError() {
        let error = syntaxError([.text("MERGEFIELD Name \\b \"x"), .nested(0), .text("\"")])
        #expect(error?.message.contains("argument of switch \\b cannot contain a nested field") == true)
    }

    @Test func errorMessagesNameTheField() {
        #expect(syntaxError([.text("MERGEFIELD Amount \\# ")])?.message.hasPrefix("MERGEFIELD Amount:") == true)
    }
}
