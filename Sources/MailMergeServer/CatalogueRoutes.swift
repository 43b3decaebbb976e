import Foundation
import Hummingbird
import InteractionLog
import MailMergeKit
import Segments

/// `GET /v1/templates`, `/v1/templates/{code}/fields`, `/v1/segments`, `/v1/segments/{no}` and a line's preview.
/// Templates are found by code in `templates.yaml`, segments by the number in their header: no request names a path.
struct CatalogueRoutes {
    let configuration: ServerConfiguration
    let previews: PreviewCache

    func add(to router: Router<BasicRequestContext>) {
        router.get("/v1/templates") { _, _ in try await templates() }
        router.get("/v1/templates/:code/fields") { request, context in
            try await fields(code: context.parameters.require("code"), language: request.uri.queryParameters["language"].map(String.init))
        }
        router.get("/v1/segments") { _, _ in try await segments() }
        router.get("/v1/segments/:no") { _, context in try await segment(no: context.parameters.require("no")) }
        router.get("/v1/segments/:no/lines/:line/preview") { request, context in
            try await preview(request, no: context.parameters.require("no"), line: context.parameters.require("line"))
        }
    }

    struct TemplateJSON: Encodable {
        var code: String
        var description: String
        /// None for a documentless template (e-mail body only, or nothing to print).
        var attachment: String?
        var attachments: [String: String]
        var correspondenceType: String
        var documentType: String
        var informationFlow: String
        var initiatedBy: String
        var unitCost: Decimal
        var unitDuration: Decimal
    }

    private func catalogue() async throws -> TemplateCatalogue {
        let folder = configuration.templatesDirectory
        return try await blocking { () throws -> TemplateCatalogue in
            do throws(ValidationFailure) { return try TemplateCatalogue.load(directory: folder) } catch {
                throw MailMergeError.validation(error.diagnostics)
            }
        }
    }

    private func templates() async throws -> Response {
        let catalogue = try await catalogue()
        let list = catalogue.templates.values.sorted { $0.code < $1.code }.map { template in
            TemplateJSON(
                code: template.code, description: template.description, attachment: template.attachment,
                attachments: template.attachments, correspondenceType: template.correspondenceType.rawValue,
                documentType: template.documentType.rawValue, informationFlow: template.informationFlow.rawValue,
                initiatedBy: template.initiatedBy.rawValue, unitCost: template.unitCost, unitDuration: template.unitDuration)
        }
        return JSON.response(["templates": list] as [String: [TemplateJSON]])
    }

    struct FieldJSON: Encodable {
        var name: String
        var part: String
        var paragraph: Int
        var code: String
    }

    struct FieldsJSON: Encodable {
        var code: String
        var attachment: String
        var fieldNames: [String]
        var fields: [FieldJSON]
        var warnings: [String]
    }

    private func fields(code: String, language: String?) async throws -> Response {
        let catalogue = try await catalogue()
        let template = try catalogue[code].orNotFound("no interaction template with code \(code); GET /v1/templates lists them")
        let path = try catalogue.attachmentPath(template, language: language)
            .orNotFound("interaction template \(code) has no attachment (documentless): it has no merge fields")
        let compiled = try await blocking { try Templates.compile(at: path) }
        let attachment = (path as NSString).lastPathComponent
        return JSON.response(
            FieldsJSON(
                code: template.code, attachment: attachment, fieldNames: compiled.fieldNames,
                fields: compiled.fields.map { FieldJSON(name: $0.name, part: $0.part, paragraph: $0.paragraph, code: $0.code) },
                warnings: compiled.warnings.map { "\($0)" }))
    }

    struct SegmentSummaryJSON: Encodable {
        var no: String
        var description: String
        var date: String
        var templateCode: String
        var lines: Int
    }

    private func segments() async throws -> Response {
        let folder = configuration.segmentsDirectory
        let list = try await blocking { try SegmentBrowser.list(directory: folder) }
        let summaries: [SegmentSummaryJSON] = list.map {
            SegmentSummaryJSON(no: $0.no, description: $0.description, date: $0.date.description, templateCode: $0.templateCode, lines: $0.lineCount)
        }
        return JSON.response(["segments": summaries])
    }

    struct LineJSON: Encodable {
        var lineNo: Int
        var contactNo: String
        var contactName: String
        var companyName: String
        var templateCode: String
        var templateDescription: String
        var attachment: String?
        var description: String
        var languageCode: String
        var subject: String
        var correspondenceType: String
        var comment: String
        var overrides: [String]
    }

    struct HeaderJSON: Encodable {
        var no: String
        var description: String
        var templateCode: String
        var date: String
        var languageCode: String?
        var subject: String?
        var correspondenceType: String?
        var salespersonCode: String?
        var campaignNo: String?
    }

    struct SegmentJSON: Encodable {
        var header: HeaderJSON
        var lines: [LineJSON]
        /// The logged segment's entry number when this segment is logged.
        var loggedSegmentEntryNo: Int64?
    }

    /// The segment file of segment `no`; 404 when no file in the segments folder has that number.
    func segmentPath(_ no: String) async throws -> String {
        let folder = configuration.segmentsDirectory
        return try await blocking { try SegmentBrowser.path(ofSegment: no, in: folder) }
            .orNotFound("no segment \(no) in the segments folder; GET /v1/segments lists them")
    }

