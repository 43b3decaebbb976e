import Segments

/// Loading what a run merges: the interaction templates, the contacts, a segment, and
/// resolving the segment's lines. Every problem found is reported at once.
enum Inputs {
    /// The template catalogue in `templatesDirectory` and the contacts in `contactsPath`.
    static func catalogueAndContacts(templatesDirectory: String, contactsPath: String)
        throws(MailMergeError) -> (TemplateCatalogue, ContactDirectory)
    {
        var diagnostics: [Diagnostic] = []
        var catalogue: TemplateCatalogue?
        var contacts: ContactDirectory?
        do { catalogue = try TemplateCatalogue.load(directory: templatesDirectory) } catch { diagnostics += error.diagnostics }
        do { contacts = try ContactDirectory.load(csv: contactsPath) } catch { diagnostics += error.diagnostics }
        guard let catalogue, let contacts else { throw .validation(diagnostics) }
        return (catalogue, contacts)
    }

    /// The segment file at `segmentPath` and its resolved lines, all held (`segmentLines` resolves them a batch at a time).
    static func segment(at segmentPath: String, templatesDirectory: String) throws(MailMergeError) -> (Segment, [ResolvedLine]) {
        var lines: [ResolvedLine] = []
        // `lines` holds them: the `ResolvedLines` is dropped (it keeps only the last few batches read).
        let (segment, _) = try segmentLines(at: segmentPath, templatesDirectory: templatesDirectory) { _, line in lines.append(line) }
        return (segment, lines)
    }

    /// Gives `lines` their salespeople's name, e-mail and phone from `salespeople.yaml` in the templates folder
    /// (when there is one); in place, as a second array of every resolved line would double a large segment's memory.
    static func addSalespeople(to lines: inout [ResolvedLine], templatesDirectory: String) throws(MailMergeError) {
        let salespeople: Salespeople
        do { salespeople = try Salespeople.load(directory: templatesDirectory) } catch { throw .validation(error.diagnostics) }
        guard !salespeople.salespeople.isEmpty else { return }
        for index in lines.indices { lines[index] = salespeople.apply(to: lines[index]) }
    }
}
