import DocxPackage
import Foundation
import MergeEngine
import Segments

/// Compiling Word templates and checking that the data provides every field they use.
public enum Templates {
    /// Opens and compiles the template at `path`; `fieldMap` overrides its Match Fields (`--map`);
    /// `regions`: the child tables and how empty regions render (`merge --rows`);
    /// pictures are read from `images` (`--images`; checked only when the template has a picture field).
    public static func compile(
        at path: String, fieldMap: [AddressToken: String] = [:], regions: RegionOptions = RegionOptions(), images: String? = nil
    ) throws(MailMergeError) -> CompiledTemplate {
        let archive: DocxArchive
        do { archive = try DocxArchive(path: path) } catch { throw .package(error) }
        var template: CompiledTemplate
        do { template = try CompiledTemplate.compile(archive, fieldMap: fieldMap, regions: regions) } catch { throw .template(error) }
        if let images, template.hasMedia {
            do { template.images = try ImageFolder(path: images) } catch { throw .io(path: images, message: error.message) }
        }
        return template
    }

    /// The pictures folder of a segment run: `--images`, else `images/` beside the templates when it exists.
    static func imagesFolder(_ option: String?, templatesDirectory: String) -> String? {
        if let option { return option }
        let beside = (templatesDirectory as NSString).appendingPathComponent("images")
        var isFolder: ObjCBool = false
        return FileManager.default.fileExists(atPath: beside, isDirectory: &isFolder) && isFolder.boolValue ? beside : nil
    }

    /// One diagnostic per field `template` (the attachment of `line`) uses that the line's values
    /// do not provide. `source` and `sourceLine` locate the line (a segment file and its line,
    /// or the interaction asked for); `place`, when given, names the line within it.
    /// `childColumns`: the line's child tables (`SegmentChildTables`), whose columns, counts and sums are fields too.
    static func missingFields(
        _ template: CompiledTemplate, line: ResolvedLine, source: String,
        sourceLine: Int? = nil, place: String? = nil, childColumns: [String: [String]] = [:]
    ) -> [Diagnostic] {
        let record = MergeRecord(line.mergeFields)
        let childFields = RegionChecks.fieldNames(childColumns: childColumns)
        var reported = Set<String>()
        var diagnostics = RegionChecks.problems(template, tables: childColumns, source: line.attachmentPath ?? source) {
            "template \(line.template.code) gives no rows \($0) here: declare them under rows: (templates.yaml or the segment header; only log-segment merges child tables)"
        }
        diagnostics += template.fields.compactMap { field in
            guard !record.has(field.name), !childFields.contains(field.name.lowercased()), reported.insert(field.name.lowercased()).inserted else {
                return nil
            }
            return Diagnostic(
                source: source, line: sourceLine,
                message: (place.map { $0 + ": " } ?? "") + "attachment \(line.attachmentPath ?? "") uses field "
                    + "\(field.described), which no contact column or interaction value provides; "
                    + "add a column \"\(field.name)\" to the contacts CSV or fix the template")
        }
        return diagnostics
    }
}

extension FieldUse {
    /// `"Name" (part, paragraph n)`, as messages name a field.
    var described: String { "\"\(name)\" (\(part), paragraph \(paragraph))" }
}

/// The attachments some lines use, each compiled once and shared by every line that uses it.
/// An attachment that does not compile is reported and has no template, so nothing (no field
/// check, no letter) is ever done with another attachment's template in its place.
struct CompiledAttachments {
    /// The compiled templates, in the order their attachments were first used.
    private(set) var templates: [CompiledTemplate] = []
    /// Per template (same order), the merge fields it may read (`recordKeys`), looked up once for all its lines; nil
    /// when that is not known (every field is merged).
    private(set) var fieldSelections: [MergeFieldSelection?] = []
    private var positions: [String: Int] = [:]
    private var tried = Set<String>()

    /// None yet: add them as their lines come (`add`).
    init() {}

    /// Compiles the attachment of every line that has one; the problems go to `diagnostics`.
    /// `images`: the folder pictures are read from (`Templates.imagesFolder`).
    /// `regionColumns`: per attachment, the child-table columns whose fields repeat a table row (`SegmentChildTables`).
    init(for lines: [ResolvedLine], images: String? = nil, regionColumns: [String: [String: [String]]] = [:], diagnostics: inout [Diagnostic]) {
        for line in lines { add(line, images: images, regionColumns: regionColumns, diagnostics: &diagnostics) }
    }

    /// Compiles `line`'s attachment unless it was tried before; returns its template when it is new and compiled (the
    /// problem goes to `diagnostics`).
    @discardableResult
    mutating func add(
        _ line: ResolvedLine, images: String? = nil, regionColumns: [String: [String: [String]]] = [:], diagnostics: inout [Diagnostic]
    ) -> CompiledTemplate? {
        guard let attachment = line.attachmentPath, tried.insert(attachment).inserted else { return nil }
        do {
            let regions = RegionOptions(childColumns: regionColumns[attachment] ?? [:])
            let template = try Templates.compile(at: attachment, regions: regions, images: images)
            positions[attachment] = templates.count
            templates.append(template)
            fieldSelections.append(template.recordKeys.map { MergeFieldSelection(keys: $0) })
            return template
        } catch {
            diagnostics.append(Diagnostic(source: attachment, message: "attachment of template \(line.template.code): \(error)"))
            return nil
        }
    }

    /// The position in `templates` of `attachmentPath`'s template; `nil` when it did not compile.
    func position(of attachmentPath: String) -> Int? { positions[attachmentPath] }

    /// `attachmentPath`'s template; `nil` when it did not compile.
    subscript(attachmentPath: String) -> CompiledTemplate? { positions[attachmentPath].map { templates[$0] } }
}
