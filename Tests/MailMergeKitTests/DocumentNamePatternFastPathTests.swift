import MailMergeKit
import Testing

/// The file-name fast paths (`SafeFileName.component` deciding on the bytes that nothing is replaced, the pattern's
/// columns folded once, `.docx` found on the bytes) give the names the scalar-by-scalar and lowercasing ways gave.
struct DocumentNamePatternFastPathTests {
    static let values = [
        "", "CT000123", "Ørsted", "Zoë Ærøskøbing-Ñúñez", "日本語", "😀👍🏽", "a/b", "back\\slash", "c:d", "star*", "what?", "\"quoted\"",
        "<tag>", "pipe|", "tab\there", "new\nline", "nul\u{0}byte", "del\u{7F}", "c1\u{85}control", "nbsp\u{A0}space", "\u{202E}rtl",
        "e\u{301}combining", "pre\u{600}", "İstanbul", "KELVIN\u{212A}", " lead", "trail ", ".dot", "dot.", "CON", "nul", "com1", "x.DOCX", "y.docx\u{301}",
    ]

    /// `SafeFileName.component` as it was: every scalar looked at, a new string made.
    static func referenceComponent(_ text: String) -> String {
        var out = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "/", "\\", ":", "*", "?", "\"", "<", ">", "|": out.unicodeScalars.append("_")
            case _ where scalar.value < 0x20 || scalar.value == 0x7F: out.unicodeScalars.append("_")
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    @Test(arguments: values)
    func componentAsBefore(_ value: String) {
        #expect(SafeFileName.component(value) == Self.referenceComponent(value), "\(value.debugDescription)")
    }

    @Test func everyByteAlone() {
        for value in (0..<0x80).map({ String(UnicodeScalar(UInt8($0))) }) + ["\u{80}", "\u{9F}", "\u{FFFD}"] {
            #expect(SafeFileName.component(value) == Self.referenceComponent(value), "\(value.debugDescription)")
        }
    }

    /// A pattern's names made by position (`valueAt`) and by name are the same, and end in `.docx` exactly when
    /// lowercasing the name and looking for the suffix said so.
    @Test(arguments: [
        "{ContactNo}-{SortName}.docx", "{SortName}.docx.docx", "{SortName}X.DOCX", "{ContactNo}{SortName}", "{#:06}-{ContactNo}", "{SortName}",
        "x{SortName}.DOCX", "{ContactNo}.Docx", "{SortName}.docx",
    ])
    func byPositionAsByName(_ text: String) throws {
        let pattern = try DocumentNamePattern(text)
        #expect(pattern.foldedColumns == pattern.columns.map { $0.lowercased() })
        for (number, value) in Self.values.enumerated() {
            let byName = pattern.fileName(number: number + 1) { column in column.lowercased() == "contactno" ? "C\(number)" : value }
            let byPosition = pattern.fileName(forNumber: number + 1) { position in
                pattern.foldedColumns[position] == "contactno" ? "C\(number)" : value
            }
            #expect(byName == byPosition)
            // Before: `.docx` added unless the name, lowercased, ended with it; then `SafeFileName.make`.
            var name = ""
            var rest = Substring(text)
            while let open = rest.firstIndex(of: "{"), let close = rest.firstIndex(of: "}") {
                name += rest[..<open]
                let column = rest[rest.index(after: open)..<close]
                if column.hasPrefix("#") {
                    let digits = String(number + 1)
                    name += String(repeating: "0", count: max(0, (Int(column.dropFirst(2)) ?? 0) - digits.count)) + digits
                } else {
                    name += Self.referenceComponent(column.lowercased() == "contactno" ? "C\(number)" : value)
                }
                rest = rest[rest.index(after: close)...]
            }
            name += rest
            if !name.lowercased().hasSuffix(".docx") { name += ".docx" }
            #expect(byPosition == SafeFileName.make(name), "\(text) with \(value.debugDescription)")
        }
    }

    @Test func repeatedColumnsListedInOrder() throws {
        let pattern = try DocumentNamePattern("{B}-{a}-{B}")
        #expect(pattern.columns == ["B", "a", "B"])
        #expect(pattern.fileName(number: 1) { $0 == "B" ? "1" : "2" } == "1-2-1.docx")
        #expect(pattern.fileName(forNumber: 1) { String($0) } == "0-1-2.docx")
    }
}

/// `SafeFileName.make` answers most names from their bytes (`isSafeAlready`), also names with letters beyond ASCII:
/// the same name as its character-wise way (`referenceMake`, as it was) for every name here.
struct SafeFileNameFastPathTests {
    static func referenceMake(_ name: String) -> String {
        let cleaned = DocumentNamePatternFastPathTests.referenceComponent(name)
        var stem = cleaned
        var ext = ""
        if let dot = cleaned.lastIndex(of: ".") {
            stem = String(cleaned[..<dot])
            ext = String(cleaned[dot...])
        }
        while stem.hasPrefix(".") || stem.hasPrefix(" ") { stem.removeFirst() }
        while stem.hasSuffix(".") || stem.hasSuffix(" ") { stem.removeLast() }
        if stem.isEmpty { stem = "_" }
        let device = stem.split(separator: ".", maxSplits: 1).first.map { $0.uppercased() } ?? ""
        let reserved: Set<String> = Set(["CON", "PRN", "AUX", "NUL"] + (1...9).flatMap { ["COM\($0)", "LPT\($0)"] })
        if reserved.contains(device) { stem = "_" + stem }
        while stem.utf8.count + ext.utf8.count > SafeFileName.maximumBytes { stem.removeLast() }
        return stem + ext
    }

