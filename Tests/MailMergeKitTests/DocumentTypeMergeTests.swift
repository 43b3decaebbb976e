import Foundation
import Testing

/// `mailmerge merge` for Word's main document types and the record fields, through the CLI, the
/// results checked per part, with python-docx and with LibreOffice + pdftotext.
struct DocumentTypeMergeTests {
    typealias Build = WordTemplateBuilder

    func workspace(rows: [[String]], columns: [String]) throws -> (dir: URL, csv: String) {
        let dir = try Paths.temporaryDirectory()
        let csv = ([columns] + rows).map { $0.map { "\"\($0)\"" }.joined(separator: ",") }.joined(separator: "\r\n")
        let path = dir.appendingPathComponent("data.csv")
        try Data((csv + "\r\n").utf8).write(to: path)
        return (dir, path.path)
    }

    func files(in dir: URL, _ suffix: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []).filter { $0.hasSuffix(suffix) }.sorted()
    }

    static let names = (1...50).map { String(format: "Contact %02d", $0) }

    @Test func fiftyRecordsOnTwentyOneLabelSheetsMakeThreePagesInOrder() throws {
        let (dir, csv) = try workspace(rows: Self.names.map { [$0, "Gent"] }, columns: ["FullName", "City"])
        defer { try? FileManager.default.removeItem(at: dir) }
        let template = dir.appendingPathComponent("labels.docx")
        try Build.write(
            to: template, body: Build.labelSheet(fields: Build.mergeField("FullName")), sectPr: Build.labelSection,
            mailMerge: Build.mailMerge("mailingLabels"))
        let out = dir.appendingPathComponent("out")
        let result = try CLI.run(["merge", template.path, csv, "--out", out.path])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(files(in: out, ".docx") == ["labels-merged.docx"])
        let merged = out.appendingPathComponent("labels-merged.docx")
        let inspector = try DocxInspector(path: merged.path)
        let shown = inspector.paragraphs["word/document.xml", default: []].filter { $0.hasPrefix("Contact") }
        #expect(shown == Self.names)
        let xml = inspector.xml["word/document.xml"] ?? ""
        #expect(xml.components(separatedBy: "<w:tbl>").count == 4, "three sheets")
        #expect(xml.contains("w:w=\"11906\" w:h=\"16838\"") && xml.contains("w:hRule=\"exact\""), "page size and table kept")
        #expect(!xml.contains("Next Record") && !xml.contains("MERGEFIELD"))

        let docxText = try ExternalCheck.pythonDocxText([merged])[0]
        #expect(docxText.contains("Contact 01") && docxText.contains("Contact 50"))
        let pdf = try ExternalCheck.pdfText([merged])[0]
        var pages = pdf.components(separatedBy: "\u{0C}")
        if pages.last?.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty == true { pages.removeLast() }
        #expect(pages.count == 3)
        let perPage = pages.map { page in Self.names.filter { page.contains($0) } }
        #expect(perPage.map(\.count) == [21, 21, 8])
        #expect(perPage.flatMap { $0 }.sorted() == Self.names)
    }

    @Test func skipIfAndMergeSeqInFormLettersThroughTheCLI() throws {
        let rows = [["Ann", "BE"], ["Bob", "NL"], ["Cas", "DE"], ["Dirk", "NL"], ["Eva", "FR"]]
        let (dir, csv) = try workspace(rows: rows, columns: ["FirstName", "Country"])
        defer { try? FileManager.default.removeItem(at: dir) }
        let skip =
            "<w:r><w:fldChar w:fldCharType=\"begin\"/></w:r><w:r><w:instrText xml:space=\"preserve\"> SKIPIF </w:instrText></w:r>"
            + Build.mergeField("Country") + "<w:r><w:instrText xml:space=\"preserve\"> = \"NL\" </w:instrText></w:r>"
            + "<w:r><w:fldChar w:fldCharType=\"end\"/></w:r>"
        let body =
            "<w:p>\(skip)<w:r><w:t xml:space=\"preserve\">Dear </w:t></w:r>" + Build.mergeField("FirstName")
            + "<w:r><w:t xml:space=\"preserve\">, record </w:t></w:r>" + Build.field("MERGEREC", result: "«Rec»")
            + "<w:r><w:t xml:space=\"preserve\">, letter </w:t></w:r>" + Build.field("MERGESEQ", result: "«Seq»") + "</w:p>"
        let template = dir.appendingPathComponent("letter.docx")
        try Build.write(to: template, body: body, mailMerge: Build.mailMerge("formLetters"))
        let out = dir.appendingPathComponent("out")
        let result = try CLI.run(["merge", template.path, csv, "--out", out.path])
        #expect(result.status == 0, "\(result.stderr)")
        let letters = files(in: out, ".docx")
        #expect(letters.count == 3)
        let texts = try letters.map { try DocxInspector(path: out.appendingPathComponent($0).path).text("word/document.xml") }
        #expect(texts == ["Dear Ann, record 1, letter 1", "Dear Cas, record 3, letter 2", "Dear Eva, record 5, letter 3"])
        let single = dir.appendingPathComponent("single")
        let combined = try CLI.run(["merge", template.path, csv, "--out", single.path, "--single-document"])
        #expect(combined.status == 0, "\(combined.stderr)")
        let inspector = try DocxInspector(path: single.appendingPathComponent("letter-merged.docx").path)
        #expect(inspector.paragraphs["word/document.xml", default: []].filter { $0.hasPrefix("Dear") }.count == 3)
        #expect((inspector.xml["word/document.xml"] ?? "").components(separatedBy: "<w:sectPr").count == 4, "a section per letter")
    }

    @Test func askAndFillInTakeAnswersAndAMissingAnswerStopsBeforeWriting() throws {
        let (dir, csv) = try workspace(rows: [["Ann"], ["Bob"]], columns: ["FirstName"])
        defer { try? FileManager.default.removeItem(at: dir) }
        let body =
            "<w:p>" + Build.field("ASK Discount \"Discount this month?\"", result: "") + Build.mergeField("FirstName")
            + "<w:r><w:t xml:space=\"preserve\">: </w:t></w:r>" + Build.field("REF Discount", result: "«Discount»")
            + "<w:r><w:t xml:space=\"preserve\"> off, </w:t></w:r>" + Build.field("FILLIN \"Signed by?\" \\d \"The team\"", result: "x") + "</w:p>"
        let template = dir.appendingPathComponent("ask.docx")
        try Build.write(to: template, body: body)
        let fields = try CLI.run(["fields", template.path])
        #expect(fields.stdout.contains("question \"Discount this month?\" (word/document.xml, paragraph 1): no default"))
        #expect(fields.stdout.contains("question \"Signed by?\" (word/document.xml, paragraph 1): default \"The team\""))
        let refused = dir.appendingPathComponent("refused")
        let missing = try CLI.run(["merge", template.path, csv, "--out", refused.path])
        #expect(missing.status == 1)
        #expect(missing.stderr.hasPrefix("error: ") && missing.stderr.contains("--answer \"Discount=VALUE\"") && missing.stderr.contains("paragraph 1"))
        #expect(missing.stderr.split(separator: "\n").count == 1)
        #expect(files(in: refused, ".docx").isEmpty)
        let out = dir.appendingPathComponent("out")
        let answered = try CLI.run(["merge", template.path, csv, "--out", out.path, "--answer", "Discount=5%"])
        #expect(answered.status == 0, "\(answered.stderr)")
        let texts = try files(in: out, ".docx").map { try DocxInspector(path: out.appendingPathComponent($0).path).text("word/document.xml") }
        #expect(texts == ["Ann: 5% off, The team", "Bob: 5% off, The team"])
    }

    @Test func unevaluatedFieldsWarnAndStrictRefuses() throws {
        let (dir, csv) = try workspace(rows: [["Ann"]], columns: ["FirstName"])
        defer { try? FileManager.default.removeItem(at: dir) }
        let body =
            "<w:p>" + Build.mergeField("FirstName") + "</w:p><w:p>" + Build.field("DATABASE \\d \"C:\\\\crm.mdb\" \\s \"SELECT *\"", result: "«table»")
            + "</w:p><w:p>" + Build.field("PAGE", result: "1") + "</w:p>"
        let template = dir.appendingPathComponent("db.docx")
        try Build.write(to: template, body: body)
        let fields = try CLI.run(["fields", template.path])
        #expect(fields.status == 0)
        #expect(fields.stderr.contains("warning: ") && fields.stderr.contains("word/document.xml, paragraph 2") && fields.stderr.contains("DATABASE"))
        #expect(!fields.stderr.contains("PAGE"))
        let out = dir.appendingPathComponent("out")
        let merged = try CLI.run(["merge", template.path, csv, "--out", out.path])
        #expect(merged.status == 0)
        #expect(merged.stderr.contains("warning: ") && merged.stderr.contains("DATABASE"))
        let strict = dir.appendingPathComponent("strict")
        let refused = try CLI.run(["merge", template.path, csv, "--out", strict.path, "--strict"])
        #expect(refused.status == 1)
        #expect(refused.stderr.hasPrefix("error: ") && refused.stderr.contains("paragraph 2") && refused.stderr.contains("--strict"))
        #expect(files(in: strict, ".docx").isEmpty)
    }

    @Test func envelopesDirectoryAndEmail() throws {
        let rows = [["Ann", "ann@example.com"], ["Bob", "bob@example.com"], ["Cas", "cas@example.com"]]
        let (dir, csv) = try workspace(rows: rows, columns: ["FirstName", "Email"])
        defer { try? FileManager.default.removeItem(at: dir) }
        let paragraph = "<w:p>" + Build.mergeField("FirstName") + "</w:p>"

        let envelope = dir.appendingPathComponent("envelope.docx")
        try Build.write(to: envelope, body: paragraph, sectPr: Build.envelopeSection, mailMerge: Build.mailMerge("envelopes"))
        let envelopes = dir.appendingPathComponent("envelopes")
        #expect(try CLI.run(["merge", envelope.path, csv, "--out", envelopes.path]).status == 0)
        let envelopeFiles = files(in: envelopes, ".docx")
        #expect(envelopeFiles.count == 3)
        let first = try DocxInspector(path: envelopes.appendingPathComponent(envelopeFiles[0]).path)
        #expect(first.text("word/document.xml") == "Ann")
        #expect(first.xml["word/document.xml"]?.contains("w:w=\"12474\" w:h=\"6237\"") == true, "envelope size kept")

        let directory = dir.appendingPathComponent("directory.docx")
        try Build.write(to: directory, body: paragraph, mailMerge: Build.mailMerge("catalog"))
        let directoryOut = dir.appendingPathComponent("directory")
        #expect(try CLI.run(["merge", directory.path, csv, "--out", directoryOut.path]).status == 0)
        let one = try DocxInspector(path: directoryOut.appendingPathComponent("directory-merged.docx").path)
        #expect(one.paragraphs["word/document.xml"] == ["Ann", "Bob", "Cas"])
        #expect(
            try ExternalCheck.pdfText([directoryOut.appendingPathComponent("directory-merged.docx")])[0]
                .components(separatedBy: "\u{0C}").filter { !$0.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty }.count == 1)

        let email = dir.appendingPathComponent("email.docx")
        try Build.write(
            to: email, body: paragraph,
            mailMerge: Build.mailMerge(
                "email",
                extra: "<w:addressFieldName w:val=\"Email\"/><w:mailSubject w:val=\"Your invitation\"/>"))
        let emailOut = dir.appendingPathComponent("email")
        let sent = try CLI.run(["merge", email.path, csv, "--out", emailOut.path, "--from", "events@example.com"])
        #expect(sent.status == 0, "\(sent.stderr)")
        let messages = files(in: emailOut, ".eml")
        #expect(messages.count == 3)
        let message = try String(contentsOf: emailOut.appendingPathComponent(messages[1]), encoding: .utf8)
        #expect(message.contains("To: bob@example.com") && message.contains("Subject: Your invitation"))
        #expect(message.contains("From: events@example.com"))

        let asLetters = dir.appendingPathComponent("asLetters")
        #expect(try CLI.run(["merge", directory.path, csv, "--out", asLetters.path, "--type", "letters"]).status == 0)
        #expect(files(in: asLetters, ".docx").count == 3)
    }
}

