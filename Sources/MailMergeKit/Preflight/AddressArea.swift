import CLibXML2
import DocxPackage
import Foundation
import MergeEngine
import WordXML

/// What `preflight` knows about a letter attachment's body: where its address block is, the
/// block compiled on its own (rendering a record gives exactly the lines the letter prints,
/// blank-line suppression and ADDRESSBLOCK layout included), and the merge fields its running
/// text prints as they are.
///
/// The address block is found in `word/document.xml`: the first run of consecutive paragraphs
/// each holding an ADDRESSBLOCK or a MERGEFIELD of an address field (`addressFieldNames`).
struct AddressArea: Sendable {
    /// The merge field names the address block's MERGEFIELDs read (as written), in order.
    let fieldNames: [String]
    /// Whether the block is (or has) an ADDRESSBLOCK field.
    let hasAddressBlockField: Bool
    /// The block alone: a copy of the attachment with every other body paragraph removed,
    /// compiled; nil when the body has no address block.
    let template: CompiledTemplate?
    /// MERGEFIELDs outside the address block, not inside another field (IF) and without `\b`/`\f`
    /// text: a letter prints their value as it is. With the text of their paragraph, for messages.
    let runningTextFields: [(name: String, paragraph: String)]
    /// The table cells holding a MERGEFIELD: their positions among the body's innermost cells
    /// (`innermostCells`), and how many such cells the body has (`check --pdf` compares a letter's
    /// cells with these by position, so a region that repeats rows is not compared).
    var fieldCells: [(position: Int, fields: [String])] = []
    var cellCount = 0

    /// Contact fields that make up an address (lowercased), and the correspondence address lines
    /// (`AddressLine1` … `AddressLine8`, laid out by countries.yaml).
    static let addressFieldNames = Set([
        "companyname", "fullname", "salutation", "firstname", "middlename", "surname", "jobtitle", "address", "address2",
        "postcode", "city", "county", "countryregioncode", "country",
    ]).union((1...8).map { "addressline\($0)" })

    /// `paragraph` shortened to about 60 characters around `«name»` (where Word templates show the field).
    static func excerpt(_ paragraph: String, around name: String) -> String {
        let characters = Array(paragraph)
        guard characters.count > 60 else { return paragraph }
        let mark = paragraph.range(of: "«\(name)»", options: .caseInsensitive).map { paragraph.distance(from: paragraph.startIndex, to: $0.lowerBound) } ?? 0
        let start = max(0, min(mark - 25, characters.count - 60))
        let end = min(characters.count, start + 60)
        return (start > 0 ? "…" : "") + String(characters[start..<end]) + (end < characters.count ? "…" : "")
    }

    /// The address area of the attachment at `path` (`template` nil when its body has no address
    /// block). `scratch` is a folder for the short-lived copy the block is compiled from.
    static func find(in path: String, scratch: String) throws(MailMergeError) -> AddressArea {
        let archive: DocxArchive
        let bytes: [UInt8]
        do {
            archive = try DocxArchive(path: path)
            bytes = try archive.read("word/document.xml")
        } catch {
            throw .package(error)
        }
        let part: XMLPart
        do { part = try XMLPart(bytes: bytes) } catch {
            throw .io(path: path, message: "word/document.xml: \(error.message)")
        }
        let paragraphs = innermostParagraphs(of: part.root)
        let scanned = paragraphs.map(ParagraphFields.init)
        let cells = innermostCells(of: part.root)
        var cellFields: [XMLNodePointer: [String]] = [:]
        for (index, paragraph) in paragraphs.enumerated() where !scanned[index].mergeFieldNames.isEmpty {
            if let cell = paragraph.wordAncestor("tc") { cellFields[cell, default: []] += scanned[index].mergeFieldNames }
        }
        let fieldCells = cells.indices.compactMap { position in cellFields[cells[position]].map { (position, $0) } }
        guard let first = scanned.firstIndex(where: \.isAddress) else {
            var area = AddressArea(
                fieldNames: [], hasAddressBlockField: false, template: nil,
                runningTextFields: scanned.flatMap { paragraph in paragraph.topLevelPlainFields.map { ($0, paragraph.text) } })
            area.fieldCells = fieldCells
            area.cellCount = cells.count
            return area
        }
        var last = first
        while last + 1 < scanned.count, scanned[last + 1].isAddress { last += 1 }
        let area = Set(paragraphs[first...last])

        var running: [(String, String)] = []
        for (index, paragraph) in scanned.enumerated() where !(first...last).contains(index) {
            running += paragraph.topLevelPlainFields.map { ($0, paragraph.text) }
        }
        let names = scanned[first...last].flatMap(\.mergeFieldNames)
        let hasAddressBlock = scanned[first...last].contains(where: \.hasAddressBlock)

        // Everything but the block's paragraphs (and what holds them) goes.
        var keep = Set<XMLNodePointer>()
        for paragraph in area {
            var node: XMLNodePointer? = paragraph
            while let current = node, current != part.root {
                keep.insert(current)
                node = current.pointee.parent
            }
        }
        prune(part.root, keeping: keep, area: area)

        let copy = scratch + "/address-\(UUID().uuidString).docx"
        defer { try? FileManager.default.removeItem(atPath: copy) }
        do {
            try DocxWriter.write(source: archive, replacing: ["word/document.xml": part.serialized()], to: copy, compressionLevel: 1)
        } catch {
            throw .package(error)
        }
        let template = try Templates.compile(at: copy)
        var found = AddressArea(fieldNames: names, hasAddressBlockField: hasAddressBlock, template: template, runningTextFields: running)
        found.fieldCells = fieldCells
        found.cellCount = cells.count
        return found
    }

