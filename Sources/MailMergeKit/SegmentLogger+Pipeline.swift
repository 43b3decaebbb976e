import DocxPackage
import Foundation
import PrintRun
import Segments
import Synchronization

/// What `SegmentLogger` makes of a letter besides the letter, on the writer pool right after the letter is written,
/// from its bytes in memory (not read back, not in a serial phase after the letters): the `.eml` of an e-mail line
/// (its template's `emailFormat` docx or html) and the copy of a fax line for the fax gateway. Lines whose message
/// or fax needs the letter's PDF (`emailFormat: pdf`, `--pdf`) are left to `EmailOutbox` and `FaxGateway`, after
/// the PDFs are made.
final class LetterCopies: Sendable {
    /// Per pool template (`DocumentTask.template`), the name of its main document part (the e-mail's text).
    private let mainParts: [String?]
    private let sender: String
    private let withPDF: Bool
    /// Fax copies are written under a hidden temporary name in the fax folder and renamed when delivered
    /// (`deliverFaxes`), so the gateway sees none before the letters, print run and e-mails are all written.
    private let faxes: FaxStaging?
    /// The e-mails written on the pool, by line index.
    private let emails = Mutex<[Int: QueuedEmail]>([:])

    init(templates: [String], sender: String, withPDF: Bool, faxDirectory: String?) throws(MailMergeError) {
        mainParts = templates.map { path in (try? DocxArchive(path: path))?.mainDocumentIfAny }
        self.sender = sender
        self.withPDF = withPDF
        faxes = try faxDirectory.map { directory throws(MailMergeError) in try FaxStaging(directory: directory) }
    }

    /// What the pool does after writing line `index`'s letter (`DocumentTask.then`), if anything.
    func then(line: ResolvedLine, index: Int, template: Int) -> (@Sendable (WrittenDocument) throws(MailMergeError) -> Void)? {
        guard !withPDF else { return nil }
        switch line.correspondenceType {
        case .email:
            guard line.template.emailFormat != .pdf, let part = mainParts[template] else { return nil }
            let sender = sender
            return { [self] written throws(MailMergeError) in
                let text: String
                do throws(PrintRunError) {
                    if let main = written.parts[part] {
                        text = try LetterText.plainText(ofMainPart: main, file: written.path, part: part)
                    } else {
                        text = try LetterText.plainText(ofLetter: written.path)  // a main part without fields: as the template has it
                    }
                } catch {
                    throw .printRun(error)
                }
                let message = EmailOutbox.message(
                    for: line, letter: written.path, text: text, bytes: written.bytes, sender: sender)
                let path = (written.path as NSString).deletingPathExtension + ".eml"
                try EmailOutbox.save(message, to: path)
                let queued = QueuedEmail(messagePath: path, sender: sender, recipient: line.contact.email)
                self.emails.withLock { $0[index] = queued }
            }
        case .fax:
            guard let faxes else { return nil }
            return { written throws(MailMergeError) in try faxes.stage(written.bytes, index: index, letter: written.path) }
        default:
            return nil
        }
    }

    /// The e-mails written on the pool, by line index.
    var written: [Int: QueuedEmail] { emails.withLock { $0 } }

    /// Whether line `index`'s fax copy was staged on the pool.
    func faxStaged(_ index: Int) -> Bool { faxes?.has(index) ?? false }

    /// Removes what a run that failed made on the pool: the e-mails written and the fax copies not delivered (a failed
    /// run leaves no message beside its letters and nothing in the fax folder, as when they were made after the letters).
    func discard() {
        for (_, email) in emails.withLock({ $0 }) { unlink(email.messagePath) }
        faxes?.discard()
    }

    /// Puts the staged fax copies into the fax folder, in line order; returns them by line index.
    func deliverFaxes() throws(MailMergeError) -> [(Int, String)] { try faxes?.deliver() ?? [] }
}

/// Fax copies written into the fax folder under hidden temporary names (as `FaxGateway` writes one), renamed to
/// the letter's name by `deliver`; those not delivered are removed when the run ends (it failed).
final class FaxStaging: Sendable {
    private let directory: String
    private let token = UUID().uuidString
    /// Line index → (temporary, target).
    private let staged = Mutex<[Int: (temporary: String, target: String)]>([:])

    init(directory: String) throws(MailMergeError) {
        try OutputFolder.create(directory)
        self.directory = directory
    }

    deinit { discard() }

