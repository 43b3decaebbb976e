import MailMergeKit
import Testing

struct DocumentNamePatternTests {
    @Test(arguments: [
        ("{ContactNo}-{Surname}.docx", 7, ["contactno": "CT000123", "surname": "Ørsted"], "CT000123-Ørsted.docx"),
        ("letter_{#:05}.docx", 42, [:], "letter_00042.docx"),
        ("letter_{#}", 3, [:], "letter_3.docx"),
        ("{Surname}.docx", 1, ["surname": "../../etc/passwd"], "_.._etc_passwd.docx"),
        ("{Surname}.docx", 1, ["surname": "/abs/path"], "_abs_path.docx"),
        ("{Surname}.docx", 1, ["surname": "a\u{0}b\nc\td"], "a_b_c_d.docx"),
        ("{Surname}.docx", 1, ["surname": "CON"], "_CON.docx"),
        ("{Surname}.docx", 1, ["surname": "nul"], "_nul.docx"),
        ("{Surname}.docx", 1, ["surname": "what? <a|b> \"c\" d:e*f"], "what_ _a_b_ _c_ d_e_f.docx"),
        ("{Surname}.docx", 1, ["surname": ""], "_.docx"),
        ("{Surname}.docx", 1, ["surname": "..."], "_.docx"),
    ])
    func makesSafeNames(pattern: String, number: Int, values: [String: String], expected: String) throws {
        let name = try DocumentNamePattern(pattern).fileName(number: number) { values[$0.lowercased()] }
        #expect(name == expected)
        #expect(!name.contains("/"))
    }

    @Test func longNamesAreShortenedKeepingTheExtension() throws {
        let long = String(repeating: "é", count: 400)
        let name = try DocumentNamePattern("{Surname}.docx").fileName(number: 1) { _ in long }
        #expect(name.utf8.count <= SafeFileName.maximumBytes)
        #expect(name.hasSuffix(".docx"))
    }

    @Test(arguments: ["{Surname", "{}", "x{#:0}", "x{#:abc}", "sub/{#}.docx", ""])
    func rejectsBadPatterns(_ pattern: String) {
        #expect(throws: MailMergeError.self) { try DocumentNamePattern(pattern) }
    }

    @Test func listsItsColumns() throws {
        #expect(try DocumentNamePattern("{A}-{#}-{ b }").columns == ["A", "b"])
    }
}
