import CLibXML2
import DocxPackage
import WordXML

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The plain text of a letter's main document, for the body of an e-mail.
public enum LetterText {
    /// The body's paragraphs as lines (`w:tab` as a tab, `w:br` as a line break); field
    /// codes and deleted text are left out.
    /// - Throws: `PrintRunError` when the letter cannot be read.
    public static func plainText(ofLetter path: String) throws(PrintRunError) -> String {
        let archive: DocxArchive
        do { archive = try DocxArchive(path: path) } catch { throw PrintRunError(error) }
        let index = try PackageIndex(archive)
        return try plainText(ofMainPart: PrintRunCombiner.read(archive, index.mainPart), file: path, part: index.mainPart)
    }

    /// As `plainText(ofLetter:)`, from the letter's main document part (`part` of `file`) in memory: a letter just
    /// merged is not read back.
    ///
    /// A line per `w:p` of the body (the root's first `w:body` child), in document order (where a paragraph starts); a
    /// paragraph nested in another (a text box) is a line of its own, and the text around it stays on its paragraph's
    /// line. On a line: the text and CDATA directly in each `w:t`, a tab per `w:tab`, a line feed per `w:br` and `w:cr`,
    /// in document order, but that a `w:t`'s own text comes before what elements inside it add (Word writes none).
    /// The part is read as SAX events (`XMLEventReader`), no tree built, the text gathered as UTF-8 bytes.
    /// - Throws: `PrintRunError` for malformed XML or a DOCTYPE, as `XMLPart.letterPart` says it.
    public static func plainText(ofMainPart bytes: [UInt8], file: String, part: String) throws(PrintRunError) -> String {
        var walk = TextWalk(capacity: bytes.count / 4)
        let read = withUnsafeMutablePointer(to: &walk) { walk in
            Result { () throws(XMLPart.ParseFailure) in try XMLEventReader.read(bytes, events: TextWalk.events, reader: walk) }
        }
        do throws(XMLPart.ParseFailure) { try read.get() } catch { throw PrintRunError(error, file: file, part: part) }
        return walk.text()
    }
}

/// What `LetterText.plainText(ofMainPart:)` keeps while the part is read.
///
/// The lines are written one after the other into `output`, a line feed before each but the first. Text for a line
/// that is not the last one started (the rest of a paragraph after a paragraph nested in it) is kept aside in `late`,
/// and `text()` puts it at the end of its line.
private struct TextWalk {
    /// The depth of the element being read (the root: 1).
    private var depth = 0
    /// The depth of the body element while it is being read, else 0.
    private var body = 0
    private var bodySeen = false
    /// The paragraphs open, innermost last: their depth and line.
    private var paragraphs: [(depth: Int, line: Int)] = []
    /// The `w:t` elements open in a paragraph, innermost last.
    private var texts: [TextElement] = []
    private var output: [UInt8] = []
    /// Where each line starts in `output`.
    private var lineStarts: [Int] = []
    /// Text for lines before the last one started: its bytes, and per piece its line and range in `lateBytes`.
    private var lateBytes: [UInt8] = []
    private var late: [(line: Int, range: Range<Int>)] = []

    /// A `w:t` being read. One inside another on the same line (`level` 2 and up) keeps its text and what its elements
    /// add, for the enclosing `w:t` to add after its own text when it ends; at level 1 its own text goes straight to the
    /// line, what its elements add after it ends.
    private struct TextElement {
        var depth: Int
        var line: Int
        var level: Int
        var own: [UInt8] = []
        var inner: [UInt8] = []
    }

    init(capacity: Int) {
        output.reserveCapacity(capacity)
        paragraphs.reserveCapacity(8)
        texts.reserveCapacity(8)
        lineStarts.reserveCapacity(64)
    }

    static let events = XMLEventReader.Events(
        startElement: { context, name, _, namespace, _, _, _, _, _ in
            let walk = XMLEventReader.reader(context).assumingMemoryBound(to: TextWalk.self)
            walk.pointee.start(name, namespace)
        },
        endElement: { context, _, _, _ in
            let walk = XMLEventReader.reader(context).assumingMemoryBound(to: TextWalk.self)
            walk.pointee.end()
        },
        text: { context, bytes, count in
            let walk = XMLEventReader.reader(context).assumingMemoryBound(to: TextWalk.self)
            walk.pointee.characters(bytes, Int(count))
        })

    /// The line of the innermost open paragraph, -1 outside paragraphs.
    private var line: Int { paragraphs.last?.line ?? -1 }

