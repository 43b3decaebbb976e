import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// `POST /v1/merge`: a template and CSV or JSON records → .docx, a streamed zip, or PDF; bounded uploads.
@Suite struct MergeRouteTests {
    static let template = Paths.sampleTemplate("DirectMail_EN.docx")

    /// A CSV with every field DirectMail_EN.docx uses, one row per name.
    static func csv(_ names: [String]) throws -> Data {
        let fields = try fieldNames()
        var text = fields.joined(separator: ",") + "\n"
        for name in names {
            text += fields.map { Self.named.contains($0.lowercased()) ? name : $0.lowercased() == "date" ? "2026-11-23" : "x" }.joined(separator: ",") + "\n"
        }
        return Data(text.utf8)
    }

    /// The fields that carry the test's name (the letter shows some of them, depending on the contact type).
    static let named: Set<String> = ["firstname", "fullname", "surname", "companyname", "addressline1"]

    static func fieldNames() throws -> [String] {
        let result = try CLI.run(["fields", template, "--names-only"])
        guard result.status == 0 else { throw ServerTestFailure(result.stderr) }
        return result.stdout.split(separator: "\n").map(String.init)
    }

    static func upload(_ data: Data, dataPart: String = "data", fileName: String = "people.csv") throws -> Multipart {
        var form = Multipart()
        form.add("template", fileName: "DirectMail_EN.docx", try Data(contentsOf: URL(fileURLWithPath: template)))
        form.add(dataPart, fileName: fileName, type: "text/csv", data)
        return form
    }

    @Test func oneRecordIsOneDocx() async throws {
        let workspace = try ServerWorkspace()
        defer { workspace.remove() }
        let form = try Self.upload(Self.csv(["Grace"]))
        try await workspace.test { client in
            let response = try await client.execute(uri: "/v1/merge", method: .post, headers: form.headers, body: form.finished())
            #expect(response.status == .ok, "\(response.text)")
            #expect(response.headers[.contentType]?.contains("wordprocessingml") == true)
            let file = workspace.root.appendingPathComponent("one.docx")
            try Data(response.body.readableBytesView).write(to: file)
            #expect(try DocxInspector(path: file.path).allText.contains("Grace"))
        }
        // The request's scratch folder is gone.
        let left = (try? FileManager.default.contentsOfDirectory(atPath: workspace.configuration.workDirectory)) ?? []
        #expect(left.filter { $0 != "previews" }.isEmpty, "\(left)")
    }

    @Test func manyRecordsAreAStreamedZip() async throws {
        let workspace = try ServerWorkspace()
        defer { workspace.remove() }
        let names = (1...12).map { "Person\($0)" }
        let form = try Self.upload(Self.csv(names))
        try await workspace.test { client in
            let response = try await client.execute(uri: "/v1/merge", method: .post, headers: form.headers, body: form.finished())
            #expect(response.status == .ok, "\(response.text)")
            #expect(response.headers[.contentType] == "application/zip")
            let folder = workspace.root.appendingPathComponent("unzipped")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            let entries = try unzip(Data(response.body.readableBytesView), into: folder)
            #expect(entries.count == 12, "\(entries)")
            let seventh = try DocxInspector(path: folder.appendingPathComponent(entries[6]).path).allText
            #expect(seventh.contains("Person7"), "\(entries[6])")
        }
    }

    @Test func jsonRecordsMergeLikeCSV() async throws {
        let workspace = try ServerWorkspace()
        defer { workspace.remove() }
        let fields = try Self.fieldNames()
        var record: [String: String] = [:]
        for field in fields { record[field] = Self.named.contains(field.lowercased()) ? "Ada" : "x" }
        let json = try JSONSerialization.data(withJSONObject: [record])
        var building = Multipart()
        building.add("template", fileName: "DirectMail_EN.docx", try Data(contentsOf: URL(fileURLWithPath: Self.template)))
        building.add("records", type: "application/json", json)
        let form = building
        try await workspace.test { client in
            let response = try await client.execute(uri: "/v1/merge?format=docx", method: .post, headers: form.headers, body: form.finished())
            #expect(response.status == .ok, "\(response.text)")
            let file = workspace.root.appendingPathComponent("ada.docx")
            try Data(response.body.readableBytesView).write(to: file)
            #expect(try DocxInspector(path: file.path).allText.contains("Ada"))

            var bad = Multipart()
            bad.add("template", fileName: "t.docx", try Data(contentsOf: URL(fileURLWithPath: Self.template)))
            bad.add("records", Data("{\"not\": \"an array\"}".utf8))
            let refused = try await client.execute(uri: "/v1/merge", method: .post, headers: bad.headers, body: bad.finished())
            #expect(refused.status == .unprocessableContent)
        }
    }

