import Foundation
import Segments

/// The staged fax copies' names, noted in line order as their lines are logged (the batch's lines in hand) and read
/// back in that order when the copies are delivered (`FaxStaging.deliver`), so delivering needs neither the staging
/// folder listed and sorted nor every line resolved again. The names go to a file (in the staging folder, removed with
/// it); in memory stay only each copy's line (its distance from the line noted before) and its name's length, LEB128:
/// about two bytes a copy, where the names held in memory took about 42 (7 MB of a million lines' 166,000 fax copies).
final class FaxNames {
    private let path: String
    private let file: UnsafeMutablePointer<FILE>
    /// Per name noted: its line's distance from the line noted before, then its length in bytes (LEB128).
    private var numbers: [UInt8] = []
    /// The line of the name noted (or, reading, read) last.
    private var line = -1
    /// Reading: where the next name's numbers start in `numbers`; nil while names are noted.
    private var next: Int?

    /// A new, empty list in the file `path` (created, or emptied).
    init(path: String) throws(MailMergeError) {
        guard let file = fopen(path, "w+") else {
            throw .io(path: path, message: "cannot create the list of the fax copies' names (\(String(cString: strerror(errno))))")
        }
        self.path = path
        self.file = file
    }

    deinit { fclose(file) }

    /// Notes `name` for line `index`, which comes after every line noted before.
    func append(_ index: Int, name: String) throws(MailMergeError) {
        precondition(next == nil, "the names are noted before they are read")
        precondition(index > line, "fax copies are noted in line order")
        var name = name
        let written = name.withUTF8 { bytes in bytes.isEmpty ? 0 : fwrite(bytes.baseAddress, 1, bytes.count, file) }
        guard written == name.utf8.count else { throw failure("cannot write") }
        LEB128.append(UInt64(index - line), to: &numbers)
        LEB128.append(UInt64(written), to: &numbers)
        line = index
    }

    /// The name noted for line `index`, nil when none was. Asked in increasing line order: the names of the lines
    /// before `index` are passed over (no name is noted again once one was read).
    func name(of index: Int) throws(MailMergeError) -> String? {
        if next == nil {
            guard fflush(file) == 0, fseek(file, 0, SEEK_SET) == 0 else { throw failure("cannot read back") }
            next = 0
            line = -1
        }
        while let offset = next, offset < numbers.count {
            var after = offset
            let noted = line + Int(LEB128.read(numbers, at: &after))
            guard noted <= index else { return nil }
            let length = Int(LEB128.read(numbers, at: &after))
            next = after
            line = noted
            guard noted == index else {
                guard fseek(file, length, SEEK_CUR) == 0 else { throw failure("cannot read back") }
                continue
            }
            var failed = false
            let name = String(unsafeUninitializedCapacity: length) { buffer in
                let read = length == 0 ? 0 : fread(buffer.baseAddress, 1, length, file)
                failed = read != length
                return read
            }
            guard !failed else { throw failure("cannot read back") }
            return name
        }
        return nil
    }

    private func failure(_ what: String) -> MailMergeError {
        let reason = ferror(file) != 0 ? String(cString: strerror(errno)) : "the file ended early"
        return .io(path: path, message: "\(what) the list of the fax copies' names (\(reason))")
    }
}
