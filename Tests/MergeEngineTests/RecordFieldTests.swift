import Testing

@testable import MergeEngine

/// NEXT, NEXTIF, SKIPIF, MERGEREC, MERGESEQ, SET/REF, ASK, FILLIN, COMPARE: parsed, and rendered
/// through a record cursor, as Word merges them.
@Suite struct RecordFieldTests {
    /// Word writes NEXT as a simple field showing «Next Record».
    static let next = "<w:fldSimple w:instr=\" NEXT \"><w:r><w:rPr><w:noProof/></w:rPr><w:t>«Next Record»</w:t></w:r></w:fldSimple>"

    static func field(_ instruction: String) -> String { WordXML.complexField(instruction, result: "«x»") }

    static func template(_ body: String, settings: String? = nil) throws -> CompiledTemplate {
        let part = try WordXML.compile(WordXML.document(body))
        return CompiledTemplate(templatePath: "t.docx", parts: [part], fixedParts: [:])
    }

    static func records(_ names: [String], extra: (Int) -> [String: String] = { _ in [:] }) -> [MergeRecord] {
        names.enumerated().map { index, name in MergeRecord(["Name": name].merging(extra(index)) { a, _ in a }) }
    }

    /// Every document the template makes from `records`, as paragraph texts.
    static func documents(_ template: CompiledTemplate, _ records: [MergeRecord], answers: [String: String] = [:]) throws -> [[String]] {
        var state = MergeState(answers: answers)
        var start = 0
        var out: [[String]] = []
        while let rendering = try template.render(records: records, from: start, state: &state) {
            out.append(try RenderedPart(rendering.parts["word/document.xml"] ?? []).paragraphs)
            start = rendering.next
        }
        return out
    }

    @Test func parsesTheRecordFields() throws {
        #expect(try FieldInstruction.parse(" NEXT ") == .recordField(.next))
        #expect(try FieldInstruction.parse(" MERGEREC \\* MERGEFORMAT ") == .recordField(.mergeRecord))
        #expect(try FieldInstruction.parse("MERGESEQ") == .recordField(.mergeSequence))
        #expect(try FieldInstruction.parse("FILLIN \"Your name?\" \\d \"Ann\" \\o") == .recordField(.fillIn(prompt: "Your name?", defaultText: "Ann")))
        #expect(try FieldInstruction.parse("ASK Discount \"Discount?\"") == .recordField(.ask(bookmark: "Discount", prompt: "Discount?", defaultText: nil)))
        #expect(try FieldInstruction.parse("SET Region \"North\"") == .recordField(.set(bookmark: "Region", value: FieldText([.literal("North")]))))
        guard case .recordField(.skipIf(let condition)) = try FieldInstruction.parse([.text("SKIPIF "), .nested(0), .text(" = \"NL\"")]) else {
            Issue.record("SKIPIF did not parse")
            return
        }
        #expect(condition.comparison == .equal)
        #expect(try FieldInstruction.parse("REF _Ref123 \\h") == .other(keyword: "REF"))
    }

