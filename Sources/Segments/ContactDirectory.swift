/// The contacts of a contacts CSV, in file order, looked up by contact number.
public struct ContactDirectory: Sendable {
    /// The contacts in the order of the file.
    public let contacts: [Contact]
    private let indexByNo: [String: Int]

    /// Creates a directory from contacts with distinct numbers (compared ignoring case); the
    /// first one wins if a number repeats.
    public init(contacts: [Contact]) {
        self.contacts = contacts
        var index: [String: Int] = [:]
        for (position, contact) in contacts.enumerated() where index[contact.no.uppercased()] == nil {
            index[contact.no.uppercased()] = position
        }
        indexByNo = index
    }

    /// The contact with number `no`, ignoring case.
    public subscript(no: String) -> Contact? {
        indexByNo[no.uppercased()].map { contacts[$0] }
    }

    /// Loads the contacts CSV at `path`.
    ///
    /// Column names are the contact merge field names, matched ignoring case; only `ContactNo`
    /// is required. An empty `ContactType` means Person when a first name or surname is given,
    /// otherwise Company.
    ///
    /// - Throws: every problem found (missing column, empty or duplicate contact number, unknown
    ///   contact type or correspondence type, malformed CSV), each with its line.
    public static func load(csv path: String) throws(ValidationFailure) -> ContactDirectory {
        var contacts: [Contact] = []
        var firstLineByNo: [String: Int] = [:]
        _ = try scan(csv: path) { contact, line, _ in
            let key = contact.no.uppercased()
            if let earlier = firstLineByNo[key] { return earlier }
            firstLineByNo[key] = line
            contacts.append(contact)
            return nil
        }
        return ContactDirectory(contacts: contacts)
    }

    /// Reads the contacts CSV at `path` record by record, checking each as `load(csv:)` says, and gives `visit`
    /// each valid contact with its line and byte offset (it keeps the contact and returns nil, or returns the line of
    /// an earlier contact with the same number); throws every problem found once the file is read.
    /// Returns the reader (at the end of the file) and the column mapping, for reading records again.
    static func scan(csv path: String, visit: (Contact, _ line: Int, _ offset: Int) -> Int?) throws(ValidationFailure)
        -> (CSVRowReader, ContactColumns)
    {
        var reader: CSVRowReader
        do {
            reader = try CSVRowReader(path: path)
        } catch {
            throw ValidationFailure(diagnostics: [error])
        }
        let columns = ContactColumns(header: reader.header)
        guard columns.hasContactNo else {
            throw ValidationFailure(diagnostics: [
                Diagnostic(
                    source: path, line: 1,
                    message: "the contacts CSV has no 'ContactNo' column; its header must name the contact fields (ContactNo, FirstName, Surname, …)")
            ])
        }
        var diagnostics: [Diagnostic] = []
        do {
            while let (line, offset, values) = try reader.nextWithOffset() {
                switch columns.contact(from: values) {
                case .success(let contact):
                    if let earlier = visit(contact, line, offset) {
                        diagnostics.append(duplicate(contact.no, line: line, earlier: earlier, path: path))
                    }
                case .failure(let problems):
                    diagnostics += problems.messages.map { Diagnostic(source: path, line: line, message: $0) }
                }
            }
        } catch {
            diagnostics.append(error)
        }
        guard diagnostics.isEmpty else {
            throw ValidationFailure(diagnostics: diagnostics)
        }
        return (reader, columns)
    }

    /// The problem of contact number `no` on `line` of the contacts CSV at `path`, defined on line `earlier` already.
    static func duplicate(_ no: String, line: Int, earlier: Int, path: String) -> Diagnostic {
        Diagnostic(source: path, line: line, message: "contact '\(no)' is already defined on line \(earlier); contact numbers must be unique")
    }
}