    /// Removes the copies not delivered.
    func discard() {
        for (_, file) in staged.withLock({ $0 }) { unlink(file.temporary) }
        staged.withLock { $0.removeAll() }
    }

    func has(_ index: Int) -> Bool { staged.withLock { $0[index] != nil } }

    /// Puts line `index`'s copy of `letter` (just written, holding `bytes`) under a temporary name: a hard link to the
    /// letter when the fax folder is on its file system (no second write of the bytes), else the bytes written. The
    /// copy is a file of its own name: removing the letter, or replacing it (every writer of letters writes a new
    /// file and renames it over the old one, `AtomicFile`), leaves the copy as it was.
    func stage(_ bytes: Data, index: Int, letter: String) throws(MailMergeError) {
        let name = (letter as NSString).lastPathComponent
        let target = directory + "/" + name
        let temporary = directory + "/." + name + "." + token + ".tmp"
        if link(letter, temporary) != 0 {
            // Another file system (EXDEV), one without hard links, or a stale temporary name: the bytes, as a new file.
            unlink(temporary)
            do throws(DocxError) { try AtomicFile.write(bytes, to: temporary) } catch {
                throw .io(path: target, message: "cannot write the fax document into the fax folder (\(error.message))")
            }
        }
        staged.withLock { $0[index] = (temporary, target) }
    }

    /// Renames every staged copy to its letter's name, in line order; returns the copies by line index.
    func deliver() throws(MailMergeError) -> [(Int, String)] {
        let files = staged.withLock { $0 }.sorted { $0.key < $1.key }
        var copies: [(Int, String)] = []
        copies.reserveCapacity(files.count)
        for (index, file) in files {
            guard rename(file.temporary, file.target) == 0 else {
                let problem = String(cString: strerror(errno))
                throw .io(path: file.target, message: "cannot move the fax document into place in the fax folder (\(problem))")
            }
            // A hard link onto its own letter (the fax folder is the letters' folder) is not moved by rename: its name goes.
            unlink(file.temporary)
            _ = staged.withLock { $0.removeValue(forKey: index) }
            copies.append((index, file.target))
        }
        return copies
    }
}

extension DocxArchive {
    /// The main document part's name, nil when the package names none.
    fileprivate var mainDocumentIfAny: String? { try? mainDocument() }
}

/// Batches made on the calling thread while the previous one is written on another: `make` builds batch `i + 1` (the
/// merge records, a serial step) while `write` runs batch `i` on the pool; `finish` takes each batch's output on the
/// calling thread, in order. Stops at the first error, never returning while a batch is still being written.
enum OverlappedBatches {
    static func run<Batch: Sendable, Output: Sendable>(
        count: Int, make: (Int) throws(MailMergeError) -> Batch, write: @escaping @Sendable (Batch) throws(MailMergeError) -> Output,
        finish: (Int, Output) throws(MailMergeError) -> Void
    ) throws(MailMergeError) {
        guard count > 0 else { return }
        var inFlight: InFlight<Output>?
        defer { inFlight?.waitIgnoringResult() }
        var next = try make(0)
        for batch in 0..<count {
            let previous = inFlight
            inFlight = nil
            let output = try previous?.wait()
            let tasks = next
            inFlight = InFlight { () throws(MailMergeError) in try write(tasks) }
            if let output { try finish(batch - 1, output) }
            if batch + 1 < count { next = try make(batch + 1) }
        }
        let last = inFlight
        inFlight = nil
        if let output = try last?.wait() { try finish(count - 1, output) }
    }

    /// One batch being written on a global queue's thread.
    private final class InFlight<Output: Sendable>: @unchecked Sendable {
        // @unchecked: `result` is written once by the worker before `done` is signalled, read after waiting for it.
        private let done = DispatchSemaphore(value: 0)
        private var result: Result<Output, MailMergeError>?
        private var waited = false

        init(_ work: @escaping @Sendable () throws(MailMergeError) -> Output) {
            DispatchQueue.global().async { [self] in
                do throws(MailMergeError) { result = .success(try work()) } catch { result = .failure(error) }
                done.signal()
            }
        }

        func wait() throws(MailMergeError) -> Output {
            waitIgnoringResult()
            switch result! {
            case .success(let output): return output
            case .failure(let error): throw error
            }
        }

        func waitIgnoringResult() {
            if !waited { done.wait() }
            waited = true
        }
    }
}
