import Foundation
import Segments
import Testing

/// `mailmerge log-segment` end to end on the sample segment: letters, manifest, log.
@Suite(.serialized)
struct LogSegmentTests {
    /// A phrase only that attachment has.
    static let wording = [
        "DirectMail_EN.docx": "We are delighted to introduce",
        "DirectMail_NL.docx": "Met genoegen stellen wij u",
        "Event_EN.docx": "Reply to:",
        "Event_NL.docx": "Reageren bij:",
    ]

    @Test func logsTheSampleSegment() throws {
        let workspace = try SampleWorkspace()
        defer { workspace.remove() }
        let result = try workspace.logSegment()
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("25 interactions"))

        // The resolver (independent of the command) says what each letter must hold.
        let segment = try Segment.load(path: workspace.segment.path)
        let contacts = try ContactDirectory.load(csv: segment.contactsPath)
        let catalogue = try TemplateCatalogue.load(directory: Paths.templates.path)
        let lines = try SegmentResolver.resolve(segment, contacts: contacts, catalogue: catalogue).get()

        let files = workspace.letterFiles()
        #expect(files.count == lines.count)
        let manifest = try String(contentsOf: workspace.letters.appendingPathComponent("SM00001/manifest.csv"), encoding: .utf8)
        let manifestRows = manifest.split(separator: "\n").dropFirst()
        #expect(manifestRows.count == lines.count)

        let entries = try workspace.logEntries()
        #expect(entries.count == lines.count)
        #expect(Set(entries.compactMap { $0["contactNo"] as? String }) == Set(lines.map(\.contact.no)))

        for (index, line) in lines.enumerated() {
            let file = files[index]
            #expect(file.hasPrefix(String(format: "SM00001/%04d-%@-", index + 1, line.contact.no)), "\(file)")
            let path = workspace.letters.appendingPathComponent(file).path
            let letter = try DocxInspector(path: path)
            #expect(letter.malformed.isEmpty)
            let text = letter.allText
            let name = line.contact.surname.isEmpty ? line.contact.companyName : line.contact.surname
            #expect(text.contains(name), "\(file): \(name)")
            #expect(text.contains(line.description), "\(file): description \(line.description)")
            #expect(text.contains(line.subject), "\(file): subject \(line.subject)")
            if !line.comment.isEmpty { #expect(text.contains("P.S. " + line.comment)) }
            // The resolved template and language chose the attachment: its wording says which.
            let attachment =
                line.template.code == "EVENT"
                ? (line.languageCode == "NL" ? "Event_NL.docx" : "Event_EN.docx")
                : (line.languageCode == "NL" ? "DirectMail_NL.docx" : "DirectMail_EN.docx")
            #expect(line.attachmentPath?.hasSuffix(attachment) == true)
            #expect(text.contains(Self.wording[attachment]!), "\(file) is not \(attachment)")
            #expect(!letter.xml.values.contains { $0.contains("MERGEFIELD") })

            let entry = try #require(entries.first { $0["contactNo"] as? String == line.contact.no })
            #expect(entry["templateCode"] as? String == line.template.code)
            #expect(entry["description"] as? String == line.description)
            #expect(entry["languageCode"] as? String == line.languageCode)
            #expect(entry["segmentNo"] as? String == "SM00001")
            #expect(entry["canceled"] as? Bool == false && entry["postponed"] as? Bool == false)
            let digest = try #require(entry["documentSHA256"] as? String)
            #expect(manifestRows[manifestRows.startIndex + index].hasSuffix(digest))
            #expect((entry["documentPath"] as? String)?.hasSuffix(file) == true)
        }

        // The same segment again: refused, nothing logged twice.
        let again = try workspace.logSegment()
        #expect(again.status == 1)
        #expect(again.stderr.contains("already logged"))
        #expect(try workspace.logEntries().count == lines.count)

        let logged = try CLI.run(["segments", "logged", "--db", workspace.database.path])
        #expect(logged.status == 0 && logged.stdout.contains("SM00001") && logged.stdout.contains("25"))
    }

    @Test func theLettersOpenInPythonDocxAndLibreOffice() throws {
        let workspace = try SampleWorkspace()
        defer { workspace.remove() }
        #expect(try workspace.logSegment().status == 0)
        let segment = try Segment.load(path: workspace.segment.path)
        let lines = try SegmentResolver.resolve(
            segment, contacts: ContactDirectory.load(csv: segment.contactsPath),
            catalogue: TemplateCatalogue.load(directory: Paths.templates.path)
        ).get()
        let documents = workspace.letterFiles().map { workspace.letters.appendingPathComponent($0) }
        let pythonTexts = try ExternalCheck.pythonDocxText(documents)
        let pdfTexts = try ExternalCheck.pdfText(documents)
        for (index, line) in lines.enumerated() {
            let name = line.contact.surname.isEmpty ? line.contact.companyName : line.contact.surname
            #expect(pythonTexts[index].contains(name), "python-docx: \(documents[index].lastPathComponent)")
            // pdftotext may break lines anywhere; compare without white space.
            let pdf = pdfTexts[index].filter { !$0.isWhitespace }
            #expect(pdf.contains(name.filter { !$0.isWhitespace }), "PDF: \(documents[index].lastPathComponent)")
            #expect(pdf.contains(line.description.filter { !$0.isWhitespace }), "PDF: \(documents[index].lastPathComponent)")
        }
    }

    @Test func followUpGetsTheNextNumber() throws {
        let workspace = try SampleWorkspace()
        defer { workspace.remove() }
        let result = try workspace.logSegment(nil, ["--follow-up"])
        #expect(result.status == 0, "\(result.stderr)")
        let followUp = try Segment.load(path: workspace.segments.appendingPathComponent("SM00002.yaml").path)
        let original = try Segment.load(path: workspace.segment.path)
        #expect(followUp.header.no == "SM00002")
        #expect(followUp.lines.map(\.contactNo) == original.lines.map(\.contactNo))
        #expect(followUp.header.templateCode == original.header.templateCode)
        // The follow-up logs as a segment of its own.
        let second = try workspace.logSegment(workspace.segments.appendingPathComponent("SM00002.yaml"))
        #expect(second.status == 0, "\(second.stderr)")
        #expect(try workspace.logEntries(["--segment", "SM00002"]).count == original.lines.count)
        #expect(try workspace.logEntries().count == 2 * original.lines.count)
    }
}
