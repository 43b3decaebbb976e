import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// The server-rendered pages and the OpenAPI document.
@Suite struct WebPageTests {
    @Test func pagesShowTheSegmentItsOverridesAndTheLog() async throws {
        let workspace = try ServerWorkspace()
        defer { workspace.remove() }
        try await workspace.test { client in
            let root = try await client.execute(uri: "/", method: .get)
            #expect(root.status == .seeOther && root.headers[.location] == "/segments")
            let list = try await client.execute(uri: "/segments", method: .get)
            #expect(list.status == .ok && list.text.contains("href=\"/segments/SM00001\""))

            let page = try await client.execute(uri: "/segments/SM00001", method: .get)
            #expect(page.status == .ok)
            #expect(page.headers[.contentType] == "text/html; charset=utf-8")
            #expect(page.text.contains("Anouk de Vries"))
            #expect(page.text.contains("<mark title=\"set on this line\">Invitation to the winter fair</mark>"))
            #expect(page.text.contains("id=log-segment") && page.text.contains("<progress id=log-progress max=25"))
            // Names are escaped: "Brasserie "Le Coq"" appears as text, not markup.
            #expect(page.text.contains("Brasserie &quot;Le Coq&quot;") || !page.text.contains("Le Coq"))

            let missing = try await client.execute(uri: "/segments/NOPE", method: .get)
            #expect(missing.status == .notFound && missing.text.contains("role=alert"))

            let log = try await client.execute(uri: "/log?status=canceled", method: .get)
            #expect(log.status == .ok && log.text.contains("0 entries"))
            let logged = try await client.execute(uri: "/logged-segments", method: .get)
            #expect(logged.status == .ok && logged.text.contains("<h1>Logged Segments</h1>"))

            let script = try await client.execute(uri: "/static/app.js", method: .get)
            #expect(script.status == .ok && script.text.contains("EventSource"))
        }
    }

    @Test func theOpenAPIDocumentIsTheRepositorysFile() async throws {
        let workspace = try ServerWorkspace()
        defer { workspace.remove() }
        let file = try String(
            contentsOf: Paths.repository.appendingPathComponent("Sources/MailMergeServer/Resources/openapi.yaml"), encoding: .utf8)
        try await workspace.test { client in
            let response = try await client.execute(uri: "/openapi.yaml", method: .get)
            #expect(response.status == .ok)
            #expect(response.text == file)
            #expect(file.contains("/v1/segments/{no}/lines/{line}/preview:"))
        }
    }
}
