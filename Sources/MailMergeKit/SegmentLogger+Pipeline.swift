import DocxPackage
import Foundation
import InteractionLog
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
    private let mainParts: Mutex<[String?]>
    private let sender: String
    private let withPDF: Bool
    /// Fax copies are written under a hidden temporary name in the fax folder and renamed when delivered
    /// (`deliverFaxes`, once their lines are logged), so the gateway sees none of a run that logs nothing.
    private let faxes: FaxStaging?
    /// The e-mails written on the pool, by line index.
    private let emails = Mutex<[Int: QueuedEmail]>([:])

    init(templates: [String], sender: String, withPDF: Bool, faxDirectory: String?) throws(MailMergeError) {
        mainParts = Mutex(templates.map { path in (try? DocxArchive(path: path))?.mainDocumentIfAny })
        self.sender = sender
        self.withPDF = withPDF
        faxes = try faxDirectory.map { directory throws(MailMergeError) in try FaxStaging(directory: directory) }
    }

    /// Adds the next pool template (a run that compiles each attachment before its first letter).
    func add(template path: String) {
        let part = (try? DocxArchive(path: path))?.mainDocumentIfAny
        mainParts.withLock { $0.append(part) }
    }

    /// What the pool does after writing line `index`'s letter (`DocumentTask.then`), if anything.
    func then(line: ResolvedLine, index: Int, template: Int) -> (@Sendable (WrittenDocument) throws(MailMergeError) -> Void)? {
        guard !withPDF else { return nil }
        switch line.correspondenceType {
        case .email:
            guard line.template.emailFormat != .pdf, let part = mainParts.withLock({ template < $0.count ? $0[template] : nil }) else { return nil }
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

    /// Takes the e-mails written on the pool for the lines before `end`, by line index: from now on the caller logs
    /// them (and removes them when the run fails; `discard` no longer does).
    func take(before end: Int) -> [Int: QueuedEmail] {
        emails.withLock { emails in
            let taken = emails.filter { $0.key < end }
            for index in taken.keys { emails.removeValue(forKey: index) }
            return taken
        }
    }

    /// Whether line `index`'s fax copy was staged on the pool.
    func faxStaged(_ index: Int) -> Bool { faxes?.has(index) ?? false }

    /// Removes what a run that failed made on the pool: the e-mails written and the fax copies not delivered (a failed
    /// run leaves no message beside its letters and nothing in the fax folder, as when they were made after the letters).
    func discard() {
        for (_, email) in emails.withLock({ $0 }) { unlink(email.messagePath) }
        faxes?.discard()
    }

    /// Puts the staged fax copies into the fax folder, in line order; returns how many. `letterName`: the file name
    /// of line `index`'s letter (`SegmentLogger.letterName`), which its copy has, for a copy whose name was not noted.
    /// `logged`: the lines are logged already (log-segment): the copies not delivered (a move failed, the process was
    /// killed) are kept in the staging folder, which the error names, never sent twice by a rerun. Otherwise (a
    /// distributed worker, before its chunk's transaction) a failure removes them with the staging folder.
    func deliverFaxes(logged: Bool, letterName: (Int) -> String) throws(MailMergeError) -> Int {
        try faxes?.deliver(logged: logged, letterName: letterName) ?? 0
    }

    /// Notes the name of line `index`'s staged fax copy for its delivery (`FaxNames`); lines come in order.
    func noteFax(_ index: Int, name: String) throws(MailMergeError) { try faxes?.note(index, name: name) }

    /// Stages a copy of line `index`'s document made elsewhere (a label sheet, a print run's PDF), as the pool stages a letter's.
    func stageFax(of document: String, index: Int) throws(MailMergeError) {
        guard let faxes else { return }
        let bytes: Data
        do { bytes = try Data(contentsOf: URL(fileURLWithPath: document)) } catch {
            throw .io(path: document, message: "cannot read the document to fax (\(error.localizedDescription))")
        }
        try faxes.stage(bytes, index: index, letter: document, named: true)
    }
}

/// Fax copies written into a hidden folder inside the fax folder (`.mailmerge-<token>.staging`: the gateway picks up
/// no file from it), moved into the fax folder by `deliver` once the run's lines are logged; the folder and its copies
/// are removed when the run fails before (`discard`), kept when a copy could not be moved after (its lines are logged:
/// a rerun must not send them again; the error names the folder). Kept per copy: a bit per line, and the name noted
/// when its line is logged (`FaxNames`, in a file in the staging folder).
final class FaxStaging: Sendable {
    private let directory: String
    private let staging: String
    /// Bit `i` set: line `i`'s copy was staged.
    private let staged = Mutex<[UInt64]>([])
    /// The copies' names noted in line order (`note`), for `deliver`.
    private let names: Mutex<FaxNames>
    /// The copies' names that are not their line's letter name (label sheets, a print run's PDFs), by line.
    private let otherNames = Mutex<[Int: String]>([:])
    /// Set once delivering copies of logged lines started: those not moved stay (`discard` leaves them).
    private let delivering = Atomic<Bool>(false)

    init(directory: String) throws(MailMergeError) {
        try OutputFolder.create(directory)
        self.directory = directory
        staging = directory + "/.mailmerge-" + UUID().uuidString + ".staging"
        try OutputFolder.create(staging)
        // No copy has this name: a document's name has no leading dot (`SafeFileName`).
        names = Mutex(try FaxNames(path: staging + "/.names"))
    }

    deinit { discard() }

    /// Removes the staging folder with its copies, unless delivering them after their lines were logged started.
    func discard() {
        if !delivering.load(ordering: .acquiring) { try? FileManager.default.removeItem(atPath: staging) }
    }

    func has(_ index: Int) -> Bool {
        staged.withLock { index / 64 < $0.count && $0[index / 64] & (1 << UInt64(index % 64)) != 0 }
    }

    /// Puts line `index`'s copy of `letter` (just written, holding `bytes`) into the staging folder: a hard link to the
    /// letter when the fax folder is on its file system (no second write of the bytes), else the bytes written. The
    /// copy is a file of its own name: removing the letter, or replacing it (every writer of letters writes a new
    /// file and renames it over the old one, `AtomicFile`), leaves the copy as it was.
    /// `named`: `letter` is not the line's letter (`deliver`'s `letterName`) but another document (a label sheet),
    /// whose name is kept for `deliver`.
    func stage(_ bytes: Data, index: Int, letter: String, named: Bool = false) throws(MailMergeError) {
        let name = (letter as NSString).lastPathComponent
        let staged = staging + "/" + name
        if link(letter, staged) != 0 {
            // Another file system (EXDEV) or one without hard links: the bytes, as a new file.
            unlink(staged)
            do throws(DocxError) { try AtomicFile.write(bytes, to: staged) } catch {
                throw .io(path: directory + "/" + name, message: "cannot write the fax document into the fax folder (\(error.message))")
            }
        }
        if named { otherNames.withLock { $0[index] = name } }
        self.staged.withLock { bits in
            if index / 64 >= bits.count { bits += repeatElement(0, count: index / 64 + 1 - bits.count) }
            bits[index / 64] |= 1 << UInt64(index % 64)
        }
    }

    /// Notes the name of line `index`'s copy (its lines come in order), which `deliver` then uses.
    func note(_ index: Int, name: String) throws(MailMergeError) {
        try names.withLock { names throws(MailMergeError) in try names.append(index, name: name) }
    }

    /// Moves every staged copy into the fax folder, in line order, and removes the staging folder; returns how many
    /// files were moved. A line's copy is named as its letter: the name noted for it (`note`), else `letterName(index)`
    /// (made again from the line: the folder is not listed); or as the document `stage` was told it was made of when
    /// that was not its letter (a label sheet, kept by `stage(_:index:letter:named:)`; lines sharing one sheet share
    /// its copy, moved once).
    func deliver(logged: Bool, letterName: (Int) -> String) throws(MailMergeError) -> Int {
        if logged { delivering.store(true, ordering: .releasing) }
        let (bits, others) = (staged.withLock { $0 }, otherNames.withLock { $0 })
        var moved = 0
        var movedOthers: Set<String> = []
        for (word, value) in bits.enumerated() where value != 0 {
            for bit in 0..<64 where value & (1 << UInt64(bit)) != 0 {
                let index = word * 64 + bit
                let noted = try names.withLock { names throws(MailMergeError) in try names.name(of: index) }
                let name: String
                if let other = others[index] {
                    guard movedOthers.insert(other).inserted else { continue }
                    name = other
                } else {
                    name = noted ?? letterName(index)
                }
                // A hard link onto its own letter (the fax folder is the letters' folder) is left by `rename` as it is
                // (POSIX: two names of one file); `discard` then removes its staged name.
                guard rename(staging + "/" + name, directory + "/" + name) == 0 else {
                    let problem = String(cString: strerror(errno))
                    guard logged else {
                        throw .io(path: directory + "/" + name, message: "cannot move the fax document into place in the fax folder (\(problem))")
                    }
                    throw .io(
                        path: directory + "/" + name,
                        message: "the lines are logged, but their fax copy could not be moved into the fax folder (\(problem)); it and the "
                            + "copies after it are kept in \(staging): move them into \(directory) (a rerun does not send them)")
                }
                moved += 1
            }
        }
        try? FileManager.default.removeItem(atPath: staging)
        return moved
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

    /// Work done on a global queue's thread (a batch being written) while the caller goes on; `wait` for its result.
    final class InFlight<Output: Sendable>: @unchecked Sendable {
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

/// A run's interaction log entries, stored on their own thread while the letters are written: the store's one
/// transaction (`InteractionLogStore.log(_:count:entry:)`) pulls entry `i` as soon as the pipeline has handed it over
/// (`add`, in line order), so no serial phase after the letters stores them all and no per-line state waits for it.
/// The last entry is given to the store only on `commit`: until then a failure (`abandon`) rolls everything back, so a
/// run that stops logs nothing. `add` waits while the store is more than a few batches behind.
final class ConcurrentLog: @unchecked Sendable {
    // @unchecked: every mutable property is guarded by `condition`.
    private let condition = NSCondition()
    private let count: Int
    /// Entries handed over and not yet pulled; `pending[head]` is entry `taken`.
    private var pending: [NewInteractionLogEntry] = []
    private var head = 0
    private var taken = 0
    private var added = 0
    private var committing = false
    private var abandoned: MailMergeError?
    private var outcome: Result<LoggedSegment, MailMergeError>?
    private static let waitingLimit = 4 * Defaults.batchSize
    /// The store, used on the log's thread until the outcome is known, then by `abandon` to remove a log the run created.
    private let store: UncheckedStore

    /// Opens the log's transaction for `segment`'s `count` entries on a thread of its own.
    init(store: any InteractionLogStore, segment: NewLoggedSegment, count: Int) {
        self.count = count
        let store = UncheckedStore(store: store)
        self.store = store
        let thread = Thread { [self] in
            let result: Result<LoggedSegment, MailMergeError>
            do throws(MailMergeError) {
                result = .success(try logOperation { try store.store.log(segment, count: count) { index in try self.take(index) } })
            } catch {
                result = .failure(error)
            }
            condition.lock()
            outcome = result
            condition.broadcast()
            condition.unlock()
        }
        thread.name = "interaction log"
        thread.start()
    }

    /// Hands over the next entries (line order); throws when the store failed (e.g. the segment was logged meanwhile).
    func add(_ entries: [NewInteractionLogEntry]) throws(MailMergeError) {
        condition.lock()
        defer { condition.unlock() }
        precondition(added + entries.count <= count, "more entries than the logged segment has lines")
        while pending.count - head > Self.waitingLimit && outcome == nil { condition.wait() }
        if case .failure(let error) = outcome { throw error }
        if head > Self.waitingLimit {
            pending.removeFirst(head)
            head = 0
        }
        pending += entries
        added += entries.count
        condition.broadcast()
    }

    /// Lets the store take the last entry and commit; returns the logged segment once committed.
    func commit() throws(MailMergeError) -> LoggedSegment {
        condition.lock()
        defer { condition.unlock() }
        precondition(added == count, "every line's entry is handed over before the log commits")
        committing = true
        condition.broadcast()
        while outcome == nil { condition.wait() }
        return try outcome!.get()
    }

    /// Rolls the transaction back (nothing is logged) and waits until the store has. `removingCreatedLog`: the run created
    /// the SQLite file, which is removed again unless another process uses it or logged into it meanwhile
    /// (`SQLiteInteractionLogStore.closeRemovingIfUnused`; two runs may both have found no file and created it at once).
    func abandon(_ error: MailMergeError, removingCreatedLog: Bool = false) {
        condition.lock()
        defer { condition.unlock() }
        if abandoned == nil { abandoned = error }
        condition.broadcast()
        while outcome == nil { condition.wait() }
        if removingCreatedLog, case .failure = outcome, let sqlite = store.store as? SQLiteInteractionLogStore {
            sqlite.closeRemovingIfUnused()
        }
    }

    /// Entry `index`, on the store's thread: waits until it is handed over (the last one until `commit`).
    private func take(_ index: Int) throws(MailMergeError) -> NewInteractionLogEntry {
        condition.lock()
        defer { condition.unlock() }
        precondition(index == taken, "the store pulls the entries in order")
        while abandoned == nil && (head == pending.count || (index == count - 1 && !committing)) { condition.wait() }
        if let abandoned { throw abandoned }
        let entry = pending[head]
        head += 1
        taken += 1
        condition.broadcast()
        return entry
    }

    /// The store, used on the log's thread only while the run waits for it.
    private struct UncheckedStore: @unchecked Sendable {
        let store: any InteractionLogStore
    }
}
