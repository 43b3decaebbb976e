import Foundation
import Segments
import Testing

/// `log-segment --print-run [--pdf] [--sort …]` end to end on the sample segment.
@Suite(.serialized)
struct PrintRunCommandTests {
    /// A P.S. long enough to push line 20000's letter (contact CT000002, Dutch) onto a second page.
    static let longComment = Array(repeating: "This postscript is deliberately long so that the letter needs a second page.", count: 60)
        .joined(separator: " ")

    /// The sample workspace with line 20000's comment made long.
    static func workspaceWithALongLetter() throws -> SampleWorkspace {
        let workspace = try SampleWorkspace()
        let text = try String(contentsOf: workspace.segment, encoding: .utf8)
        let edited = text.replacingOccurrences(
            of: "comment: Thank you for your visit to our showroom in October.",
            with: "comment: \"\(longComment)\"")
        #expect(edited != text)
        try edited.write(to: workspace.segment, atomically: true, encoding: .utf8)
        return workspace
    }

    static func resolvedLines(_ workspace: SampleWorkspace) throws -> [ResolvedLine] {
        let segment = try Segment.load(path: workspace.segment.path)
        return try SegmentResolver.resolve(
            segment, contacts: ContactDirectory.load(csv: segment.contactsPath),
            catalogue: TemplateCatalogue.load(directory: Paths.templates.path)
        ).get()
    }

    /// The print manifest's rows as column → value.
    static func manifest(_ workspace: SampleWorkspace) throws -> [[String: String]] {
        var reader = try CSVRowReader(path: workspace.letters.appendingPathComponent("SM00001/print-manifest.csv").path)
        var rows: [[String: String]] = []
        while let row = try reader.next() { rows.append(Dictionary(uniqueKeysWithValues: zip(reader.header, row.values))) }
        return rows
    }

