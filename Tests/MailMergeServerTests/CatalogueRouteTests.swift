import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// Templates, segments and previews: found by code or number only, JSON errors otherwise.
@Suite struct CatalogueRouteTests {
    @Test func templatesAndTheirFields() async throws {
        let workspace = try ServerWorkspace()
        defer { workspace.remove() }
        try await workspace.test { client in
            let list = try await client.execute(uri: "/v1/templates", method: .get)
            #expect(list.status == .ok)
            let templates = try list.json()["templates"] as? [[String: Any]] ?? []
            #expect(templates.map { $0["code"] as? String }.contains("DIRECTMAIL"))
            let direct = templates.first { $0["code"] as? String == "DIRECTMAIL" }
            #expect(direct?["attachment"] as? String == "DirectMail_EN.docx")

            let fields = try await client.execute(uri: "/v1/templates/DIRECTMAIL/fields", method: .get)
            #expect(fields.status == .ok, "\(fields.text)")
            let names = try fields.json()["fieldNames"] as? [String] ?? []
            #expect(
                names.contains { $0.caseInsensitiveCompare("AddressLine1") == .orderedSame }
                    && names.contains { $0.caseInsensitiveCompare("FormalSalutation") == .orderedSame }, "\(names)")

            let unknown = try await client.execute(uri: "/v1/templates/NOSUCH/fields", method: .get)
            #expect(unknown.status == .notFound)
            #expect(try unknown.json()["error"] as? String == "not-found")
        }
    }

    @Test func segmentsAndTheResolvedLinesWithOverrides() async throws {
        let workspace = try ServerWorkspace()
        defer { workspace.remove() }
        try await workspace.test { client in
            let list = try await client.execute(uri: "/v1/segments", method: .get)
            #expect(list.status == .ok)
            let segments = try list.json()["segments"] as? [[String: Any]] ?? []
            // The samples: SM00001 (the direct mailing) and SM00090 (a phone campaign).
            #expect(segments.compactMap { $0["no"] as? String } == ["SM00001", "SM00090"])
            #expect(segments.first?["lines"] as? Int == 25)

            let segment = try await client.execute(uri: "/v1/segments/SM00001", method: .get)
            #expect(segment.status == .ok, "\(segment.text)")
            let json = try segment.json()
            let lines = json["lines"] as? [[String: Any]] ?? []
            #expect(lines.count == 25)
            // Line 50000 sets its own template and description; line 10000 takes the header's.
            let event = lines.first { $0["lineNo"] as? Int == 50000 }
            #expect(event?["templateCode"] as? String == "EVENT")
            #expect(event?["overrides"] as? [String] == ["description", "templateCode"])
            let plain = lines.first { $0["lineNo"] as? Int == 10000 }
            #expect(plain?["templateCode"] as? String == "DIRECTMAIL")
            #expect(plain?["overrides"] as? [String] == [])
            #expect(lines[2]["contactName"] as? String == "Anouk de Vries")
            #expect(json["loggedSegmentEntryNo"] == nil)
        }
    }

    @Test func unknownSegmentsAndPathLikeNamesAre404() async throws {
        let workspace = try ServerWorkspace()
        defer { workspace.remove() }
        try await workspace.test { client in
            for uri in [
                "/v1/segments/SM09999", "/v1/segments/..%2F..%2Fetc", "/v1/segments/..%2F..%2Fetc%2Fpasswd/lines/1/preview",
                "/v1/templates/..%2F..%2Fetc/fields", "/v1/segments/%2Fetc%2Fpasswd", "/v1/segments/../../etc/passwd", "/nowhere",
            ] {
                let response = try await client.execute(uri: uri, method: .get)
                #expect(response.status == .notFound, "\(uri): \(response.status)")
                let json = try response.json()
                #expect(json["error"] is String && json["detail"] is String, "\(uri): \(response.text)")
                #expect(!response.text.contains(workspace.root.path), "\(uri) leaks a path: \(response.text)")
            }
            let post = try await client.execute(uri: "/v1/segments/..%2F..%2Fetc/log", method: .post)
            #expect(post.status == .notFound)
        }
    }

    @Test func previewOfALineAsPNGPDFAndDocx() async throws {
        let workspace = try ServerWorkspace()
        defer { workspace.remove() }
        try await workspace.test { client in
            let png = try await client.execute(uri: "/v1/segments/SM00001/lines/30000/preview?format=png&page=1", method: .get)
            #expect(png.status == .ok, "\(png.text)")
            #expect(png.headers[.contentType] == "image/png")
            #expect(Data(png.body.readableBytesView).starts(with: [0x89, 0x50, 0x4E, 0x47]))
            let pages = Int(png.headers[.init("X-Page-Count")!] ?? "") ?? 0
            #expect(pages >= 1)

            let pdf = try await client.execute(uri: "/v1/segments/SM00001/lines/30000/preview?format=pdf", method: .get)
            #expect(pdf.status == .ok)
            let pdfFile = workspace.root.appendingPathComponent("line3.pdf")
            try Data(pdf.body.readableBytesView).write(to: pdfFile)
            let text = try ExternalCheck.pdfPages(pdfFile).joined(separator: "\n")
            #expect(text.contains("Anouk"), "\(text)")

            let docx = try await client.execute(uri: "/v1/segments/SM00001/lines/30000/preview?format=docx", method: .get)
            #expect(docx.status == .ok)
            let docxFile = workspace.root.appendingPathComponent("line3.docx")
            try Data(docx.body.readableBytesView).write(to: docxFile)
            #expect(try DocxInspector(path: docxFile.path).allText.contains("Anouk"))

            let beyond = try await client.execute(uri: "/v1/segments/SM00001/lines/30000/preview?page=\(pages + 1)", method: .get)
            #expect(beyond.status == .notFound)
            let noLine = try await client.execute(uri: "/v1/segments/SM00001/lines/31/preview", method: .get)
            #expect(noLine.status == .notFound)
            let badFormat = try await client.execute(uri: "/v1/segments/SM00001/lines/30000/preview?format=gif", method: .get)
            #expect(badFormat.status == .unprocessableContent)
        }
    }

    @Test func aBrokenSegmentFileIs422NamingItsLine() async throws {
        var workspace = try ServerWorkspace()
        defer { workspace.remove() }
        let segments = URL(fileURLWithPath: workspace.configuration.segmentsDirectory)
        let text = try String(contentsOf: segments.appendingPathComponent("SM00001.yaml"), encoding: .utf8)
            .replacingOccurrences(of: "no: SM00001", with: "no: SM00007")
            .replacingOccurrences(of: "contactNo: CT000003", with: "contactNo: CT999999")
        try text.write(to: segments.appendingPathComponent("SM00007.yaml"), atomically: true, encoding: .utf8)
        workspace.configuration.segmentsDirectory = segments.path
        try await workspace.test { client in
            let response = try await client.execute(uri: "/v1/segments/SM00007", method: .get)
            #expect(response.status == .unprocessableContent)
            let detail = try response.json()["detail"] as? String ?? ""
            #expect(detail.contains("SM00007.yaml:") && detail.contains("CT999999"), "\(detail)")
        }
    }
}
