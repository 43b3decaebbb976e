import Foundation
import Testing

/// Every Word-made template of the corpus (`WordCorpus`) goes through the real CLI:
/// `fields` lists what the XML holds, `merge` fills every field in every part, and the
/// letters open in python-docx and LibreOffice with the values in them.
@Suite(.serialized, .needsWordCorpus)
struct FixtureMergeTests {
    static let fixtures = WordCorpus.docxNames()

    /// Field names found in the template's XML by a regular expression over the instructions,
    /// independent of the engine, with the parts each is in.
    static func fieldsInXML(of fixture: String) throws -> [String: Set<String>] {
        let inspector = try DocxInspector(path: WordCorpus.path(fixture))
        var parts: [String: Set<String>] = [:]
        let instrText = try Regex(#"<w:instrText[^>]*>([^<]*)</w:instrText>"#)
        let instrAttribute = try Regex(#"w:instr="([^"]*)""#)
        let mergefield = try Regex(#"MERGEFIELD\s+(?:"([^"]+)"|([^\s\\]+))"#)
        for (part, xml) in inspector.xml where part.hasPrefix("word/") {
            let instructions =
                xml.matches(of: instrText).map { String($0.output[1].substring ?? "") }.joined()
                + " " + xml.matches(of: instrAttribute).map { String($0.output[1].substring ?? "") }.joined(separator: " ")
            let decoded = instructions.replacingOccurrences(of: "&quot;", with: "\"")
            for match in decoded.matches(of: mergefield) {
                parts[String(match.output[1].substring ?? match.output[2].substring ?? ""), default: []].insert(part)
            }
        }
        return parts
    }

    static func fieldNamesInXML(of fixture: String) throws -> Set<String> { Set(try fieldsInXML(of: fixture).keys) }

    @Test func everyFixtureIsFound() {
        #expect(Self.fixtures.count >= 10, "fixtures in \(WordCorpus.directory?.path ?? "")")
    }

    @Test(arguments: fixtures)
    func fieldsListsWhatTheXMLHolds(_ fixture: String) throws {
        let result = try CLI.run(["fields", "--names-only", WordCorpus.path(fixture)])
        #expect(result.status == 0, "\(result.stderr)")
        let listed = Set(result.stdout.split(separator: "\n").map(String.init))
        let expected = try Self.fieldNamesInXML(of: fixture)
        #expect(!expected.isEmpty)
        #expect(listed == expected)
    }

    /// A distinctive value for field `index` of record `row`, with characters that must be escaped.
    static func value(row: Int, index: Int) -> (token: String, full: String) {
        let token = "R\(row)F\(index)Q"
        return (token, "\(token) Zoë & <Ørsted> \"Søn\" 'A/S' 🚀")
    }

    static func csvField(_ s: String) -> String { "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" }

    @Test(arguments: fixtures)
    func mergeFillsEveryField(_ fixture: String) throws {
        let template = WordCorpus.url(fixture)
        let fieldParts = try Self.fieldsInXML(of: fixture)
        let names = fieldParts.keys.sorted()
        let dir = try Paths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        var csv = names.map(Self.csvField).joined(separator: ",") + "\n"
        for row in 1...2 {
            csv += names.indices.map { Self.csvField(Self.value(row: row, index: $0).full) }.joined(separator: ",") + "\n"
        }
        let data = dir.appendingPathComponent("data.csv")
        try csv.write(to: data, atomically: true, encoding: .utf8)

        let out = dir.appendingPathComponent("out")
        let result = try CLI.run(["merge", template.path, data.path, "--out", out.path])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("wrote 2 documents"))

        for row in 1...2 {
            let document = out.appendingPathComponent(String(format: "letter_%05d.docx", row))
            let inspector = try DocxInspector(path: document.path)
            #expect(inspector.malformed.isEmpty, "\(inspector.malformed)")
            for (index, name) in names.enumerated() {
                let value = Self.value(row: row, index: index)
                // The fixtures use no case or picture switch: the value appears as it is, in each part that has the field.
                for part in fieldParts[name] ?? [] {
                    #expect(inspector.text(part).contains(value.full), "\(fixture): \(name) row \(row) in \(part)")
                }
            }
            #expect(!inspector.allText.contains(Self.value(row: 3 - row, index: 0).token))
            for (part, xml) in inspector.xml where part.hasPrefix("word/") && !part.contains("settings") {
                #expect(!xml.contains("MERGEFIELD"), "\(part) still has a MERGEFIELD")
                #expect(!xml.contains("«"), "\(part) still has a «placeholder»")
            }
            #expect(inspector.xml["word/settings.xml"].map { !$0.contains("w:mailMerge") } ?? true)
        }
    }

    @Test func lettersOpenInPythonDocxAndLibreOffice() throws {
        let dir = try Paths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        var documents: [URL] = []
        var tokens: [[String]] = []
        for fixture in Self.fixtures {
            let names = try Self.fieldNamesInXML(of: fixture).sorted()
            let csv =
                names.map(Self.csvField).joined(separator: ",") + "\n"
                + names.indices.map { Self.csvField(Self.value(row: 1, index: $0).full) }.joined(separator: ",") + "\n"
            let data = dir.appendingPathComponent("\(fixture).csv")
            try csv.write(to: data, atomically: true, encoding: .utf8)
            let stem = fixture.replacingOccurrences(of: ".docx", with: "")
            let result = try CLI.run([
                "merge", WordCorpus.path(fixture), data.path,
                "--out", dir.path, "--name", "\(stem)-{#}.docx",
            ])
            #expect(result.status == 0, "\(result.stderr)")
            documents.append(dir.appendingPathComponent("\(stem)-1.docx"))
            tokens.append(names.indices.map { Self.value(row: 1, index: $0).token })
        }
        let pythonTexts = try ExternalCheck.pythonDocxText(documents)
        let pdfTexts = try ExternalCheck.pdfText(documents)
        for (i, document) in documents.enumerated() {
            for token in tokens[i] {
                #expect(pdfTexts[i].contains(token), "\(document.lastPathComponent): \(token) not in the PDF")
            }
            // python-docx sees body, tables, headers and footers; text boxes and notes it does not read.
            #expect(tokens[i].contains { pythonTexts[i].contains($0) }, "\(document.lastPathComponent)")
        }
    }
}
