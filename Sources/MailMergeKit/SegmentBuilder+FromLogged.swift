import Foundation
import InteractionLog
import Segments

extension SegmentBuilder {
    /// Creates a follow-up segment file with one line per contact of logged segment
    /// `request.loggedSegmentEntryNo` (in the order they were logged) in `log`.
    ///
    /// The header and lines start from the segment as it was logged (stored with the logged
    /// segment since the v3 log), made a follow-up as `Segment.followUp` says: new number and
    /// date, campaign, salesperson, subject and language kept, one-off line values dropped unless
    /// `keepLineOverrides`. For a segment logged before that, they are taken from its entries:
    /// campaign, salesperson and subject when all entries share them, a line's language when
    /// it differs from its contact's, its template when it differs from the most used one.
    /// The number is the next of the number series (see `SegmentNumbering`) unless `request.no`.
    public static func fromLogged(
        _ request: ReuseLoggedSegmentRequest,
        log: InteractionLogLocation
    ) throws(MailMergeError) -> (segment: Segment, path: String) {
        let store = try log.opened()
        guard let logged = try logOperation({ try store.loggedSegments() }).first(where: { $0.entryNo == request.loggedSegmentEntryNo }) else {
            throw .log(.unknownLoggedSegment(request.loggedSegmentEntryNo))
        }
        let entries = try logOperation { try store.entries(LogFilter(segmentNo: logged.segmentNo)) }
            .filter { $0.loggedSegmentEntryNo == logged.entryNo }
        let stored = try logOperation { try store.loggedSegmentFile(logged.entryNo) }

        var diagnostics: [Diagnostic] = []
        if let no = request.no {
            let path = request.path ?? SafeFileName.make(no + ".yaml")
            if FileManager.default.fileExists(atPath: path) {
                diagnostics.append(Diagnostic(source: path, message: "the segment file exists already; choose another number with --no or another --file"))
            }
            diagnostics += try SegmentNumbering.problems(with: no, folder: folder(of: path), log: log)
        } else if let path = request.path, FileManager.default.fileExists(atPath: path) {
            diagnostics.append(Diagnostic(source: path, message: "the segment file exists already; choose another --file"))
        }
        if let code = request.templateCode { diagnostics += templateProblems(code, templatesDirectory: request.templatesDirectory) }
        var contacts: ContactDirectory?
        do { contacts = try ContactDirectory.load(csv: request.contactsPath) } catch { diagnostics += error.diagnostics }

        let templateCode = request.templateCode ?? stored?.header.templateCode ?? mostUsedTemplate(entries)
        let storedLines = Dictionary((stored?.lines ?? []).map { ($0.contactNo.uppercased(), $0) }) { first, _ in first }
        var lines = SegmentLines()
        var seen = Set<String>()
        for entry in entries where seen.insert(entry.contactNo.uppercased()).inserted {
            let contact = contacts?[entry.contactNo]
            if contacts != nil, contact == nil {
                diagnostics.append(
                    Diagnostic(
                        source: request.contactsPath,
                        message: "contact '\(entry.contactNo)' of logged segment "
                            + "\(logged.entryNo) is not in the contacts CSV"))
            }
            let lineNo = (lines.count + 1) * Segment.lineNoStep
            if var line = storedLines[entry.contactNo.uppercased()] {
                line.lineNo = lineNo
                lines.append(line)
            } else {
                let ownTemplate = entry.templateCode.lowercased() == templateCode.lowercased() ? nil : entry.templateCode
                let ownLanguage = entry.languageCode.isEmpty || entry.languageCode.uppercased() == contact?.languageCode.uppercased() ? nil : entry.languageCode
                lines.append(SegmentLine(lineNo: lineNo, contactNo: entry.contactNo, templateCode: ownTemplate, languageCode: ownLanguage))
            }
        }
        if !diagnostics.isEmpty { throw .validation(diagnostics) }

        let no: String
        if let given = request.no {
            no = given
        } else {
            let series = try SegmentNumbering.series(templatesDirectory: request.templatesDirectory, after: logged.segmentNo)
            no = try SegmentNumbering.reserve(series: series, folder: folder(of: request.path ?? ""), log: log)
        }
        let path = request.path ?? SafeFileName.make(no + ".yaml")
        var base = stored ?? Segment(header: headerFromEntries(entries, logged: logged, templateCode: templateCode), lines: [])
        base.lines = lines
        var segment = base.followUp(
            no: no, date: request.date ?? Day.today, templateCode: templateCode, keepLineOverrides: request.keepLineOverrides,
            follows: FollowedSegment(segmentNo: logged.segmentNo, loggedSegment: logged.entryNo))
        segment.header.description = request.description ?? stored?.header.description ?? logged.description
        segment.header.contacts = contactsReference(request.contactsPath, segmentPath: path)
        try write(segment, to: path)
        return (segment, path)
    }

    /// A header for a logged segment that was logged without its segment (before the v3 log):
    /// the values all its entries share.
    private static func headerFromEntries(_ entries: [InteractionLogEntry], logged: LoggedSegment, templateCode: String) -> SegmentHeader {
        func shared(_ value: (InteractionLogEntry) -> String) -> String? {
            let values = Set(entries.map(value))
            return values.count == 1 ? values.first.flatMap { $0.isEmpty ? nil : $0 } : nil
        }
        let targets = Set(entries.map { $0.campaignTarget })
        let responses = Set(entries.map { $0.campaignResponse })
        return SegmentHeader(
            no: logged.segmentNo, description: logged.description, templateCode: templateCode,
            subject: shared { $0.subject }, salespersonCode: shared { $0.salespersonCode },
            date: entries.first?.date ?? Day.today, campaignNo: shared { $0.campaignNo },
            campaignTarget: targets == [true], campaignResponse: responses == [true], contacts: "")
    }
}
