import Foundation

/// The contacts of a contacts CSV looked up by number without holding them: the file is read once, every
/// record checked as `ContactDirectory.load` checks it, and only each contact's byte offset kept; a lookup
/// reads and parses that one record again. Memory: per contact its number's bytes (uppercased) and 9 bytes (a 5-byte
/// offset, a 4-byte line), 4 more when the numbers differ in length (where each ends), in sorted arrays, no dictionary,
/// whatever its columns hold: 18 MB for a million 9-character numbers. Lookups are serialised by the caller (the
/// reader is not thread-safe).
public final class ContactIndex {
    /// The contacts file.
    public let path: String
    /// The contact numbers, uppercased, as UTF-8, one after another in ascending byte order: number `i` is
    /// `keyBytes[keyEnds[i - 1]..<keyEnds[i]]` (from 0 for the first), or `keyBytes[i * keyWidth..<(i + 1) * keyWidth]`
    /// when every number has `keyWidth` bytes (`keyEnds` is then empty: the usual file, numbers of one width).
    private let keyBytes: [UInt8]
    private let keyEnds: [UInt32]
    private let keyWidth: Int
    /// Per number (same order): where its record starts in the file, and its line (for diagnostics).
    private let offsets: FileOffsets
    private let lines: [Int32]
    private var reader: CSVRowReader
    private let columns: ContactColumns

    /// The number of contacts.
    public var count: Int { lines.count }

    /// Reads and checks the contacts CSV at `path` (see `ContactDirectory.load`); throws every problem found, in the
    /// order `ContactDirectory.load` reports them.
    public init(csv path: String) throws(ValidationFailure) {
        self.path = path
        var keys: [UInt8] = []
        var ends: [UInt32] = []
        var offsets = FileOffsets()
        var lines: [Int32] = []
        var problems: [Diagnostic] = []
        var scanned: (CSVRowReader, ContactColumns)?
        do {
            scanned = try ContactDirectory.scan(csv: path) { contact, line, offset in
                keys.append(contentsOf: contact.no.uppercased().utf8)
                ends.append(UInt32(truncatingIfNeeded: keys.count))
                offsets.append(offset)
                lines.append(Int32(truncatingIfNeeded: line))
                return nil
            }
        } catch {
            problems = error.diagnostics
        }
        if keys.count > Int(UInt32.max) || lines.count > Int(Int32.max) || offsets.overflowed {
            throw ValidationFailure(diagnostics: [
                Diagnostic(
                    source: path,
                    message: "the contacts file is too large to index (over 4 GB of contact numbers, 2 billion lines or 1 TB); split it into several files")
            ])
        }
        // Sorted by number, a repeated number's first record first: the later ones are duplicates.
        var order = (0..<Int32(lines.count)).map { $0 }
        var duplicates: [(line: Int, offset: Int, earlier: Int)] = []
        keys.withUnsafeBufferPointer { bytes in
            ends.withUnsafeBufferPointer { ends in
                func key(_ index: Int32) -> UnsafeBufferPointer<UInt8> { Self.key(Int(index), bytes: bytes, ends: ends, width: 0) }
                order.sort { left, right in
                    let sign = Self.compare(key(left), key(right))
                    return sign < 0 || (sign == 0 && lines[Int(left)] < lines[Int(right)])
                }
                var first = 0
                for position in order.indices.dropFirst() {
                    if Self.compare(key(order[first]), key(order[position])) == 0 {
                        let later = Int(order[position])
                        duplicates.append((Int(lines[later]), Int(offsets[later]), Int(lines[Int(order[first])])))
                        order[position] = -1
                    } else {
                        first = position
                    }
                }
            }
        }
        if !duplicates.isEmpty {
            problems += Self.duplicateProblems(duplicates, path: path)
            // As `ContactDirectory.scan` reports them: in the order of the file (a sort by line, equal lines kept in order).
            problems = problems.enumerated().sorted { ($0.element.line ?? Int.max, $0.offset) < ($1.element.line ?? Int.max, $1.offset) }.map(\.element)
        }
        guard problems.isEmpty, let scanned else { throw ValidationFailure(diagnostics: problems) }
        order.removeAll { $0 < 0 }
        // The arrays in sorted order, one at a time (so that at most one extra array is held while building), each
        // of its exact size (no room for more).
        let width = ends.first.map { Int($0) } ?? 0
        let oneWidth = width > 0 && ends.indices.allSatisfy { Int(ends[$0]) == ($0 + 1) * width }
        var sortedKeys: [UInt8] = []
        var sortedEnds: [UInt32] = []
        sortedKeys.reserveCapacity(keys.count)
        if !oneWidth { sortedEnds.reserveCapacity(order.count) }
        keys.withUnsafeBufferPointer { bytes in
            ends.withUnsafeBufferPointer { ends in
                for index in order {
                    sortedKeys.append(contentsOf: Self.key(Int(index), bytes: bytes, ends: ends, width: 0))
                    if !oneWidth { sortedEnds.append(UInt32(truncatingIfNeeded: sortedKeys.count)) }
                }
            }
        }
        keys = []
        ends = []
        self.keyBytes = sortedKeys
        self.keyEnds = sortedEnds
        self.keyWidth = oneWidth ? width : 0
        self.offsets = FileOffsets(order.lazy.map { offsets[Int($0)] }, count: order.count)
        offsets = FileOffsets()
        self.lines = order.map { lines[Int($0)] }
        self.reader = scanned.0
        self.columns = scanned.1
    }

