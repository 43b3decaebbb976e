import Foundation

/// `path` made absolute against the working directory, with `.` and `..` resolved: what the
/// interaction log records, so entries stay valid whatever directory they are read from.
func absolute(_ path: String) -> String {
    URL(fileURLWithPath: path).standardizedFileURL.path
}

/// Creating the folder documents go into.
enum OutputFolder {
    /// Creates `path` (and its parents) unless it exists; fails when it is not a writable folder.
    static func create(_ path: String) throws(MailMergeError) {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) {
            guard isDirectory.boolValue else { throw .io(path: path, message: "exists and is not a folder") }
        } else {
            do {
                try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
            } catch {
                throw .io(path: path, message: "cannot create the output folder (\(error.localizedDescription))")
            }
        }
        guard FileManager.default.isWritableFile(atPath: path) else {
            throw .io(path: path, message: "the output folder is not writable")
        }
    }
}
