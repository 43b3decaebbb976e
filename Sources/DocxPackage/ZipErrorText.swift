import CLibZip

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Turns libzip error codes into sentences a user can act on.
enum ZipErrorText {
    /// The text for a libzip error (its zip code plus the system `errno` behind it, if any).
    static func describe(_ error: UnsafeMutablePointer<zip_error_t>?) -> String {
        guard let error else { return "unknown zip error" }
        return describe(zipCode: zip_error_code_zip(error), systemCode: zip_error_code_system(error))
    }

    /// The text for a libzip error code and the system `errno` behind it (0 when none).
    static func describe(zipCode: Int32, systemCode: Int32) -> String {
        switch zipCode {
        case ZIP_ER_NOZIP: return "not a zip archive (a .docx file is a zip); is it really a Word document?"
        case ZIP_ER_INCONS: return "the zip archive is inconsistent or truncated; get a fresh copy of the file"
        case ZIP_ER_CRC: return "the zip archive is damaged (checksum mismatch); get a fresh copy of the file"
        case ZIP_ER_COMPRESSED_DATA, ZIP_ER_ZLIB: return "the zip archive holds damaged compressed data; get a fresh copy of the file"
        case ZIP_ER_EOF: return "the zip archive ends too early (truncated); get a fresh copy of the file"
        case ZIP_ER_EXISTS: return "the zip archive holds the same entry name twice"
        case ZIP_ER_COMPNOTSUPP: return "an entry uses a compression method that is not supported; save the document again in Word"
        case ZIP_ER_ENCRNOTSUPP, ZIP_ER_NOPASSWD, ZIP_ER_WRONGPASSWD:
            return "an entry is encrypted; remove the password protection in Word"
        case ZIP_ER_MEMORY: return "out of memory"
        default:
            var detail = zip_error_t()
            zip_error_init_with_code(&detail, zipCode)
            defer { zip_error_fini(&detail) }
            let text = String(cString: zip_error_strerror(&detail))
            return systemCode == 0 ? text : "\(text) (\(String(cString: strerror(systemCode))))"
        }
    }
}
