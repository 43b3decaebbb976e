import ExternalProcess
import Foundation
import MergeEngine
import Segments

/// What `mailmerge preview` should render.
public struct PreviewRequest: Sendable {
    /// The segment file (YAML).
    public var segmentPath: String
    /// The folder with `templates.yaml` and the attachments.
    public var templatesDirectory = Defaults.templatesDirectory
    /// The letter, its PDF and page images go here.
    public var outputDirectory = Defaults.previewDirectory
    /// The line to render, by its `lineNo`…
    public var lineNo: Int?
    /// …or by its contact number.
    public var contactNo: String?
    /// Resolution of the page images, in dots per inch.
    public var resolution = 100

    public init(segmentPath: String) { self.segmentPath = segmentPath }
}

/// The files a preview wrote.
public struct PreviewResult: Sendable {
    /// The merged letter (.docx).
    public var document: String
    /// Its PDF.
    public var pdf: String
    /// One PNG per page, in page order.
    public var images: [String]
}

/// The `preview` use case: renders one line's letter to .docx, PDF and PNG pages without
/// opening the interaction log, so a user can look at a letter before the run.
public enum LetterPreview {
    /// Renders the line `request` names.
    /// - Throws: `MailMergeError` for an invalid segment, an unknown line or contact, a
    ///   template problem, or missing LibreOffice/poppler.
    public static func run(_ request: PreviewRequest) throws(MailMergeError) -> PreviewResult {
        let line = try resolveLine(request)
        let converter = try PDFConverter.locate(concurrency: 1)
        guard let pdftoppm = ExternalProcess.find("pdftoppm") else { throw PDFPages.missingPoppler("pdftoppm") }

        try OutputFolder.create(request.outputDirectory)
        let stem = SafeFileName.make("\(line.segmentNo)-\(line.lineNo)-\(line.contact.no)")
        let document = request.outputDirectory + "/" + stem + ".docx"
        guard let attachment = line.attachmentPath else {
            throw .validation([
                Diagnostic(
                    source: request.segmentPath,
                    message: "line \(line.lineNo) (contact \(line.contact.no)) uses template \(line.template.code), which has no attachment: "
                        + "there is no letter to preview")
            ])
        }
        let template = try Templates.compile(at: attachment)
        let missing = Templates.missingFields(
            template, line: line, source: request.segmentPath,
            place: "line \(line.lineNo) (contact \(line.contact.no))")
        if !missing.isEmpty { throw .validation(missing) }
        let pool = DocumentWriterPool(templates: [template], jobs: 1, compressionLevel: DeflateLevel.default, missing: .error)
        _ = try pool.write(
            [
                DocumentTask(
                    template: 0, record: MergeRecord(line.mergeFields), path: document,
                    label: "\(request.segmentPath), line \(line.lineNo) (contact \(line.contact.no))")
            ],
            hashing: false)
        guard let pdf = try converter.convert([document], to: request.outputDirectory).first else {
            throw .io(path: document, message: "LibreOffice wrote no PDF")
        }
        let prefix = request.outputDirectory + "/" + stem
        let stale = (try? FileManager.default.contentsOfDirectory(atPath: request.outputDirectory)) ?? []
        for name in stale where isPageImage(name, of: stem) {
            try? FileManager.default.removeItem(atPath: request.outputDirectory + "/" + name)
        }
        _ = try ExternalTool.run(pdftoppm, ["-png", "-r", String(request.resolution)], inputs: [pdf], trailing: [prefix])
        let images = ((try? FileManager.default.contentsOfDirectory(atPath: request.outputDirectory)) ?? [])
            .filter { isPageImage($0, of: stem) }
            .sorted { $0.compare($1, options: .numeric) == .orderedAscending }
            .map { request.outputDirectory + "/" + $0 }
        guard !images.isEmpty else { throw .io(path: pdf, message: "pdftoppm wrote no page image") }
        return PreviewResult(document: document, pdf: pdf, images: images)
    }

    /// `stem-1.png`, `stem-01.png`…: pdftoppm's page images.
    private static func isPageImage(_ name: String, of stem: String) -> Bool {
        guard name.hasPrefix(stem + "-"), name.hasSuffix(".png") else { return false }
        return name.dropFirst(stem.count + 1).dropLast(4).allSatisfy(\.isNumber)
    }

    /// Loads and resolves the segment and picks the requested line.
    private static func resolveLine(_ request: PreviewRequest) throws(MailMergeError) -> ResolvedLine {
        let (_, lines) = try Inputs.segment(at: request.segmentPath, templatesDirectory: request.templatesDirectory)
        let found = lines.first { line in
            (request.lineNo.map { $0 == line.lineNo } ?? true)
                && (request.contactNo.map { $0.caseInsensitiveCompare(line.contact.no) == .orderedSame } ?? true)
        }
        guard let found else {
            let wanted = [request.lineNo.map { "line \($0)" }, request.contactNo.map { "contact \($0)" }].compactMap { $0 }.joined(separator: " with ")
            let some = lines.prefix(5).map { "\($0.lineNo) (\($0.contact.no))" }.joined(separator: ", ")
            throw .io(path: request.segmentPath, message: "the segment has no \(wanted); its lines include \(some)")
        }
        return found
    }
}