    /// Whether there is a contact with number `no` (ignoring case), without reading it.
    public func contains(_ no: String) -> Bool { position(of: no) != nil }

    /// The contact with number `no`, ignoring case; nil when there is none. Reads its record from the file.
    ///
    /// - Throws: a `Diagnostic` naming the file and line when the file cannot be read again or changed since it
    ///   was indexed.
    public func contact(_ no: String) throws(Diagnostic) -> Contact? {
        guard let position = position(of: no) else { return nil }
        let offset = offsets[position]
        let line = Int(lines[position])
        let changed = "the contacts file changed during the run; leave it unchanged while a run reads it and run it again"
        let record: (line: Int, offset: Int, values: [String])?
        do {
            try reader.seek(toOffset: offset, line: line)
            record = try reader.nextWithOffset()
        } catch {
            // It was read and checked when the run started.
            throw Diagnostic(source: path, line: line, message: "contact '\(no)' can no longer be read (\(error.message)): " + changed)
        }
        guard let record, record.offset == offset, case .success(let contact) = columns.contact(from: record.values),
            contact.no.uppercased() == no.uppercased()
        else {
            throw Diagnostic(source: path, line: line, message: "contact '\(no)' is no longer where it was when the run started: " + changed)
        }
        return contact
    }

    /// Where number `no` (ignoring case) is among the contacts, 0 ..< `count`; nil when there is none. (A binary search
    /// of the sorted numbers; no file access.)
    public func position(of no: String) -> Int? {
        var wanted = no.uppercased()
        return wanted.withUTF8 { wanted in
            keyBytes.withUnsafeBufferPointer { bytes in
                keyEnds.withUnsafeBufferPointer { ends in
                    var low = 0
                    var high = lines.count
                    while low < high {
                        let middle = (low + high) / 2
                        let sign = Self.compare(Self.key(middle, bytes: bytes, ends: ends, width: keyWidth), wanted)
                        if sign == 0 { return middle }
                        if sign < 0 { low = middle + 1 } else { high = middle }
                    }
                    return nil
                }
            }
        }
    }

    /// Number `index`: of `width` bytes each when `width` is not 0, else ending at `ends[index]`.
    private static func key(_ index: Int, bytes: UnsafeBufferPointer<UInt8>, ends: UnsafeBufferPointer<UInt32>, width: Int) -> UnsafeBufferPointer<UInt8> {
        if width > 0 { return UnsafeBufferPointer(rebasing: bytes[index * width..<(index + 1) * width]) }
        let start = index == 0 ? 0 : Int(ends[index - 1])
        return UnsafeBufferPointer(rebasing: bytes[start..<Int(ends[index])])
    }

    /// Byte order: negative when `left` sorts first, 0 when equal.
    private static func compare(_ left: UnsafeBufferPointer<UInt8>, _ right: UnsafeBufferPointer<UInt8>) -> Int {
        let common = min(left.count, right.count)
        if common > 0, let l = left.baseAddress, let r = right.baseAddress {
            let order = memcmp(l, r, common)
            if order != 0 { return Int(order) }
        }
        return left.count - right.count
    }

    /// The problems of contacts whose number an earlier record has, in `ContactDirectory.scan`'s words (the number as
    /// the later record spells it, read again from the file).
    private static func duplicateProblems(_ duplicates: [(line: Int, offset: Int, earlier: Int)], path: String) -> [Diagnostic] {
        var reader = try? CSVRowReader(path: path)
        let columns = reader.map { ContactColumns(header: $0.header) }
        return duplicates.map { duplicate in
            var no = "?"
            if var current = reader, let columns {
                if (try? current.seek(toOffset: duplicate.offset, line: duplicate.line)) != nil,
                    let record = try? current.nextWithOffset(), case .success(let contact) = columns.contact(from: record.values)
                {
                    no = contact.no
                }
                reader = current
            }
            return ContactDirectory.duplicate(no, line: duplicate.line, earlier: duplicate.earlier, path: path)
        }
    }
}

/// Byte offsets into a file, 5 bytes each (files up to 1 TB): the low 32 bits and the high 8 in two arrays. An offset
/// of 1 TB or more sets `overflowed` (and is kept wrong): the caller refuses the file.
struct FileOffsets {
    private var low: [UInt32] = []
    private var high: [UInt8] = []
    private(set) var overflowed = false

    /// The largest offset kept: 2^40 - 1.
    static let limit = (1 << 40) - 1

    init() {}

    /// `count` offsets, without room for more.
    init(_ offsets: some Sequence<Int>, count: Int) {
        low.reserveCapacity(count)
        high.reserveCapacity(count)
        for offset in offsets { append(offset) }
    }

    var count: Int { low.count }

    mutating func append(_ offset: Int) {
        if offset < 0 || offset > Self.limit { overflowed = true }
        low.append(UInt32(truncatingIfNeeded: offset))
        high.append(UInt8(truncatingIfNeeded: offset >> 32))
    }

    subscript(index: Int) -> Int { Int(high[index]) << 32 | Int(low[index]) }
}
