import Foundation

/// Converts Word documents to PDF with LibreOffice (`soffice --headless --convert-to pdf`).
///
/// Documents are converted in batches, one `soffice` process per batch, at most
/// `concurrency` processes at a time, each with its own private profile
/// (`-env:UserInstallation`), so concurrent processes never share (and lock) a profile.
/// Bookmarks are exported as named PDF destinations, which `PDFPages` reads back.
public struct PDFConverter: Sendable {
    /// The `soffice` executable.
    public var soffice: String
    /// How many `soffice` processes may run at once.
    public var concurrency: Int
    /// Seconds a batch may take (plus `secondsPerDocument` per document) before LibreOffice
    /// is stopped as hung.
    public var timeout: Double = 120
    public var secondsPerDocument: Double = 10

    /// The LibreOffice PDF export filter, keeping bookmarks as named destinations.
    private static let filter = #"pdf:writer_pdf_Export:{"ExportBookmarksToPDFDestination":{"type":"boolean","value":"true"}}"#

    /// Finds `soffice` on the PATH.
    /// - Throws: `MailMergeError.io` saying how to install LibreOffice when it is missing.
    public static func locate(concurrency: Int = 2) throws(MailMergeError) -> PDFConverter {
        guard let soffice = ExternalTool.find("soffice") else {
            throw .io(path: "soffice", message: "LibreOffice is not installed (soffice is not on the PATH); install it with `apt-get install libreoffice-writer-nogui` (Debian/Ubuntu), or run without PDF output")
        }
        return PDFConverter(soffice: soffice, concurrency: max(1, concurrency))
    }

    public init(soffice: String, concurrency: Int) {
        self.soffice = soffice
        self.concurrency = max(1, concurrency)
    }

    /// Converts `documents` to PDF in `outputDirectory` (`letter.docx` → `letter.pdf`) and
    /// returns the PDFs' paths in the order given. Document names must differ.
    /// - Throws: `MailMergeError.io` when LibreOffice fails or leaves a PDF out.
    public func convert(_ documents: [String], to outputDirectory: String) throws(MailMergeError) -> [String] {
        guard !documents.isEmpty else { return [] }
        try OutputFolder.create(outputDirectory)
        let batches = min(concurrency, documents.count)
        let size = (documents.count + batches - 1) / batches
        let groups = stride(from: 0, to: documents.count, by: size).map { Array(documents[$0..<min($0 + size, documents.count)]) }
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("mailmerge-soffice-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: scratch) }
        var running: [(Process, URL, [String])] = []
        for (number, group) in groups.enumerated() {
            let profile = scratch.appendingPathComponent("profile-\(number)")
            let log = scratch.appendingPathComponent("soffice-\(number).log")
            do {
                try FileManager.default.createDirectory(at: profile, withIntermediateDirectories: true)
                guard FileManager.default.createFile(atPath: log.path, contents: nil) else { throw CocoaError(.fileWriteUnknown) }
                let process = Process()
                process.executableURL = URL(fileURLWithPath: soffice)
                process.arguments = ["-env:UserInstallation=\(profile.absoluteString)", "--headless", "--norestore",
                                     "--convert-to", Self.filter, "--outdir", outputDirectory] + group
                let handle = try FileHandle(forWritingTo: log)
                process.standardOutput = handle
                process.standardError = handle
                process.standardInput = FileHandle.nullDevice
                try process.run()
                running.append((process, log, group))
            } catch {
                running.forEach { $0.0.terminate() }
                throw .io(path: soffice, message: "cannot start LibreOffice (\(error.localizedDescription))")
            }
        }
        var failures: [String] = []
        for (process, log, group) in running {
            let deadline = Date().addingTimeInterval(timeout + secondsPerDocument * Double(group.count))
            while process.isRunning && Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
            if process.isRunning {
                process.terminate()
                process.waitUntilExit()
                failures.append("LibreOffice did not finish converting \(group.joined(separator: ", ")) in time and was stopped; convert one of them by hand to see why (soffice --headless --convert-to pdf FILE)")
                continue
            }
            let missing = group.filter { !FileManager.default.fileExists(atPath: pdfPath(of: $0, in: outputDirectory)) }
            if process.terminationStatus != 0 || !missing.isEmpty {
                let output = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
                let detail = output.split(separator: "\n").filter { !$0.contains("javaldx") && !$0.hasPrefix("convert ") }.joined(separator: " ")
                failures.append("LibreOffice (exit status \(process.terminationStatus)) did not convert \(missing.isEmpty ? group.joined(separator: ", ") : missing.joined(separator: ", "))\(detail.isEmpty ? "" : ": " + detail)")
            }
        }
        if !failures.isEmpty { throw .io(path: outputDirectory, message: failures.joined(separator: "\n")) }
        return documents.map { pdfPath(of: $0, in: outputDirectory) }
    }

    private func pdfPath(of document: String, in directory: String) -> String {
        let stem = ((document as NSString).lastPathComponent as NSString).deletingPathExtension
        return directory + "/" + stem + ".pdf"
    }
}

/// External programs the PDF and preview features run.
enum ExternalTool {
    /// The full path of `name` on the PATH, if it is there.
    static func find(_ name: String) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        for folder in path.split(separator: ":") {
            let candidate = String(folder) + "/" + name
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }

    /// Runs `executable` with `arguments` and returns its standard output.
    /// - Throws: `MailMergeError.io` when it cannot start or exits with an error.
    static func run(_ executable: String, _ arguments: [String]) throws(MailMergeError) -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let output = Pipe(), errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        process.standardInput = FileHandle.nullDevice
        do { try process.run() } catch {
            throw .io(path: executable, message: "cannot run it (\(error.localizedDescription))")
        }
        let errorData = ErrorBox()
        let reader = Thread { errorData.data = errors.fileHandleForReading.readDataToEndOfFile(); errorData.done.signal() }
        reader.start()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        errorData.done.wait()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            let message = String(decoding: errorData.data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            throw .io(path: executable, message: "failed (exit status \(process.terminationStatus)) on \(arguments.joined(separator: " ")): \(message)")
        }
        return String(decoding: data, as: UTF8.self)
    }

    /// Standard error read on another thread, so a chatty program cannot block on a full pipe.
    private final class ErrorBox: @unchecked Sendable {
        var data = Data()
        let done = DispatchSemaphore(value: 0)
    }
}