    static func files(_ workspace: SampleWorkspace, suffix: String) -> [URL] {
        let folder = workspace.letters.appendingPathComponent("SM00001")
        return ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []).filter { $0.hasSuffix(suffix) }.sorted()
            .map { folder.appendingPathComponent($0) }
    }

    @Test func printRunPDFPagesMatchTheManifestAndFootersShowEachContact() throws {
        let workspace = try Self.workspaceWithALongLetter()
        defer { workspace.remove() }
        let result = try workspace.logSegment(nil, ["--print-run", "--pdf", "--sort", "country,postcode"])
        #expect(result.status == 0, "\(result.stderr)")
        let lines = try Self.resolvedLines(workspace)
        let printed = lines.filter { $0.correspondenceType != .email }
        let emailed = lines.filter { $0.correspondenceType == .email }
        #expect(!emailed.isEmpty && !printed.isEmpty)

        let rows = try Self.manifest(workspace)
        #expect(rows.count == printed.count)
        #expect(Set(rows.compactMap { $0["contact_no"] }) == Set(printed.map(\.contact.no)))
        let attachments = Set(printed.map { (($0.attachmentPath ?? "") as NSString).lastPathComponent })
        let documents = Set(rows.compactMap { $0["print_document"] })
        #expect(documents == Set(attachments.map { "print-run-" + $0 }))

        for document in documents.sorted() {
            let letters = rows.filter { $0["print_document"] == document }
            // Sorted by country, then post code (digits as numbers).
            for (a, b) in zip(letters, letters.dropFirst()) {
                let (countryA, countryB) = (a["country_region_code"] ?? "", b["country_region_code"] ?? "")
                #expect(countryA <= countryB, "\(document): \(countryA) before \(countryB)")
                if countryA == countryB, let codeA = Int(a["post_code"] ?? ""), let codeB = Int(b["post_code"] ?? "") {
                    #expect(codeA <= codeB, "\(document): post code \(codeA) before \(codeB)")
                }
            }
            let pdf = workspace.letters.appendingPathComponent("SM00001/" + (letters.first?["pdf"] ?? ""))
            let pages = try ExternalCheck.pdfPages(pdf)
            var expectedFirst = 1
            for row in letters {
                let contact = try #require(row["contact_no"])
                let first = try #require(Int(row["first_page"] ?? ""))
                let last = try #require(Int(row["last_page"] ?? ""))
                #expect(first == expectedFirst, "\(document): \(contact) starts where the previous letter ended")
                #expect(Int(row["pages"] ?? "") == last - first + 1)
                expectedFirst = last + 1
                for page in first...min(last, pages.count) {
                    let text = pages[page - 1]
                    #expect(text.contains(contact), "\(document) page \(page): footer of \(contact)")
                    let others = letters.compactMap { $0["contact_no"] }.filter { $0 != contact && text.contains($0) }
                    #expect(others.isEmpty, "\(document) page \(page) also shows \(others)")
                }
            }
            #expect(expectedFirst - 1 == pages.count, "\(document): the manifest covers every page of the PDF")
            // Every letter's footnote is number 1, as in the letter on its own. The mark is superscript:
            // pdftotext -layout puts a space before it or not depending on where LibreOffice broke the
            // line, which depends on the fonts installed (Arial falls back to DejaVu Sans or Liberation
            // Sans), so the space is optional here.
            let marks = Self.matches("per (?:unit|stuk)\\.\\s*([0-9]+)", in: pages.joined())
            #expect(marks.allSatisfy { $0 == "1" }, "\(document): footnote marks \(marks)")
            let isDirectMail = document.hasPrefix("print-run-DirectMail")
            #expect(isDirectMail ? marks.count == letters.count : marks.isEmpty, "\(document): \(marks.count) marks, \(letters.count) letters")
            let notes = Self.matches("(The introductory price applies|De introductieprijs geldt)", in: pages.joined())
            #expect(notes.count == (isDirectMail ? letters.count : 0), "\(document): \(notes.count) footnotes, \(letters.count) letters")
        }

        // The long letter has two pages, numbered 1 and 2 of 2 (Dutch footer).
        let long = try #require(rows.first { $0["line_no"] == "20000" })
        #expect(long["pages"] == "2")
        let longPages = try ExternalCheck.pdfPages(workspace.letters.appendingPathComponent("SM00001/" + (long["pdf"] ?? "")))
        let first = try #require(Int(long["first_page"] ?? ""))
        #expect(longPages[first - 1].contains("Pagina 1 van 2"))
        #expect(longPages[first].contains("Pagina 2 van 2"))

        // The combined documents are well-formed with unique ids, one section per letter.
        for document in documents {
            let inspector = try DocxInspector(path: workspace.letters.appendingPathComponent("SM00001/" + document).path)
            #expect(inspector.malformed.isEmpty)
            let xml = try #require(inspector.xml["word/document.xml"])
            let count = rows.filter { $0["print_document"] == document }.count
            #expect(Self.matches("<w:sectPr>", in: xml).count == count)
            #expect(Self.matches("<w:type w:val=\"nextPage\"/>", in: xml).count == count)
            let bookmarkIds = Self.matches("<w:bookmarkStart w:id=\"([0-9]+)\"", in: xml)
            let bookmarkNames = Self.matches("<w:bookmarkStart [^>]*w:name=\"([^\"]+)\"", in: xml)
            #expect(bookmarkIds.count == count && Set(bookmarkIds).count == count)
            #expect(Set(bookmarkNames).count == bookmarkNames.count)
            let noteReferences = Self.matches("<w:footnoteReference w:id=\"([0-9]+)\"", in: xml)
            #expect(Set(noteReferences).count == noteReferences.count)
            let notes = Set(Self.matches("<w:footnote w:id=\"([0-9]+)\"", in: inspector.xml["word/footnotes.xml"] ?? ""))
            #expect(Set(noteReferences).isSubset(of: notes))
        }

        // E-mail lines: an .eml each, with the letter's PDF, instead of a printed letter.
        let emails = Self.files(workspace, suffix: ".eml")
        #expect(emails.count == emailed.count)
        let parsed = try ExternalCheck.parseEmails(emails)
        for line in emailed {
            let message = try #require(parsed.first { $0.to == [line.contact.email] }, "e-mail to \(line.contact.email)")
            #expect(message.subject == line.subject)
            #expect(message.defects == 0)
            #expect(message.body.contains(line.contact.surname))
            #expect(message.attachments.count == 1)
            let attachment = try #require(message.attachments.first)
            #expect(attachment.contentType == "application/pdf" && attachment.head == "%PDF")
            #expect(attachment.filename?.hasSuffix(".pdf") == true && attachment.filename?.contains(line.contact.no) == true)
        }

        // Everything is logged, with the correspondence type used.
        let entries = try workspace.logEntries()
        #expect(entries.count == lines.count)
        for line in lines {
            let entry = entries.first { $0["contactNo"] as? String == line.contact.no }
            #expect(entry?["correspondenceType"] as? String == line.correspondenceType.rawValue)
        }
    }

    @Test func printRunWithoutPDFAttachesTheDocxAndLeavesPagesEmpty() throws {
        let workspace = try SampleWorkspace()
        defer { workspace.remove() }
        let result = try workspace.logSegment(nil, ["--print-run", "--sort", "postcode"])
        #expect(result.status == 0, "\(result.stderr)")
        let lines = try Self.resolvedLines(workspace)
        let rows = try Self.manifest(workspace)
        #expect(rows.count == lines.filter { $0.correspondenceType != .email }.count)
        #expect(rows.allSatisfy { $0["first_page"] == "" && $0["pdf"] == "" })
        for document in Set(rows.compactMap { $0["print_document"] }) {
            let codes = rows.filter { $0["print_document"] == document }.compactMap { $0["post_code"] }
            #expect(codes == codes.sorted { $0.compare($1, options: .numeric) == .orderedAscending }, "\(document): \(codes)")
        }
        #expect(Self.files(workspace, suffix: ".pdf").isEmpty)

        let emailed = lines.filter { $0.correspondenceType == .email }
        let parsed = try ExternalCheck.parseEmails(Self.files(workspace, suffix: ".eml"))
        #expect(parsed.count == emailed.count)
        for line in emailed {
            let message = try #require(parsed.first { $0.to == [line.contact.email] })
            #expect(message.toName == line.contact.fullName, "RFC 2047 name decodes back")
            #expect(message.attachments.first?.head.hasPrefix("PK") == true)
            #expect(message.attachments.first?.contentType == "application/vnd.openxmlformats-officedocument.wordprocessingml.document")
        }
    }

    @Test func missingLibreOfficeIsExplainedAndNothingIsLogged() throws {
        let workspace = try SampleWorkspace()
        defer { workspace.remove() }
        let result = try CLI.run(
            [
                "log-segment", workspace.segment.path, "--templates", Paths.templates.path,
                "--out", workspace.letters.path, "--db", workspace.database.path, "--print-run", "--pdf",
            ],
            environment: ["PATH": "/nonexistent"])
        #expect(result.status == 1)
        #expect(result.stderr.contains("apt-get install libreoffice-writer-nogui"), "\(result.stderr)")
        if FileManager.default.fileExists(atPath: workspace.database.path) {
            #expect(try workspace.logEntries().isEmpty)
        }
    }

    static func matches(_ pattern: String, in text: String) -> [String] {
        guard let regex = try? NSRegularExpression(pattern: pattern) else { return [] }
        return regex.matches(in: text, range: NSRange(text.startIndex..., in: text)).compactMap { match in
            let range = match.numberOfRanges > 1 ? match.range(at: 1) : match.range
            return Range(range, in: text).map { String(text[$0]) }
        }
    }
}
