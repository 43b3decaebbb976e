import Foundation
import InteractionLog
import Segments

/// Segment numbers from the number series (`setup.yaml`'s `segmentNos` in the templates
/// folder), reserved in the interaction log database.
///
/// Why the database and not a lock file: the database already decides which numbers are
/// logged, so "used" has one source, and SQLite's write lock (an IMMEDIATE transaction that
/// reads the used numbers, picks the next, and records it) serialises two processes asking at
/// once without a second locking scheme, stale lock files, or rewriting the commented setup
/// file. A number handed out stays used even if its segment is never logged.
enum SegmentNumbering {
    /// The segment number series: `segmentNos` of the setup file, else (no setup file) the
    /// numbers after `after`; `nil` when there is neither.
    static func series(templatesDirectory: String, after: String?) throws(MailMergeError) -> NumberSeriesSetup? {
        let setup: MarketingSetup?
        do { setup = try MarketingSetup.load(directory: templatesDirectory) } catch { throw .validation(error.diagnostics) }
        if let series = setup?.segmentNos { return series }
        guard let after, let next = NumberSeries.next(after: after) else { return nil }
        var series = NumberSeriesSetup(startingNo: next)
        series.source = "segment number \(after)"
        return series
    }

    /// The segment file `folder/<no>.yaml`.
    static func file(_ no: String, in folder: String) -> String {
        (folder.isEmpty ? "" : folder + "/") + SafeFileName.make(no + ".yaml")
    }

    /// Reserves the next number of `series` (or exactly `explicit`) in `log`, skipping numbers
    /// reserved or logged before and numbers whose segment file exists in `folder`.
    ///
    /// - Throws: when the series is exhausted, or `explicit` is used already.
    static func reserve(series: NumberSeriesSetup?, explicit: String? = nil, folder: String, log: InteractionLogLocation) throws(MailMergeError) -> String {
        guard explicit != nil || series != nil else {
            throw .validation([
                Diagnostic(
                    source: MarketingSetup.fileName,
                    message: "no segment number given and no number series: add segmentNos to setup.yaml in the templates folder "
                        + "(see Templates/setup.yaml) or give the number")
            ])
        }
        let store = try log.creating()
        var problem: Diagnostic?
        do {
            return try store.reserveSegmentNo { used in
                do throws(Diagnostic) {
                    if let explicit {
                        if used.contains(explicit.uppercased()) {
                            throw Diagnostic(source: explicit, message: "segment number \(explicit) is used already (handed out or logged); choose another one")
                        }
                        return explicit
                    }
                    return try series!.next(used: used) { FileManager.default.fileExists(atPath: file($0, in: folder)) }
                } catch {
                    problem = error
                    throw error
                }
            }
        } catch {
            if let problem { throw .validation([problem]) }
            throw .log(error as? InteractionLogError ?? .failed(reason: "\(error)"))
        }
    }

    /// Why `no` cannot be given to a new segment (file exists, or the number is used in the
    /// existing log), if it cannot; reads only.
    static func problems(with no: String, folder: String, log: InteractionLogLocation) throws(MailMergeError) -> [Diagnostic] {
        var problems: [Diagnostic] = []
        if let store = try log.existing(), let use = try logOperation({ try store.segmentNumberUse(no) }) {
            let how = use.loggedAt != nil ? "logged" : "handed out by the number series"
            problems.append(Diagnostic(source: no, message: "segment number \(no) was \(how) already; a segment number is used once, choose another one"))
        }
        return problems
    }
}
