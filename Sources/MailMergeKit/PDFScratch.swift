import Foundation

/// The scratch folders of the PDF work (`mailmerge-pdf-…` of a print run: LibreOffice profiles, chunk documents and
/// PDFs; `mailmerge-soffice-…` of `PDFConverter.convert`), in the temporary directory and named after the process
/// that made them (`mailmerge-pdf-PID-UUID`). A run removes its own folder when it ends, however it fails; a run that
/// was killed (SIGKILL, the machine's OOM killer) cannot, so each new one first removes the folders of processes that
/// no longer exist.
enum PDFScratch {
    /// A new folder path `prefix-PID-UUID` in the temporary directory (not created), after removing the stale ones.
    static func folder(_ prefix: String, in directory: String = FileManager.default.temporaryDirectory.path) -> String {
        removeStale(prefix, in: directory)
        return directory + "/" + prefix + "-\(getpid())-" + UUID().uuidString
    }

    /// Removes `prefix-PID-…` entries of `directory` whose process `PID` is gone; returns the names removed.
    /// Folders of running processes (ours included) and names without a process number are left alone.
    @discardableResult
    static func removeStale(_ prefix: String, in directory: String) -> [String] {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory) else { return [] }
        var removed: [String] = []
        for name in names where name.hasPrefix(prefix + "-") {
            let rest = name.dropFirst(prefix.count + 1)
            guard let digits = rest.split(separator: "-", maxSplits: 1).first, let pid = Int32(digits), pid > 0, !isRunning(pid) else { continue }
            if (try? FileManager.default.removeItem(atPath: directory + "/" + name)) != nil { removed.append(name) }
        }
        return removed
    }

    /// Whether a process `pid` exists (one of another user counts as running: EPERM).
    static func isRunning(_ pid: Int32) -> Bool {
        kill(pid, 0) == 0 || errno != ESRCH
    }
}
