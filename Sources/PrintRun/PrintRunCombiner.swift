import CLibXML2
import DocxPackage
import WordXML

/// Combines the letters merged from ONE attachment into one print-run document.
///
/// Every letter becomes its own section (next-page break, page numbers restarting at 1) with
/// its own copies of its header and footer parts, so fields in headers and footers show each
/// letter's contact; footnotes are numbered per letter and, in letters of one section,
/// `NUMPAGES` becomes `SECTIONPAGES` so "page X of Y" counts the letter's pages (see
/// `Reader` for LibreOffice). Ids that must be unique in a document (bookmarks and other
/// annotations, drawing `docPr` ids, comments, footnotes, endnotes) are renumbered; after the first letter,
/// bookmarks are renamed and the optional Word 2010 paragraph ids dropped. Styles, numbering,
/// settings and everything else come from the first letter: all letters of one attachment
/// share them. Each letter starts with a bookmark named `bookmarkName(forLetter:)`, which a
/// PDF export keeps as a named destination, so page ranges per letter can be read back.
public enum PrintRunCombiner {
    /// The bookmark at the start of letter `number` (1-based): `PrintRunLetter000001`.
    public static func bookmarkName(forLetter number: Int) -> String {
        let digits = String(number)
        return "PrintRunLetter" + String(repeating: "0", count: max(0, 6 - digits.count)) + digits
    }

    private static let headerType = "application/vnd.openxmlformats-officedocument.wordprocessingml.header+xml"
    private static let footerType = "application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml"
    private static let relationshipTypes = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
    private static let noteParts = ["footnotes", "endnotes", "comments"]

    /// Who will lay out the combined document.
    public enum Reader: Sendable, Equatable {
        /// Word (and the saved print-run document): footnotes restart in every letter's
        /// section, page totals are computed by `SECTIONPAGES`.
        case word
        /// LibreOffice, for the PDF: it ignores per-section footnote restarts and does not
        /// compute `SECTIONPAGES`, so footnotes restart on every page and each letter's page
        /// total (`pageCounts`, one per letter, from a first conversion) is written in.
        case libreOffice(pageCounts: [Int])
    }

    /// Writes the combination of `letters` (.docx files merged from the same attachment, in
    /// print order) to `path`, atomically, laid out for `reader`.
    /// - Throws: `PrintRunError` when there is no letter, a letter cannot be read or is not
    ///   made from the same attachment as the first, or the file cannot be written.
    public static func combine(
        letters: [String], to path: String, for reader: Reader = .word,
        compressionLevel: Int = 6
    ) throws(PrintRunError) {
        guard let firstPath = letters.first else { throw PrintRunError(file: path, message: "a print run needs at least one letter") }
        let first = try open(firstPath)
        var state = CombinedState(first: first, index: try PackageIndex(first), spool: try PartSpool(beside: path))
        var pageCounts: [Int] = []
        if case .libreOffice(let counts) = reader {
            pageCounts = counts
            state.footnoteRestart = "eachPage"
        }
        for (offset, letter) in letters.enumerated() {
            let archive = offset == 0 ? first : try open(letter)
            let pages = offset < pageCounts.count ? pageCounts[offset] : 1
            try state.add(archive, letterNumber: offset + 1, pages: pages, isLast: offset == letters.count - 1)
        }
        let parts = try state.parts()
        do { try DocxWriter.write(parts: parts, to: path, compressionLevel: compressionLevel) } catch {
            throw PrintRunError(error)
        }
    }

    private static func open(_ path: String) throws(PrintRunError) -> DocxArchive {
        do { return try DocxArchive(path: path) } catch { throw PrintRunError(error) }
    }

    static func read(_ archive: DocxArchive, _ part: String) throws(PrintRunError) -> [UInt8] {
        do { return try archive.read(part) } catch { throw PrintRunError(error) }
    }

