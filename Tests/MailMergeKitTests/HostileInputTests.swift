import DocxPackage
import Foundation
import InteractionLog
import Testing

/// Broken and hostile input through the real CLI: one clear line, a non-zero exit, never a
/// signal, nothing half-written, nothing logged for a letter that was not written.
@Suite(.serialized)
struct HostileInputTests {
    /// A package whose main document is `documentXML` (otherwise a minimal valid .docx).
    static func package(documentXML: String, at url: URL) throws { try TestPackage.write(documentXML: documentXML, to: url) }

    static let w = TestPackage.w

    func expectOneLineRefusal(_ result: CLI.Result, mentioning words: [String], _ comment: Comment) {
        #expect(result.status == 1, comment)
        let lines = result.stderr.split(separator: "\n")
        #expect(lines.count == 1 && lines[0].hasPrefix("error: "), "\(comment): \(result.stderr)")
        for word in words { #expect(result.stderr.contains(word), "\(comment): \(result.stderr)") }
    }

    @Test func entityBombAndExternalEntitiesAreRefusedFast() throws {
        let dir = try Paths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let laughs = (1...9).map { "<!ENTITY lol\($0) \"" + String(repeating: "&lol\($0 - 1);", count: 10) + "\">" }.joined()
        let bomb =
            "<?xml version=\"1.0\"?><!DOCTYPE w:document [<!ENTITY lol0 \"lol\">\(laughs)]>"
            + "<w:document xmlns:w=\"\(Self.w)\"><w:body><w:p><w:r><w:t>&lol9;</w:t></w:r></w:p></w:body></w:document>"
        let external =
            "<?xml version=\"1.0\"?><!DOCTYPE w:document [<!ENTITY xxe SYSTEM \"file:///etc/passwd\">]>"
            + "<w:document xmlns:w=\"\(Self.w)\"><w:body><w:p><w:r><w:t>&xxe;</w:t></w:r></w:p></w:body></w:document>"
        for (name, xml) in [("bomb", bomb), ("xxe", external)] {
            let template = dir.appendingPathComponent("\(name).docx")
            try Self.package(documentXML: xml, at: template)
            let started = Date()
            let result = try CLI.run(["fields", template.path])
            #expect(Date().timeIntervalSince(started) < 5)
            expectOneLineRefusal(result, mentioning: ["word/document.xml"], "\(name)")
            #expect(!result.stdout.contains("root:"))
        }
    }

    @Test func aPartOverTheSizeLimitIsRefusedBeforeInflating() throws {
        let dir = try Paths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        // 3 MiB of XML that deflates to a few KB: a small zip bomb.
        let filler = String(repeating: "<w:p><w:r><w:t>aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa</w:t></w:r></w:p>", count: 50_000)
        let template = dir.appendingPathComponent("bomb.docx")
        try Self.package(documentXML: "<w:document xmlns:w=\"\(Self.w)\"><w:body>\(filler)</w:body></w:document>", at: template)
        #expect(try FileManager.default.attributesOfItem(atPath: template.path)[.size] as? Int ?? 0 < 200_000)
        let refused = try CLI.run(["fields", template.path], environment: ["MAILMERGE_MAX_PART_MB": "2"])
        expectOneLineRefusal(refused, mentioning: ["bomb.docx", "word/document.xml", "limit"], "limit 2 MiB")
        // The default limit (256 MiB) accepts it.
        #expect(try CLI.run(["fields", template.path]).status == 0)
    }

    @Test func brokenPackagesNameTheFileAndPart() throws {
        let dir = try Paths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let fixture = try Data(contentsOf: Paths.templates.appendingPathComponent("Event_NL.docx"))
        try fixture.prefix(fixture.count / 2).write(to: dir.appendingPathComponent("truncated.docx"))
        try Data("Dear customer".utf8).write(to: dir.appendingPathComponent("text.docx"))
        for (name, body) in [
            (
                "unbalanced.docx",
                "<w:p><w:r><w:fldChar w:fldCharType=\"begin\"/></w:r><w:r><w:instrText> MERGEFIELD Name </w:instrText></w:r></w:p>"
            ),
            ("badif.docx", "<w:p><w:fldSimple w:instr=\" IF = &quot;x&quot; \"><w:r><w:t>x</w:t></w:r></w:fldSimple></w:p>"),
        ] {
            try Self.package(
                documentXML: "<w:document xmlns:w=\"\(Self.w)\"><w:body>\(body)</w:body></w:document>", at: dir.appendingPathComponent(name))
        }
        for (name, words) in [
            ("truncated.docx", ["truncated.docx"]), ("text.docx", ["text.docx"]),
            ("unbalanced.docx", ["unbalanced.docx", "word/document.xml", "paragraph 1", "MERGEFIELD Name"]),
            ("badif.docx", ["badif.docx", "word/document.xml", "paragraph 1", "IF"]),
        ] {
            expectOneLineRefusal(try CLI.run(["fields", dir.appendingPathComponent(name).path]), mentioning: words, "\(name)")
        }
    }

    @Test func aCSVWithProblemsIsRefusedWithItsLine() throws {
        let dir = try Paths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let template = dir.appendingPathComponent("letter.docx").path
        try TestPackage.letter(fields: ["testfield"], to: URL(fileURLWithPath: template))
        let cases: [(String, Data, [String])] = [
            ("ragged.csv", Data("testfield,other\na,b\nc\n".utf8), [":3:"]),
            ("dupes.csv", Data("testfield,TestField\na,b\n".utf8), ["twice"]),
            ("empty.csv", Data(), ["empty"]),
            ("latin1.csv", Data([0x74, 0x65, 0x73, 0x74, 0x66, 0x69, 0x65, 0x6C, 0x64, 0x0A, 0x5A, 0x6F, 0xEB, 0x0A]), ["UTF-8"]),
        ]
        for (name, data, words) in cases {
            let csv = dir.appendingPathComponent(name)
            try data.write(to: csv)
            let out = dir.appendingPathComponent("out-\(name)")
            let result = try CLI.run(["merge", template, csv.path, "--out", out.path])
            expectOneLineRefusal(result, mentioning: [name] + words, "\(name)")
        }
        // A header only is no error: nothing to merge.
        let headerOnly = dir.appendingPathComponent("header.csv")
        try Data("testfield\n".utf8).write(to: headerOnly)
        let result = try CLI.run(["merge", template, headerOnly.path, "--out", dir.appendingPathComponent("h").path])
        #expect(result.status == 0 && result.stdout.contains("wrote 0 documents"), "\(result.stderr)")
        // A 1 MB cell merges.
        let big = dir.appendingPathComponent("big.csv")
        try Data(("testfield\n\"" + String(repeating: "x", count: 1 << 20) + "\"\n").utf8).write(to: big)
        let bigOut = dir.appendingPathComponent("big")
        #expect(try CLI.run(["merge", template, big.path, "--out", bigOut.path]).status == 0)
        #expect(try DocxInspector(path: bigOut.appendingPathComponent("letter_00001.docx").path).allText.count >= 1 << 20)
    }

    @Test func anUnwritableOutputFolderIsRefusedBeforeAnythingIsLogged() throws {
        let workspace = try SampleWorkspace()
        defer { workspace.remove() }
        let blocker = workspace.root.appendingPathComponent("not-a-folder")
        try Data("x".utf8).write(to: blocker)
        let result = try CLI.run([
            "log-segment", workspace.segment.path, "--templates", Paths.templates.path,
            "--out", blocker.appendingPathComponent("letters").path, "--db", workspace.database.path,
        ])
        #expect(result.status == 1)
        #expect(result.stderr.hasPrefix("error: ") && result.stderr.contains("not-a-folder"), "\(result.stderr)")
        let entries =
            FileManager.default.fileExists(atPath: workspace.database.path)
            ? try SQLiteInteractionLogStore(path: workspace.database.path).entries(LogFilter()) : []
        #expect(entries.isEmpty)
    }

    /// Mounting a small tmpfs needs root; CI and the developer machines run as root.
    static let canMount: Bool = getuid() == 0 && Program.find("mount") != nil

    @Test(.enabled(if: canMount, "needs root to mount a small tmpfs"))
    func diskFullInTheMiddleOfARunLogsNothingAndLeavesNoPartialLetter() throws {
        let workspace = try SampleWorkspace()
        defer { workspace.remove() }
        let small = workspace.root.appendingPathComponent("small")
        try FileManager.default.createDirectory(at: small, withIntermediateDirectories: true)
        let mount = try Program.run("mount", ["-t", "tmpfs", "-o", "size=160k", "tmpfs", small.path], timeout: 60)
        try #require(mount.status == 0, "mount failed: \(mount.stderr)")
        defer { _ = try? Program.run("umount", [small.path], timeout: 60) }

        let result = try CLI.run([
            "log-segment", workspace.segment.path, "--templates", Paths.templates.path,
            "--out", small.path, "--db", workspace.database.path, "--jobs", "1",
        ])
        #expect(result.status == 1)
        #expect(result.stderr.contains("disk full"), "\(result.stderr)")
        #expect(!result.stderr.contains("Fatal"))
        let letters = (FileManager.default.enumerator(atPath: small.path)?.allObjects as? [String]) ?? []
        #expect(letters.contains { $0.hasSuffix(".docx") }, "the disk filled in the middle of the run")
        for letter in letters where !letter.hasSuffix("/SM00001") && letter != "SM00001" {
            #expect(letter.hasSuffix(".docx"), "left behind: \(letter)")
            if letter.hasSuffix(".docx") {
                #expect(try DocxInspector(path: small.appendingPathComponent(letter).path).malformed.isEmpty)
            }
        }
        let entries =
            FileManager.default.fileExists(atPath: workspace.database.path)
            ? try SQLiteInteractionLogStore(path: workspace.database.path).entries(LogFilter()) : []
        #expect(entries.isEmpty, "no entry for letters that were not all written")
    }
}
