import Foundation
import Testing

/// `mailmerge preview`: one letter to PDF and PNG, nothing logged.
@Suite(.serialized)
struct PreviewCommandTests {
    @Test func previewWritesPDFAndPNGAndLogsNothing() throws {
        let workspace = try SampleWorkspace()
        defer { workspace.remove() }
        let result = try workspace.preview(["--line", "20000"], ["--dpi", "40"])
        #expect(result.status == 0, "\(result.stderr)")
        let pdf = workspace.previews.appendingPathComponent("SM00001-20000-CT000002.pdf")
        let pages = try ExternalCheck.pdfPages(pdf)
        #expect(pages.count == 1)
        #expect(pages.first?.contains("CT000002") == true)
        #expect(pages.first?.contains("Thank you for your visit") == true)
        let image = workspace.previews.appendingPathComponent("SM00001-20000-CT000002-1.png")
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
        let result = try workspace.preview(["--contact", "CT000099"])
        #expect(result.status == 1)
        #expect(result.stderr.contains("no contact CT000099"), "\(result.stderr)")
        let neither = try CLI.run(["preview", workspace.segment.path], in: workspace.root)
        #expect(neither.status != 0 && neither.stderr.contains("--line"))
    }
}
