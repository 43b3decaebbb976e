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
        var contacts: [Contact] = []
        var diagnostics: [Diagnostic] = []
        var firstLineByNo: [String: Int] = [:]
        do {
            while let (line, values) = try reader.next() {
                switch columns.contact(from: values) {
                case .success(let contact):
                    if let earlier = firstLineByNo[contact.no.uppercased()] {
                        diagnostics.append(
                            Diagnostic(
                                source: path, line: line,
                                message: "contact '\(contact.no)' is already defined on line "
                                    + "\(earlier); contact numbers must be unique"))
                    } else {
                        firstLineByNo[contact.no.uppercased()] = line
                        contacts.append(contact)
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
        return ContactDirectory(contacts: contacts)
    }
}
