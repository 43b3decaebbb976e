import Foundation
import Hummingbird
import InteractionLog
import MailMergeKit

/// The web page: server-rendered HTML over the same use cases as the API, plus a little plain JavaScript
/// (Resources/app.js) for the preview's ◀ ▶, the log button's progress bar and cancel/restore. No cookies.
struct WebPages {
    let catalogue: CatalogueRoutes
    let configuration: ServerConfiguration

    func add(to router: Router<BasicRequestContext>) {
        router.get("/") { _, _ in Response(status: .seeOther, headers: [.location: "/segments"]) }
        router.get("/segments") { _, _ in try await segmentsPage() }
        router.get("/segments/:no") { _, context in try await segmentPage(no: context.parameters.require("no")) }
        router.get("/log") { request, _ in try await logPage(request) }
        router.get("/logged-segments") { _, _ in try await loggedSegmentsPage() }
        router.get("/static/app.js") { _, _ in try Self.resource("app.js", type: "text/javascript; charset=utf-8") }
        router.get("/static/app.css") { _, _ in try Self.resource("app.css", type: "text/css; charset=utf-8") }
        router.get("/openapi.yaml") { _, _ in try Self.resource("openapi.yaml", type: "application/yaml; charset=utf-8") }
    }

    static func resource(_ name: String, type: String) throws -> Response {
        guard let url = Bundle.module.url(forResource: name, withExtension: nil, subdirectory: "Resources"), let data = try? Data(contentsOf: url) else {
            throw APIError.notFound("the server was built without \(name)")
        }
        var headers = HTTPFields()
        headers[.contentType] = type
        return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: data)))
    }

    private func segmentsPage() async throws -> Response {
        let folder = configuration.segmentsDirectory
        let list = try await blocking { try SegmentBrowser.list(directory: folder) }
        var rows = ""
        for segment in list {
            rows +=
                "<tr><td><a href=\"/segments/\(url(segment.no))\">\(esc(segment.no))</a></td><td>\(esc(segment.description))</td>"
                + "<td>\(esc(segment.date.description))</td><td>\(esc(segment.templateCode))</td><td class=num>\(segment.lineCount)</td></tr>\n"
        }
        let body = """
            <h1>Segments</h1>
            <table><caption>Segments in the segments folder</caption>
            <thead><tr><th scope=col>No.</th><th scope=col>Description</th><th scope=col>Date</th><th scope=col>Template</th><th scope=col>Lines</th></tr></thead>
            <tbody>\(rows)</tbody></table>
            """
        return page("Segments", body)
    }

    private func segmentPage(no: String) async throws -> Response {
        let segment: CatalogueRoutes.SegmentJSON
        do { segment = try await catalogue.segmentJSON(no: no) } catch let error as APIError {
            return page("Segment \(no)", "<h1>Segment \(esc(no))</h1><p role=alert class=error>\(esc(error.detail))</p>", status: error.status)
        }
        let header = segment.header
        var rows = ""
        for line in segment.lines {
            func cell(_ key: String, _ value: String) -> String {
                line.overrides.contains(key) ? "<td class=override><mark title=\"set on this line\">\(esc(value))</mark></td>" : "<td>\(esc(value))</td>"
            }
            let name = line.contactName.isEmpty ? line.companyName : line.contactName
            rows +=
                "<tr data-line=\"\(line.lineNo)\" data-name=\"\(esc(name))\"><td class=num>\(line.lineNo)</td>"
                + "<td><button type=button class=linkish data-select=\"\(line.lineNo)\">\(esc(line.contactNo))</button></td><td>\(esc(name))</td>"
                + cell("templateCode", line.templateCode) + cell("description", line.description) + cell("languageCode", line.languageCode)
                + cell("subject", line.subject) + cell("correspondenceType", line.correspondenceType) + cell("comment", line.comment) + "</tr>\n"
        }
        let logged =
            segment.loggedSegmentEntryNo.map {
                "<p id=logged-note>Logged as logged segment \($0). <a href=\"/log?segment=\(url(header.no))\">Its entries</a></p>"
            } ?? ""
        let body = """
            <h1>Segment \(esc(header.no)): \(esc(header.description))</h1>
            <p>Date \(esc(header.date)) · template \(esc(header.templateCode)) · \(segment.lines.count) lines. Values set on a line (overrides) are <mark>highlighted</mark>.</p>
            \(logged)
            <div class=segment-layout>
            <section aria-labelledby=lines-title class=lines>
            <h2 id=lines-title>Lines</h2>
            <table id=lines><caption class=visually-hidden>Lines of segment \(esc(header.no))</caption>
            <thead><tr><th scope=col>Line</th><th scope=col>Contact</th><th scope=col>Name</th><th scope=col>Template</th><th scope=col>Description</th>
            <th scope=col>Lang.</th><th scope=col>Subject</th><th scope=col>Type</th><th scope=col>Comment</th></tr></thead>
            <tbody>\(rows)</tbody></table>
            </section>
            <section aria-labelledby=preview-title class=preview id=preview data-segment="\(esc(header.no))">
            <h2 id=preview-title>Preview results</h2>
            <div class=toolbar role=group aria-label="Step through the letters">
            <button type=button id=prev-line aria-label="Previous line">◀</button>
            <span id=line-status aria-live=polite>Line –</span>
            <button type=button id=next-line aria-label="Next line">▶</button>
            <a id=download-pdf href="#">PDF</a> <a id=download-docx href="#">.docx</a>
            </div>
            <div id=pages></div>
            </section>
            </div>
            <section aria-labelledby=log-title>
            <h2 id=log-title>Log segment</h2>
            <p>Writes every line's letter and records one interaction log entry per line, all or nothing.</p>
            <button type=button id=log-segment data-segment="\(esc(header.no))"\(segment.loggedSegmentEntryNo == nil ? "" : " disabled")>Log segment</button>
            <label for=log-progress>Progress</label> <progress id=log-progress max=\(segment.lines.count) value=0></progress>
            <output id=log-status for=log-segment aria-live=polite>\(segment.loggedSegmentEntryNo == nil ? "" : "already logged")</output>
            </section>
            """
        return page("Segment \(header.no)", body)
    }

    private func logPage(_ request: Request) async throws -> Response {
        let query = request.uri.queryParameters
        let value = { (name: String) in query[Substring(name)].map(String.init) ?? "" }
        var message = ""
        var entries: [InteractionLogEntry] = []
        do {
            let filter = try LogRoutes.filter { query[Substring($0)].map(String.init) }
            if FileManager.default.fileExists(atPath: configuration.databasePath) {
                let database = configuration.databasePath
                entries = try await blocking { try LogReader.entries(filter, log: .sqlite(path: database)) }
            }
        } catch let error as APIError {
            message = "<p role=alert class=error>\(esc(error.detail))</p>"
        }
        let pageSize = 200
        let pageNo = max(1, Int(value("page")) ?? 1)
        let shown = entries.dropFirst((pageNo - 1) * pageSize).prefix(pageSize)
        var rows = ""
        for entry in shown {
            let provided = entry.provided
            rows +=
                "<tr data-entry=\"\(entry.entryNo)\"><td><input type=checkbox name=entry value=\"\(entry.entryNo)\" id=entry-\(entry.entryNo)>"
                + "<label for=entry-\(entry.entryNo) class=visually-hidden>Entry \(entry.entryNo)</label></td><td class=num>\(entry.entryNo)</td>"
                + "<td>\(esc(entry.segmentNo ?? ""))</td><td>\(esc(provided.contactNo))</td><td>\(esc(provided.date.description))</td>"
                + "<td>\(esc(provided.templateCode))</td><td>\(esc(provided.description))</td><td class=status>\(esc(entry.status.rawValue))</td></tr>\n"
        }
        let statuses = ([""] + EntryStatus.allCases.map(\.rawValue)).map {
            "<option value=\"\($0)\"\(value("status") == $0 ? " selected" : "")>\($0.isEmpty ? "any" : $0)</option>"
        }.joined()
        func field(_ name: String, _ label: String, type: String = "text") -> String {
            "<label>\(label) <input type=\(type) name=\(name) value=\"\(esc(value(name)))\"></label>"
        }
        let pager =
            entries.count > pageSize
            ? "<p>Page \(pageNo) of \((entries.count + pageSize - 1) / pageSize). "
                + (pageNo > 1 ? "<a href=\"?\(pagerQuery(value, page: pageNo - 1))\">Previous</a> " : "")
                + (pageNo * pageSize < entries.count ? "<a href=\"?\(pagerQuery(value, page: pageNo + 1))\">Next</a>" : "") + "</p>" : ""
        let body = """
            <h1>Interaction Log Entries</h1>
            <form method=get action="/log" class=filters aria-label="Filters">
            \(field("segment", "Segment")) \(field("contact", "Contact")) \(field("template", "Template"))
            \(field("from", "From", type: "date")) \(field("to", "To", type: "date"))
            <label>Status <select name=status>\(statuses)</select></label>
            <button type=submit>Filter</button>
            </form>
            \(message)
            <p id=entry-count>\(entries.count) entr\(entries.count == 1 ? "y" : "ies")</p>
            <div class=toolbar role=group aria-label="Selected entries">
            <button type=button id=cancel-entries>Cancel selected</button>
            <button type=button id=restore-entries>Restore selected</button>
            <output id=log-action-status aria-live=polite></output>
            </div>
            <table id=entries><caption class=visually-hidden>Interaction log entries</caption>
            <thead><tr><th scope=col>Select</th><th scope=col>Entry</th><th scope=col>Segment</th><th scope=col>Contact</th><th scope=col>Date</th>
            <th scope=col>Template</th><th scope=col>Description</th><th scope=col>Status</th></tr></thead>
            <tbody>\(rows)</tbody></table>
            \(pager)
            """
        return page("Interaction Log", body)
    }

    private func pagerQuery(_ value: (String) -> String, page: Int) -> String {
        var items = URLComponents()
        items.queryItems =
            ["segment", "contact", "template", "from", "to", "status"].compactMap { name in
                value(name).isEmpty ? nil : URLQueryItem(name: name, value: value(name))
            } + [URLQueryItem(name: "page", value: String(page))]
        return items.percentEncodedQuery ?? ""
    }

    private func loggedSegmentsPage() async throws -> Response {
        var list: [LoggedSegment] = []
        if FileManager.default.fileExists(atPath: configuration.databasePath) {
            let database = configuration.databasePath
            list = try await blocking { try LogReader.loggedSegments(log: .sqlite(path: database)) }
        }
        let formatter = ISO8601DateFormatter()
        var rows = ""
        for logged in list {
            rows +=
                "<tr><td class=num>\(logged.entryNo)</td><td><a href=\"/log?segment=\(url(logged.segmentNo))\">\(esc(logged.segmentNo))</a></td>"
                + "<td>\(esc(logged.description))</td><td class=num>\(logged.numberOfInteractions)</td><td>\(esc(formatter.string(from: logged.createdAt)))</td>"
                + "<td>\(esc(logged.userID))</td><td>\(logged.canceled ? "canceled" : "")</td></tr>\n"
        }
        let body = """
            <h1>Logged Segments</h1>
            <table><caption class=visually-hidden>Logged segments</caption>
            <thead><tr><th scope=col>Entry</th><th scope=col>Segment</th><th scope=col>Description</th><th scope=col>Interactions</th>
            <th scope=col>Created</th><th scope=col>User</th><th scope=col>Canceled</th></tr></thead>
            <tbody>\(rows)</tbody></table>
            """
        return page("Logged Segments", body)
    }

    private func page(_ title: String, _ body: String, status: HTTPResponse.Status = .ok) -> Response {
        let html = """
            <!doctype html>
            <html lang=en><head><meta charset=utf-8><meta name=viewport content="width=device-width, initial-scale=1">
            <title>\(esc(title)) · mailmerge</title><link rel=stylesheet href="/static/app.css"></head>
            <body><a class=skip href="#main">Skip to content</a>
            <header><nav aria-label="Main"><a href="/segments">Segments</a> <a href="/log">Interaction Log</a> <a href="/logged-segments">Logged Segments</a>
            <a href="/openapi.yaml">API</a>
            <label class=token>Token <input type=password id=token autocomplete=off placeholder="if the server has one"></label></nav></header>
            <main id=main>
            \(body)
            </main><script src="/static/app.js"></script></body></html>
            """
        var headers = HTTPFields()
        headers[.contentType] = "text/html; charset=utf-8"
        headers[.contentSecurityPolicy] = "default-src 'self'; img-src 'self' blob:; script-src 'self'; style-src 'self'; frame-ancestors 'none'"
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: html)))
    }
}

/// HTML-escapes text for element content and quoted attributes.
func esc(_ text: String) -> String {
    var out = ""
    out.reserveCapacity(text.count)
    for character in text {
        switch character {
        case "&": out += "&amp;"
        case "<": out += "&lt;"
        case ">": out += "&gt;"
        case "\"": out += "&quot;"
        case "'": out += "&#39;"
        default: out.append(character)
        }
    }
    return out
}

/// Percent-encodes a path segment or query value.
func url(_ text: String) -> String { text.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "" }
