import Foundation
import Segments

/// A segment's resolved lines without holding them: the segment is checked once (`Inputs.segmentLines`), and a
/// line read later is resolved again with the lines around it, a batch at a time (`Defaults.batchSize` lines; the
/// last few batches read are kept), its contact read from the contacts file through an index of offsets
/// (`ContactIndex`). Reading the lines in order costs one resolution per line; memory does not grow with the
/// segment beyond its `SegmentLine`s and a byte per line (`hasAttachment`, `correspondenceType`).
struct ResolvedLines: RandomAccessCollection, Sendable {
    private let source: Source
    let startIndex = 0
    let endIndex: Int
    /// Per line: bit 7 set when it has an attachment; the low bits its correspondence type's position in
    /// `CorrespondenceType.allCases`.
    private let facts: [UInt8]

    /// `facts` empty: lines not checked here (`Inputs.checkedSegmentLines`), `count` of them.
    fileprivate init(source: Source, facts: [UInt8], count: Int? = nil) {
        self.source = source
        self.facts = facts
        endIndex = count ?? facts.count
    }

    /// Line `position`. When it no longer resolves as it was checked (an input changed during the run) this is a stand-in
    /// (the first line) and `unchanged()` throws from then on: a run checks it before it writes a batch and before it logs.
    subscript(position: Int) -> ResolvedLine { source.line(position) }

    /// Resolves lines `range` at once and keeps them among the last batches read, so reading them costs one
    /// resolution each (a distributed worker's chunk, which batches of `Defaults.batchSize` lines would straddle).
    func prefetch(_ range: Range<Int>) { source.prefetch(range) }

    /// Throws when a line read so far no longer resolved as it was checked: the contacts file (or the segment or a
    /// template) changed in place during the run. Nothing read since is valid; the run must stop without logging.
    func unchanged() throws(MailMergeError) {
        if let problem = source.problem { throw problem }
    }

    /// Whether line `index` has a document to merge (`attachmentPath != nil`), without resolving it (when checked).
    func hasAttachment(_ index: Int) -> Bool { facts.isEmpty ? self[index].attachmentPath != nil : facts[index] & 0x80 != 0 }

    /// Line `index`'s correspondence type, without resolving it (when checked).
    func correspondenceType(_ index: Int) -> CorrespondenceType {
        facts.isEmpty ? self[index].correspondenceType : CorrespondenceType.allCases[Int(facts[index] & 0x7f)]
    }

    static func fact(of line: ResolvedLine) -> UInt8 {
        UInt8(CorrespondenceType.allCases.firstIndex(of: line.correspondenceType) ?? 0) | (line.attachmentPath == nil ? 0 : 0x80)
    }

