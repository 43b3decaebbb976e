import DocxPackage
import Foundation
import MergeEngine
import PrintRun
import Segments

/// `log-segment` for templates whose `documentType` is `labels`: the lines that use one label
/// attachment fill its sheet one label each (NEXT moves to the next line), sheet after sheet, in
/// ONE document, `labels-<attachment>.docx`; every line is logged once with that document.
enum SegmentLabels {
    /// One label document written.
    struct Written {
        /// Indices (in the segment's lines) of the lines on it.
        var lines: [Int]
        var path: String
        var sha256: String
    }

    /// Writes the label documents of `lines`' label attachments into `directory`.
    static func write<Lines: RandomAccessCollection<ResolvedLine>>(
        lines: Lines, attachments: CompiledAttachments,
        in directory: String, compressionLevel: Int, label: (ResolvedLine) -> String
    ) throws(MailMergeError) -> [Written] where Lines.Index == Int {
        var groups: [(attachment: String, lines: [Int])] = []
        for (index, line) in lines.enumerated() where line.template.documentType == .labels {
            // A label template always has an attachment (`TemplateCatalogue.load` refuses one without).
            guard let attachment = line.attachmentPath else { continue }
            if let group = groups.firstIndex(where: { $0.attachment == attachment }) {
                groups[group].lines.append(index)
            } else {
                groups.append((attachment, [index]))
            }
        }
        var written: [Written] = []
        for group in groups {
            guard let template = attachments[group.attachment] else { continue }
            let records = group.lines.map { MergeRecord(lines[$0].mergeFields) }
            let base = ((group.attachment as NSString).lastPathComponent as NSString).deletingPathExtension
            let path = directory + "/" + SafeFileName.make("labels-" + base + ".docx")
            try writeSheets(template, records: records, to: path, compressionLevel: compressionLevel) { label(lines[group.lines[$0]]) }
            written.append(Written(lines: group.lines, path: path, sha256: try DocumentWriterPool.sha256(ofFile: path)))
        }
        return written
    }

    /// Renders `records` onto `template`'s label sheets and combines the sheets into `path`.
    static func writeSheets(
        _ template: CompiledTemplate, records: [MergeRecord], to path: String, compressionLevel: Int,
        label: (Int) -> String
    ) throws(MailMergeError) {
        let archive: DocxArchive
        do { archive = try DocxArchive(path: template.templatePath) } catch { throw .package(error) }
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("mailmerge-labels-\(UUID().uuidString)").path
        do { try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true) } catch {
            throw .io(path: scratch, message: "cannot create a scratch folder (\(error.localizedDescription))")
        }
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        var state = MergeState()
        var sheets: [String] = []
        var start = 0
        while start < records.count {
            let sheet: RecordsRendering?
            do { sheet = try template.render(records: records, from: start, state: &state) } catch {
                throw .missingValue(error, record: label(start))
            }
            guard let sheet else { break }
            let sheetPath = scratch + "/sheet\(sheets.count + 1).docx"
            do { try DocxWriter.write(source: archive, replacing: sheet.parts, to: sheetPath, compressionLevel: compressionLevel) } catch {
                throw .package(error)
            }
            sheets.append(sheetPath)
            start = sheet.next
        }
        guard !sheets.isEmpty else { return }
        do { try PrintRunCombiner.combine(letters: sheets, to: path, compressionLevel: compressionLevel) } catch {
            throw .printRun(error)
        }
    }

    /// A letter attachment with record fields (NEXT, SKIPIF, MERGESEQ, ASK …) cannot be merged one
    /// line at a time: refused, once per attachment, naming the field.
    static func check(lines: [ResolvedLine], attachments: CompiledAttachments) -> [Diagnostic] {
        var checked = Set<String>()
        var diagnostics: [Diagnostic] = []
        for line in lines where line.template.documentType == .letter {
            guard let attachment = line.attachmentPath, checked.insert(attachment).inserted, let template = attachments[attachment],
                template.navigatesRecords
            else { continue }
            diagnostics.append(
                Diagnostic(
                    source: attachment,
                    message: "attachment of template \(line.template.code) has record fields "
                        + "(NEXT, NEXTIF, SKIPIF, MERGEREC, MERGESEQ, SET, ASK, FILLIN or COMPARE), which log-segment does not merge line by line; "
                        + "for a label sheet set \"documentType: labels\" for the template in templates.yaml, else remove them"))
        }
        return diagnostics
    }
}
