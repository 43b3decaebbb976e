import DocxPackage

/// Why a print-run document could not be built, naming the letter (.docx) or output file and the
/// part involved: the package layer's located error, so a letter's package error passes through as it is.
public typealias PrintRunError = DocxError

extension DocxError {
    /// `error` as the print run reports it.
    init(_ error: DocxError) {
        self = error
    }
}