    func overview(no: String) async throws -> SegmentOverview {
        let path = try await segmentPath(no)
        let templates = configuration.templatesDirectory
        return try await blocking { try SegmentBrowser.overview(at: path, templatesDirectory: templates) }
    }

    func segmentJSON(no: String) async throws -> SegmentJSON {
        let overview = try await overview(no: no)
        let database = configuration.databasePath
        let logged = try await blocking { try LogReader.loggedSegment(no: no, log: .sqlite(path: database)) }
        let header = overview.header
        return SegmentJSON(
            header: HeaderJSON(
                no: header.no, description: header.description, templateCode: header.templateCode, date: header.date.description,
                languageCode: header.languageCode, subject: header.subject, correspondenceType: header.correspondenceType?.rawValue,
                salespersonCode: header.salespersonCode, campaignNo: header.campaignNo),
            lines: overview.lines.map { item in
                let line = item.line
                return LineJSON(
                    lineNo: line.lineNo, contactNo: line.contact.no, contactName: line.contact.fullName, companyName: line.contact.companyName,
                    templateCode: line.template.code, templateDescription: line.template.description,
                    attachment: line.attachmentPath.map { ($0 as NSString).lastPathComponent }, description: line.description,
                    languageCode: line.languageCode, subject: line.subject, correspondenceType: line.correspondenceType.rawValue,
                    comment: line.comment, overrides: item.overrides.sorted())
            },
            loggedSegmentEntryNo: logged?.entryNo)
    }

    private func segment(no: String) async throws -> Response {
        JSON.response(try await segmentJSON(no: no))
    }

    private func preview(_ request: Request, no: String, line lineText: String) async throws -> Response {
        let lineNo = try Int(lineText).orNotFound("line \(lineText) is not a line number")
        let format = request.uri.queryParameters["format"].map(String.init) ?? "png"
        guard ["png", "pdf", "docx"].contains(format) else { throw APIError.unprocessable("format=\(format) is not one of png, pdf, docx") }
        let pageText = request.uri.queryParameters["page"].map(String.init) ?? "1"
        guard let page = Int(pageText), page >= 1 else { throw APIError.unprocessable("page=\(pageText) is not a page number (1, 2, …)") }
        let path = try await segmentPath(no)
        let templates = configuration.templatesDirectory
        let overview = try await blocking { try SegmentBrowser.overview(at: path, templatesDirectory: templates) }
        let line = try (overview.lines.first { $0.line.lineNo == lineNo }?.line).orNotFound("segment \(no) has no line \(lineNo)")
        let result = try await previews.preview(segmentPath: path, segmentNo: no, lineNo: lineNo, configuration: configuration)
        let file: String
        let type: String
        switch format {
        case "pdf": (file, type) = (result.pdf, "application/pdf")
        case "docx": (file, type) = (result.document, "application/vnd.openxmlformats-officedocument.wordprocessingml.document")
        default:
            guard page <= result.images.count else { throw APIError.notFound("the letter of line \(lineNo) has \(result.images.count) page(s), not \(page)") }
            (file, type) = (result.images[page - 1], "image/png")
        }
        let data = try Data(contentsOf: URL(fileURLWithPath: file))
        var headers = HTTPFields()
        headers[.contentType] = type
        headers[.cacheControl] = "no-cache"
        headers[.init("X-Page-Count")!] = String(result.images.count)
        headers[.init("X-Contact-Name")!] =
            String(line.contact.fullName.isEmpty ? line.contact.companyName : line.contact.fullName)
            .addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
        if format != "png" {
            headers[.contentDisposition] = "attachment; filename=\"\((file as NSString).lastPathComponent)\""
        }
        return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: data)))
    }
}

/// Previews already rendered, by segment file state and line: stepping back and forth through the
/// lines (◀ ▶) renders each letter once. A file change (its size or time) renders it again.
actor PreviewCache {
    private var entries: [String: Task<PreviewResult, any Error>] = [:]
    private var order: [String] = []
    private let capacity = 64

    func preview(segmentPath: String, segmentNo: String, lineNo: Int, configuration: ServerConfiguration) async throws -> PreviewResult {
        let key = [segmentPath, configuration.templatesDirectory + "/templates.yaml"].map(Self.stamp).joined(separator: "|") + "|\(lineNo)"
        if let task = entries[key] {
            do { return try await task.value } catch {
                entries[key] = nil
                throw error
            }
        }
        let folder = configuration.workDirectory + "/previews/" + UUID().uuidString.lowercased()
        var request = PreviewRequest(segmentPath: segmentPath)
        request.templatesDirectory = configuration.templatesDirectory
        request.outputDirectory = folder
        request.lineNo = lineNo
        request.resolution = 80
        let previewRequest = request
        let task = Task { try await blocking { try LetterPreview.run(previewRequest) } }
        entries[key] = task
        order.append(key)
        if order.count > capacity {
            let oldest = order.removeFirst()
            if let evicted = entries.removeValue(forKey: oldest), let result = try? await evicted.value {
                try? FileManager.default.removeItem(atPath: (result.document as NSString).deletingLastPathComponent)
            }
        }
        do { return try await task.value } catch {
            entries[key] = nil
            order.removeAll { $0 == key }
            throw error
        }
    }

    private static func stamp(_ path: String) -> String {
        let attributes = try? FileManager.default.attributesOfItem(atPath: path)
        let size = (attributes?[.size] as? NSNumber)?.intValue ?? -1
        let modified = (attributes?[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0
        return "\(path):\(size):\(modified)"
    }
}
