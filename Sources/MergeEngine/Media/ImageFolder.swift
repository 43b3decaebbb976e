import Crypto
import Foundation

/// The folder pictures are read from (`--images DIR`). A record's path is resolved inside it only:
/// no absolute paths, no `..`, and the real path (symbolic links resolved) must stay inside the
/// folder's real path. A file is checked by `stat` before it is read (a regular file, at most
/// `maximumBytes`), then by its header (PNG, JPEG or GIF, at most `maximumPixels` a side).
public struct ImageFolder: Sendable {
    /// The folder's real path, without a trailing slash.
    public let root: String
    /// The largest picture file read: 50 MiB.
    public var maximumBytes = 50 * 1024 * 1024
    /// The largest width or height in pixels: 20,000.
    public var maximumPixels = 20_000

    /// - Throws: `ImageProblem` when `path` is not a readable folder.
    public init(path: String) throws(ImageProblem) {
        guard let resolved = realpath(path, nil) else {
            throw ImageProblem("the images folder \(path) does not exist or cannot be read; pass an existing folder to --images")
        }
        defer { free(resolved) }
        var status = stat()
        let real = String(cString: resolved)
        guard stat(real, &status) == 0, status.st_mode & S_IFMT == S_IFDIR else {
            throw ImageProblem("the images path \(path) is not a folder; pass a folder to --images")
        }
        root = real == "/" ? "" : real
    }

    /// The picture at `relativePath` (as a record gives it; `\` is read as `/`), checked.
    public func load(_ relativePath: String) -> Result<Picture, ImageProblem> {
        let path = relativePath.replacingOccurrences(of: "\\", with: "/")
        guard !path.hasPrefix("/"), !(path.count >= 2 && path.dropFirst().first == ":") else {
            return .failure(ImageProblem("the picture path \(relativePath) is absolute; give a path inside the --images folder"))
        }
        guard !path.contains("\0") else { return .failure(ImageProblem("the picture path holds a NUL character")) }
        guard !path.split(separator: "/").contains("..") else {
            return .failure(ImageProblem("the picture path \(relativePath) contains \"..\"; give a path inside the --images folder"))
        }
        let joined = root + "/" + path
        guard let resolved = realpath(joined, nil) else {
            return .failure(ImageProblem("no picture at \(relativePath) in the images folder \(root.isEmpty ? "/" : root)"))
        }
        let real = String(cString: resolved)
        free(resolved)
        guard real.hasPrefix(root + "/") else {
            return .failure(ImageProblem("the picture path \(relativePath) leads out of the --images folder (through a symbolic link)"))
        }
        var status = stat()
        guard stat(real, &status) == 0, status.st_mode & S_IFMT == S_IFREG else {
            return .failure(ImageProblem("the picture path \(relativePath) is not a regular file"))
        }
        guard Int(status.st_size) <= maximumBytes else {
            return .failure(
                ImageProblem("the picture \(relativePath) has \(status.st_size) bytes, more than the limit of \(maximumBytes); make it smaller"))
        }
        guard let data = FileManager.default.contents(atPath: real) else {
            return .failure(ImageProblem("the picture \(relativePath) cannot be read (permissions?)"))
        }
        let bytes = [UInt8](data)
        guard bytes.count <= maximumBytes else {
            return .failure(ImageProblem("the picture \(relativePath) grew beyond the limit of \(maximumBytes) bytes while it was read"))
        }
        switch ImageHeader.read(bytes) {
        case .failure(let problem):
            return .failure(ImageProblem("the file \(relativePath) is \(problem.message)"))
        case .success(let header):
            guard header.width > 0, header.height > 0, header.width <= maximumPixels, header.height <= maximumPixels else {
                return .failure(
                    ImageProblem(
                        "the picture \(relativePath) is \(header.width) × \(header.height) pixels; "
                            + "each side must be 1 to \(maximumPixels)"))
            }
            return .success(Picture(bytes: bytes, header: header))
        }
    }
}

/// A picture ready to go into a document: its bytes, header and digest.
public struct Picture: Sendable {
    public let bytes: [UInt8]
    public let header: ImageHeader
    /// Lowercase hex SHA-256 of the bytes: names the media part, so a picture is stored once.
    public let digest: String

    init(bytes: [UInt8], header: ImageHeader) {
        self.bytes = bytes
        self.header = header
        digest = Self.digest(of: bytes)
    }

    /// Lowercase hex SHA-256 of `bytes`.
    static func digest(of bytes: [UInt8]) -> String {
        SHA256.hash(data: bytes).map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined()
    }
}
