import DocxPackage
import Foundation
import InteractionLog
import PrintRun
import Segments

/// One e-mail interaction's message, written as an `.eml` and waiting to be sent.
struct QueuedEmail: Sendable {
    var messagePath: String
    /// The envelope sender and recipient.
    var sender: String
    var recipient: String
}

extension NewInteractionLogEntry {
    /// Makes this the entry of the queued e-mail: status queued (not counted as sent) until a
    /// server accepts the message (`EmailDelivery`); "attempt failed" once a server refused it.
    mutating func queue(_ email: QueuedEmail, absolutePaths: AbsolutePaths? = nil) {
        emailMessagePath = absolutePaths.map { $0(email.messagePath) } ?? absolute(email.messagePath)
        emailSender = email.sender
        emailRecipient = email.recipient
        deliveryStatus = .queued
        deliveryReply = "not sent yet; send it with `mailmerge log resend --smtp URL`"
    }
}

/// The messages of e-mail interactions: one `.eml` per e-mail line, as its template says
/// (`emailFormat`: the letter attached as .docx or PDF, or as the HTML body; `emailBody` for a
/// template without attachment). The file is what `EmailDelivery` sends, byte for byte, so a
/// message sent again keeps its Message-ID.
enum EmailOutbox {
    /// Writes the message of each e-mail line of `lines` and returns them by line index.
    ///
    /// - Parameters:
    ///   - emailLines: the indices of the e-mail lines, when the caller knows them without reading every line.
    ///   - letters: line index → its merged letter, for the lines that have one; the message goes beside it (`.eml`).
    ///   - pdfs: letter → its PDF, for letters converted already; the others a PDF template needs are converted here.
    ///   - stem: the file name (without extension) of the message of a line without a letter, in `directory`.
    static func write<Lines: RandomAccessCollection<ResolvedLine> & Sendable>(
        lines: Lines, emailLines: [Int]? = nil, letters: [Int: String], pdfs: [String: String], sender: String, in directory: String,
        stem: (Int) -> String, jobs: Int
    ) throws(MailMergeError) -> [Int: QueuedEmail] where Lines.Index == Int {
        let indices = emailLines ?? lines.indices.filter { lines[$0].correspondenceType == .email }
        var pdfs = pdfs
        let unconverted = indices.compactMap { index -> String? in
            guard lines[index].template.emailFormat == .pdf, let letter = letters[index], pdfs[letter] == nil else { return nil }
            return letter
        }
        if !unconverted.isEmpty {
            let converted = try PDFConverter.locate(concurrency: jobs).convert(unconverted, to: directory)
            for (letter, pdf) in zip(unconverted, converted) { pdfs[letter] = pdf }
        }
        let paths = indices.map { index in
            letters[index].map { ($0 as NSString).deletingPathExtension + ".eml" } ?? directory + "/" + SafeFileName.make(stem(index) + ".eml")
        }
        // Reading each letter's text and encoding the message is most of the work: in parallel, `jobs` at a time.
        let failures = FirstFailure()
        let pdfsFound = pdfs
        let batches = max(1, min(jobs, indices.count))
        DispatchQueue.concurrentPerform(iterations: batches) { batch in
            for position in stride(from: batch, to: indices.count, by: batches) where !failures.happened {
                let line = lines[indices[position]]
                let letter = letters[indices[position]]
                let path = paths[position]
                do throws(MailMergeError) {
                    try save(message(for: line, letter: letter, pdf: letter.flatMap { pdfsFound[$0] }, sender: sender), to: path)
                } catch {
                    failures.record(position, error)
                }
            }
        }
        if let failure = failures.first { throw failure }
        var queued: [Int: QueuedEmail] = [:]
        for (position, index) in indices.enumerated() {
            queued[index] = QueuedEmail(messagePath: paths[position], sender: sender, recipient: lines[index].contact.email)
        }
        return queued
    }

    /// Writes `message` to `path` atomically.
    static func save(_ message: EmailMessage, to path: String) throws(MailMergeError) {
        do throws(DocxError) { try AtomicFile.write(message.renderedBytes(), to: path) } catch {
            throw .io(path: path, message: "cannot write the e-mail (\(error.message))")
        }
    }

