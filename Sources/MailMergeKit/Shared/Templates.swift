import DocxPackage
import MergeEngine
import Segments

/// Compiling Word templates and checking that the data provides every field they use.
public enum Templates {
    /// Opens and compiles the template at `path`; `fieldMap` overrides its Match Fields (`--map`).
    /// `regions`: the child tables and how empty regions render (`merge --rows`).
    public static func compile(
        at path: String, fieldMap: [AddressToken: String] = [:], regions: RegionOptions = RegionOptions()
    ) throws(MailMergeError) -> CompiledTemplate {
        let archive: DocxArchive
        do { archive = try DocxArchive(path: path) } catch { throw .package(error) }
        do { return try CompiledTemplate.compile(archive, fieldMap: fieldMap, regions: regions) } catch { throw .template(error) }
    }

    /// One diagnostic per field `template` (the attachment of `line`) uses that the line's values
    /// do not provide. `source` and `sourceLine` locate the line (a segment file and its line,
    /// or the interaction asked for); `place`, when given, names the line within it.
    static func missingFields(
        _ template: CompiledTemplate, line: ResolvedLine, source: String,
        sourceLine: Int? = nil, place: String? = nil
    ) -> [Diagnostic] {
        let record = MergeRecord(line.mergeFields)
        var reported = Set<String>()
        return template.fields.compactMap { field in
            guard !record.has(field.name), reported.insert(field.name.lowercased()).inserted else { return nil }
            return Diagnostic(
                source: source, line: sourceLine,
                message: (place.map { $0 + ": " } ?? "") + "attachment \(line.attachmentPath) uses field "
                    + "\(field.described), which no contact column or interaction value provides; "
                    + "add a column \"\(field.name)\" to the contacts CSV or fix the template")
        }
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
    private var positions: [String: Int] = [:]

    /// Compiles the attachment of every line; the problems go to `diagnostics`.
    init(for lines: [ResolvedLine], diagnostics: inout [Diagnostic]) {
        var tried = Set<String>()
        for line in lines where tried.insert(line.attachmentPath).inserted {
            do {
                let template = try Templates.compile(at: line.attachmentPath)
                positions[line.attachmentPath] = templates.count
                templates.append(template)
            } catch {
                diagnostics.append(Diagnostic(source: line.attachmentPath, message: "attachment of template \(line.template.code): \(error)"))
            }
        }
    }

    /// The position in `templates` of `attachmentPath`'s template; `nil` when it did not compile.
    func position(of attachmentPath: String) -> Int? { positions[attachmentPath] }

    /// `attachmentPath`'s template; `nil` when it did not compile.
    subscript(attachmentPath: String) -> CompiledTemplate? { positions[attachmentPath].map { templates[$0] } }
}
