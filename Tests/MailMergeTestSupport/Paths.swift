import Foundation
import Testing

/// Where the tests find the repository, its sample files, and new temporary folders.
public enum Paths {
    /// The repository's root folder.
    public static let repository = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    /// The sample interaction templates (made by scripts/build-sample-templates.py).
    public static let templates = repository.appendingPathComponent("Templates")
    public static let sampleSegments = repository.appendingPathComponent("SampleSegments")

    /// The path of sample template `name` (e.g. `DirectMail_EN.docx`).
    public static func sampleTemplate(_ name: String) -> String { templates.appendingPathComponent(name).path }

    /// The paths of every sample template (.docx), sorted.
    public static var sampleTemplates: [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: templates.path)) ?? []).filter { $0.hasSuffix(".docx") }.sorted().map(sampleTemplate)
    }

    /// A new empty temporary folder (the caller removes it; `TemporaryDirectory` removes itself).
    public static func temporaryDirectory(_ label: String = "mailmerge-test") throws -> URL {
        let base = FileManager.default.temporaryDirectory.standardized.path
        var template = Array(((base.hasSuffix("/") ? base : base + "/") + "\(label)-XXXXXX").utf8CString)
        guard let made = mkdtemp(&template) else { throw CocoaError(.fileWriteUnknown) }
        return URL(fileURLWithPath: String(cString: made), isDirectory: true)
    }
}

/// The external corpus of Word-made templates (not part of the repository). Found through the
/// environment variable `MAILMERGE_WORD_CORPUS`, else `../shared/fixtures/word` beside the
/// repository. Tests that need it carry `.needsWordCorpus`: skipped, with the reason shown, when it is absent.
public enum WordCorpus {
    /// The corpus folder, when it exists.
    public static let directory: URL? = {
        let candidate: URL
        if let configured = ProcessInfo.processInfo.environment["MAILMERGE_WORD_CORPUS"], !configured.isEmpty {
            candidate = URL(fileURLWithPath: configured, isDirectory: true)
        } else {
            candidate = Paths.repository.deletingLastPathComponent().appendingPathComponent("shared/fixtures/word", isDirectory: true)
        }
        var isFolder: ObjCBool = false
        return FileManager.default.fileExists(atPath: candidate.path, isDirectory: &isFolder) && isFolder.boolValue
            ? candidate.standardized : nil
    }()

    public static var isAvailable: Bool { directory != nil }

    /// Why corpus tests are skipped.
    public static let skipReason: Comment =
        "the Word-made corpus is absent: set MAILMERGE_WORD_CORPUS to its folder or put it at ../shared/fixtures/word beside the repository"

    /// The path of corpus file `name` (a path that does not exist when the corpus is absent).
    public static func path(_ name: String) -> String {
        (directory ?? URL(fileURLWithPath: "/nonexistent/mailmerge-word-corpus")).appendingPathComponent(name).path
    }

    public static func url(_ name: String) -> URL { URL(fileURLWithPath: path(name)) }

    /// The .docx files of the corpus, sorted (none when it is absent).
    public static func docxNames() -> [String] {
        guard let directory else { return [] }
        return ((try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []).filter { $0.hasSuffix(".docx") }.sorted()
    }
}

extension Trait where Self == ConditionTrait {
    /// Runs the test or suite only when the Word-made corpus is there (see `WordCorpus`).
    public static var needsWordCorpus: Self { .enabled(if: WordCorpus.isAvailable, WordCorpus.skipReason) }
}