    /// What is collected while the letters are added. What grows with the letters goes to `spool`: the main
    /// document (stream `body`), the notes (a stream per kind) and the parts added per letter (stream `added`).
    private struct CombinedState {
        let first: DocxArchive
        let index: PackageIndex
        let spool: PartSpool
        var counters = IdCounters()
        /// How footnote numbers restart: `eachSect` (each letter) or `eachPage`.
        var footnoteRestart = "eachSect"
        /// The first letter's main document around its body content (the head is in the spool already).
        var shell: (head: [UInt8], tail: [UInt8])?
        /// The first letter's root namespace declarations, which every letter must share.
        var namespaces: [String: String] = [:]
        /// The first letter's shells of its notes and comments (part kind → head and tail; the items are spooled).
        var noteShells: [String: (head: [UInt8], tail: [UInt8])] = [:]
        /// The first letter's parts rewritten in place.
        var replacements: [String: [UInt8]] = [:]
        /// Copies of later letters' header and footer parts (and their relationships), pictures: where they are spooled.
        var added: [(name: String, content: DocxWriter.Content)] = []
        /// The relationships and content-type overrides added for later letters' parts (four a letter for a letter
        /// with two headers and two footers) are spooled as XML elements (streams `rels` and `types`, after the head
        /// of the first letter's part; `shells`: the heads' tails, once begun), not held, and counted.
        var addedRelationships = 0
        var shells: [String: [UInt8]] = [:]
        /// The ids of the image relationships added.
        var imageRelationships = Set<String>()
        /// Pictures of later letters the first lacks (merged per record: `word/media/img-<digest>`), and
        /// the `Default` content types their extensions need.
        var addedMedia = Set<String>()
        var newDefaults: [(ext: String, type: String)] = []
        /// Relationship ids of the empty header and footer parts, by kind, once made.
        var emptyParts: [String: String] = [:]

        init(first: DocxArchive, index: PackageIndex, spool: PartSpool) {
            self.first = first
            self.index = index
            self.spool = spool
        }

        /// Spools part `name` of a later letter.
        private mutating func add(_ name: String, _ bytes: [UInt8]) throws(PrintRunError) {
            added.append((name, try spool.append(bytes, to: "added")))
        }

        mutating func add(_ archive: DocxArchive, letterNumber: Int, pages: Int, isLast: Bool) throws(PrintRunError) {
            let index = letterNumber == 1 ? self.index : try PackageIndex(archive)
            var renumbering = LetterRenumbering(letterNumber: letterNumber)
            let document = try XMLPart.letterPart(read(archive, index.mainPart), file: archive.path, part: index.mainPart)
            guard let bodyNode = document.root.firstWordChild("body") else {
                throw PrintRunError(file: archive.path, part: index.mainPart, message: "the document has no body")
            }
            try checkNamespaces(document.root, letterNumber: letterNumber, file: archive.path, part: index.mainPart)
            renumbering.renumber(bodyNode, counters: &counters)
            let sections = SectionBreaks.sections(of: bodyNode)
            let pageTotal: Int? = sections.count == 1 ? pages : nil
            if let pageTotal { PageFields.countSectionPages(in: bodyNode, pages: pageTotal) }
            let newIds = try addHeadersAndFooters(
                archive, index: index, letterNumber: letterNumber,
                pageTotal: pageTotal, renumbering: &renumbering)
            if letterNumber > 1, let first = sections.first {
                for missing in SectionBreaks.referencesMissingFromFirst(sections) {
                    SectionBreaks.addReference(missing.element, type: missing.type, id: try emptyPart(missing.element), to: first)
                }
            }
            for section in sections {
                SectionBreaks.retarget(section, newIds)
                SectionBreaks.restartFootnoteNumbering(section, footnoteRestart)
            }
            if let first = sections.first { SectionBreaks.startOnNewPage(first) }
            if !isLast { SectionBreaks.moveBodySectionIntoLastParagraph(bodyNode) }
            markStart(of: bodyNode, letterNumber: letterNumber)
            let children = bodyNode.elementChildren
            let body = XMLPart.serialize(children)
            if letterNumber == 1, let placeholder = bodyNode.newWordElement("placeholder") {
                for child in children {
                    xmlUnlinkNode(child)
                    xmlFreeNode(child)
                }
                xmlAddChild(bodyNode, placeholder)
                let split = document.split(at: placeholder)
                shell = split
                try spool.append(split.head, to: "body")
            }
            if shell != nil { try spool.append(body, to: "body") }
            try addNotes(archive, index: index, letterNumber: letterNumber, renumbering: &renumbering)
            if letterNumber > 1 { try addPictures(archive, index: index) }
        }

