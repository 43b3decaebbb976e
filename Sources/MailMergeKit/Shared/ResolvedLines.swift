import Foundation
import Segments

/// A segment's resolved lines without holding them: each line is resolved and checked once, a batch at a time (on
/// another thread while the run writes the batches before: `CheckedBatches`, or all before the run: `Inputs.segmentLines`);
/// the batches in hand are kept (`keep`), and a line read later is resolved again with the lines around it, a batch at a
/// time (`Defaults.batchSize` lines; the last few batches read are kept), its contact read from the contacts file through
/// an index of offsets (`ContactIndex`). Memory does not grow with the segment beyond its `SegmentLine`s and a byte per
/// line checked (`hasAttachment`, `correspondenceType`).
struct ResolvedLines: RandomAccessCollection, Sendable {
    fileprivate let source: Source
    let startIndex = 0
    let endIndex: Int

    fileprivate init(source: Source, count: Int) {
        self.source = source
        endIndex = count
    }

    /// Line `position`. When it no longer resolves as it was checked (an input changed during the run) this is a stand-in
    /// (the first line) and `unchanged()` throws from then on: a run checks it before it writes a batch and before it logs.
    subscript(position: Int) -> ResolvedLine { source.line(position) }

    /// Resolves lines `range` at once and keeps them among the last batches read, so reading them costs one
    /// resolution each (a distributed worker's chunk, which batches of `Defaults.batchSize` lines would straddle).
    func prefetch(_ range: Range<Int>) { source.prefetch(range) }

    /// Resolves and checks every line at once, a batch at a time, giving `visit` each one; throws every problem.
    func checkAll(visit: (Int, ResolvedLine) -> Void) throws(MailMergeError) {
        let problems = source.check(size: Defaults.batchSize) { start, batch in
            for (offset, line) in batch.enumerated() { visit(start + offset, line) }
        }
        try unchanged()
        if !problems.isEmpty { throw .validation(problems) }
    }

    /// Keeps `lines` (lines `start...`, just checked) among the last batches read, so reading them resolves nothing again.
    func keep(_ lines: [ResolvedLine], from start: Int) { source.keep(lines, from: start) }

    /// The templates catalogue the lines are resolved with.
    var catalogue: TemplateCatalogue { source.catalogue }

    /// Throws when a line read so far no longer resolved as it was checked: the contacts file (or the segment or a
    /// template) changed in place during the run. Nothing read since is valid; the run must stop without logging.
    func unchanged() throws(MailMergeError) {
        if let problem = source.problem { throw problem }
    }

    /// Whether line `index` has a document to merge (`attachmentPath != nil`), without resolving it (when checked).
    func hasAttachment(_ index: Int) -> Bool { source.fact(index).map { $0 & 0x80 != 0 } ?? (self[index].attachmentPath != nil) }