    /// What resolving a batch of lines needs, loaded once.
    fileprivate final class Source: @unchecked Sendable {
        let segment: Segment
        let catalogue: TemplateCatalogue
        let salespeople: Salespeople
        let setup: CorrespondenceSetup
        let templatesDirectory: String
        /// Guards `contacts` (its reader) and `batches`.
        private let lock = NSLock()
        private let contacts: ContactIndex
        /// The batches read last, most recent first: first line index and the lines.
        private var batches: [(start: Int, lines: [ResolvedLine])] = []
        /// How many batches are kept: all of them (filled by `check`, so each line is resolved once) when the segment
        /// has at most `holding` lines (`Defaults.linesHeldResolved`), else the last 4.
        private let kept: Int
        /// The first problem met resolving a line again (guarded by `lock`), and what is read instead: the first line checked.
        private var changed: MailMergeError?
        private var standIn: ResolvedLine?

        init(
            segment: Segment, catalogue: TemplateCatalogue, contacts: ContactIndex, salespeople: Salespeople, setup: CorrespondenceSetup,
            templatesDirectory: String, holding: Int
        ) {
            self.segment = segment
            self.catalogue = catalogue
            self.contacts = contacts
            self.salespeople = salespeople
            self.setup = setup
            self.templatesDirectory = templatesDirectory
            kept = segment.lines.count <= holding ? Int.max : 4
        }

        var source: String { segment.path ?? segment.header.no }

        var problem: MailMergeError? {
            lock.lock()
            defer { lock.unlock() }
            return changed
        }

        func line(_ index: Int) -> ResolvedLine {
            lock.lock()
            defer { lock.unlock() }
            if let found = batches.firstIndex(where: { $0.start <= index && index < $0.start + $0.lines.count }) {
                return batches[found].lines[index - batches[found].start]
            }
            let start = index - index % Defaults.batchSize
            let lines = resolve(start..<Swift.min(start + Defaults.batchSize, segment.lines.count))
            batches.insert((start, lines), at: 0)
            if batches.count > kept { batches.removeLast() }
            return lines[index - start]
        }

        func prefetch(_ range: Range<Int>) {
            lock.lock()
            defer { lock.unlock() }
            guard !batches.contains(where: { $0.start == range.lowerBound && $0.lines.count == range.count }) else { return }
            batches.insert((range.lowerBound, resolve(range)), at: 0)
            if batches.count > kept { batches.removeLast() }
        }

        /// Lines `range`, as `Inputs.segmentLines` checked them (the segment had no problem).
        private func resolve(_ range: Range<Int>) -> [ResolvedLine] {
            var lines: [ResolvedLine] = []
            var failed: [Int] = []
            lines.reserveCapacity(range.count)
            for index in range {
                // The run checked this line: it can only fail now if an input changed in place under the run.
                do throws(Diagnostic) {
                    let contact = try contacts.contact(segment.lines[index].contactNo)
                    guard let line = SegmentResolver.resolveChecked(segment, index: index, contact: contact, catalogue: catalogue) else {
                        throw Diagnostic(
                            source: source, line: segment.source.flatMap { index < $0.lineLines.count ? $0.lineLines[index] : nil },
                            message: "lineNo \(segment.lines[index].lineNo) (contact '\(segment.lines[index].contactNo)') no longer resolves as it was "
                                + "checked: its contact in \(segment.contactsPath) or the templates changed during the run; leave them unchanged while "
                                + "a run reads them and run it again")
                    }
                    lines.append(salespeople.apply(to: line))
                } catch {
                    if changed == nil { changed = .inputChanged(error) }
                    failed.append(lines.count)
                    lines.append(lines.last ?? standIn ?? blank(index))
                }
            }
            // A failed line read before any line resolved stands in for the first one that did (the run stops anyway).
            if let good = lines.indices.first(where: { !failed.contains($0) }) {
                for position in failed where position < good { lines[position] = lines[good] }
            }
            var reported = Set<String>()
            _ = CorrespondenceFields.apply(to: &lines, setup: setup, templatesDirectory: templatesDirectory, source: source, reported: &reported)
            return lines
        }

        /// A stand-in for line `index` when it no longer resolves and no line resolved before it (a distributed worker,
        /// which checks no line itself): its contact blank. Only read by a run that then stops (`unchanged()` throws).
        private func blank(_ index: Int) -> ResolvedLine {
            let contact = Contact(no: segment.lines[index].contactNo)
            guard let line = SegmentResolver.resolveIgnoringProblems(segment, index: index, contact: contact, catalogue: catalogue) else {
                preconditionFailure("lineNo \(segment.lines[index].lineNo) was checked, so its template is in the catalogue loaded with it")
            }
            return line
        }

        /// Resolves and checks every line, a batch at a time, giving `visit` each one (with its salesperson and
        /// correspondence fields) while there is no problem yet; returns the facts per line, or throws every problem.
        func check(visit: (Int, ResolvedLine) -> Void) throws(MailMergeError) -> [UInt8] {
            var facts: [UInt8] = []
            facts.reserveCapacity(segment.lines.count)
            var batch: [ResolvedLine] = []
            var first = 0
            var reported = Set<String>()
            var fieldProblems: [Diagnostic] = []
            func flush() {
                fieldProblems += CorrespondenceFields.apply(
                    to: &batch, setup: setup, templatesDirectory: templatesDirectory, source: source, reported: &reported)
                if standIn == nil { standIn = batch.first }
                for (offset, line) in batch.enumerated() {
                    facts.append(ResolvedLines.fact(of: line))
                    visit(first + offset, line)
                }
                if kept == Int.max, !batch.isEmpty, fieldProblems.isEmpty {
                    lock.lock()
                    batches.insert((first, batch), at: 0)
                    lock.unlock()
                }
                first += batch.count
                batch.removeAll(keepingCapacity: true)
            }
            let lookUp = { (no: String) throws(Diagnostic) -> Contact? in try self.contacts.contact(no) }
            let contacts = self.contacts
            let problems = SegmentResolver.resolve(
                segment, contact: lookUp, positions: (contacts.count, { contacts.position(of: $0) }), catalogue: catalogue
            ) { _, line in
                batch.append(salespeople.apply(to: line))
                if batch.count == Defaults.batchSize { flush() }
            }
            if !problems.isEmpty { throw .validation(problems) }
            flush()
            if !fieldProblems.isEmpty { throw .validation(fieldProblems) }
            return facts
        }
    }
}

