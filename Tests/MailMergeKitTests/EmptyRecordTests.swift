import Foundation
import Testing

/// A data row is never skipped: `mailmerge merge` writes one letter per record, numbered as the
/// records are, each with its own record's values, also when a record's values are all empty.
/// Only a truly empty line (nothing before its line break) is not a record, as in Python's
/// `csv.DictReader`.
@Suite struct EmptyRecordTests {
    /// A template whose body is one paragraph `[«a»|«b»…]` per column, so an empty record still
    /// leaves a paragraph to read.
    static func template(columns: [String], in dir: URL) throws -> String {
        let fields = columns.map { #"<w:fldSimple w:instr=" MERGEFIELD \#($0) "><w:r><w:t>«\#($0)»</w:t></w:r></w:fldSimple>"# }
        let separator = #"<w:r><w:t>|</w:t></w:r>"#
        let xml =
            #"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="\#(HostileInputTests.w)"><w:body>"#
            + #"<w:p><w:r><w:t>[</w:t></w:r>"# + fields.joined(separator: separator) + #"<w:r><w:t>]</w:t></w:r></w:p></w:body></w:document>"#
        let url = dir.appendingPathComponent("T.docx")
        try HostileInputTests.package(documentXML: xml, at: url)
        return url.path
    }

    /// Merges `csv` (raw bytes) into the template of `columns`; returns each letter's text by file name.
    static func merge(_ csv: [UInt8], columns: [String]) throws -> (result: CLI.Result, letters: [String: String]) {
        let dir = try Paths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let data = dir.appendingPathComponent("d.csv")
        try Data(csv).write(to: data)
        let out = dir.appendingPathComponent("o")
        let result = try CLI.run(["merge", try template(columns: columns, in: dir), data.path, "--out", out.path, "--missing", "blank"])
        var letters: [String: String] = [:]
        for name in (try? FileManager.default.contentsOfDirectory(atPath: out.path)) ?? [] where name.hasSuffix(".docx") {
            letters[name] = try DocxInspector(path: out.appendingPathComponent(name).path).text("word/document.xml")
        }
        return (result, letters)
    }

    /// The letters expected for `records`: `letter_00001.docx` → `[values joined by |]`.
    static func expected(_ records: [[String]]) -> [String: String] {
        var letters: [String: String] = [:]
        for (index, values) in records.enumerated() {
            letters["letter_" + String(format: "%05d", index + 1) + ".docx"] = "[" + values.joined(separator: "|") + "]"
        }
        return letters
    }

    static let bom: [UInt8] = [0xEF, 0xBB, 0xBF]

    @Test(
        arguments: [
            ("quoted empty line", Array("name\n\"\"\nB\n".utf8), [[""], ["B"]]),
            ("quoted empty line first and last", Array("name\n\"\"\nB\n\"\"\n".utf8), [[""], ["B"], [""]]),
            ("with a byte-order mark", bom + Array("name\n\"\"\nB\n".utf8), [[""], ["B"]]),
            ("CRLF line ends", Array("name\r\n\"\"\r\nB\r\n".utf8), [[""], ["B"]]),
            ("last line without a line break", Array("name\nA\n\"\"".utf8), [["A"], [""]]),
            ("CRLF, BOM and no final line break", bom + Array("name\r\nA\r\n\"\"".utf8), [["A"], [""]]),
            ("truly empty lines are not records", Array("name\nA\n\nB\n\n".utf8), [["A"], ["B"]]),
        ] as [(String, [UInt8], [[String]])])
    func oneColumnEmptyRecordsAreMerged(_ label: String, _ csv: [UInt8], _ records: [[String]]) throws {
        let (result, letters) = try Self.merge(csv, columns: ["name"])
        #expect(result.status == 0, "\(label): \(result.stderr)")
        #expect(result.stdout.contains("wrote \(records.count) document"), "\(label): \(result.stdout)")
        #expect(letters == Self.expected(records), "\(label)")
    }

    @Test(
        arguments: [
            ("one empty column among several", Array("a,b,c\n1,,3\n,,\n4,5,6\n".utf8), [["1", "", "3"], ["", "", ""], ["4", "5", "6"]]),
            ("quoted empty values", Array("a,b,c\n\"\",\"\",\"\"\n7,8,9\n".utf8), [["", "", ""], ["7", "8", "9"]]),
            ("CRLF, BOM and no final line break", bom + Array("a,b,c\r\n1,,3\r\n,,".utf8), [["1", "", "3"], ["", "", ""]]),
        ] as [(String, [UInt8], [[String]])])
    func severalColumnsWithEmptyValuesAreMerged(_ label: String, _ csv: [UInt8], _ records: [[String]]) throws {
        let (result, letters) = try Self.merge(csv, columns: ["a", "b", "c"])
        #expect(result.status == 0, "\(label): \(result.stderr)")
        #expect(result.stdout.contains("wrote \(records.count) document"), "\(label): \(result.stdout)")
        #expect(letters == Self.expected(records), "\(label)")
    }
}
