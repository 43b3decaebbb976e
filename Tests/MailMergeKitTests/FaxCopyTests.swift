import DocxPackage
import Foundation
import Testing

@testable import MailMergeKit

/// A fax line's copy is a hard link to its letter when the fax folder is on the letters' file system: it must still
/// be a file of its own for the gateway, whatever then happens to the letter, and leave nothing behind when the fax
/// folder is the letters' folder.
@Suite struct FaxCopyTests {
    @Test func theFaxCopyOutlivesItsLetterRemovedOrReplaced() throws {
        let workspace = try SampleWorkspace()
        defer { workspace.remove() }
        let text = LetterCopiesTests.segment(no: "SM00062").replacingOccurrences(of: "correspondenceType: email", with: "correspondenceType: fax")
        let segment = try workspace.writeSegment("SM00062.yaml", text)
        let gateway = workspace.root.appendingPathComponent("fax-gateway")
        let run = try workspace.logSegment(segment, ["--fax-out", gateway.path])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.contains("faxes: 2"), "\(run.stdout)")
        let folder = workspace.letters.appendingPathComponent("SM00062")
        let copies = try FileManager.default.contentsOfDirectory(atPath: gateway.path).sorted()
        #expect(copies.count == 2 && copies.allSatisfy { $0.hasSuffix(".docx") }, "no temporary file left: \(copies)")
        let first = try Data(contentsOf: folder.appendingPathComponent(copies[0]))
        let second = try Data(contentsOf: folder.appendingPathComponent(copies[1]))
        #expect(try Data(contentsOf: gateway.appendingPathComponent(copies[0])) == first)
        #expect(first.starts(with: [0x50, 0x4B, 0x03, 0x04]), "the copy is the letter")

        // The letter replaced as every writer of letters does (a new file renamed over it), the other one removed.
        try AtomicFile.write(Data("replaced".utf8), to: folder.appendingPathComponent(copies[0]).path)
        try FileManager.default.removeItem(at: folder.appendingPathComponent(copies[1]))
        #expect(try Data(contentsOf: gateway.appendingPathComponent(copies[0])) == first)
        #expect(try Data(contentsOf: gateway.appendingPathComponent(copies[1])) == second)
        // The gateway removing its copy leaves the letter.
        try FileManager.default.removeItem(at: gateway.appendingPathComponent(copies[0]))
        #expect(try Data(contentsOf: folder.appendingPathComponent(copies[0])) == Data("replaced".utf8))
    }

    @Test func aFaxFolderThatIsTheLettersFolderKeepsOnlyTheLetters() throws {
        let workspace = try SampleWorkspace()
        defer { workspace.remove() }
        let segment = try workspace.writeSegment("SM00063.yaml", LetterCopiesTests.segment(no: "SM00063"))
        let folder = workspace.letters.appendingPathComponent("SM00063")
        let run = try workspace.logSegment(segment, ["--fax-out", folder.path, "--email-from", "sales@example.com"])
        #expect(run.status == 0, "\(run.stderr)")
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path)
        #expect(!files.contains { $0.hasPrefix(".") }, "no temporary name left: \(files)")
        let fax = try #require(files.first { $0.hasPrefix("0002-CT000003") && $0.hasSuffix(".docx") })
        #expect(try Data(contentsOf: folder.appendingPathComponent(fax)).starts(with: [0x50, 0x4B, 0x03, 0x04]))
    }
}