    private mutating func start(_ name: UnsafePointer<xmlChar>?, _ namespace: UnsafePointer<xmlChar>?) {
        depth += 1
        guard let name, let kind = Kind(name), Name.isWord(namespace) else { return }
        guard body > 0 else {
            if kind == .body && depth == 2 && !bodySeen {
                body = depth
                bodySeen = true
            }
            return
        }
        if kind == .paragraph {
            if !lineStarts.isEmpty { output.append(0x0A) }
            lineStarts.append(output.count)
            paragraphs.append((depth, lineStarts.count - 1))
            return
        }
        let line = line
        guard line >= 0 else { return }
        switch kind {
        case .text:
            let level = texts.last.map { $0.line == line ? $0.level + 1 : 1 } ?? 1
            texts.append(TextElement(depth: depth, line: line, level: level))
        case .tab: add(0x09, line: line)
        case .lineBreak: add(0x0A, line: line)
        case .body, .paragraph: break
        }
    }

    private mutating func end() {
        if let text = texts.last, text.depth == depth {
            texts.removeLast()
            if text.level == 1 {
                append(text.inner, line: text.line)
            } else {
                texts[texts.count - 1].inner += text.own
                texts[texts.count - 1].inner += text.inner
            }
        }
        if let paragraph = paragraphs.last, paragraph.depth == depth { paragraphs.removeLast() }
        if depth == body { body = 0 }
        depth -= 1
    }

    /// Character data: kept when it is directly in a `w:t` of a paragraph.
    private mutating func characters(_ bytes: UnsafePointer<xmlChar>?, _ count: Int) {
        guard let text = texts.last, text.depth == depth, let bytes else { return }
        let chunk = UnsafeBufferPointer(start: bytes, count: count)
        if text.level == 1 {
            append(chunk, line: text.line)
        } else {
            texts[texts.count - 1].own.append(contentsOf: chunk)
        }
    }

    /// What an element adds to `line` (a tab, a line feed): after the text of a `w:t` it is in.
    private mutating func add(_ byte: UInt8, line: Int) {
        if let text = texts.last, text.line == line {
            texts[texts.count - 1].inner.append(byte)
        } else {
            append(CollectionOfOne(byte), line: line)
        }
    }

    private mutating func append(_ bytes: some Collection<UInt8>, line: Int) {
        guard !bytes.isEmpty else { return }
        if line == lineStarts.count - 1 {
            output.append(contentsOf: bytes)
            return
        }
        let start = lateBytes.count
        lateBytes.append(contentsOf: bytes)
        if let last = late.last, last.line == line, last.range.upperBound == start {
            late[late.count - 1].range = last.range.lowerBound..<lateBytes.count
        } else {
            late.append((line, start..<lateBytes.count))
        }
    }

    /// The lines, a line feed between two.
    func text() -> String {
        guard !late.isEmpty else { return String(decoding: output, as: UTF8.self) }
        var pieces = Array(repeating: [Range<Int>](), count: lineStarts.count)
        for piece in late { pieces[piece.line].append(piece.range) }
        var text: [UInt8] = []
        text.reserveCapacity(output.count + lateBytes.count)
        for (line, start) in lineStarts.enumerated() {
            if line > 0 { text.append(0x0A) }
            text += output[start..<(line + 1 < lineStarts.count ? lineStarts[line + 1] - 1 : output.count)]
            for range in pieces[line] { text += lateBytes[range] }
        }
        return String(decoding: text, as: UTF8.self)
    }

    /// The elements the walk looks for, by local name: `body`, `p`, `t`, `tab`, `br` and `cr`; nil for another name.
    /// Decided on the bytes libxml2 passes, no string made per element.
    private enum Kind {
        case body, paragraph, text, tab, lineBreak

        init?(_ name: UnsafePointer<xmlChar>) {
            switch (name[0], name[1]) {
            case (UInt8(ascii: "p"), 0): self = .paragraph
            case (UInt8(ascii: "t"), 0): self = .text
            case (UInt8(ascii: "t"), UInt8(ascii: "a")) where name[2] == UInt8(ascii: "b") && name[3] == 0: self = .tab
            case (UInt8(ascii: "b"), UInt8(ascii: "r")) where name[2] == 0: self = .lineBreak
            case (UInt8(ascii: "c"), UInt8(ascii: "r")) where name[2] == 0: self = .lineBreak
            case (UInt8(ascii: "b"), UInt8(ascii: "o")) where name[2] == UInt8(ascii: "d") && name[3] == UInt8(ascii: "y") && name[4] == 0:
                self = .body
            default: return nil
            }
        }
    }

    /// WordprocessingML's namespace URI, NUL-terminated.
    private enum Name {
        static let namespace = WordNamespace.main.utf8CString

        /// Whether the NUL-terminated `namespace` is WordprocessingML's.
        static func isWord(_ namespace: UnsafePointer<xmlChar>?) -> Bool {
            guard let namespace else { return false }
            return namespace.withMemoryRebound(to: CChar.self, capacity: 1) { uri in
                Name.namespace.withUnsafeBufferPointer { strcmp(uri, $0.baseAddress!) == 0 }
            }
        }
    }
}
