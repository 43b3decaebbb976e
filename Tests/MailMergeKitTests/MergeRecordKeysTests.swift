import DocxPackage
import Foundation
import MergeEngine
import Segments
import Testing

@testable import MailMergeKit

/// log-segment's letters are merged from a record holding only the fields the attachment may read
/// (`CompiledTemplate.recordKeys`, `ResolvedLine.foldedMergeFields(_:)` with a `MergeFieldSelection`): every document, and every missing-field
/// error, must be what the full record gives.
@Suite struct MergeRecordKeysTests {
    typealias Builder = WordTemplateBuilder

    static func text(_ t: String) -> String { "<w:r><w:t xml:space=\"preserve\">\(t)</w:t></w:r>" }
    static func paragraph(_ content: String) -> String { "<w:p>\(content)</w:p>" }
    /// A code as Word stores it in `w:instrText` (`<<` escaped).
    static func escaped(_ code: String) -> String {
        code.replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
    }

    static let addressBlock =
        #"ADDRESSBLOCK \f "<<_TITLE0_ >><<_FIRST0_>><< _LAST0_>>&#13;<<_COMPANY_&#13;>><<_STREET1_&#13;>><<_CITY_>><< _POSTAL_>><<&#13;_COUNTRY_>>" \l 1033 \c 2 \e "Netherlands" \d"#
    static let greetingLine = #"GREETINGLINE \f "<<_BEFORE_ Dear >><<_TITLE0_ >><<_LAST0_>><<,_AFTER_ >>" \l 1033 \e "Dear Sir or Madam,""#
    /// IF over a field no line has.
    static let ifMissing =
        "<w:r><w:fldChar w:fldCharType=\"begin\"/></w:r><w:r><w:instrText xml:space=\"preserve\"> IF </w:instrText></w:r>"
        + Builder.mergeField("NoSuchField") + "<w:r><w:instrText xml:space=\"preserve\"> = \"\" \"(none)\" \"(some)\" </w:instrText></w:r>"
        + "<w:r><w:fldChar w:fldCharType=\"separate\"/></w:r><w:r><w:t>(none)</w:t></w:r><w:r><w:fldChar w:fldCharType=\"end\"/></w:r>"

    /// A letter reading a header field, contact fields (in another case too), a correspondence field, an ADDRESSBLOCK and
    /// a GREETINGLINE (automatic columns), an IF on a missing field, a placeholder, and a region whose rows read
    /// the enclosing record's fields and the table's count.
    static func letter(to url: URL) throws {
        let body =
            paragraph(text("Mailing ") + Builder.mergeField("SegmentDescription"))
            + paragraph(Builder.field(escaped(addressBlock), result: "«AddressBlock»"))
            + paragraph(Builder.field(escaped(greetingLine), result: "«GreetingLine»"))
            + paragraph(Builder.mergeField("FormalSalutation") + text(" ") + Builder.mergeField("SURNAME") + text(" ") + Builder.mergeField("city"))
            + paragraph(text("Line {{LineNo}} ") + ifMissing)
            + paragraph(text("{{#Orders}}")) + paragraph(text("{{OrderNo}} {{Amount}} for {{Surname}} of {{Orders.Count}}")) + paragraph(text("{{/Orders}}"))
        try Builder.write(to: url, body: body)
    }

    static func line() -> ResolvedLine {
        let contact = Contact(
            no: "CT1", companyName: "Berg & Co", salutation: "Ms", firstName: "Anna", surname: "Berg", address: "Kade 1", postCode: "1011 AB",
            city: "Amsterdam", countryRegionCode: "DE", email: "anna@berg.example", extra: ["SalutationCode": "MS", "EMAIL": "old@berg.example"])
        return LogSegmentFastPathTests.line(contact)
    }

    static func compile(_ path: String, children: [String: [String]] = [:]) throws -> CompiledTemplate {
        try CompiledTemplate.compile(DocxArchive(path: path), regions: RegionOptions(childColumns: children))
    }

    /// What `template` renders (or the error it throws) from `values`, with `children`, for each missing-field policy.
    static func renderings(_ template: CompiledTemplate, _ values: [String: String], children: [String: [MergeRecord]] = [:]) -> [String] {
        MissingFieldPolicy.allCases.map { policy in
            do {
                let parts = try template.render(MergeRecord(folded: values, children: children), missing: policy)
                return parts.keys.sorted().map { "\($0)\n" + String(decoding: parts[$0]!, as: UTF8.self) }.joined(separator: "\n")
            } catch {
                return "error: \(error)"
            }
        }
    }

