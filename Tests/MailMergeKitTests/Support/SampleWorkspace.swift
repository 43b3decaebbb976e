import Foundation
// The shared test support (CLI, Paths, ExternalCheck, DocxInspector, WordCorpus …) for every file of this target.
@_exported import MailMergeTestSupport

/// A scratch copy of the sample segment and its contacts, so tests can log, edit and rerun freely.
struct SampleWorkspace {
    let root: URL
    var segments: URL { root.appendingPathComponent("SampleSegments") }
    var segment: URL { segments.appendingPathComponent("SM00001.yaml") }
    var letters: URL { root.appendingPathComponent("letters") }
    var database: URL { root.appendingPathComponent("log.sqlite") }

    init() throws {
        root = try Paths.temporaryDirectory("mailmerge-segment")
        try FileManager.default.copyItem(at: Paths.sampleSegments, to: segments)
    }

    /// Where `preview` writes.
    var previews: URL { root.appendingPathComponent("preview") }

    /// `log-segment` on `segment` with this workspace's templates, output and database.
    func logSegment(
        _ segment: URL? = nil, _ extra: [String] = [], environment: [String: String] = [:], timeout: Double = CLI.timeout
    ) throws -> CLI.Result {
        try CLI.run(
            [
                "log-segment", (segment ?? self.segment).path, "--templates", Paths.templates.path,
                "--out", letters.path, "--db", database.path,
            ] + extra, environment: environment, timeout: timeout)
    }

    /// `preview` of the sample segment's line or contact `select` (`["--line", "20000"]`) with the sample templates,
    /// into `previews`, run in `root`.
    func preview(
        _ select: [String], _ extra: [String] = [], environment: [String: String] = [:], timeout: Double = CLI.timeout
    ) throws -> CLI.Result {
        try CLI.run(
            ["preview", segment.path] + select + ["--templates", Paths.templates.path, "--out", previews.path] + extra,
            in: root, environment: environment, timeout: timeout)
    }

    /// The log as `log list --format json` prints it.
    func logEntries(_ extra: [String] = []) throws -> [[String: Any]] {
        let result = try CLI.run(["log", "list", "--format", "json", "--db", database.path] + extra)
        guard result.status == 0 else { throw ExternalCheck.CheckError("log list failed: \(result.stderr)") }
        return try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [[String: Any]] ?? []
    }

    /// Writes `text` as a segment file beside the sample (so `contacts: contacts.csv` resolves).
    func writeSegment(_ name: String, _ text: String) throws -> URL {
        let url = segments.appendingPathComponent(name)
        try text.write(to: url, atomically: true, encoding: .utf8)
        return url
    }

    /// Files below `letters`, recursively.
    func letterFiles() -> [String] {
        (FileManager.default.enumerator(atPath: letters.path)?.allObjects as? [String] ?? []).filter { $0.hasSuffix(".docx") }.sorted()
    }

    func remove() { try? FileManager.default.removeItem(at: root) }
}
