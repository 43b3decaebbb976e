import Foundation
import Testing

@testable import MailMergeKit

/// `log-segment` makes an e-mail line's `.eml` and a fax line's copy on the writer pool, from the letter's bytes in
/// memory (`LetterCopies`): the message must be what reading the written letter back gives, the fax copy the
/// letter's bytes, and a run that fails leaves nothing in the fax folder.
@Suite struct LetterCopiesTests {
    /// One line of each kind: e-mail, fax, hard copy.
    static func segment(no: String) -> String {
        EmailAndDocumentlessTests.emailSegment.replacingOccurrences(of: "no: SM00050", with: "no: \(no)")
            .replacingOccurrences(of: "  correspondenceType: email\n", with: "")
            .replacingOccurrences(of: "contactNo: CT000002", with: "contactNo: CT000002\n    correspondenceType: email")
            .replacingOccurrences(of: "contactNo: CT000003", with: "contactNo: CT000003\n    correspondenceType: fax")
            .replacingOccurrences(of: "contactNo: CT000010", with: "contactNo: CT000010\n    correspondenceType: hard-copy")
    }

    @Test func theEmailIsWhatTheWrittenLetterGivesAndTheFaxIsItsBytes() throws {
        let workspace = try SampleWorkspace()
        defer { workspace.remove() }
        let segment = try workspace.writeSegment("SM00060.yaml", Self.segment(no: "SM00060"))
        let gateway = workspace.root.appendingPathComponent("fax-gateway")
        let (_, lines) = try Inputs.segment(at: segment.path, templatesDirectory: Paths.templates.path)
        let run = try workspace.logSegment(segment, ["--fax-out", gateway.path, "--email-from", "sales@example.com"])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.contains("faxes: 1"), "\(run.stdout)")

        let folder = workspace.letters.appendingPathComponent("SM00060")
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
        #expect(files.filter { $0.hasSuffix(".docx") }.count == 3, "\(files)")
        let emails = files.filter { $0.hasSuffix(".eml") }
        #expect(emails == ["0001-CT000002-Berg.eml"], "\(files)")

        // The message made on the pool against the one made from the letter on disk.
        let letter = folder.appendingPathComponent("0001-CT000002-Berg.docx")
        let readBack = try EmailOutbox.message(for: lines[0], letter: letter.path, pdf: nil, sender: "sales@example.com")
        let expected = workspace.root.appendingPathComponent("read-back.eml")
        try readBack.rendered().write(to: expected)
        let parsed = try ExternalCheck.parseEmails([folder.appendingPathComponent(emails[0]), expected])
        let (pool, reference) = (parsed[0], parsed[1])
        #expect(pool.to == ["pieter@vandenberg.example"] && pool.to == reference.to && pool.toName == reference.toName)
        #expect(pool.from == reference.from && pool.subject == reference.subject && pool.defects == 0)
        #expect(pool.body == reference.body && pool.body.contains("Berg"), "\(pool.body)")
        #expect(pool.attachments.count == 1)
        #expect(pool.attachments.first?.filename == "0001-CT000002-Berg.docx")
        #expect(pool.attachments.first?.size == (try Data(contentsOf: letter)).count)
        #expect(pool.attachments.first?.head == reference.attachments.first?.head)
        let logged = try workspace.logEntries()
        let emailEntry = try #require(logged.first { $0["contactNo"] as? String == "CT000002" })
        #expect(emailEntry["deliveryStatus"] as? String == "queued", "\(emailEntry)")

        // The fax copy holds the letter's bytes, and the gateway sees nothing else (no temporary file left).
        let faxLetter = try #require(files.first { $0.hasPrefix("0002-CT000003") && $0.hasSuffix(".docx") })
        #expect(try FileManager.default.contentsOfDirectory(atPath: gateway.path) == [faxLetter])
        #expect(try Data(contentsOf: gateway.appendingPathComponent(faxLetter)) == Data(contentsOf: folder.appendingPathComponent(faxLetter)))
    }

    @Test func aRunThatFailsWhileWritingLeavesNothingInTheFaxFolder() throws {
        let workspace = try SampleWorkspace()
        defer { workspace.remove() }
        // Every line a fax; the third letter cannot be written (a folder has its name), after the first two were.
        let text = Self.segment(no: "SM00061").replacingOccurrences(of: "correspondenceType: email", with: "correspondenceType: fax")
            .replacingOccurrences(of: "correspondenceType: hard-copy", with: "correspondenceType: fax")
        let segment = try workspace.writeSegment("SM00061.yaml", text)
        let gateway = workspace.root.appendingPathComponent("fax-gateway")
        let blocked = workspace.letters.appendingPathComponent("SM00061/0003-CT000010-O'Brien.docx")
        try FileManager.default.createDirectory(at: blocked, withIntermediateDirectories: true)
        try "keeps the folder from being replaced".write(to: blocked.appendingPathComponent("note.txt"), atomically: true, encoding: .utf8)

        let run = try workspace.logSegment(segment, ["--fax-out", gateway.path, "--jobs", "1"])
        #expect(run.status != 0 && run.stderr.contains("0003-CT000010"), "\(run.stdout) \(run.stderr)")
        let written = try FileManager.default.contentsOfDirectory(atPath: workspace.letters.appendingPathComponent("SM00061").path)
        #expect(written.contains { $0.hasPrefix("0002-") && $0.hasSuffix(".docx") }, "the first letters were written: \(written)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: gateway.path).isEmpty, "no fax copy, no temporary file")
        #expect(!FileManager.default.fileExists(atPath: workspace.database.path), "nothing logged")
    }

    @Test func base64LinesAreFoundationsForEveryLength() {
        var generator = SystemRandomNumberGenerator()
        for count in Array(0...300) + [4095, 4096, 4097, 57 * 100, 57 * 100 + 1, 100_003] {
            let bytes = (0..<count).map { _ in UInt8.random(in: 0...255, using: &generator) }
            var output = MessageBytes()
            output.base64Lines(bytes)
            let expected = Data(bytes).base64EncodedString(options: [.lineLength76Characters, .endLineWithCarriageReturn, .endLineWithLineFeed])
            #expect(String(decoding: output.bytes, as: UTF8.self) == (count == 0 ? "" : expected + "\r\n"), "\(count) bytes")
        }
    }

    @Test func textPartsEndTheirLinesWithCRLF() throws {
        let message = EmailMessage(
            from: EmailAddress(address: "a@example.com"), to: EmailAddress(address: "b@example.com"), subject: "s",
            body: "one\ntwo\r\nthree\rfour\r\r\n", attachment: nil)
        let text = String(decoding: message.rendered(), as: UTF8.self)
        let encoded = try #require(text.components(separatedBy: "\r\n\r\n").last?.replacingOccurrences(of: "\r\n", with: ""))
        let decoded = try #require(Data(base64Encoded: encoded))
        #expect(String(decoding: decoded, as: UTF8.self) == "one\r\ntwo\r\nthree\rfour\r\r\n")
        #expect(text.hasSuffix("\r\n") && !text.hasSuffix("\r\n\r\n"))
    }
}
