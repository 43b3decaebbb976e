import Crypto
import DocxPackage
import Foundation
import MergeEngine
import Synchronization

/// The deflate level for the parts a merge changes (unchanged entries keep their compressed bytes).
public enum DeflateLevel {
    /// Level 1, zlib's scale: the parts are deflated with libdeflate at the fastest level whose output is no
    /// larger than zlib's level 1 (`Deflater`); `--compression` picks another level.
    public static let `default` = 1
}

/// One document to render and write.
struct DocumentTask: Sendable {
    /// Index into the pool's templates.
    var template: Int
    var record: MergeRecord
    /// Full path of the .docx to write.
    var path: String
    /// How errors name the record, e.g. `data.csv, line 12`.
    var label: String
    /// Done on the same worker once the document is written, with its bytes and parts still in memory (a line's
    /// e-mail or fax copy: `LetterCopies`); its error stops the run as the document's would.
    var then: (@Sendable (WrittenDocument) throws(MailMergeError) -> Void)? = nil
}

/// A document just written by `DocumentWriterPool`, as it is in memory.
struct WrittenDocument {
    /// Where it was written.
    var path: String
    /// The file's bytes.
    var bytes: Data
    /// The parts the merge rendered (part name → XML), which the file holds deflated.
    var parts: [String: [UInt8]]
}

/// Renders and writes documents on several threads.
///
/// Every worker thread owns its own `DocxArchive` handle per template (libzip handles are
/// not thread-safe); the compiled templates are shared. Work is handed out one task at a
/// time from a shared counter, so a slow document does not hold up the others.
final class DocumentWriterPool: @unchecked Sendable {
    // @unchecked: `archives[w]` is only ever touched by worker `w`, and `write` does not
    // return before every worker has finished.
    private let templates: [CompiledTemplate]
    private var archives: [[DocxArchive?]]
    private let compressionLevel: Int
    private let missing: MissingFieldPolicy

    /// The number of worker threads.
    let jobs: Int

    init(templates: [CompiledTemplate], jobs: Int, compressionLevel: Int, missing: MissingFieldPolicy) {
        self.templates = templates
        self.jobs = max(1, jobs)
        self.compressionLevel = compressionLevel
        self.missing = missing
        self.archives = Array(repeating: Array(repeating: nil, count: templates.count), count: max(1, jobs))
    }

    /// Renders and writes every task. Returns the SHA-256 (hex) of each written file when
    /// `hashing`, else empty strings, in task order. Stops at the first error and throws it;
    /// documents already written are complete files.
    func write(_ tasks: [DocumentTask], hashing: Bool) throws(MailMergeError) -> [String] {
        if tasks.isEmpty { return [] }
        let next = Atomic<Int>(0)
        let failure = Mutex<MailMergeError?>(nil)
        let digests = Mutex([String](repeating: "", count: hashing ? tasks.count : 0))
        let workers = min(jobs, tasks.count)
        DispatchQueue.concurrentPerform(iterations: workers) { worker in
            while true {
                let index = next.add(1, ordering: .relaxed).oldValue
                if index >= tasks.count || failure.withLock({ $0 != nil }) { return }
                do throws(MailMergeError) {
                    let digest = try self.perform(tasks[index], worker: worker, hashing: hashing)
                    if hashing { digests.withLock { $0[index] = digest } }
                } catch {
                    failure.withLock { if $0 == nil { $0 = error } }
                    return
                }
            }
        }
        if let error = failure.withLock({ $0 }) { throw error }
        return digests.withLock { $0 }
    }

    private func perform(_ task: DocumentTask, worker: Int, hashing: Bool) throws(MailMergeError) -> String {
        let archive = try archive(template: task.template, worker: worker)
        let parts: [String: [UInt8]]
        do {
            parts = try templates[task.template].render(task.record, missing: missing)
        } catch {
            throw .missingValue(error, record: task.label)
        }
        // The letter is hashed from the bytes in memory, as they go to disk (not read back).
        var digest = ""
        var bytes = Data()
        do {
            try DocxWriter.write(
                source: archive, replacing: parts, to: task.path, compressionLevel: compressionLevel,
                finished: hashing || task.then != nil
                    ? { file in
                        if hashing { digest = Self.hex(SHA256.hash(data: file)) }
                        if task.then != nil { bytes = Data(file) }
                    } : nil)
        } catch {
            throw .package(error)
        }
        try task.then?(WrittenDocument(path: task.path, bytes: bytes, parts: parts))
        return digest
    }

    private func archive(template: Int, worker: Int) throws(MailMergeError) -> DocxArchive {
        if let open = archives[worker][template] { return open }
        do {
            let opened = try DocxArchive(path: templates[template].templatePath)
            archives[worker][template] = opened
            return opened
        } catch {
            throw .package(error)
        }
    }

    /// The lowercase hex SHA-256 of the file at `path`.
    static func sha256(ofFile path: String) throws(MailMergeError) -> String {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw .io(path: path, message: "cannot read the document just written")
        }
        return hex(SHA256.hash(data: data))
    }

    /// A digest as lowercase hex.
    static func hex(_ digest: SHA256.Digest) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var text: [UInt8] = []
        text.reserveCapacity(64)
        for byte in digest {
            text.append(digits[Int(byte >> 4)])
            text.append(digits[Int(byte & 0x0f)])
        }
        return String(decoding: text, as: UTF8.self)
    }
}
