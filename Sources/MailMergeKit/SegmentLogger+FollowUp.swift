import Foundation
import InteractionLog
import Segments

extension SegmentLogger {
    /// Why `segment` cannot be logged in `log`: its number is logged (active: with its entry
    /// and count), or was logged before and canceled or deleted — a segment number is logged once.
    static func loggedBefore(_ segment: Segment, path: String, log: InteractionLogLocation) throws(MailMergeError) -> [Diagnostic] {
        guard let store = try log.existing() else { return [] }
        let line = segment.source?.headerKeyLines["no"]
        if let logged = try logOperation({ try store.loggedSegment(no: segment.header.no) }) {
            return [
                Diagnostic(
                    source: path, line: line,
                    message: "segment \(segment.header.no) is already logged (logged segment \(logged.entryNo), \(logged.numberOfInteractions) "
                        + "interactions); a new mailing is a follow-up segment: `mailmerge segment from-logged \(logged.entryNo) --contacts CSV`")
            ]
        }
        if let use = try logOperation({ try store.segmentNumberUse(segment.header.no) }), use.loggedAt != nil {
            return [
                Diagnostic(
                    source: path, line: line,
                    message: "segment \(segment.header.no) was logged before (its logged segment was canceled or deleted); a segment number is "
                        + "logged only once, canceled or not: give the segment a new number (`mailmerge segment new` takes the next one)")
            ]
        }
        return []
    }

    /// The follow-up segment and its file, with its number reserved from the number series
    /// (`SegmentNumbering`): `header.nextFollowUpNo` when set, else the next number. Reserved
    /// only once everything else checked out, so a refused run uses up no number.
    static func followUpPlan(_ segment: Segment, request: LogSegmentRequest, log: InteractionLogLocation) throws(MailMergeError) -> (
        segment: Segment, path: String
    ) {
        let folder = (request.segmentPath as NSString).deletingLastPathComponent
        let explicit = segment.header.nextFollowUpNo.flatMap { $0.trimmingCharacters(in: .whitespaces).isEmpty ? nil : $0 }
        if let explicit, FileManager.default.fileExists(atPath: SegmentNumbering.file(explicit, in: folder)) {
            throw .validation([
                Diagnostic(
                    source: SegmentNumbering.file(explicit, in: folder),
                    message: "the follow-up segment file exists already; move it away or log without --follow-up")
            ])
        }
        let series = try SegmentNumbering.series(templatesDirectory: request.templatesDirectory, after: segment.header.no)
        guard explicit != nil || series != nil else {
            throw .validation([
                Diagnostic(
                    source: segment.path ?? segment.header.no, line: segment.source?.headerKeyLines["no"],
                    message: "segment number '\(segment.header.no)' does not end in digits and there is no number series (setup.yaml), so the "
                        + "follow-up's number cannot be derived; set header.nextFollowUpNo")
            ])
        }
        let no = try SegmentNumbering.reserve(series: series, explicit: explicit, folder: folder, log: log)
        let followUp = segment.followUp(
            no: no, date: request.followUpDate ?? Day.today, templateCode: request.followUpTemplate,
            keepLineOverrides: request.keepLineOverrides, follows: FollowedSegment(segmentNo: segment.header.no, loggedSegment: nil))
        return (followUp, SegmentNumbering.file(no, in: folder))
    }

    /// Marks the segment file logged (`Segment.markLogged`, prepared while the run wrote the letters when `prepared`):
    /// from now on it is retired.
    static func retire(_ path: String, logged: LoggedSegment, prepared: PreparedLoggedMark? = nil) throws(MailMergeError) {
        let mark = LoggedMark(loggedSegment: logged.entryNo, at: logged.createdAt)
        do {
            if let prepared { try prepared.write(mark) } else { try Segment.markLogged(path: path, as: mark) }
        } catch {
            throw .io(path: path, message: "segment logged as logged segment \(logged.entryNo), but the file could not be marked logged (\(error))")
        }
    }
}
