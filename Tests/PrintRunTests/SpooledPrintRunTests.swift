import DocxPackage
import Foundation
import PrintRun
import Testing

/// A print run's growing parts (main document, notes, per-letter headers and footers) go through scratch files
/// beside the output, not memory: the result is complete and the scratch files are gone, also after a failure.
@Suite struct SpooledPrintRunTests {
    @Test func manyLettersMakeOneCompleteDocumentAndLeaveNoScratchFiles() throws {
        let folder = try TestLetters.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let letterFolder = folder.appendingPathComponent("letters")
        try FileManager.default.createDirectory(at: letterFolder, withIntermediateDirectories: true)
        let contacts = (1...300).map { "CT-\($0)" }
        let letters = try contacts.map { try TestLetters.write(contact: $0, in: letterFolder) }
        let runFolder = folder.appendingPathComponent("run")
        try FileManager.default.createDirectory(at: runFolder, withIntermediateDirectories: true)
        let output = runFolder.appendingPathComponent("print-run.docx").path
        try PrintRunCombiner.combine(letters: letters, to: output)

        #expect(try FileManager.default.contentsOfDirectory(atPath: runFolder.path) == ["print-run.docx"])
        let package = try PackageXML(path: output)
        #expect(package.malformed.isEmpty, "\(package.malformed)")
        #expect(package.elements("w:sectPr", in: "word/document.xml").count == contacts.count)
        let texts = package.elements("w:p", in: "word/document.xml").map(\.text).filter { $0.hasPrefix("Letter for") }
        #expect(texts == contacts.map { "Letter for " + $0 })
        // Every letter's own header copy, spooled back to back, is a part of its own with its contact.
        let headers = package.parts.keys.filter { $0.hasPrefix("word/header") }
        #expect(headers.count >= contacts.count)
        #expect(package.text("word/footnotes.xml").contains("CT-300"))
    }

    @Test func aLetterThatCannotBeReadLeavesNeitherOutputNorScratchFiles() throws {
        let folder = try TestLetters.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let letters = try ["CT-1", "CT-2"].map { try TestLetters.write(contact: $0, in: folder) }
        let runFolder = folder.appendingPathComponent("run")
        try FileManager.default.createDirectory(at: runFolder, withIntermediateDirectories: true)
        let output = runFolder.appendingPathComponent("print-run.docx").path
        #expect(throws: PrintRunError.self) {
            try PrintRunCombiner.combine(letters: letters + [folder.appendingPathComponent("missing.docx").path], to: output)
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: runFolder.path).isEmpty)
    }
}
