import ExternalProcess
import Foundation
import Synchronization

/// Converts Word documents to PDF with LibreOffice (`soffice --headless --convert-to pdf`).
///
/// Documents are converted in batches of at most `documentsPerCall`, one `soffice` process per batch, at most
/// `concurrency` processes at a time, each with its own private profile
/// (`-env:UserInstallation`), so concurrent processes never share (and lock) a profile.
/// Bookmarks are exported as named PDF destinations, which `PDFPages` reads back.
public struct PDFConverter: Sendable {
    /// The `soffice` executable.
    public var soffice: String
    /// How many `soffice` processes may run at once.
    public var concurrency: Int
    /// Seconds a batch may take (plus `secondsPerDocument` per document) before LibreOffice's
    /// process group is killed as hung; `MAILMERGE_SOFFICE_TIMEOUT` (seconds per call) overrides both.
    public var timeout: Double = 120
    public var secondsPerDocument: Double = 10

    /// The most documents one `soffice` call converts (as many letters as a print run's chunk).
    static let documentsPerCall = PrintPDFOptions.defaultChunkSize

    /// The LibreOffice PDF export filter, keeping bookmarks as named destinations.
    private static let filter = #"pdf:writer_pdf_Export:{"ExportBookmarksToPDFDestination":{"type":"boolean","value":"true"}}"#

    /// Finds `soffice` on the PATH.
    /// - Throws: `MailMergeError.io` saying how to install LibreOffice when it is missing.
    public static func locate(concurrency: Int = 2) throws(MailMergeError) -> PDFConverter {
        guard let soffice = ExternalProcess.find("soffice") else {
            throw .io(
                path: "soffice",
                message: "LibreOffice is not installed (soffice is not on the PATH); install it with "
                    + "`apt-get install libreoffice-writer-nogui` (Debian/Ubuntu), or run without PDF output")
        }
        return PDFConverter(soffice: soffice, concurrency: max(1, concurrency))
    }

    public init(soffice: String, concurrency: Int) {
        self.soffice = soffice
        self.concurrency = max(1, concurrency)
    }

    /// The time one `soffice` call on `documents` documents may take.
    public func timeout(documents: Int) -> Double {
        if let text = ExternalProcess.environmentValue("MAILMERGE_SOFFICE_TIMEOUT"), let seconds = Double(text), seconds > 0 { return seconds }
        return timeout + secondsPerDocument * Double(documents)
    }

    /// Converts `documents` to PDF in `outputDirectory` (`letter.docx` → `letter.pdf`) and
    /// returns the PDFs' paths in the order given. Document names must differ.
    /// - Throws: `MailMergeError.io` when LibreOffice fails, hangs or leaves a PDF out twice.
    public func convert(_ documents: [String], to outputDirectory: String) throws(MailMergeError) -> [String] {
        guard !documents.isEmpty else { return [] }
        try OutputFolder.create(outputDirectory)
        // Batches of at most `documentsPerCall`, handed out to `concurrency` workers with a profile each:
        // one soffice call on hundreds of documents stopped converting part-way (10,000-line run, issue 14).
        let size = max(1, min(Self.documentsPerCall, (documents.count + concurrency - 1) / concurrency))
        let groups = stride(from: 0, to: documents.count, by: size).map { Array(documents[$0..<min($0 + size, documents.count)]) }
        let scratch = URL(fileURLWithPath: PDFScratch.folder("mailmerge-soffice"))
        defer { try? FileManager.default.removeItem(at: scratch) }
        let failures = FailureList()
        let next = Atomic<Int>(0)
        DispatchQueue.concurrentPerform(iterations: min(concurrency, groups.count)) { worker in
            let profile = scratch.appendingPathComponent("profile-\(worker)").path
            while true {
                let number = next.add(1, ordering: .relaxed).oldValue
                guard number < groups.count else { return }
                if let failure = convertRetrying(groups[number], to: outputDirectory, profile: profile, letters: groups[number].count) {
                    failures.add(number, failure)
                }
            }
        }
        let messages = failures.sorted()
        if !messages.isEmpty { throw .io(path: outputDirectory, message: messages.joined(separator: "\n")) }
        return documents.map { pdfPath(of: $0, in: outputDirectory) }
    }