        /// A later letter's pictures that the first letter does not have (a picture per record): its
        /// media parts, and the main document's image relationships (the same id always names the same
        /// picture: mailmerge names both by the picture's digest). Header and footer copies bring their
        /// relationships parts along; their media parts are added here too.
        private mutating func addPictures(_ archive: DocxArchive, index: PackageIndex) throws(PrintRunError) {
            let firstTargets = Dictionary(self.index.relationships.map { ($0.id, $0.target) }, uniquingKeysWith: { known, _ in known })
            for relationship in index.relationships where relationship.kind == "image" {
                guard let part = relationship.target, archive.contains(part) else { continue }
                if let known = firstTargets[relationship.id] {
                    guard known == part else {
                        throw PrintRunError(
                            file: archive.path, part: index.mainPart,
                            message: "relationship \(relationship.id) names \(part) here but \(known ?? "an external target") in the first letter; "
                                + "letters of one print run must come from the same attachment")
                    }
                    continue
                }
                if imageRelationships.insert(relationship.id).inserted {
                    try addRelationship(id: relationship.id, kind: "image", target: target(of: part))
                }
            }
            let types = String(decoding: try read(first, PackagePaths.contentTypes), as: UTF8.self).lowercased()
            for name in archive.entryNames where name.hasPrefix("word/media/img-") && !first.contains(name) && addedMedia.insert(name).inserted {
                try add(name, try read(archive, name))
                let ext = String(name.split(separator: ".").last ?? "").lowercased()
                if !types.contains("extension=\"\(ext)\""), !newDefaults.contains(where: { $0.ext == ext }) {
                    newDefaults.append((ext, ext == "jpg" ? "image/jpeg" : "image/\(ext)"))
                }
            }
        }

        /// Renumbers the letter's headers and footers; keeps the first letter's under their
        /// names, copies later letters' under new names. Returns old → new relationship ids.
        private mutating func addHeadersAndFooters(
            _ archive: DocxArchive, index: PackageIndex, letterNumber: Int,
            pageTotal: Int?, renumbering: inout LetterRenumbering
        ) throws(PrintRunError) -> [String: String] {
            var newIds: [String: String] = [:]
            for relationship in index.relationships {
                guard let kind = relationship.kind, kind == "header" || kind == "footer" else { continue }
                guard let part = relationship.target, archive.contains(part) else { continue }
                let tree = try XMLPart.letterPart(read(archive, part), file: archive.path, part: part)
                renumbering.renumber(tree.root, counters: &counters)
                if let pageTotal { PageFields.countSectionPages(in: tree.root, pages: pageTotal) }
                guard letterNumber > 1 else {
                    replacements[part] = tree.serialized()
                    continue
                }
                let copy = copyName(of: part, letterNumber: letterNumber)
                let id = newRelationshipId()
                newIds[relationship.id] = id
                try add(copy, tree.serialized())
                let rels = PackagePaths.relationships(of: part)
                if archive.contains(rels) { try add(PackagePaths.relationships(of: copy), try read(archive, rels)) }
                try addRelationship(id: id, kind: kind, target: target(of: copy))
                try addOverride(part: PackagePaths.partName(copy), type: kind == "header" ? headerType : footerType)
            }
            return newIds
        }