    @Test(arguments: [
        ("SKIPIF", "comparison"), ("NEXTIF a = b \"x\"", "comparison only"), ("SET", "bookmark"), ("SET x", "text"),
        ("ASK", "bookmark"), ("FILLIN \"q\" \\x", "\\x"), ("NEXT now", "NEXT"),
    ])
    func refusesWrongRecordFields(instruction: String, mentions: String) {
        #expect {
            try FieldInstruction.parse(instruction)
        } throws: { error in
            (error as? FieldSyntaxError)?.message.contains(mentions) == true
        }
    }

    @Test func labelSheetWithNextFillsLabelsRecordAfterRecordAndBlanksTheRest() throws {
        // A 3×7 sheet as Word's label wizard writes it: NEXT at the start of every label but the first.
        var rows = ""
        for row in 0..<7 {
            rows += "<w:tr>"
            for column in 0..<3 {
                let first = row == 0 && column == 0
                rows += "<w:tc><w:p>" + (first ? "" : Self.next) + Self.field(" MERGEFIELD Name ") + "</w:p></w:tc>"
            }
            rows += "</w:tr>"
        }
        let template = try Self.template("<w:tbl>\(rows)</w:tbl><w:p/>")
        #expect(template.navigatesRecords)
        let names = (1...50).map { "Name \($0)" }
        let sheets = try Self.documents(template, Self.records(names))
        #expect(sheets.count == 3)
        #expect(sheets[0].prefix(21) == ArraySlice((1...21).map { "Name \($0)" }))
        #expect(sheets[1].prefix(21) == ArraySlice((22...42).map { "Name \($0)" }))
        #expect(sheets[2].prefix(21) == ArraySlice((43...50).map { "Name \($0)" } + Array(repeating: "", count: 13)))
    }

    @Test func skipIfDropsTheRecordsItShouldAndMergeRecDiffersFromMergeSeq() throws {
        let body = "<w:p>" + WordXML.complexField(" SKIPIF ") + "</w:p>"
        _ = body
        let skip =
            "<w:r><w:fldChar w:fldCharType=\"begin\"/></w:r><w:r><w:instrText xml:space=\"preserve\"> SKIPIF </w:instrText></w:r>"
            + WordXML.complexField(" MERGEFIELD Country ")
            + "<w:r><w:instrText xml:space=\"preserve\"> = \"NL\" </w:instrText></w:r><w:r><w:fldChar w:fldCharType=\"end\"/></w:r>"
        let template = try Self.template(
            "<w:p>\(skip)" + Self.field(" MERGEFIELD Name ") + "<w:r><w:t xml:space=\"preserve\"> rec </w:t></w:r>"
                + Self.field(" MERGEREC ") + "<w:r><w:t xml:space=\"preserve\"> seq </w:t></w:r>" + Self.field(" MERGESEQ ") + "</w:p><w:p/>")
        let countries = ["BE", "NL", "DE", "NL", "NL", "FR"]
        let records = Self.records(["A", "B", "C", "D", "E", "F"]) { ["Country": countries[$0]] }
        let documents = try Self.documents(template, records)
        #expect(documents.map { $0[0] } == ["A rec 1 seq 1", "C rec 3 seq 2", "F rec 6 seq 3"])
    }

    @Test func skipIfInALabelGivesItsPlaceToTheNextRecord() throws {
        let skip =
            "<w:r><w:fldChar w:fldCharType=\"begin\"/></w:r><w:r><w:instrText xml:space=\"preserve\"> SKIPIF </w:instrText></w:r>"
            + WordXML.complexField(" MERGEFIELD Name ")
            + "<w:r><w:instrText xml:space=\"preserve\"> = \"x*\" </w:instrText></w:r><w:r><w:fldChar w:fldCharType=\"end\"/></w:r>"
        var cells = ""
        for index in 0..<4 { cells += "<w:tc><w:p>" + (index == 0 ? "" : Self.next) + skip + Self.field(" MERGEFIELD Name ") + "</w:p></w:tc>" }
        let template = try Self.template("<w:tbl><w:tr>\(cells)</w:tr></w:tbl><w:p/>")
        let sheets = try Self.documents(template, Self.records(["a", "x1", "b", "x2", "x3", "c", "d", "e"]))
        #expect(sheets == [["a", "b", "c", "d", ""], ["e", "", "", "", ""]])
    }

    @Test func nextIfMovesOnlyWhenTheComparisonHolds() throws {
        let nextIf =
            "<w:r><w:fldChar w:fldCharType=\"begin\"/></w:r><w:r><w:instrText xml:space=\"preserve\"> NEXTIF </w:instrText></w:r>"
            + WordXML.complexField(" MERGEFIELD City ")
            + "<w:r><w:instrText xml:space=\"preserve\"> = \"Gent\" </w:instrText></w:r><w:r><w:fldChar w:fldCharType=\"end\"/></w:r>"
        let template = try Self.template("<w:p>" + Self.field(" MERGEFIELD Name ") + "</w:p><w:p>" + nextIf + Self.field(" MERGEFIELD Name ") + "</w:p><w:p/>")
        let cities = ["Gent", "Gent", "Oslo", "Gent"]
        let documents = try Self.documents(template, Self.records(["A", "B", "C", "D"]) { ["City": cities[$0]] })
        #expect(documents.map { Array($0.prefix(2)) } == [["A", "B"], ["C", "C"], ["D", ""]])
    }

    @Test func setRefAskFillInAndCompare() throws {
        let setRegion =
            "<w:r><w:fldChar w:fldCharType=\"begin\"/></w:r><w:r><w:instrText xml:space=\"preserve\"> SET Region \"</w:instrText></w:r>"
            + WordXML.complexField(" MERGEFIELD City ")
            + "<w:r><w:instrText xml:space=\"preserve\">-area\" </w:instrText></w:r><w:r><w:fldChar w:fldCharType=\"end\"/></w:r>"
        let compare =
            "<w:r><w:fldChar w:fldCharType=\"begin\"/></w:r><w:r><w:instrText xml:space=\"preserve\"> COMPARE </w:instrText></w:r>"
            + WordXML.complexField(" MERGEFIELD City ")
            + "<w:r><w:instrText xml:space=\"preserve\"> = \"G*\" </w:instrText></w:r><w:r><w:fldChar w:fldCharType=\"end\"/></w:r>"
        let template = try Self.template(
            "<w:p>" + setRegion + Self.field(" ASK Discount \"Discount this month?\" ")
                + Self.field(" REF Region ") + "<w:r><w:t xml:space=\"preserve\"> </w:t></w:r>" + Self.field(" REF Discount \\h ")
                + "<w:r><w:t xml:space=\"preserve\"> </w:t></w:r>" + Self.field(" FILLIN \"Signed by?\" \\d \"The team\" ")
                + "<w:r><w:t xml:space=\"preserve\"> </w:t></w:r>" + compare + "</w:p><w:p/>")
        #expect(template.questions.map(\.prompt) == ["Discount this month?", "Signed by?"])
        #expect(template.unansweredQuestions([:]).map(\.bookmark) == ["Discount"])
        #expect(template.unansweredQuestions(["discount": "5%"]).isEmpty)
        #expect(template.unansweredQuestions(["Discount this month?": "5%"]).isEmpty)
        let cities = ["Gent", "Oslo"]
        let documents = try Self.documents(
            template, Self.records(["A", "B"]) { ["City": cities[$0]] },
            answers: ["Discount": "5%", "signed by?": "Ann"])
        #expect(documents.map { $0[0] } == ["Gent-area 5% Ann 1", "Oslo-area 5% Ann 0"])
    }

    @Test func aNextInsideIfRunsOnlyInTheChosenBranch() throws {
        let conditional =
            "<w:r><w:fldChar w:fldCharType=\"begin\"/></w:r><w:r><w:instrText xml:space=\"preserve\"> IF </w:instrText></w:r>"
            + WordXML.complexField(" MERGEFIELD Pair ")
            + "<w:r><w:instrText xml:space=\"preserve\"> = \"yes\" \"</w:instrText></w:r>" + WordXML.complexField(" NEXT ", result: "")
            + "<w:r><w:instrText xml:space=\"preserve\">\" \"\" </w:instrText></w:r><w:r><w:fldChar w:fldCharType=\"end\"/></w:r>"
        let template = try Self.template("<w:p>" + Self.field(" MERGEFIELD Name ") + conditional + Self.field(" MERGEFIELD Name ") + "</w:p><w:p/>")
        let pairs = ["yes", "no", "no"]
        let documents = try Self.documents(template, Self.records(["A", "B", "C"]) { ["Pair": pairs[$0]] })
        #expect(documents.map { $0[0] } == ["AB", "CC"])
    }

    @Test func ordinaryTemplatesDoNotNavigate() throws {
        let reference = WordXML.complexField(" REF Elsewhere \\h ", result: "Chapter 2")
        let template = try Self.template("<w:p>" + Self.field(" MERGEFIELD Name ") + reference + "</w:p>")
        #expect(!template.navigatesRecords)
        #expect(template.warnings.isEmpty)
    }

    @Test func directoryPutsEveryRecordInOneBody() throws {
        let part = try WordXML.compile(WordXML.document("<w:p>" + Self.field(" MERGEFIELD Name ") + "</w:p><w:sectPr><w:pgSz w:w=\"11906\"/></w:sectPr>"))
        let template = CompiledTemplate(templatePath: "t.docx", parts: [part], fixedParts: [:])
        var state = MergeState()
        let directory = try #require(try template.renderDirectory(records: Self.records(["A", "B", "C"]), state: &state))
        let rendered = try RenderedPart(directory.parts["word/document.xml"] ?? [])
        #expect(rendered.paragraphs == ["A", "B", "C"])
        #expect(rendered.text.components(separatedBy: "<w:sectPr").count == 2)
    }
}