    /// Converts `group` with one `soffice` call using the profile folder `profile`; when that
    /// call fails, hangs (and is killed) or leaves a PDF out, LibreOffice is started once more
    /// on the same documents with a fresh profile (a crash can leave the profile damaged).
    /// `letters` is how many letters the documents hold, for the time allowed.
    /// - Returns: the failure message when the second try failed too, else nil.
    func convertRetrying(_ group: [String], to outputDirectory: String, profile: String, letters: Int) -> String? {
        guard let first = convertOnce(group, to: outputDirectory, profile: profile, letters: letters) else { return nil }
        try? FileManager.default.removeItem(atPath: profile)
        guard let second = convertOnce(group, to: outputDirectory, profile: profile, letters: letters) else { return nil }
        return first == second ? second + " (twice)" : "first try: \(first); second try: \(second)"
    }

    /// One `soffice` call on `group` with its own profile; the failure message, if it failed.
    private func convertOnce(_ group: [String], to outputDirectory: String, profile: String, letters: Int) -> String? {
        do {
            try FileManager.default.createDirectory(atPath: profile, withIntermediateDirectories: true)
        } catch {
            return "cannot create a LibreOffice profile folder \(profile) (\(error.localizedDescription))"
        }
        for document in group { try? FileManager.default.removeItem(atPath: pdfPath(of: document, in: outputDirectory)) }
        let output: ExternalProcess.Output
        do {
            output = try ExternalProcess.run(
                soffice,
                [
                    "-env:UserInstallation=\(URL(fileURLWithPath: profile).absoluteString)", "--headless", "--norestore",
                    "--convert-to", Self.filter, "--outdir", outputDirectory,
                ],
                inputs: group, requiresInputs: true, timeout: timeout(documents: letters))
        } catch {
            if case .timedOut(_, let seconds, _) = error { return Self.hungMessage(group, seconds: seconds) }
            return "LibreOffice: \(error)"
        }
        let missing = group.filter { !FileManager.default.fileExists(atPath: pdfPath(of: $0, in: outputDirectory)) }
        guard output.status != 0 || !missing.isEmpty else { return nil }
        let detail = (output.standardOutput + "\n" + output.standardError).split(separator: "\n")
            .filter { !$0.contains("javaldx") && !$0.hasPrefix("convert ") }.joined(separator: " ")
        return "LibreOffice (exit status \(output.status)) did not convert \(missing.isEmpty ? group.joined(separator: ", ") : missing.joined(separator: ", "))"
            + (detail.isEmpty ? "" : ": " + detail)
    }

    /// What is said when LibreOffice took longer than `seconds` on `documents` and was stopped.
    static func hungMessage(_ documents: [String], seconds: Double) -> String {
        "LibreOffice did not finish converting \(documents.joined(separator: ", ")) within \(Int(seconds)) s and was stopped; "
            + "convert one of them by hand to see why (soffice --headless --convert-to pdf FILE), "
            + "or allow more time with MAILMERGE_SOFFICE_TIMEOUT=SECONDS"
    }

    /// Failure messages of concurrent batches, kept in batch order.
    private final class FailureList: @unchecked Sendable {
        private let lock = NSLock()
        private var messages: [Int: String] = [:]
        func add(_ number: Int, _ message: String) {
            lock.lock()
            messages[number] = message
            lock.unlock()
        }
        func sorted() -> [String] {
            lock.lock()
            defer { lock.unlock() }
            return messages.keys.sorted().compactMap { messages[$0] }
        }
    }

    func pdfPath(of document: String, in directory: String) -> String {
        let stem = ((document as NSString).lastPathComponent as NSString).deletingPathExtension
        return directory + "/" + stem + ".pdf"
    }
}

/// External programs the PDF and preview features run (poppler's `pdfinfo`, `pdftoppm`).
enum ExternalTool {
    /// Seconds a poppler program may take on one PDF.
    static let popplerTimeout: Double = 120

    /// Runs `executable` with `arguments` (the PDF among them) and returns its standard output.
    /// - Throws: `MailMergeError.io` when it cannot start, exits with an error or times out.
    static func run(_ executable: String, _ arguments: [String], inputs: [String], trailing: [String] = []) throws(MailMergeError) -> String {
        do {
            return try ExternalProcess.run(
                executable, arguments, inputs: inputs, requiresInputs: true, trailing: trailing,
                timeout: popplerTimeout
            ).succeeded().standardOutput
        } catch {
            throw .io(path: executable, message: "\(error) (\((arguments + inputs + trailing).joined(separator: " ")))")
        }
    }
}
