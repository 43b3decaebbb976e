/// The contacts of a contacts CSV looked up by number without holding them: the file is read once, every
/// record checked as `ContactDirectory.load` checks it, and only each contact's byte offset kept; a lookup
/// reads and parses that one record again. Memory: one number and two integers per contact, whatever its
/// columns hold. Lookups are serialised by the caller (the reader is not thread-safe).
public final class ContactIndex {
    /// The contacts file.
    public let path: String
    /// Per contact number (uppercased): where its record starts, and its line (for diagnostics).
    private var places: [String: (offset: Int, line: Int)] = [:]
    private var reader: CSVRowReader
    private let columns: ContactColumns

    /// The number of contacts.
    public var count: Int { places.count }

    /// Reads and checks the contacts CSV at `path` (see `ContactDirectory.load`); throws every problem found.
    public init(csv path: String) throws(ValidationFailure) {
        self.path = path
        var places: [String: (offset: Int, line: Int)] = [:]
        let (reader, columns) = try ContactDirectory.scan(csv: path) { contact, line, offset in
            let key = contact.no.uppercased()
            if let earlier = places[key] { return earlier.line }
            places[key] = (offset, line)
            return nil
        }
        self.places = places
        self.reader = reader
        self.columns = columns
    }

    /// Whether there is a contact with number `no` (ignoring case), without reading it.
    public func contains(_ no: String) -> Bool { places[no.uppercased()] != nil }

    /// The contact with number `no`, ignoring case; nil when there is none. Reads its record from the file.
    ///
    /// - Throws: a `Diagnostic` naming the file and line when the file cannot be read again or changed since it
    ///   was indexed.
    public func contact(_ no: String) throws(Diagnostic) -> Contact? {
        guard let place = places[no.uppercased()] else { return nil }
        try reader.seek(toOffset: place.offset, line: place.line)
        guard let record = try reader.nextWithOffset(), record.offset == place.offset,
            case .success(let contact) = columns.contact(from: record.values), contact.no.uppercased() == no.uppercased()
        else {
            throw Diagnostic(
                source: path, line: place.line,
                message: "contact '\(no)' is no longer where it was when the run started; the contacts file changed during the run, run it again")
        }
        return contact
    }
}