    /// The body's table cells that hold no other cell, in document order.
    static func innermostCells(of root: XMLNodePointer) -> [XMLNodePointer] {
        guard let body = root.firstWordChild("body") else { return [] }
        let all = body.descendants.filter { $0.isWord("tc") }
        let hosts = Set(all.compactMap { $0.wordAncestor("tc") })
        return all.filter { !hosts.contains($0) }
    }

    /// A cell's printed lines: its paragraphs' text, split at line breaks; empty ones left out.
    static func cellLines(_ cell: XMLNodePointer) -> [String] {
        cell.descendants.filter { $0.isWord("p") }.flatMap { text(of: $0).split(separator: "\n").map(String.init) }
            .filter { !$0.trimmingCharacters(in: .whitespaces).isEmpty }
    }

    /// The address block's lines as `record`'s letter prints them (paragraphs, and line breaks
    /// within them), blank ones included.
    func lines(for record: MergeRecord) -> [String] {
        guard let template, let bytes = try? template.render(record, missing: .blank)["word/document.xml"], let part = try? XMLPart(bytes: bytes) else {
            return []
        }
        var lines = Self.innermostParagraphs(of: part.root).flatMap {
            Self.text(of: $0).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        }
        // The copy ends with the block, and a body's last paragraph is never suppressed; in the
        // letter more paragraphs follow, so an empty last line (e.g. «AddressLine8») is left out there.
        while lines.last == "" { lines.removeLast() }
        return lines
    }

    /// The body's paragraphs that hold no other paragraph (a text box's host paragraph is left
    /// out, its text box's paragraphs are in), in document order.
    static func innermostParagraphs(of root: XMLNodePointer) -> [XMLNodePointer] {
        guard let body = root.firstWordChild("body") else { return [] }
        let all = body.descendants.filter { $0.isWord("p") }
        let hosts = Set(all.compactMap { $0.wordAncestor("p") })
        return all.filter { !hosts.contains($0) }
    }

    /// A paragraph's text as printed: `w:t`, line breaks (`w:br`, `w:cr`) as `\n`, tabs as spaces.
    static func text(of paragraph: XMLNodePointer) -> String {
        var text = ""
        for node in paragraph.descendants where node.namespaceURI == WordNamespace.main {
            switch node.localName {
            case "t": text += node.textContent
            case "br" where node.wordAttribute("type") != "page", "cr": text += "\n"
            case "tab" where node.wordAncestor("pPr") == nil: text += " "
            default: break
            }
        }
        return text
    }

    /// Removes every element under `node` that neither is kept nor holds something kept, where
    /// it is content (a paragraph, table or structured block); properties and runs stay.
    private static func prune(_ node: XMLNodePointer, keeping keep: Set<XMLNodePointer>, area: Set<XMLNodePointer>) {
        for child in node.elementChildren {
            if area.contains(child) { continue }
            if keep.contains(child) {
                prune(child, keeping: keep, area: area)
            } else if child.isWord("p") || child.isWord("tbl") || child.isWord("sdt") {
                xmlUnlinkNode(child)
                xmlFreeNode(child)
            } else if child.isElement {
                prune(child, keeping: keep, area: area)
            }
        }
    }
}

/// The fields of one paragraph: complex fields (nested ones inside their parent) and simple fields.
private struct ParagraphFields {
    var mergeFieldNames: [String] = []
    var hasAddressBlock = false
    /// MERGEFIELDs not inside another field and without `\b`/`\f` text.
    var topLevelPlainFields: [String] = []
    /// The paragraph's text (Word templates show a field's result as `«Name»`).
    var text = ""

    var isAddress: Bool {
        hasAddressBlock || mergeFieldNames.contains { AddressArea.addressFieldNames.contains($0.lowercased()) }
    }

    init(_ paragraph: XMLNodePointer) {
        struct Open {
            var tokens: [InstructionToken] = []
            var nested = 0
            var inResult = false
        }
        var stack: [Open] = []
        func appendText(_ text: String) {
            guard !stack.isEmpty, !stack[stack.count - 1].inResult else { return }
            if case .text(let earlier)? = stack[stack.count - 1].tokens.last {
                stack[stack.count - 1].tokens[stack[stack.count - 1].tokens.count - 1] = .text(earlier + text)
            } else {
                stack[stack.count - 1].tokens.append(.text(text))
            }
        }
        for node in paragraph.descendants where node.namespaceURI == WordNamespace.main {
            switch node.localName {
            case "fldChar":
                switch node.wordAttribute("fldCharType") {
                case "begin": stack.append(Open())
                case "separate": if !stack.isEmpty { stack[stack.count - 1].inResult = true }
                case "end":
                    guard let field = stack.popLast() else { break }
                    record(field.tokens, depth: stack.count)
                    if !stack.isEmpty, !stack[stack.count - 1].inResult {
                        stack[stack.count - 1].tokens.append(.nested(stack[stack.count - 1].nested))
                        stack[stack.count - 1].nested += 1
                    }
                default: break
                }
            case "instrText": appendText(node.textContent)
            case "fldSimple": if let code = node.wordAttribute("instr") { record([.text(code)], depth: stack.count) }
            default: break
            }
        }
        text = AddressArea.text(of: paragraph).replacingOccurrences(of: "\n", with: " ")
    }

    private mutating func record(_ tokens: [InstructionToken], depth: Int) {
        guard let instruction = try? FieldInstruction.parse(tokens) else { return }
        switch instruction {
        case .mergeField(let field):
            mergeFieldNames.append(field.name)
            if depth == 0, field.textBefore == nil, field.textAfter == nil { topLevelPlainFields.append(field.name) }
        case .addressBlock: hasAddressBlock = true
        default: break
        }
    }
}
