import DocxPackage
import Foundation

/// Scratch files beside a print-run document, holding its growing parts while the letters are added: the main
/// document (head, every letter's body, tail), the notes, and the parts copied per letter (headers, footers,
/// pictures) back to back. The package is then written from these files (`DocxWriter.Content.file`), so a
/// print run of 10,000 letters is never in memory. The folder is removed when the spool is released.
final class PartSpool {
    private let folder: String
    private var streams: [String: (handle: FileHandle, path: String, size: UInt64)] = [:]

    /// A spool in a new hidden folder beside `output` (the same file system, usually).
    init(beside output: String) throws(PrintRunError) {
        let url = URL(fileURLWithPath: output)
        folder = url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).spool-\(UUID().uuidString)").path
        do { try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: false) } catch {
            throw PrintRunError(file: output, message: "cannot create a scratch folder beside it (\(error.localizedDescription))")
        }
    }

    deinit {
        for stream in streams.values { try? stream.handle.close() }
        try? FileManager.default.removeItem(atPath: folder)
    }

    /// Appends `bytes` to stream `name`; returns where they are in its file.
    @discardableResult
    func append(_ bytes: [UInt8], to name: String) throws(PrintRunError) -> DocxWriter.Content {
        let stream = try self.stream(name)
        do { try stream.handle.write(contentsOf: bytes) } catch {
            throw PrintRunError(file: stream.path, message: "cannot write the scratch file (\(error.localizedDescription))")
        }
        streams[name]?.size += UInt64(bytes.count)
        return .file(path: stream.path, offset: stream.size, length: UInt64(bytes.count))
    }

    /// Everything written to stream `name` (nothing written: an empty stretch of an empty file).
    func content(of name: String) throws(PrintRunError) -> DocxWriter.Content {
        let stream = try self.stream(name)
        return .file(path: stream.path, offset: 0, length: stream.size)
    }

    private func stream(_ name: String) throws(PrintRunError) -> (handle: FileHandle, path: String, size: UInt64) {
        if let stream = streams[name] { return stream }
        let path = folder + "/" + name
        guard FileManager.default.createFile(atPath: path, contents: nil), let handle = FileHandle(forWritingAtPath: path) else {
            throw PrintRunError(file: path, message: "cannot create the scratch file")
        }
        streams[name] = (handle, path, 0)
        return (handle, path, 0)
    }
}
