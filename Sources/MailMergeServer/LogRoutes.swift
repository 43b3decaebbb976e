import Foundation
import Hummingbird
import InteractionLog
import MailMergeKit
import Segments

/// `GET /v1/log` (the filters of `log list`, paged), `POST /v1/log/cancel|restore|delete-canceled`,
/// `GET /v1/logged-segments`, and the log jobs: `POST /v1/segments/{no}/log`, `GET /v1/jobs/{id}[/events]`.
struct LogRoutes {
    let configuration: ServerConfiguration
    let catalogue: CatalogueRoutes
    let jobs: LogJobs

    func add(to router: Router<BasicRequestContext>) {
        router.get("/v1/log") { request, _ in try await entries(request) }
        router.post("/v1/log/cancel") { request, _ in try await change(request, restore: false) }
        router.post("/v1/log/restore") { request, _ in try await change(request, restore: true) }
        router.post("/v1/log/delete-canceled") { request, _ in try await deleteCanceled(request) }
        router.get("/v1/logged-segments") { _, _ in try await loggedSegments() }
        router.post("/v1/segments/:no/log") { _, context in
            let no = try context.parameters.require("no")
            let path = try await catalogue.segmentPath(no)
            return JSON.response(try jobs.start(segmentNo: no, path: path, configuration: configuration))
        }
        router.get("/v1/jobs/:id") { _, context in JSON.response(try job(context)) }
        router.get("/v1/jobs/:id/events") { _, context in events(try job(context).id) }
    }

    /// The job the path names.
    private func job(_ context: BasicRequestContext) throws -> JobSnapshot {
        let id = try context.parameters.require("id")
        return try jobs.snapshot(id).orNotFound("no job \(id) (jobs are kept while the server runs)")
    }

    private var logExists: Bool { FileManager.default.fileExists(atPath: configuration.databasePath) }

    struct EntryJSON: Encodable {
        var entryNo: Int64
        var createdAt: Date
        var segmentNo: String?
        var loggedSegmentEntryNo: Int64?
        var contactNo: String
        var date: String
        var templateCode: String
        var description: String
        var subject: String
        var correspondenceType: String
        var languageCode: String
        var cost: Decimal
        var duration: Decimal
        var campaignNo: String
        var status: String
        /// The document's file name (not its path on the server).
        var document: String?

        init(_ entry: InteractionLogEntry) {
            let provided = entry.provided
            entryNo = entry.entryNo
            createdAt = entry.createdAt
            segmentNo = entry.segmentNo
            loggedSegmentEntryNo = entry.loggedSegmentEntryNo
            contactNo = provided.contactNo
            date = provided.date.description
            templateCode = provided.templateCode
            description = provided.description
            subject = provided.subject
            correspondenceType = provided.correspondenceType.rawValue
            languageCode = provided.languageCode
            cost = provided.cost
            duration = provided.duration
            campaignNo = provided.campaignNo
            status = entry.status.rawValue
            document = provided.documentPath.map { ($0 as NSString).lastPathComponent }
        }
    }

    struct EntriesPage: Encodable {
        var entries: [EntryJSON]
        var total: Int
        var page: Int
        var pageSize: Int
    }