    /// The trimmed record renders what the full one renders, for every policy; returns the trimmed record.
    @discardableResult
    static func expectSameDocuments(
        _ template: CompiledTemplate, _ line: ResolvedLine, children: [String: [MergeRecord]] = [:], sourceLocation: SourceLocation = #_sourceLocation
    ) -> [String: String] {
        let full = line.foldedMergeFields
        let trimmed = line.foldedMergeFields(template.recordKeys.map { MergeFieldSelection(keys: $0) })
        #expect(renderings(template, trimmed, children: children) == renderings(template, full, children: children), sourceLocation: sourceLocation)
        // Only fields of the full record, with their values.
        for (key, value) in trimmed { #expect(full[key] == value, sourceLocation: sourceLocation) }
        return trimmed
    }

    @Test func letterRendersTheSameFromTheTrimmedRecord() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("letter.docx")
        try Self.letter(to: URL(fileURLWithPath: path))
        let template = try Self.compile(path, children: ["Orders": ["OrderNo", "Amount"]])
        let keys = try #require(template.recordKeys)
        for key in ["segmentdescription", "formalsalutation", "surname", "city", "lineno", "nosuchfield", "orderno", "amount", "orders.count"] {
            #expect(keys.contains(key), "\(key)")
        }
        // ADDRESSBLOCK's and GREETINGLINE's automatic columns, our names and the others it tries.
        for key in ["salutation", "firstname", "companyname", "address", "postcode", "countryregioncode", "last name", "country"] {
            #expect(keys.contains(key), "\(key)")
        }
        let line = Self.line()
        let trimmed = Self.expectSameDocuments(template, line)
        #expect(trimmed["segmentno"] == nil && trimmed["email"] == nil && trimmed["unitcost"] == nil)
        #expect(trimmed.count < line.foldedMergeFields.count / 2)
        // The region's rows read the enclosing record's fields.
        let orders = ColumnIndex(folded: ["orderno", "amount"])
        let rows = [MergeRecord(columns: orders, row: ["O1", "10.50"], children: [:]), MergeRecord(columns: orders, row: ["O2", "5"], children: [:])]
        Self.expectSameDocuments(template, line, children: ["orders": rows])
        // The text of the `.blank` rendering (the XML without its tags).
        let blank = Self.renderings(template, trimmed, children: ["orders": rows])[1].replacingOccurrences(
            of: "<[^>]+>", with: "", options: .regularExpression)
        for expected in ["O2 5 for Berg of 2", "(none)", "Dear Ms Berg,", "Mailing Winter"] { #expect(blank.contains(expected), "\(expected): \(blank)") }
        // A line whose contact has the field the IF reads, in another case.
        var having = line
        having.contact.extra["nosuchFIELD"] = "x"
        Self.expectSameDocuments(template, having)
        #expect(Self.renderings(template, having.foldedMergeFields(MergeFieldSelection(keys: keys)))[1].contains(">(some)<"))
    }

    /// The statement of `RegionMergeTests`: table regions, a column sum, `= SUM(ABOVE)`, nested regions, IF over a
    /// child row's field.
    @Test func statementWithChildTablesRendersTheSame() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("statement.docx")
        try RegionMergeTests.statement(to: URL(fileURLWithPath: path))
        let template = try Self.compile(
            path, children: ["Invoices": ["InvoiceNo", "Amount", "Due"], "Orders": ["OrderNo"], "OrderLines": ["Product", "Qty"]])
        #expect(template.recordKeys != nil)
        let invoices = ColumnIndex(folded: ["invoiceno", "amount", "due"])
        let lines = ColumnIndex(folded: ["product", "qty"])
        let orders = ColumnIndex(folded: ["orderno"])
        let children: [String: [MergeRecord]] = [
            "invoices": [
                MergeRecord(columns: invoices, row: ["I1", "150.25", "2026-12-01"], children: [:]),
                MergeRecord(columns: invoices, row: ["I2", "1,000.25", "2026-12-02"], children: [:]),
            ],
            "orders": [
                MergeRecord(
                    columns: orders, row: ["O1"],
                    children: ["orderlines": [MergeRecord(columns: lines, row: ["Widget", "2"], children: [:])]])
            ],
        ]
        Self.expectSameDocuments(template, Self.line(), children: children)
        Self.expectSameDocuments(template, Self.line())
    }

    @Test func sampleTemplatesRenderTheSame() throws {
        var compared = 0
        for path in Paths.sampleTemplates {
            guard let template = try? Self.compile(path) else { continue }
            Self.expectSameDocuments(template, Self.line())
            compared += 1
        }
        #expect(compared >= 8)
    }

    @Test(.needsWordCorpus) func wordCorpusTemplatesRenderTheSame() throws {
        var compared = 0
        for name in WordCorpus.docxNames() {
            guard let archive = try? DocxArchive(path: WordCorpus.path(name)), let template = try? CompiledTemplate.compile(archive) else { continue }
            // A line with every field the template names, so that a render gets past the first field.
            var line = Self.line()
            for field in template.fieldNames where line.foldedMergeFields[field.lowercased()] == nil { line.contact.extra[field] = "v-\(field)" }
            Self.expectSameDocuments(template, line)
            Self.expectSameDocuments(template, Self.line())
            compared += 1
        }
        #expect(compared >= 10)
    }

    /// A template whose reads are not vouched for (a field left as it is, a record field) gets the full record.
    @Test func templateWithoutKnownKeysUsesTheFullRecord() throws {
        let directory = try TemporaryDirectory()
        let line = Self.line()
        let bodies = [
            "database": Self.paragraph(Builder.field(#"DATABASE \d "C:\\data.mdb" \s "SELECT * FROM T""#, result: "old table") + Builder.mergeField("Surname")),
            "skipif": Self.paragraph(Builder.field(#"SKIPIF "a" = "b""#, result: "") + Builder.mergeField("Surname")),
        ]
        for (name, body) in bodies {
            let path = directory.path("\(name).docx")
            try Builder.write(to: URL(fileURLWithPath: path), body: body)
            let template = try Self.compile(path)
            #expect(template.recordKeys == nil, "\(name)")
            #expect(line.foldedMergeFields(template.recordKeys.map { MergeFieldSelection(keys: $0) }) == line.foldedMergeFields, "\(name)")
            Self.expectSameDocuments(template, line)
        }
    }
}
