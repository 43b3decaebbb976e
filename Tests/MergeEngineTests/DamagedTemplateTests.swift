import DocxPackage
import Foundation
import Testing

@testable import MergeEngine

/// Real templates with one field mark removed: compiling either reports a `TemplateError`
/// or gives parts that render to well-formed XML — never a crash.
@Suite struct DamagedTemplateTests {
    /// The project's sample templates, and three Word-made ones when the corpus is there.
    static let templates =
        [Paths.sampleTemplate("DirectMail_EN.docx"), Paths.sampleTemplate("Event_NL.docx")]
        + (WordCorpus.isAvailable ? ["test_macword2011.docx", "test_multiple_elements.docx", "test_winword2010.docx"].map(WordCorpus.path) : [])

    @Test(arguments: templates)
    func removingAnyFieldMarkIsReportedOrHarmless(_ path: String) throws {
        let source = try DocxArchive(path: path)
        let document = String(decoding: try source.read("word/document.xml"), as: UTF8.self)
        let marks = try Regex(#"<w:fldChar w:fldCharType="(begin|separate|end)"/>"#)
        let ranges = document.matches(of: marks).map(\.range)
        try #require(!ranges.isEmpty)
        var errors = 0
        for range in ranges {
            var damaged = document
            damaged.removeSubrange(range)
            do {
                let part = try WordXML.compile(Array(damaged.utf8))
                let record = MergeRecord(Dictionary(part.uses.map { ($0.name, "v") }, uniquingKeysWith: { first, _ in first }))
                _ = try RenderedPart(try part.render(record, missing: .error))
            } catch let error as TemplateError {
                errors += 1
                #expect(error.paragraph != nil && error.part == "word/document.xml")
            }
        }
        #expect(errors > 0)
    }
}