        /// The relationship id of an empty header (`headerReference`) or footer part, added once.
        private mutating func emptyPart(_ reference: String) throws(PrintRunError) -> String {
            let kind = reference == "headerReference" ? "header" : "footer"
            if let known = emptyParts[kind] { return known }
            let folder = index.mainPart.split(separator: "/").dropLast().joined(separator: "/")
            var part = (folder.isEmpty ? "" : folder + "/") + "printrun-empty-\(kind).xml"
            while first.contains(part) { part = String(part.dropLast(4)) + "-1.xml" }
            let root = kind == "header" ? "hdr" : "ftr"
            let xml =
                #"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"# + "\r\n"
                + #"<w:\#(root) xmlns:w="\#(WordNamespace.main)"><w:p/></w:\#(root)>"#
            let id = newRelationshipId()
            try add(part, Array(xml.utf8))
            try addRelationship(id: id, kind: kind, target: target(of: part))
            try addOverride(part: PackagePaths.partName(part), type: kind == "header" ? headerType : footerType)
            emptyParts[kind] = id
            return id
        }

        /// A relationship id the first letter's main document does not use.
        private func newRelationshipId() -> String {
            let used = Set(index.relationships.map(\.id))
            var id = "rIdPrintRun\(addedRelationships + 1)"
            while used.contains(id) { id += "x" }
            return id
        }

        /// Adds a relationship to the main document's relationships part (spooled).
        private mutating func addRelationship(id: String, kind: String, target: String) throws(PrintRunError) {
            addedRelationships += 1
            try spoolElement(
                "Relationship", [("Id", id), ("Type", relationshipTypes + kind), ("Target", target)], into: "rels",
                of: PackagePaths.relationships(of: index.mainPart))
        }

        /// Adds a content-type override (spooled).
        private mutating func addOverride(part: String, type: String) throws(PrintRunError) {
            try spoolElement("Override", [("PartName", part), ("ContentType", type)], into: "types", of: PackagePaths.contentTypes)
        }

        /// Appends element `name` with `attributes` to stream `stream`, which holds the first letter's `part` up to the
        /// end of its root element's content (spooled when the first element comes; `shells[stream]` keeps the rest).
        private mutating func spoolElement(_ name: String, _ attributes: [(String, String)], into stream: String, of part: String) throws(PrintRunError) {
            if shells[stream] == nil {
                let tree = try XMLPart.letterPart(read(first, part), file: first.path, part: part)
                guard let placeholder = xmlNewDocNode(tree.document, tree.root.pointee.ns, "placeholder", nil) else {
                    throw PrintRunError(file: first.path, part: part, message: "cannot add to the part (out of memory)")
                }
                xmlAddChild(tree.root, placeholder)
                let split = tree.split(at: placeholder)
                try spool.append(split.head, to: stream)
                shells[stream] = split.tail
                prefixes[stream] = tree.root.pointee.ns?.pointee.prefix.map { String(cString: $0) + ":" } ?? ""
            }
            var text = "<" + (prefixes[stream] ?? "") + name
            for (attribute, value) in attributes { text += " " + attribute + "=\"" + Self.escaped(value) + "\"" }
            try spool.append(Array((text + "/>").utf8), to: stream)
        }

        /// The namespace prefix (with its colon) of the elements added to each spooled part.
        var prefixes: [String: String] = [:]

        /// `value` escaped for an attribute in double quotes.
        static func escaped(_ value: String) -> String {
            var result = ""
            for character in value.unicodeScalars {
                switch character {
                case "&": result += "&amp;"
                case "<": result += "&lt;"
                case ">": result += "&gt;"
                case "\"": result += "&quot;"
                case "\t": result += "&#9;"
                case "\n": result += "&#10;"
                case "\r": result += "&#13;"
                default: result.unicodeScalars.append(character)
                }
            }
            return result
        }

        /// Adds the letter's footnotes, endnotes and comments (separators once, from the first letter).
        private mutating func addNotes(
            _ archive: DocxArchive, index: PackageIndex, letterNumber: Int,
            renumbering: inout LetterRenumbering
        ) throws(PrintRunError) {
            for kind in noteParts {
                guard let part = index.part(kind, in: archive) else { continue }
                let tree = try XMLPart.letterPart(read(archive, part), file: archive.path, part: part)
                renumbering.renumber(tree.root, counters: &counters)
                let items = tree.root.elementChildren.filter { !LetterRenumbering.isSeparator($0) }
                let serialized = XMLPart.serialize(items)
                if letterNumber == 1, let placeholder = tree.root.newWordElement("placeholder") {
                    for item in items {
                        xmlUnlinkNode(item)
                        xmlFreeNode(item)
                    }
                    xmlAddChild(tree.root, placeholder)
                    let split = tree.split(at: placeholder)
                    noteShells[kind] = split
                    try spool.append(split.head, to: kind)
                }
                // Only the first letter's note parts are kept (with every letter's notes): without its shell they go.
                if noteShells[kind] != nil { try spool.append(serialized, to: kind) }
            }
        }