/// `log-segment` with a label template (`documentType: labels` in templates.yaml).
@Suite(.serialized)
struct SegmentLabelTests {
    @Test func labelsForASegmentFillOneLabelPerLineAndLogEveryLineOnce() throws {
        let workspace = try SampleWorkspace()
        defer { workspace.remove() }
        // The sample segment with the LABELS template in its header: the lines that name no
        // template of their own (20 of 25) go on labels, the EVENT lines stay letters.
        let sample = try String(contentsOf: workspace.segment, encoding: .utf8)
        let text = sample.replacingOccurrences(of: "  templateCode: DIRECTMAIL", with: "  templateCode: LABELS")
            .replacingOccurrences(of: "no: SM00001", with: "no: SM00077")
        let segment = try workspace.writeSegment("SM00077.yaml", text)
        let result = try workspace.logSegment(segment)
        #expect(result.status == 0, "\(result.stderr)")
        let folder = workspace.letters.appendingPathComponent("SM00077")
        let labels = folder.appendingPathComponent("labels-Labels_EN.docx")
        #expect(FileManager.default.fileExists(atPath: labels.path))
        let entries = try workspace.logEntries()
        #expect(entries.count == 25)
        let onLabels = entries.filter { ($0["documentPath"] as? String)?.hasSuffix("labels-Labels_EN.docx") == true }
        #expect(onLabels.count == 20, "every label line logged once, with the label document")
        #expect(Set(onLabels.compactMap { $0["documentSHA256"] as? String }).count == 1)

        let inspector = try DocxInspector(path: labels.path)
        let xml = inspector.xml["word/document.xml"] ?? ""
        #expect(xml.components(separatedBy: "<w:tbl>").count == 2, "20 labels: one sheet of 21")
        #expect(!xml.contains("Next Record") && !xml.contains("MERGEFIELD"))
        let labelText = inspector.text("word/document.xml")
        #expect(labelText.contains("AMSTERDAM") && labelText.contains("Keizersgracht 123"))
        let letters = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".docx") && !$0.hasPrefix("labels-") }
        #expect(letters.count == 5, "the EVENT lines are letters")
    }
}