    /// The failure of the lowest position among parallel workers, so the error reported does not depend on timing.
    private final class FirstFailure: @unchecked Sendable {
        private let lock = NSLock()
        private var failure: (position: Int, error: MailMergeError)?
        var happened: Bool {
            lock.lock()
            defer { lock.unlock() }
            return failure != nil
        }
        var first: MailMergeError? {
            lock.lock()
            defer { lock.unlock() }
            return failure?.error
        }
        func record(_ position: Int, _ error: MailMergeError) {
            lock.lock()
            defer { lock.unlock() }
            if failure == nil || position < failure!.position { failure = (position, error) }
        }
    }

    /// The message of `line`: to its contact, from `sender` with the salesperson's name, the
    /// subject (else the description), and the letter as the template's `emailFormat` says.
    static func message(for line: ResolvedLine, letter: String?, pdf: String?, sender: String) throws(MailMergeError) -> EmailMessage {
        guard let letter else {
            let (from, to, subject) = envelope(of: line, sender: sender)
            return EmailMessage(from: from, to: to, subject: subject, body: line.template.emailBody ?? line.description, attachment: nil)
        }
        let text: String
        do { text = try LetterText.plainText(ofLetter: letter) } catch {
            throw .printRun(error)
        }
        if line.template.emailFormat == .html { return message(for: line, letter: letter, text: text, bytes: Data(), sender: sender) }
        let file = pdf ?? letter
        guard let bytes = FileManager.default.contents(atPath: file) else {
            throw .io(path: file, message: "cannot read the letter to attach it")
        }
        return message(for: line, letter: file, text: text, bytes: bytes, sender: sender)
    }

    /// The message of `line` whose letter (or its PDF) `file` holds `bytes` and reads `text`: a letter just written
    /// is neither read back nor parsed from its package (`bytes` is unused for `emailFormat` html).
    static func message(for line: ResolvedLine, letter file: String, text: String, bytes: Data, sender: String) -> EmailMessage {
        let (from, to, subject) = envelope(of: line, sender: sender)
        if line.template.emailFormat == .html {
            return EmailMessage(from: from, to: to, subject: subject, body: text, htmlBody: html(text), attachment: nil)
        }
        let fileName = (file as NSString).lastPathComponent
        let type = fileName.lowercased().hasSuffix(".pdf") ? "application/pdf" : PrintRunWriter.docxType
        return EmailMessage(
            from: from, to: to, subject: subject, body: text, attachment: .init(fileName: fileName, contentType: type, bytes: bytes))
    }

    /// Who `line`'s message is from (`sender`, with the salesperson's name), to (its contact) and its subject (else
    /// the description).
    private static func envelope(of line: ResolvedLine, sender: String) -> (from: EmailAddress, to: EmailAddress, subject: String) {
        let contact = line.contact
        let to = EmailAddress(name: contact.fullName.isEmpty ? contact.companyName : contact.fullName, address: contact.email)
        return (EmailAddress(name: line.salespersonName, address: sender), to, line.subject.isEmpty ? line.description : line.subject)
    }

    /// The letter's lines as an HTML document, a paragraph each (text escaped; tabs as spaces).
    static func html(_ text: String) -> String {
        let paragraphs = text.components(separatedBy: "\n").map { line -> String in
            let escaped = line.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
                .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\t", with: " ")
            return escaped.isEmpty ? "<p>&nbsp;</p>" : "<p>" + escaped + "</p>"
        }
        return "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"></head><body>\n" + paragraphs.joined(separator: "\n") + "\n</body></html>\n"
    }
}

/// Fax interactions: the letters go into the fax gateway's folder (`--fax-out`), not into the print run.
enum FaxGateway {
    /// Copies each letter (its PDF when one was made) into `directory`, atomically (a temporary
    /// name, then a rename, so the gateway never picks up half a file); returns the copies.
    static func deliver(_ letters: [String], pdfs: [String: String], to directory: String) throws(MailMergeError) -> [String] {
        try OutputFolder.create(directory)
        var copies: [String] = []
        for letter in letters {
            let file = pdfs[letter] ?? letter
            let target = directory + "/" + (file as NSString).lastPathComponent
            let temporary = directory + "/." + (file as NSString).lastPathComponent + "." + UUID().uuidString + ".tmp"
            do {
                try FileManager.default.copyItem(atPath: file, toPath: temporary)
                guard rename(temporary, target) == 0 else { throw CocoaError(.fileWriteUnknown) }
            } catch {
                try? FileManager.default.removeItem(atPath: temporary)
                throw .io(path: target, message: "cannot write the fax document into the fax folder (\(error.localizedDescription))")
            }
            copies.append(target)
        }
        return copies
    }
}
