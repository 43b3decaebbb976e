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

    /// The staged copies are moved into the fax folder in line order, each under its letter's name made again from its
    /// line (the staging folder is not listed), a label sheet's copy under the sheet's name, once for the lines
    /// sharing it; nothing is left staged.
    @Test func stagedCopiesAreDeliveredInLineOrderByTheirLettersNames() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("fax-order-" + UUID().uuidString)
        defer { try? FileManager.default.removeItem(at: directory) }
        let letters = directory.appendingPathComponent("letters")
        let gateway = directory.appendingPathComponent("gateway")
        try FileManager.default.createDirectory(at: letters, withIntermediateDirectories: true)
        func name(_ index: Int) -> String { String(format: "%04d-C%03d.docx", index + 1, index * 7) }
        let staging = try FaxStaging(directory: gateway.path)
        // Staged out of order (the pool's threads finish in any order), past a 64-line word of the bit set.
        let letterLines = [130, 3, 64, 0, 63, 7, 65]
        for index in letterLines {
            let path = letters.appendingPathComponent(name(index)).path
            let bytes = Data("letter \(index)".utf8)
            try bytes.write(to: URL(fileURLWithPath: path))
            try staging.stage(bytes, index: index, letter: path)
        }
        let sheet = letters.appendingPathComponent("labels-Sheet.docx").path
        try Data("sheet".utf8).write(to: URL(fileURLWithPath: sheet))
        for index in [5, 9] { try staging.stage(Data("sheet".utf8), index: index, letter: sheet, named: true) }
        #expect(try FileManager.default.contentsOfDirectory(atPath: gateway.path).filter { !$0.hasPrefix(".") }.isEmpty)

        var asked: [Int] = []
        let moved = try staging.deliver(logged: true) { index in
            asked.append(index)
            return name(index)
        }
        #expect(asked == letterLines.sorted())
        #expect(moved == letterLines.count + 1)
        let delivered = try FileManager.default.contentsOfDirectory(atPath: gateway.path).sorted()
        #expect(delivered == (letterLines.map(name) + ["labels-Sheet.docx"]).sorted())
        for index in letterLines {
            #expect(try String(contentsOfFile: gateway.appendingPathComponent(name(index)).path, encoding: .utf8) == "letter \(index)")
        }
        #expect(try String(contentsOfFile: gateway.appendingPathComponent("labels-Sheet.docx").path, encoding: .utf8) == "sheet")
    }

    /// The names noted as the lines are logged name the delivered copies (read back from the staging folder's list in
    /// line order); only a copy whose name was not noted is named by `letterName`.
    @Test func notedNamesNameTheDeliveredCopies() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("fax-noted-" + UUID().uuidString)
        defer { try? FileManager.default.removeItem(at: directory) }
        let letters = directory.appendingPathComponent("letters")
        let gateway = directory.appendingPathComponent("gateway")
        try FileManager.default.createDirectory(at: letters, withIntermediateDirectories: true)
        let noted = [2: "0003-C2-Zoë Müller.docx", 5: "0006-C5-A.docx", 130: "0131-C130-\(String(repeating: "b", count: 200)).docx"]
        func name(_ index: Int) -> String { noted[index] ?? "made-\(index).docx" }
        let staging = try FaxStaging(directory: gateway.path)
        for index in [130, 70, 2, 5] {
            let path = letters.appendingPathComponent(name(index)).path
            try Data("letter \(index)".utf8).write(to: URL(fileURLWithPath: path))
            try staging.stage(Data("letter \(index)".utf8), index: index, letter: path)
        }
        for index in noted.keys.sorted() { try staging.note(index, name: name(index)) }
        var asked: [Int] = []
        let moved = try staging.deliver(logged: true) { index in
            asked.append(index)
            return name(index)
        }
        #expect(asked == [70])
        #expect(moved == 4)
        let delivered = try FileManager.default.contentsOfDirectory(atPath: gateway.path).sorted()
        #expect(delivered == [2, 5, 70, 130].map(name).sorted())
        for index in [2, 5, 70, 130] {
            #expect(try String(contentsOfFile: gateway.appendingPathComponent(name(index)).path, encoding: .utf8) == "letter \(index)")
        }
    }

    /// `FaxNames` gives back each name noted, empty and non-ASCII ones too, for lines asked in order, nil for lines
    /// without one (passed over, also past the last).
    @Test func faxNamesAreReadBackInLineOrder() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("fax-names-" + UUID().uuidString).path
        defer { unlink(path) }
        let names = try FaxNames(path: path)
        let notes = [(0, "a.docx"), (3, ""), (200, "0201-Zoë Ünal.docx"), (100_000, String(repeating: "x", count: 300))]
        for (index, name) in notes { try names.append(index, name: name) }
        #expect(try names.name(of: 0) == "a.docx")
        #expect(try names.name(of: 1) == nil)
        #expect(try names.name(of: 3) == "")
        #expect(try names.name(of: 150) == nil)
        #expect(try names.name(of: 200) == "0201-Zoë Ünal.docx")
        #expect(try names.name(of: 100_000) == String(repeating: "x", count: 300))
        #expect(try names.name(of: 100_001) == nil)
        // Asking past a line passes its name: lines asked later than their turn have none.
        let skipping = try FaxNames(path: path)
        for (index, name) in notes { try skipping.append(index, name: name) }
        #expect(try skipping.name(of: 200) == "0201-Zoë Ünal.docx")
        #expect(try skipping.name(of: 100_000) == String(repeating: "x", count: 300))
    }
}