/// `log-segment --strict` with an attachment holding a field mailmerge leaves unevaluated.
@Suite(.serialized)
struct SegmentStrictTests {
    @Test func strictRefusesAnAttachmentWithAnUnevaluatedFieldAndLogsNothing() throws {
        let workspace = try SampleWorkspace()
        defer { workspace.remove() }
        let templates = workspace.root.appendingPathComponent("Templates")
        try FileManager.default.createDirectory(at: templates, withIntermediateDirectories: true)
        let body =
            "<w:p>" + WordTemplateBuilder.mergeField("FullName") + "</w:p><w:p>"
            + WordTemplateBuilder.field("DATABASE \\s \"SELECT *\"", result: "«table»") + "</w:p>"
        try WordTemplateBuilder.write(to: templates.appendingPathComponent("Letter.docx"), body: body)
        try """
        templates:
          - code: DIRECTMAIL
            description: Letter
            attachment: Letter.docx
          - code: EVENT
            description: Letter
            attachment: Letter.docx
        """.write(to: templates.appendingPathComponent("templates.yaml"), atomically: true, encoding: .utf8)
        let arguments = [
            "log-segment", workspace.segment.path, "--templates", templates.path, "--out", workspace.letters.path,
            "--db", workspace.database.path,
        ]
        let refused = try CLI.run(arguments + ["--strict"])
        #expect(refused.status == 1)
        #expect(
            refused.stderr.contains("Letter.docx") && refused.stderr.contains("word/document.xml, paragraph 2")
                && refused.stderr.contains("DATABASE") && refused.stderr.contains("--strict"), "\(refused.stderr)")
        #expect(workspace.letterFiles().isEmpty)
        #expect(!FileManager.default.fileExists(atPath: workspace.database.path))
        let warned = try CLI.run(arguments)
        #expect(warned.status == 0, "\(warned.stderr)")
        #expect(warned.stderr.contains("warning: ") && warned.stderr.contains("DATABASE"))
    }
}