/// Fields mailmerge leaves unevaluated although a merge would change them: reported, not silent.
@Suite struct UnevaluatedFieldWarningTests {
    static func warnings(_ body: String) throws -> [FieldWarning] {
        let part = try WordXML.compile(WordXML.document(body))
        return CompiledTemplate(templatePath: "t.docx", parts: [part], fixedParts: [:]).warnings
    }

    @Test func databaseAndUnknownMergeTypesAreReportedWithPartParagraphAndCode() throws {
        let warnings = try Self.warnings("<w:p/><w:p>" + WordXML.complexField(" DATABASE \\d \"C:\\\\x.mdb\" ", result: "table") + "</w:p>")
        #expect(warnings.count == 1)
        #expect(warnings.first?.part == "word/document.xml" && warnings.first?.paragraph == 2)
        #expect(warnings.first?.fieldCode.hasPrefix("DATABASE") == true)
        #expect(warnings.first?.description.contains("does not evaluate DATABASE") == true)
    }

    @Test func includeTextWithAMergeFieldAndWordPlaceholdersAreReported() throws {
        let include =
            "<w:r><w:fldChar w:fldCharType=\"begin\"/></w:r><w:r><w:instrText xml:space=\"preserve\"> INCLUDETEXT \"</w:instrText></w:r>"
            + WordXML.complexField(" MERGEFIELD File ")
            + "<w:r><w:instrText xml:space=\"preserve\">\" </w:instrText></w:r><w:r><w:fldChar w:fldCharType=\"separate\"/></w:r>"
            + "<w:r><w:t>old text</w:t></w:r><w:r><w:fldChar w:fldCharType=\"end\"/></w:r>"
        let warnings = try Self.warnings("<w:p>\(include)</w:p><w:p>" + WordXML.complexField(" ADDRESSBLOCKX ", result: "«AddressBlock»") + "</w:p>")
        #expect(warnings.map(\.paragraph) == [1, 2])
        #expect(warnings[0].message.contains("INCLUDETEXT holds a merge field"))
    }

    @Test(arguments: [" PAGE ", " NUMPAGES ", " DATE \\@ \"d MMMM yyyy\" ", " TOC \\o \"1-3\" ", " HYPERLINK \"http://x\" ", " = 2+3 "])
    func fieldsWordUpdatesAreNotReported(instruction: String) throws {
        #expect(try Self.warnings("<w:p>" + WordXML.complexField(instruction, result: "1") + "</w:p>").isEmpty)
    }
}