    static let names: [String] = {
        var names = [
            "00001-CB0000001-Café Zürich AG.docx", "00002-CB0000002-Ørsted.docx", "0003-C3-日本語.docx", "0004-C4-😀.docx",
            "0005-C5-e\u{301}.docx", "0006-C6-x.\u{301}docx", "0007-C7-x\u{600}.docx", "0008-C8-ab .x.\u{301}y", "0009-C9-ab.\u{301}",
            "Ørsted.docx", "é.docx", "CON.docx", "con.txt.docx", "COM1.x", "ıon.docx", "ſtuff.docx", "AB.\u{301}cdé.docx", "ﬁle.docx",
            "name .docx", "name..docx", ".hidden.docx", " x", "x ", "x.", "é", "é ", "é.", "a\u{301}b.c\u{301}.docx", "a.é.docx", "a.b é.docx",
            "\u{600}.docx", "x\u{200D}.docx", "k\u{212A}.docx", "tab\there.docx", "nbsp\u{A0}.docx", "end\u{A0}", "dots...é.docx",
            "ﬃﬃﬃﬃ.docx", "ſſſſſſſſſ.docx", "ıııııııııı", "Ærøskøbing Café Zürich AG", "Ærøskøbing Café Zürich AG.", "Ærøskøbing Café Zürich AG ",
            "Ærøskøbing Café Zürich AG.docx\u{301}", "Ærøskøbing Café Zürich\u{600}.docx", "Ærøskøbing.Café Zürich AG.docx", "CON.Ærøskøbing Café.docx",
            String(repeating: "é", count: 130) + ".docx", String(repeating: "x", count: 251) + ".docx", String(repeating: "é", count: 126) + "x.docx",
        ]
        names += ["ab", "abc", "abcd", "abcde"].flatMap { ["\($0).é.docx", "\($0)é.docx", "\($0).docx", "\($0) é.docx"] }
        return names
    }()

    @Test(arguments: names)
    func asCharacterWise(_ name: String) {
        #expect(SafeFileName.make(name) == Self.referenceMake(name), "\(name.debugDescription)")
    }
}