    /// The `log list` filter the query names; a bad value is 422 naming the parameter.
    static func filter(_ query: (String) -> String?) throws -> LogFilter {
        func day(_ name: String) throws -> Day? {
            guard let text = query(name), !text.isEmpty else { return nil }
            guard let day = Day(text) else { throw APIError.unprocessable("\(name)=\(text) is not a date in the form yyyy-MM-dd (e.g. 2026-11-23)") }
            return day
        }
        var status: EntryStatus?
        if let text = query("status"), !text.isEmpty {
            guard let value = EntryStatus(rawValue: text) else {
                throw APIError.unprocessable(
                    "status=\(text) is not one of \(EntryStatus.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            status = value
        }
        func text(_ name: String) -> String? { query(name).flatMap { $0.isEmpty ? nil : $0 } }
        return LogFilter(
            segmentNo: text("segment"), contactNo: text("contact"), templateCode: text("template"),
            fromDate: try day("from"), toDate: try day("to"), status: status)
    }

    private func entries(_ request: Request) async throws -> Response {
        let query = request.uri.queryParameters
        let filter = try Self.filter { query[Substring($0)].map(String.init) }
        let page = try Self.number(query["page"], name: "page", default: 1, range: 1...1_000_000)
        let pageSize = try Self.number(query["pageSize"], name: "pageSize", default: 50, range: 1...500)
        guard logExists else { return JSON.response(EntriesPage(entries: [], total: 0, page: page, pageSize: pageSize)) }
        let database = configuration.databasePath
        let all = try await blocking { try LogReader.entries(filter, log: .sqlite(path: database)) }
        let slice = all.dropFirst((page - 1) * pageSize).prefix(pageSize)
        return JSON.response(EntriesPage(entries: slice.map(EntryJSON.init), total: all.count, page: page, pageSize: pageSize))
    }

    static func number(_ text: Substring?, name: String, default value: Int, range: ClosedRange<Int>) throws -> Int {
        guard let text else { return value }
        guard let number = Int(text), range.contains(number) else {
            throw APIError.unprocessable("\(name)=\(text) is not a whole number from \(range.lowerBound) to \(range.upperBound)")
        }
        return number
    }

    /// `{"entries": [1, 2]}` or `{"loggedSegment": 3}`; for delete-canceled also `{"before": "2026-01-01"}` or `{}`.
    struct ChangeBody: Decodable {
        var entries: [Int64]?
        var loggedSegment: Int64?
        var before: String?
    }

    private func body(_ request: Request) async throws -> ChangeBody {
        let buffer = try await Uploads.collect(request, configuration: configuration)
        if buffer.readableBytes == 0 { return ChangeBody() }
        do { return try JSONDecoder().decode(ChangeBody.self, from: Data(buffer.readableBytesView)) } catch {
            throw APIError.unprocessable("the body is not JSON of the form {\"entries\": [1, 2]} or {\"loggedSegment\": 3}")
        }
    }

    private func change(_ request: Request, restore: Bool) async throws -> Response {
        let body = try await body(request)
        let database = configuration.databasePath
        guard logExists else { throw APIError.notFound("there is no interaction log yet; log a segment first") }
        switch (body.entries, body.loggedSegment) {
        case (let entries?, nil) where !entries.isEmpty:
            let changed = try await blocking { () throws -> [InteractionLogEntry] in
                if restore { return try LogLifecycle.restore(entries: entries, log: .sqlite(path: database)) }
                return try LogLifecycle.cancel(entries: entries, log: .sqlite(path: database))
            }
            let entries: [EntryJSON] = changed.map(EntryJSON.init)
            return JSON.response(["entries": entries])
        case (nil, let segment?):
            let changed = try await blocking { () throws -> LoggedSegment in
                if restore { return try LogLifecycle.restore(loggedSegment: segment, log: .sqlite(path: database)) }
                return try LogLifecycle.cancel(loggedSegment: segment, log: .sqlite(path: database))
            }
            return JSON.response(["loggedSegment": LoggedSegmentJSON(changed)])
        default:
            throw APIError.unprocessable("name either \"entries\" (a non-empty list of entry numbers) or \"loggedSegment\" (an entry number)")
        }
    }

    struct DeletedJSON: Encodable {
        var deletedEntries: Int
        var deletedLoggedSegments: Int
    }

    private func deleteCanceled(_ request: Request) async throws -> Response {
        let body = try await body(request)
        let database = configuration.databasePath
        guard logExists else { return JSON.response(DeletedJSON(deletedEntries: 0, deletedLoggedSegments: 0)) }
        let deleted: DeletedCanceled
        if let entries = body.entries {
            guard body.before == nil, !entries.isEmpty else { throw APIError.unprocessable("name either \"entries\" (non-empty) or \"before\", not both") }
            deleted = try await blocking { try LogLifecycle.deleteCanceled(entries: entries, log: .sqlite(path: database)) }
        } else {
            var before: Day?
            if let text = body.before {
                guard let day = Day(text) else { throw APIError.unprocessable("before: \(text) is not a date in the form yyyy-MM-dd") }
                before = day
            }
            let day = before
            deleted = try await blocking { try LogLifecycle.deleteCanceled(before: day, log: .sqlite(path: database)) }
        }
        return JSON.response(DeletedJSON(deletedEntries: deleted.entries, deletedLoggedSegments: deleted.loggedSegments))
    }

    struct LoggedSegmentJSON: Encodable {
        var entryNo: Int64
        var segmentNo: String
        var description: String
        var numberOfInteractions: Int
        var createdAt: Date
        var userID: String
        var canceled: Bool

        init(_ logged: LoggedSegment) {
            entryNo = logged.entryNo
            segmentNo = logged.segmentNo
            description = logged.description
            numberOfInteractions = logged.numberOfInteractions
            createdAt = logged.createdAt
            userID = logged.userID
            canceled = logged.canceled
        }
    }

    private func loggedSegments() async throws -> Response {
        guard logExists else { return JSON.response(["loggedSegments": [LoggedSegmentJSON]()]) }
        let database = configuration.databasePath
        let list = try await blocking { try LogReader.loggedSegments(log: .sqlite(path: database)) }
        let segments: [LoggedSegmentJSON] = list.map(LoggedSegmentJSON.init)
        return JSON.response(["loggedSegments": segments])
    }

    /// Server-sent events: `progress` whenever the count changes, then one `result` (the job), then the end.
    private func events(_ id: String) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "text/event-stream"
        headers[.cacheControl] = "no-cache"
        let jobs = self.jobs
        return Response(
            status: .ok, headers: headers,
            body: ResponseBody { writer in
                var last: JobSnapshot?
                while let job = jobs.snapshot(id) {
                    if job.state != .running {
                        try await writer.write(Self.event("result", job))
                        break
                    }
                    if job != last { try await writer.write(Self.event("progress", job)) }
                    last = job
                    try await Task.sleep(for: .milliseconds(150))
                }
                try await writer.finish(nil)
            })
    }

    private static func event(_ name: String, _ job: JobSnapshot) -> ByteBuffer {
        ByteBuffer(string: "event: \(name)\ndata: \(String(decoding: JSON.encode(job), as: UTF8.self))\n\n")
    }
}
