import Foundation
import Testing

/// `mailmerge preview`: one letter to PDF and PNG, nothing logged.
@Suite(.serialized)
struct PreviewCommandTests {
    @Test func previewWritesPDFAndPNGAndLogsNothing() throws {
        let workspace = try SampleWorkspace()
        defer { workspace.remove() }
        let out = workspace.root.appendingPathComponent("preview")
        let result = try CLI.run(
            [
                "preview", workspace.segment.path, "--line", "20000", "--templates", Paths.templates.path,
                "--out", out.path, "--dpi", "40",
            ], in: workspace.root)
        #expect(result.status == 0, "\(result.stderr)")
        let pdf = out.appendingPathComponent("SM00001-20000-CT000002.pdf")
        let pages = try ExternalCheck.pdfPages(pdf)
        #expect(pages.count == 1)
        #expect(pages.first?.contains("CT000002") == true)
        #expect(pages.first?.contains("Thank you for your visit") == true)
        let image = out.appendingPathComponent("SM00001-20000-CT000002-1.png")
        let bytes = try Data(contentsOf: image)
        #expect(bytes.starts(with: [0x89, 0x50, 0x4E, 0x47]), "a PNG")
        #expect(result.stdout.contains(image.path))
        // No interaction log was opened or created.
        let created = try FileManager.default.contentsOfDirectory(atPath: workspace.root.path)
        #expect(!created.contains { $0.hasSuffix(".sqlite") }, "\(created)")
    }

    @Test func anUnknownLineOrContactIsAnError() throws {
        let workspace = try SampleWorkspace()
        defer { workspace.remove() }
        let result = try CLI.run(
            [
                "preview", workspace.segment.path, "--contact", "CT000099", "--templates", Paths.templates.path,
                "--out", workspace.root.appendingPathComponent("preview").path,
            ], in: workspace.root)
        #expect(result.status == 1)
        #expect(result.stderr.contains("no contact CT000099"), "\(result.stderr)")
        let neither = try CLI.run(["preview", workspace.segment.path], in: workspace.root)
        #expect(neither.status != 0 && neither.stderr.contains("--line"))
    }
}