extension Inputs {
    /// The lines of the segment file at `segmentPath`, checked before (a distributed run's worker: its coordinator
    /// checked every line when it planned the run, and the worker checks each chunk's contacts against the plan):
    /// nothing is resolved here; a line is resolved when read, a batch at a time (`ResolvedLines.prefetch`).
    static func checkedSegmentLines(at segmentPath: String, templatesDirectory: String) throws(MailMergeError) -> (Segment, ResolvedLines) {
        let segment: Segment
        do { segment = try Segment.load(path: segmentPath) } catch { throw .validation(error.diagnostics) }
        return try checkedSegmentLines(segment, templatesDirectory: templatesDirectory)
    }

    /// The lines of `segment`, checked before (as `checkedSegmentLines(at:templatesDirectory:)`, for a segment already
    /// loaded: a distributed worker's, decoded from the run).
    static func checkedSegmentLines(_ segment: Segment, templatesDirectory: String) throws(MailMergeError) -> (Segment, ResolvedLines) {
        let catalogue: TemplateCatalogue
        let contacts: ContactIndex
        let salespeople: Salespeople
        do { catalogue = try TemplateCatalogue.load(directory: templatesDirectory) } catch { throw .validation(error.diagnostics) }
        do { contacts = try ContactIndex(csv: segment.contactsPath) } catch { throw .validation(error.diagnostics) }
        do { salespeople = try Salespeople.load(directory: templatesDirectory) } catch { throw .validation(error.diagnostics) }
        let setup = try CorrespondenceFields.setup(templatesDirectory: templatesDirectory)
        let source = ResolvedLines.Source(
            segment: segment, catalogue: catalogue, contacts: contacts, salespeople: salespeople, setup: setup, templatesDirectory: templatesDirectory,
            holding: 0)
        return (segment, ResolvedLines(source: source, facts: [], count: segment.lines.count))
    }

    /// The segment file at `segmentPath` and its lines, checked (every problem reported at once, as
    /// `segment(at:templatesDirectory:)`), each line given to `visit` once as it is checked; the lines are not held but
    /// resolved again when read (`ResolvedLines`).
    static func segmentLines(
        at segmentPath: String, templatesDirectory: String, holding: Int = Defaults.linesHeldResolved, visit: (Int, ResolvedLine) -> Void = { _, _ in }
    )
        throws(MailMergeError) -> (Segment, ResolvedLines)
    {
        let segment: Segment
        do { segment = try Segment.load(path: segmentPath) } catch { throw .validation(error.diagnostics) }
        var diagnostics: [Diagnostic] = []
        var catalogue: TemplateCatalogue?
        var contacts: ContactIndex?
        do { catalogue = try TemplateCatalogue.load(directory: templatesDirectory) } catch { diagnostics += error.diagnostics }
        do { contacts = try ContactIndex(csv: segment.contactsPath) } catch { diagnostics += error.diagnostics }
        guard let catalogue, let contacts else { throw .validation(diagnostics) }
        let salespeople: Salespeople
        do { salespeople = try Salespeople.load(directory: templatesDirectory) } catch { throw .validation(error.diagnostics) }
        let setup = try CorrespondenceFields.setup(templatesDirectory: templatesDirectory)
        let source = ResolvedLines.Source(
            segment: segment, catalogue: catalogue, contacts: contacts, salespeople: salespeople, setup: setup, templatesDirectory: templatesDirectory,
            holding: holding)
        let facts = try source.check(visit: visit)
        return (segment, ResolvedLines(source: source, facts: facts))
    }
}
