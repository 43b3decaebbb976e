import Testing

@testable import MergeEngine

@Suite struct SettingsAndTemplateTests {
    @Test func mailMergeIsRemovedFromSettings() throws {
        let settings = Array(
            (WordXML.declaration + "<w:settings \(WordXML.namespaces)><w:zoom w:percent=\"100\"/>"
                + "<w:mailMerge><w:mainDocumentType w:val=\"formLetters\"/><w:dataType w:val=\"textFile\"/></w:mailMerge>"
                + "<w:defaultTabStop w:val=\"720\"/></w:settings>").utf8)
        let cleaned = try #require(try SettingsPart.withoutMailMerge(settings, file: "t.docx"))
        let text = String(decoding: cleaned, as: UTF8.self)
        #expect(!text.contains("mailMerge"))
        #expect(text.hasPrefix(WordXML.declaration))
        #expect(text.contains("<w:zoom w:percent=\"100\"/><w:defaultTabStop w:val=\"720\"/>"))
        #expect(try SettingsPart.withoutMailMerge(cleaned, file: "t.docx") == nil)
    }

    @Test func templateListsFieldsInPartOrderAndRendersChangedPartsOnly() throws {
        let compiler = PartCompiler(file: "t.docx")
        let document = try compiler.compile(
            part: "word/document.xml",
            bytes: WordXML.document(
                "<w:p>" + WordXML.complexField(" MERGEFIELD Name ") + "</w:p><w:p><w:r><w:t>{{name}} {{City}}</w:t></w:r></w:p>"))
        let header = try compiler.compile(part: "word/header1.xml", bytes: WordXML.document("<w:p><w:r><w:t>plain</w:t></w:r></w:p>"))
        let footer = try compiler.compile(part: "word/footer1.xml", bytes: WordXML.document("<w:p><w:fldSimple w:instr=\" MERGEFIELD Ref \"/></w:p>"))
        let template = CompiledTemplate(templatePath: "t.docx", parts: [document, header, footer], fixedParts: ["word/settings.xml": [1]])
        #expect(template.fields.map(\.part) == ["word/document.xml", "word/document.xml", "word/document.xml", "word/footer1.xml"])
        #expect(template.fieldNames == ["Name", "City", "Ref"])
        let rendered = try template.render(MergeRecord(["NAME": "Ada", "city": "Leeds", "ref": "R1"]))
        #expect(Set(rendered.keys) == ["word/document.xml", "word/footer1.xml", "word/settings.xml"])
        #expect(try RenderedPart(rendered["word/document.xml"] ?? []).paragraphs == ["Ada", "Ada Leeds"])
        #expect(try RenderedPart(rendered["word/footer1.xml"] ?? []).paragraphs == ["R1"])
    }

    @Test func renderingFromManyTasksGivesTheSameBytes() async throws {
        let part = try WordXML.compile(WordXML.document("<w:p>" + WordXML.complexField(" MERGEFIELD N ") + "</w:p>"))
        let template = CompiledTemplate(templatePath: "t.docx", parts: [part], fixedParts: [:])
        let results = try await withThrowingTaskGroup(of: (Int, String).self) { group in
            for index in 0..<64 {
                group.addTask {
                    let bytes = try template.render(MergeRecord(["N": "value \(index)"]))["word/document.xml"] ?? []
                    return (index, try RenderedPart(bytes).paragraphs.joined())
                }
            }
            var all: [Int: String] = [:]
            for try await (index, text) in group { all[index] = text }
            return all
        }
        #expect(results.count == 64)
        #expect(results.allSatisfy { $0.value == "value \($0.key)" })
    }
}
