import Foundation

/// `path` made absolute against the working directory, with `.` and `..` resolved: what the
/// interaction log records, so entries stay valid whatever directory they are read from.
func absolute(_ path: String) -> String {
    URL(fileURLWithPath: path).standardizedFileURL.path
}

/// `absolute(_:)` for the many files of one folder (a run's letters and e-mails): the folder is made absolute once, a
/// file directly in it is joined to that; any other path goes through `absolute(_:)` (URL standardisation per file
/// showed in profiles of the interaction log's entries).
struct AbsolutePaths {
    private let folder: [UInt8]
    private let absoluteFolder: String

    init(folder: String) {
        self.folder = Array((folder.hasSuffix("/") ? folder : folder + "/").utf8)
        absoluteFolder = absolute(folder)
    }

    func callAsFunction(_ path: String) -> String {
        let bytes = path.utf8
        guard bytes.count > folder.count, bytes.starts(with: folder) else { return absolute(path) }
        let name = bytes.dropFirst(folder.count)
        // Only a plain name: no further folder, no `.` or `..` to resolve.
        guard !name.contains(UInt8(ascii: "/")), !name.elementsEqual(".".utf8), !name.elementsEqual("..".utf8) else { return absolute(path) }
        return absoluteFolder + "/" + String(decoding: name, as: UTF8.self)
    }
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