    @Test func missingFieldsAre422WithTheCLIsMessage() async throws {
        let workspace = try ServerWorkspace()
        defer { workspace.remove() }
        let csv = Data("FirstName\nGrace\n".utf8)
        let form = try Self.upload(csv)
        // What the CLI says for the same files.
        let files = try TemporaryDirectory()
        defer { TemporaryDirectory.remove(files.path) }
        let dataPath = try files.write("people.csv", csv)
        let cli = try CLI.run(["merge", Self.template, dataPath, "--out", files.path("out")])
        #expect(cli.status != 0)
        let cliMessage = cli.stderr.replacingOccurrences(of: "error: ", with: "").replacingOccurrences(of: dataPath, with: "people.csv")
            .replacingOccurrences(of: Self.template, with: "DirectMail_EN.docx").trimmingCharacters(in: .whitespacesAndNewlines)
        try await workspace.test { client in
            let response = try await client.execute(uri: "/v1/merge", method: .post, headers: form.headers, body: form.finished())
            #expect(response.status == .unprocessableContent)
            let json = try response.json()
            #expect(json["error"] as? String == "validation")
            let detail = json["detail"] as? String ?? ""
            #expect(detail == cliMessage, "server: \(detail)\ncli: \(cliMessage)")
            #expect(detail.contains("no column for field"))
            #expect(!detail.contains(workspace.root.path))
        }
    }

    @Test func badCSVIs422WithItsLine() async throws {
        let workspace = try ServerWorkspace()
        defer { workspace.remove() }
        var csv = String(decoding: try Self.csv(["Grace", "Alan"]), as: UTF8.self)
        csv += "\"never closed,x\n"
        let form = try Self.upload(Data(csv.utf8))
        try await workspace.test { client in
            let response = try await client.execute(uri: "/v1/merge?format=zip", method: .post, headers: form.headers, body: form.finished())
            #expect(response.status == .unprocessableContent, "\(response.text)")
            let detail = try response.json()["detail"] as? String ?? ""
            #expect(detail.contains("people.csv:4"), "\(detail)")
        }
    }

    @Test func aBodyOverTheLimitIs413() async throws {
        let workspace = try ServerWorkspace()
        defer { workspace.remove() }
        var building = Multipart()
        building.add("template", fileName: "big.docx", Data(count: 50 * 1024 * 1024))
        let form = building
        let body = form.finished()
        try await workspace.test { client in
            var headers = form.headers
            headers[.contentLength] = String(body.readableBytes)
            let response = try await client.execute(uri: "/v1/merge", method: .post, headers: headers, body: body)
            #expect(response.status == .contentTooLarge)
            #expect(try response.json()["error"] as? String == "content-too-large")
        }
    }

    @Test func tooManyPartsAndNoTemplateAreRefused() async throws {
        let workspace = try ServerWorkspace()
        defer { workspace.remove() }
        var manyParts = Multipart()
        for index in 0..<20 { manyParts.add("extra\(index)", Data("x".utf8)) }
        var noTemplatePart = Multipart()
        noTemplatePart.add("data", fileName: "a.csv", Data("A\n1\n".utf8))
        let many = manyParts
        let none = noTemplatePart
        try await workspace.test { client in
            let tooMany = try await client.execute(uri: "/v1/merge", method: .post, headers: many.headers, body: many.finished())
            #expect(tooMany.status == .contentTooLarge)
            let noTemplate = try await client.execute(uri: "/v1/merge", method: .post, headers: none.headers, body: none.finished())
            #expect(noTemplate.status == .unprocessableContent)
            let notMultipart = try await client.execute(uri: "/v1/merge", method: .post, headers: [.contentType: "text/plain"], body: ByteBuffer(string: "hi"))
            #expect(notMultipart.status == .unsupportedMediaType)
        }
    }

    @Test func pdfOfOneRecord() async throws {
        let workspace = try ServerWorkspace()
        defer { workspace.remove() }
        let form = try Self.upload(Self.csv(["Katherine"]))
        try await workspace.test { client in
            let response = try await client.execute(uri: "/v1/merge?format=pdf", method: .post, headers: form.headers, body: form.finished())
            #expect(response.status == .ok, "\(response.text)")
            #expect(response.headers[.contentType] == "application/pdf")
            let file = workspace.root.appendingPathComponent("one.pdf")
            try Data(response.body.readableBytesView).write(to: file)
            #expect(try ExternalCheck.pdfPages(file).joined().contains("Katherine"))
        }
    }
}
