import ExternalProcess
import Foundation

/// Adds a flat outline (PDF bookmarks, ISO 32000-1 §12.3.3) to a PDF with qpdf: one entry per
/// letter, pointing at its first page. qpdf has no option for outlines, so the entries are
/// written as new objects through qpdf's JSON (`--update-from-json`, qpdf 11): the page objects
/// and the catalog are read with `qpdf --json`, the catalog gains `/Outlines`.
enum PDFOutline {
    /// Writes `source` with an outline entry `titles[i]` at page `startPages[i]` (1-based) to
    /// `target`, atomically. `scratch` is a path prefix for the JSON files.
    static func add(titles: [String], startPages: [Int], from source: String, to target: String, qpdf: String, scratch: String) throws(MailMergeError) {
        let facts = try json(qpdf, ["--json=2", "--json-key=pages", "--json-key=qpdf", "--json-object=trailer", source], pages: startPages.count)
        guard let pages = (facts["pages"] as? [[String: Any]])?.compactMap({ $0["object"] as? String }),
            let qpdfSection = facts["qpdf"] as? [Any], let header = qpdfSection.first as? [String: Any],
            let maximum = header["maxobjectid"] as? Int,
            let objects = qpdfSection.dropFirst().first as? [String: Any],
            let trailer = (objects["trailer"] as? [String: Any])?["value"] as? [String: Any],
            let root = trailer["/Root"] as? String
        else { throw .io(path: source, message: "qpdf --json did not describe the pages and the catalog; is qpdf 11 or later installed?") }
        let catalogFacts = try json(
            qpdf, ["--json=2", "--json-key=qpdf", "--json-object=" + root.replacingOccurrences(of: " 0 R", with: ""), source], pages: 1)
        guard let catalogObjects = (catalogFacts["qpdf"] as? [Any])?.dropFirst().first as? [String: Any],
            var catalog = (catalogObjects["obj:" + root] as? [String: Any])?["value"] as? [String: Any]
        else { throw .io(path: source, message: "qpdf --json did not show the catalog \(root)") }

        let outlines = maximum + 1
        let first = maximum + 2
        func reference(_ number: Int) -> String { "\(number) 0 R" }
        var update: [String: Any] = [:]
        catalog["/Outlines"] = reference(outlines)
        catalog["/PageMode"] = "/UseOutlines"
        update["obj:" + root] = ["value": catalog]
        update["obj:" + reference(outlines)] = [
            "value": [
                "/Type": "/Outlines", "/First": reference(first), "/Last": reference(first + titles.count - 1), "/Count": titles.count,
            ] as [String: Any]
        ]
        for (index, (title, page)) in zip(titles, startPages).enumerated() {
            guard page >= 1, page <= pages.count else {
                throw .io(path: source, message: "outline entry \(index + 1) points at page \(page); the PDF has \(pages.count)")
            }
            var item: [String: Any] = ["/Title": "u:" + title, "/Parent": reference(outlines), "/Dest": [pages[page - 1], "/Fit"]]
            if index > 0 { item["/Prev"] = reference(first + index - 1) }
            if index + 1 < titles.count { item["/Next"] = reference(first + index + 1) }
            update["obj:" + reference(first + index)] = ["value": item]
        }
        let document: [String: Any] = [
            "qpdf": [
                ["jsonversion": 2, "pushedinheritedpageresources": false, "calledgetallpages": false, "maxobjectid": first + titles.count] as [String: Any],
                update,
            ]
        ]
        let updatePath = scratch + "-update.json"
        let temporary = target + ".tmp-\(UUID().uuidString)"
        defer {
            try? FileManager.default.removeItem(atPath: updatePath)
            try? FileManager.default.removeItem(atPath: temporary)
        }
        do {
            try JSONSerialization.data(withJSONObject: document).write(to: URL(fileURLWithPath: updatePath))
        } catch {
            throw .io(path: updatePath, message: "cannot write the outline for qpdf (\(error.localizedDescription))")
        }
        try PrintRunPDF.runQPDF(qpdf, [source, "--update-from-json=" + updatePath, temporary], pages: pages.count)
        if rename(temporary, target) != 0 {
            throw .io(path: target, message: "cannot move the PDF into place (\(String(cString: strerror(errno))))")
        }
    }

    /// qpdf's JSON description of a PDF, parsed.
    private static func json(_ qpdf: String, _ arguments: [String], pages: Int) throws(MailMergeError) -> [String: Any] {
        let output: ExternalProcess.Output
        do {
            output = try ExternalProcess.run(qpdf, arguments, timeout: 120 + Double(pages) / 50)
        } catch {
            throw .io(path: "qpdf", message: "\(error) (qpdf \(arguments.joined(separator: " ")))")
        }
        guard output.status == 0 || output.status == 3,
            let parsed = try? JSONSerialization.jsonObject(with: Data(output.stdout)) as? [String: Any]
        else {
            throw .io(path: "qpdf", message: "qpdf \(arguments.joined(separator: " ")) failed (exit status \(output.status)): \(output.stderrTail())")
        }
        return parsed
    }
}