    /// Line `index`'s correspondence type, without resolving it (when checked).
    func correspondenceType(_ index: Int) -> CorrespondenceType {
        source.fact(index).map { CorrespondenceType.allCases[Int($0 & 0x7f)] } ?? self[index].correspondenceType
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
        /// Guards `contacts` (its reader), `batches`, `facts`, `changed` and `standIn`.
        private let lock = NSLock()
        private let contacts: ContactIndex
        /// The batches read or kept last, most recent first: first line index and the lines (at most `kept`).
        private var batches: [(start: Int, lines: [ResolvedLine])] = []
        private let kept = 4
        /// Per line checked so far (`check`): bit 7 set when it has an attachment; the low bits its correspondence
        /// type's position in `CorrespondenceType.allCases`. Empty: lines checked elsewhere (`Inputs.checkedSegmentLines`).
        private var facts: [UInt8] = []
        /// The first problem met resolving a line again (or reading a contact while checking), and what is read instead
        /// of a line that no longer resolves: the first line checked.
        private var changed: MailMergeError?
        private var standIn: ResolvedLine?

        init(
            segment: Segment, catalogue: TemplateCatalogue, contacts: ContactIndex, salespeople: Salespeople, setup: CorrespondenceSetup,
            templatesDirectory: String
        ) {
            self.segment = segment
            self.catalogue = catalogue
            self.contacts = contacts
            self.salespeople = salespeople
            self.setup = setup
            self.templatesDirectory = templatesDirectory
        }

        var source: String { segment.path ?? segment.header.no }

        var problem: MailMergeError? {
            lock.lock()
            defer { lock.unlock() }
            return changed
        }

        func fact(_ index: Int) -> UInt8? {
            lock.lock()
            defer { lock.unlock() }
            return index < facts.count ? facts[index] : nil
        }

        func line(_ index: Int) -> ResolvedLine {
            lock.lock()
            defer { lock.unlock() }
            // The batch in hand is the most recent one: looked at first.
            for batch in batches where batch.start <= index && index < batch.start + batch.lines.count {
                return batch.lines[index - batch.start]
            }
            let start = index - index % Defaults.batchSize
            let lines = resolve(start..<Swift.min(start + Defaults.batchSize, segment.lines.count))
            insert(lines, from: start)
            return lines[index - start]
        }

        func prefetch(_ range: Range<Int>) {
            lock.lock()
            defer { lock.unlock() }
            guard !batches.contains(where: { $0.start == range.lowerBound && $0.lines.count == range.count }) else { return }
            insert(resolve(range), from: range.lowerBound)
        }

        func keep(_ lines: [ResolvedLine], from start: Int) {
            lock.lock()
            defer { lock.unlock() }
            insert(lines, from: start)
        }

        /// Under `lock`.
        private func insert(_ lines: [ResolvedLine], from start: Int) {
            batches.insert((start, lines), at: 0)
            if batches.count > kept { batches.removeLast() }
        }

        /// Lines `range`, as `check` found them (the segment had no problem).
        private func resolve(_ range: Range<Int>) -> [ResolvedLine] {
            var lines: [ResolvedLine] = []
            var failed: [Int] = []
            lines.reserveCapacity(range.count)
            for index in range {
                // The run checked this line: it can only fail now if an input changed in place under the run.
                do throws(Diagnostic) {
                    let contact = try contacts.contact(segment.lines[index].contactNo)
                    guard var line = SegmentResolver.resolveChecked(segment, index: index, contact: contact, catalogue: catalogue) else {
                        throw Diagnostic(
                            source: source, line: segment.source.flatMap { index < $0.lineLines.count ? $0.lineLines[index] : nil },
                            message: "lineNo \(segment.lines[index].lineNo) (contact '\(segment.lines[index].contactNo)') no longer resolves as it was "
                                + "checked: its contact in \(segment.contactsPath) or the templates changed during the run; leave them unchanged while "
                                + "a run reads them and run it again")
                    }
                    salespeople.apply(to: &line)
                    lines.append(line)
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

        /// Resolves and checks every line in order, `size` lines at a time, giving `handOver` each batch (with their
        /// salespeople and correspondence fields) while no problem is found; records each line's facts. Returns the
        /// problems: the resolution's, else the correspondence fields'. A contact that can no longer be read (the contacts
        /// file changed during the check) makes `unchanged()` throw.
        /// `noticed` is called once, as soon as a problem is seen (before the check ends).
        func check(size: Int, noticed: () -> Void = {}, handOver: (_ start: Int, _ lines: [ResolvedLine]) -> Void) -> [Diagnostic] {
            lock.lock()
            facts.reserveCapacity(segment.lines.count)
            lock.unlock()
            var batch: [ResolvedLine] = []
            batch.reserveCapacity(size)
            var first = 0
            var clean = true
            var told = false
            func notice() {
                clean = false
                if !told { noticed() }
                told = true
            }
            var reported = Set<String>()
            var fieldProblems: [Diagnostic] = []
            func flush() {
                fieldProblems += CorrespondenceFields.apply(
                    to: &batch, setup: setup, templatesDirectory: templatesDirectory, source: source, reported: &reported)
                if !fieldProblems.isEmpty { notice() }
                lock.lock()
                if standIn == nil { standIn = batch.first }
                for line in batch { facts.append(ResolvedLines.fact(of: line)) }
                lock.unlock()
                if clean && !batch.isEmpty { handOver(first, batch) }
                first += batch.count
                batch = []
                batch.reserveCapacity(size)
            }
            let lookUp = { (no: String) throws(Diagnostic) -> Contact? in
                do throws(Diagnostic) { return try self.lockedContact(no) } catch {
                    notice()
                    throw error
                }
            }
            let contacts = self.contacts
            let problems = SegmentResolver.resolve(
                segment, contact: lookUp, positions: (contacts.count, { contacts.position(of: $0) }), catalogue: catalogue
            ) { index, line in
                // The resolution visits no line after its first problem: a line skipped is one.
                if index != first + batch.count { notice() }
                guard clean else { return }
                batch.append(line)
                salespeople.apply(to: &batch[batch.count - 1])
                if batch.count == size { flush() }
            }
            if !problems.isEmpty {
                notice()
                return problems
            }
            flush()
            return fieldProblems
        }

        /// Contact `no`, read under `lock`; a contact that can no longer be read makes `unchanged()` throw.
        private func lockedContact(_ no: String) throws(Diagnostic) -> Contact? {
            lock.lock()
            defer { lock.unlock() }
            do throws(Diagnostic) { return try contacts.contact(no) } catch {
                if changed == nil { changed = .inputChanged(error) }
                throw error
            }
        }
    }
}

/// A segment's lines checked on a thread of their own, a batch at a time, while the run writes the batches checked
/// before: `next` gives them in order while no problem is found (at most `ahead` batches wait), `problems` every problem
/// once every line is checked. `stop` when no more batches are wanted.
final class CheckedBatches: @unchecked Sendable {
    // @unchecked: every mutable property is guarded by `condition`.
    private let condition = NSCondition()
    private var ready: [(start: Int, lines: [ResolvedLine])] = []
    private var found: [Diagnostic]?
    private var stopped = false
    private var troubled = false
    private static let ahead = 2

    /// Starts checking `lines` (`Inputs.uncheckedSegmentLines`) in batches of `size`.
    init(_ lines: ResolvedLines, size: Int) {
        let source = lines.source
        let thread = Thread { [self] in
            let problems = source.check(size: size, noticed: { self.noteProblem() }) { start, batch in
                condition.lock()
                defer { condition.unlock() }
                // Once a problem is found no batch is wanted: the check goes on only to find every problem.
                while ready.count >= Self.ahead && !stopped && !troubled { condition.wait() }
                if !stopped && !troubled { ready.append((start, batch)) }
                condition.broadcast()
            }
            condition.lock()
            found = problems
            troubled = troubled || !problems.isEmpty || source.problem != nil
            condition.broadcast()
            condition.unlock()
        }
        thread.name = "segment check"
        thread.stackSize = 8 << 20
        thread.start()
    }

    /// The next batch checked, in line order; nil once no more come (every line checked, or a problem found).
    func next() -> (start: Int, lines: [ResolvedLine])? {
        condition.lock()
        defer { condition.unlock() }
        while ready.isEmpty && found == nil && !troubled { condition.wait() }
        guard !ready.isEmpty && !troubled else { return nil }
        condition.broadcast()
        return ready.removeFirst()
    }

    /// Whether no problem was found yet among the lines checked so far.
    var clean: Bool {
        condition.lock()
        defer { condition.unlock() }
        return !troubled
    }

    /// Marks the check as having found a problem (called by the check as soon as it sees one, or by the reader of the
    /// batches when it finds one in them: an attachment that does not compile).
    func noteProblem() {
        condition.lock()
        troubled = true
        condition.broadcast()
        condition.unlock()
    }

    /// Every problem found, once every line is checked (waits for it).
    var problems: [Diagnostic] {
        condition.lock()
        defer { condition.unlock() }
        while found == nil { condition.wait() }
        return found!
    }

    /// No more batches are wanted: the check goes on to its end without handing any over; waits for it.
    func stop() {
        condition.lock()
        defer { condition.unlock() }
        stopped = true
        ready = []
        condition.broadcast()
        while found == nil { condition.wait() }
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
            segment: segment, catalogue: catalogue, contacts: contacts, salespeople: salespeople, setup: setup, templatesDirectory: templatesDirectory)
        return (segment, ResolvedLines(source: source, count: segment.lines.count))
    }

    /// The segment file at `segmentPath` and what resolving its lines needs (the catalogue, the contacts' index, the
    /// salespeople), every problem loading them reported at once; no line is resolved or checked yet: check them all
    /// at once (`segmentLines`) or a batch at a time while writing (`CheckedBatches`).
    static func uncheckedSegmentLines(at segmentPath: String, templatesDirectory: String) throws(MailMergeError) -> (Segment, ResolvedLines) {
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
            segment: segment, catalogue: catalogue, contacts: contacts, salespeople: salespeople, setup: setup, templatesDirectory: templatesDirectory)
        return (segment, ResolvedLines(source: source, count: segment.lines.count))
    }

    /// The segment file at `segmentPath` and its lines, checked (every problem reported at once, as
    /// `segment(at:templatesDirectory:)`), each line given to `visit` once as it is checked; the lines are not held but
    /// resolved again when read (`ResolvedLines`).
    static func segmentLines(at segmentPath: String, templatesDirectory: String, visit: (Int, ResolvedLine) -> Void = { _, _ in })
        throws(MailMergeError) -> (Segment, ResolvedLines)
    {
        let (segment, lines) = try uncheckedSegmentLines(at: segmentPath, templatesDirectory: templatesDirectory)
        try lines.checkAll(visit: visit)
        return (segment, lines)
    }
}
