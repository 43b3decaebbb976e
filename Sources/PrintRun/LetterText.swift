import CLibXML2
import DocxPackage
import WordXML

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
    /// A line per `w:p` of the body, in document order (where a paragraph starts); a paragraph nested in another (a
    /// text box) is a line of its own, and the text around it stays on its paragraph's line. The tree is walked once,
    /// names compared as libxml2 holds them (no string made per node), each line's text gathered as UTF-8 bytes.
    public static func plainText(ofMainPart bytes: [UInt8], file: String, part: String) throws(PrintRunError) -> String {
        let tree = try XMLPart.letterPart(bytes, file: file, part: part)
        guard let body = tree.root.firstWordChild("body") else { return "" }
        var lines: [[UInt8]] = []
        // Element children still to visit, with the line of their nearest enclosing paragraph (-1: none), last first.
        var stack: [(node: XMLNodePointer, line: Int)] = []
        pushChildren(of: body, line: -1, onto: &stack)
        while let (node, enclosing) = stack.popLast() {
            var line = enclosing
            if isWord(node, Name.p) {
                lines.append([])
                line = lines.count - 1
            } else if line >= 0, isWordNamespace(node), let name = node.pointee.name {
                if equal(name, Name.t) {
                    appendText(of: node, to: &lines[line])
                } else if equal(name, Name.tab) {
                    lines[line].append(0x09)
                } else if equal(name, Name.br) || equal(name, Name.cr) {
                    lines[line].append(0x0A)
                }
            }
            pushChildren(of: node, line: line, onto: &stack)
        }
        var text: [UInt8] = []
        text.reserveCapacity(lines.reduce(lines.count) { $0 + $1.count })
        for (position, line) in lines.enumerated() {
            if position > 0 { text.append(0x0A) }
            text += line
        }
        return String(decoding: text, as: UTF8.self)
    }

    /// The element names the walk looks for, NUL-terminated.
    private enum Name {
        static let p: [UInt8] = Array("p\0".utf8)
        static let t: [UInt8] = Array("t\0".utf8)
        static let tab: [UInt8] = Array("tab\0".utf8)
        static let br: [UInt8] = Array("br\0".utf8)
        static let cr: [UInt8] = Array("cr\0".utf8)
        static let namespace: [UInt8] = Array((WordNamespace.main + "\0").utf8)
    }

    /// Pushes `node`'s element children so that the first is popped first.
    private static func pushChildren(of node: XMLNodePointer, line: Int, onto stack: inout [(node: XMLNodePointer, line: Int)]) {
        guard let last = node.pointee.last else { return }
        var child: XMLNodePointer? = last
        while let current = child {
            if current.pointee.type == XML_ELEMENT_NODE { stack.append((current, line)) }
            child = current.pointee.prev
        }
    }

    /// Whether the NUL-terminated `name` is `expected` (NUL-terminated too).
    private static func equal(_ name: UnsafePointer<xmlChar>, _ expected: [UInt8]) -> Bool {
        expected.withUnsafeBufferPointer { expected in
            var index = 0
            while true {
                let byte = name[index]
                if byte != expected[index] { return false }
                if byte == 0 { return true }
                index += 1
            }
        }
    }

    private static func isWordNamespace(_ node: XMLNodePointer) -> Bool {
        guard let href = node.pointee.ns?.pointee.href else { return false }
        return equal(href, Name.namespace)
    }

    /// Whether `node` is the element `w:<name>`.
    private static func isWord(_ node: XMLNodePointer, _ name: [UInt8]) -> Bool {
        guard let local = node.pointee.name, equal(local, name) else { return false }
        return isWordNamespace(node)
    }

    /// Appends the text and CDATA children of `node` (its text content as `XMLNodePointer.textContent` reads it).
    private static func appendText(of node: XMLNodePointer, to line: inout [UInt8]) {
        var child = node.pointee.children
        while let current = child {
            if current.pointee.type == XML_TEXT_NODE || current.pointee.type == XML_CDATA_SECTION_NODE, let content = current.pointee.content {
                var length = 0
                while content[length] != 0 { length += 1 }
                line.append(contentsOf: UnsafeBufferPointer(start: content, count: length))
            }
            child = current.pointee.next
        }
    }
}
