#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Whole-file reads into `malloc`ed memory (handed to libzip, which frees it).
enum FileBytes {
    /// The contents of the file at `path` in a `malloc`ed buffer the caller owns.
    /// - Throws: `DocxError` when the file is missing or cannot be read.
    static func read(_ path: String) throws(DocxError) -> UnsafeMutableRawBufferPointer {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw error(path, errno) }
        defer { close(descriptor) }
        var info = stat()
        guard fstat(descriptor, &info) == 0 else { throw error(path, errno) }
        guard (info.st_mode & S_IFMT) == S_IFREG else {
            throw DocxError(file: path, message: "not a regular file; give the path of a .docx file")
        }
        let size = Int(info.st_size)
        guard let base = malloc(max(size, 1)) else { throw DocxError(file: path, message: "out of memory reading the file") }
        var count = 0
        while count < size {
            let got = systemRead(descriptor, base + count, size - count)
            if got < 0 && errno == EINTR { continue }
            guard got > 0 else {
                let code = got == 0 ? 0 : errno
                free(base)
                throw code == 0 ? DocxError(file: path, message: "the file shrank while being read; try again") : error(path, code)
            }
            count += got
        }
        return UnsafeMutableRawBufferPointer(start: base, count: size)
    }

    private static func error(_ path: String, _ code: Int32) -> DocxError {
        switch code {
        case ENOENT, ENOTDIR: DocxError(file: path, message: "no such file; check the path")
        case EACCES, EPERM: DocxError(file: path, message: "permission denied; check you may read the file")
        default: DocxError(file: path, message: "cannot read the file (\(String(cString: strerror(code))))")
        }
    }
}

/// `read(2)`, named apart from `FileBytes.read(_:)`.
private func systemRead(_ descriptor: Int32, _ buffer: UnsafeMutableRawPointer, _ count: Int) -> Int {
    read(descriptor, buffer, count)
}
