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
    public static func plainText(ofMainPart bytes: [UInt8], file: String, part: String) throws(PrintRunError) -> String {
        let tree = try XMLPart.letterPart(bytes, file: file, part: part)
        guard let body = tree.root.firstWordChild("body") else { return "" }
        var lines: [String] = []
        for paragraph in body.descendants where paragraph.isWord("p") {
            var line = ""
            for node in paragraph.descendants where node.namespaceURI == WordNamespace.main {
                // Nested paragraphs (text boxes) are lines of their own.
                guard nearestParagraph(of: node) == paragraph else { continue }
                switch node.localName {
                case "t": line += node.textContent
                case "tab": line += "\t"
                case "br", "cr": line += "\n"
                default: break
                }
            }
            lines.append(line)
        }
        return lines.joined(separator: "\n")
    }

    private static func nearestParagraph(of node: XMLNodePointer) -> XMLNodePointer? {
        var current = node.pointee.parent
        while let parent = current {
            if parent.isWord("p") { return parent }
            current = parent.pointee.parent
        }
        return nil
    }
}