        /// Puts the letter's start bookmark at the beginning of its first paragraph.
        private mutating func markStart(of body: XMLNodePointer, letterNumber: Int) {
            guard let start = body.newWordElement("bookmarkStart"), let end = body.newWordElement("bookmarkEnd") else { return }
            let id = String(counters.annotation)
            counters.annotation += 1
            start.setAttribute("id", id)
            start.setAttribute("name", bookmarkName(forLetter: letterNumber))
            end.setAttribute("id", id)
            guard let first = body.elementChildren.first else {
                xmlAddChild(body, start)
                xmlAddChild(body, end)
                return
            }
            if first.isWord("p") {
                first.insertAtStart(start, afterProperties: "pPr")
            } else {
                xmlAddPrevSibling(first, start)
            }
            xmlAddNextSibling(start, end)
        }

        /// Refuses a letter whose root declares a prefix differently: it was made from another attachment.
        private mutating func checkNamespaces(_ root: XMLNodePointer, letterNumber: Int, file: String, part: String) throws(PrintRunError) {
            var declared: [String: String] = [:]
            var namespace = root.pointee.nsDef
            while let current = namespace {
                declared[current.pointee.prefix.map { String(cString: $0) } ?? ""] = current.pointee.href.map { String(cString: $0) } ?? ""
                namespace = current.pointee.next
            }
            if letterNumber == 1 {
                namespaces = declared
                return
            }
            for (prefix, href) in declared where namespaces[prefix] != href {
                throw PrintRunError(
                    file: file, part: part,
                    message: "declares the prefix \"\(prefix)\" differently from the first letter; only letters merged from the same attachment can be combined"
                )
            }
        }

        /// `word/header1.xml` → `word/header1-letter2.xml`, unused in the first letter.
        private func copyName(of part: String, letterNumber: Int) -> String {
            let stem = part.hasSuffix(".xml") ? String(part.dropLast(4)) : part
            var name = "\(stem)-letter\(letterNumber).xml"
            while first.contains(name) { name = "\(stem)-letter\(letterNumber)-copy.xml" }
            return name
        }

        /// The relationship target of `part` from the main document.
        private func target(of part: String) -> String { PackagePaths.target(of: part, from: index.mainPart) }

        /// Every entry of the combined package, in the first letter's order, then the copies.
        mutating func parts() throws(PrintRunError) -> [(name: String, content: DocxWriter.Content)] {
            var replaced = replacements.mapValues { DocxWriter.Content.bytes($0) }
            if let shell {
                try spool.append(shell.tail, to: "body")
                replaced[index.mainPart] = try spool.content(of: "body")
            }
            for kind in noteParts {
                if let part = index.part(kind, in: first), let shell = noteShells[kind] {
                    try spool.append(shell.tail, to: kind)
                    replaced[part] = try spool.content(of: kind)
                }
            }
            for item in newDefaults {
                try spoolElement("Default", [("Extension", item.ext), ("ContentType", item.type)], into: "types", of: PackagePaths.contentTypes)
            }
            for (stream, part) in [("rels", PackagePaths.relationships(of: index.mainPart)), ("types", PackagePaths.contentTypes)] {
                guard let tail = shells[stream] else { continue }
                try spool.append(tail, to: stream)
                replaced[part] = try spool.content(of: stream)
            }
            var result: [(name: String, content: DocxWriter.Content)] = []
            for name in first.entryNames {
                if let content = replaced[name] { result.append((name, content)) } else { result.append((name, .bytes(try read(first, name)))) }
            }
            return result + added
        }
    }
}
