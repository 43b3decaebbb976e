import Foundation
import Testing

/// `mailmerge serve` as a real process on a free port, checked from outside: schemathesis against the
/// OpenAPI document, and Selenium driving headless Chromium through the web page. Both need programs a
/// bare clone may lack; CI (`.ci/run`) installs them, so there they always run.
@Suite(.serialized) struct LiveServerTests {
    static let driver = Paths.repository.appendingPathComponent("Tests/MailMergeServerTests/Live/live_server.py").path
    static let artifacts = Paths.repository.appendingPathComponent(".ci/artifacts")

    static func pythonHas(_ module: String) -> Bool {
        guard let python = Program.find("python3") else { return false }
        return (try? Program.run(python.path, ["-c", "import \(module)"], timeout: 60).status) == 0
    }

    static let hasSchemathesis = pythonHas("schemathesis")
    static let hasBrowser =
        pythonHas("selenium") && FileManager.default.isExecutableFile(atPath: "/usr/bin/chromium")
        && FileManager.default.isExecutableFile(atPath: "/usr/bin/chromedriver")

    /// Runs the driver's `check` against a server over a fresh copy of the sample segments.
    static func run(_ check: String) throws -> RunResult {
        let root = try Paths.temporaryDirectory("mailmerge-serve-live")
        defer { try? FileManager.default.removeItem(at: root) }
        try FileManager.default.copyItem(at: Paths.sampleSegments, to: root.appendingPathComponent("SampleSegments"))
        let folder = artifacts.appendingPathComponent(check)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return try Program.run(
            "/usr/bin/env", ["python3", driver, CLI.executable.path, root.path, folder.path, check, Paths.templates.path], timeout: 900)
    }

    @Test(.enabled(if: hasSchemathesis, "schemathesis is not installed (pip install schemathesis); .ci/run installs it"))
    func schemathesisFindsNoServerErrorAndNoResponseOutsideTheSchema() throws {
        let result = try Self.run("schemathesis")
        #expect(result.status == 0, "\(result.stdout)\n\(result.stderr)")
        // All four phases ran, the random fuzzing of every operation (POST /v1/merge's uploads too) among them.
        for phase in ["Coverage", "Fuzzing", "Stateful"] {
            #expect(result.stdout.contains("✅ \(phase)"), "\(phase): \(result.stdout)")
        }
    }

    @Test(
        .enabled(
            if: hasBrowser,
            "Selenium (pip install selenium) or Debian's chromium and chromium-driver are not installed; .ci/run installs them"))
    func aBrowserPreviewsLine3LogsTheSegmentAndCancelsAnEntry() throws {
        let result = try Self.run("browser")
        #expect(result.status == 0, "\(result.stdout)\n\(result.stderr)")
        #expect(result.stdout.contains("Letter to Anouk de Vries (line 30000)"), "\(result.stdout)")
        #expect(result.stdout.contains("25/25"))
        let screenshots = (try? FileManager.default.contentsOfDirectory(atPath: Self.artifacts.appendingPathComponent("browser").path)) ?? []
        #expect(screenshots.filter { $0.hasSuffix(".png") }.count >= 8, "\(screenshots)")
    }
}
