import Foundation
import Hummingbird
import MailMergeKit

/// `POST /v1/merge`: a template and its data in one upload → one .docx, a streamed zip, or PDF.
struct MergeRoutes {
    let configuration: ServerConfiguration

    func add(to router: Router<BasicRequestContext>) {
        router.post("/v1/merge") { request, _ in try await merge(request) }
    }

    private enum Format: String { case docx, zip, pdf }

    private func merge(_ request: Request) async throws -> Response {
        let formatName = request.uri.queryParameters["format"].map(String.init)
        var format: Format?
        if let formatName {
            guard let named = Format(rawValue: formatName) else { throw APIError.unprocessable("format=\(formatName) is not one of docx, zip, pdf") }
            format = named
        }
        let parts = try await Uploads.parts(of: request, configuration: configuration)
        let scratch = try Scratch(configuration)
        do {
            let (templatePath, dataPath) = try save(parts, in: scratch.path)
            var merge = MergeRequest(templatePath: templatePath, dataPath: dataPath, outputDirectory: scratch.path + "/out")
            merge.limit = configuration.maxMergeRecords
            merge.jobs = 1
            let summary: MergeSummary
            do {
                let mergeRequest = merge
                summary = try await blocking { try MergeRunner.run(mergeRequest) }
            } catch let error as MailMergeError {
                throw APIError.from(error, scratch: scratch.path)
            }
            var documents = try FileManager.default.contentsOfDirectory(atPath: scratch.path + "/out")
                .filter { $0.hasSuffix(".docx") || $0.hasSuffix(".eml") }
                .sorted { $0.compare($1, options: .numeric) == .orderedAscending }
                .map { (name: $0, path: scratch.path + "/out/" + $0) }
            if summary.documents == 0 || documents.isEmpty { throw APIError.unprocessable("the data has no records; nothing was merged") }
            if format == .pdf {
                let docx = documents.filter { $0.name.hasSuffix(".docx") }.map(\.path)
                let pdfs: [String]
                do {
                    pdfs = try await blocking {
                        try PDFConverter.locate(concurrency: 1).convert(docx, to: scratch.path + "/pdf")
                    }
                } catch let error as MailMergeError {
                    throw APIError(status: .internalServerError, error: "pdf", detail: APIError.from(error, scratch: scratch.path).detail)
                }
                documents = pdfs.map { (name: ($0 as NSString).lastPathComponent, path: $0) }
            }
            let single = documents.count == 1 && format != .zip
            if !single {
                if format == .docx {
                    throw APIError.unprocessable("the merge made \(documents.count) documents; ask for format=zip (or format=pdf) to get them all")
                }
                return zipResponse(documents, scratch: scratch)
            }
            let file = documents[0]
            let data = try Data(contentsOf: URL(fileURLWithPath: file.path))
            scratch.remove()
            var headers = HTTPFields()
            headers[.contentType] = contentType(of: file.name)
            headers[.contentDisposition] = "attachment; filename=\"\(file.name)\""
            return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: data)))
        } catch {
            scratch.remove()
            throw error
        }
    }

    private func zipResponse(_ documents: [(name: String, path: String)], scratch: Scratch) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "application/zip"
        headers[.contentDisposition] = "attachment; filename=\"merged.zip\""
        return Response(status: .ok, headers: headers, body: ZipStream.body(files: documents) { scratch.remove() })
    }

    private func contentType(of name: String) -> String {
        if name.hasSuffix(".pdf") { return "application/pdf" }
        if name.hasSuffix(".eml") { return "message/rfc822" }
        return "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    }

    /// Writes the template and the data (CSV, or JSON records written as CSV) into `folder`.
    private func save(_ parts: [UploadedPart], in folder: String) throws -> (template: String, data: String) {
        guard let template = parts.first(where: { $0.name == "template" }) else {
            throw APIError.unprocessable("the upload has no part \"template\" (the Word .docx to merge)")
        }
        let templatePath = folder + "/" + Uploads.safeFileName(template.fileName, default: "template", extension: "docx")
        try write(template.body, to: templatePath)
        if let data = parts.first(where: { $0.name == "data" }) {
            var dataName = Uploads.safeFileName(data.fileName, default: "data", extension: "csv")
            if folder + "/" + dataName == templatePath { dataName = "data.csv" }
            try write(data.body, to: folder + "/" + dataName)
            return (templatePath, folder + "/" + dataName)
        }
        guard let records = parts.first(where: { $0.name == "records" }) else {
            throw APIError.unprocessable("the upload has neither a part \"data\" (CSV with a header row) nor \"records\" (a JSON array of objects)")
        }
        let dataPath = folder + "/records.csv"
        let (header, rows) = try Self.table(fromJSON: Data(records.body.readableBytesView))
        try CSVTable.write(header: header, rows: rows, to: dataPath)
        return (templatePath, dataPath)
    }

    /// A JSON array of flat objects as CSV columns (sorted by name) and rows.
    static func table(fromJSON data: Data) throws -> (header: [String], rows: [[String]]) {
        let objects: [[String: RecordValue]]
        do { objects = try JSONDecoder().decode([[String: RecordValue]].self, from: data) } catch {
            throw APIError.unprocessable(
                "records: not a JSON array of flat objects whose values are strings, numbers, booleans or null, e.g. [{\"FirstName\": \"Ada\"}]")
        }
        let header = Set(objects.flatMap(\.keys)).sorted()
        return (header, objects.map { object in header.map { object[$0]?.text ?? "" } })
    }

    private func write(_ buffer: ByteBuffer, to path: String) throws {
        do { try Data(buffer.readableBytesView).write(to: URL(fileURLWithPath: path)) } catch {
            throw APIError(status: .internalServerError, error: "io", detail: "the server cannot store the upload; see its log")
        }
    }
}

/// A request's own scratch folder under the work directory, removed when the request is done.
struct Scratch: Sendable {
    let path: String

    init(_ configuration: ServerConfiguration) throws {
        path = configuration.workDirectory + "/" + UUID().uuidString.lowercased()
        do { try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true) } catch {
            throw APIError(status: .internalServerError, error: "io", detail: "the server cannot create its work folder; see its log")
        }
    }

    func remove() { try? FileManager.default.removeItem(atPath: path) }
}

/// A JSON record's value, as the merge reads it (text).
private struct RecordValue: Decodable {
    var text: String

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            text = ""
        } else if let value = try? container.decode(Bool.self) {
            text = value ? "true" : "false"
        } else if let value = try? container.decode(Int.self) {
            text = String(value)
        } else if let value = try? container.decode(Double.self) {
            text = String(value)
        } else {
            text = try container.decode(String.self)
        }
    }
}
