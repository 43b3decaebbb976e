import DocxPackage

// CONTRACT used by MailMergeKit and the CLI. Implemented in Sources/MergeEngine/Compiler.

/// A Word template compiled once: every story part split into static byte chunks and
/// field holes. Immutable and `Sendable`; render it for any number of records, from any thread.
public struct CompiledTemplate: Sendable {
    /// The template file it was compiled from.
    public let templatePath: String
    /// Every merge field occurrence (MERGEFIELD, fields nested in IF, `{{Name}}` placeholders),
    /// in part order, then document order.
    public let fields: [FieldUse]
    /// The story parts that have holes, in part order.
    let parts: [CompiledPart]
    /// Parts that are the same for every record (`word/settings.xml` without `w:mailMerge`).
    let fixedParts: [String: [UInt8]]
    /// Every ADDRESSBLOCK and GREETINGLINE, with the column each token reads, in part order.
    public let matchedFields: [MatchedFieldUse]
    /// Fields left as they are although a merge would change them (DATABASE, a formula over a
    /// merge field, Word's `«…»` placeholder text …), in part order: warnings, errors with `--strict`.
    public let warnings: [FieldWarning]
    /// The lowercased names of every field a render may look up in a record (`MergeRecord(folded:children:)`): each
    /// MERGEFIELD and `{{Name}}` (also in IF operands, pictures, barcodes and regions), each ADDRESSBLOCK and
    /// GREETINGLINE column, mapped or tried automatically. A record of only these of a full record's keys renders the
    /// same bytes, so a caller making a record per document may make only these (log-segment's letters). Nil when not
    /// vouched for (a record field such as NEXT or SKIPIF, a field left as it is such as DATABASE): make the full record.
    public let recordKeys: Set<String>?
    /// The template's `w:mailMerge` settings (main document type, e-mail address column and subject).
    public internal(set) var mailMerge = MailMergeSettings()
    /// The folder pictures (INCLUDEPICTURE, `MERGEFIELD Image:Name`) are read from (`--images`);
    /// nil: a picture field is an error naming the record and field.
    public var images: ImageFolder?
    /// Set when a part has a picture or barcode field: what adding media parts needs.
    var media: MediaSupport?

    /// Whether a part has a picture or barcode field.
    public var hasMedia: Bool { media != nil }

    init(templatePath: String, parts: [CompiledPart], fixedParts: [String: [UInt8]]) {
        self.templatePath = templatePath
        self.parts = parts.filter(\.hasHoles)
        self.fixedParts = fixedParts
        fields = parts.flatMap(\.uses)
        matchedFields = parts.flatMap { $0.holes.filter(\.listed).flatMap(\.value.matchedUses) }
        warnings = parts.flatMap(\.warnings)
        recordKeys = Self.recordKeys(of: parts)
    }

    /// Compiles the story parts of `archive` (see `DocxArchive.storyParts()`). A paragraph of
    /// nothing but merge fields is left out of a document when they all come out empty, as
    /// Word does, unless the template's `w:mailMerge` settings hold `w:doNotSuppressBlankLines`.
    /// - Throws: `TemplateError` naming the part, paragraph and field code.
    ///
    /// `fieldMap` (`MatchFields.overrides(parsing:)`, from `--map`) overrides the columns the
    /// template's `w:odso` Match Fields give ADDRESSBLOCK/GREETINGLINE tokens. Date and number
    /// pictures follow each field's language (`FieldLanguageResolver`).
    ///
    /// `regions` says which child tables the data has and how empty regions render (`Regions/`).
    public static func compile(
        _ archive: DocxArchive, fieldMap: [AddressToken: String] = [:], regions: RegionOptions = RegionOptions()
    ) throws(TemplateError) -> CompiledTemplate {
        let file = archive.path
        func read(_ name: String) throws(TemplateError) -> [UInt8] {
            do { return try archive.read(name) } catch {
                throw TemplateError(file: file, part: name, message: "cannot read the part: \(error.message)")
            }
        }
        let storyParts: [StoryPart]
        do { storyParts = try archive.storyParts() } catch {
            throw TemplateError(file: file, part: error.part, message: error.message)
        }
        var compiler = PartCompiler(file: file)
        if archive.contains(FieldLanguageResolver.stylesPart),
            let language = FieldLanguageResolver.documentLanguage(styles: try read(FieldLanguageResolver.stylesPart))
        {
            compiler.documentLanguage = language
        }
        var matchFields = MatchFields()
        if archive.contains(SettingsPart.name) { matchFields = try SettingsPart.matchFields(try read(SettingsPart.name), file: file) }
        compiler.matchFields = matchFields.overridden(by: fieldMap)
        compiler.regions = regions
        var parts: [CompiledPart] = []
        for part in storyParts {
            parts.append(try compiler.compile(part: part.name, bytes: try read(part.name)))
        }
        var fixedParts: [String: [UInt8]] = [:]
        var suppressesBlankLines = true
        var mailMerge = MailMergeSettings()
        if archive.contains(SettingsPart.name) {
            let bytes = try read(SettingsPart.name)
            suppressesBlankLines = try SettingsPart.suppressesBlankLines(bytes, file: file)
            mailMerge = try MailMergeSettings.read(bytes, file: file)
            if let settings = try SettingsPart.withoutMailMerge(bytes, file: file) { fixedParts[SettingsPart.name] = settings }
        }
        // A bookmark may be referred to from another part (a REF in a header, say).
        let references = parts.reduce(into: Set<String>()) { $0.formUnion($1.bookmarkReferences) }
        parts = parts.map { $0.suppressingBlankLines(suppressesBlankLines, unlessReferencedIn: references) }
        var template = CompiledTemplate(templatePath: file, parts: parts, fixedParts: fixedParts)
        template.mailMerge = mailMerge
        template.media = try MediaSupport.read(for: template.parts, from: archive, mainPart: storyParts.first { $0.kind == .document }?.name)
        return template
    }

    /// Distinct field names, in order of first use.
    public var fieldNames: [String] {
        var seen = Set<String>()
        var names: [String] = []
        for use in fields where seen.insert(use.name.lowercased()).inserted { names.append(use.name) }
        return names
    }

    /// Renders `record`: returns the changed parts (entry name → bytes), including
    /// `word/settings.xml` without its `w:mailMerge` element. Unlisted entries stay as they are.
    /// - Throws: `MissingFieldError` when `missing == .error` and a field has no value.
    public func render(_ record: MergeRecord, missing: MissingFieldPolicy = .error) throws(MissingFieldError) -> [String: [UInt8]] {
        var changed = fixedParts
        changed.reserveCapacity(fixedParts.count + parts.count)
        let media = self.media.map { MediaDocument(folder: images, support: $0) }
        for part in parts {
            changed[part.name] = try part.render(record, missing: missing, media: media)
        }
        if let media { changed.merge(media.entries()) { _, added in added } }
        return changed
    }
}

/// One occurrence of a merge field in a template.
public struct FieldUse: Sendable, Hashable {
    /// Field name as written in the template.
    public let name: String
    /// Part entry name, e.g. `word/footer1.xml`.
    public let part: String
    /// 1-based paragraph number within the part.
    public let paragraph: Int
    /// The field code as written, e.g. `MERGEFIELD Surname \* Upper`, or `{{Surname}}`.
    public let code: String

    public init(name: String, part: String, paragraph: Int, code: String) {
        self.name = name
        self.part = part
        self.paragraph = paragraph
        self.code = code
    }
}

/// The values for one document, looked up case-insensitively by field name.
public struct MergeRecord: Sendable {
    /// Lowercased field name → value.
    var values: [String: String]
    /// The record's child tables (`Regions/`): lowercased table name → its rows for this record.
    public internal(set) var children: [String: [MergeRecord]] = [:]

    /// `values`: field name → value. Names differing only in case: the last one wins.
    public init(_ values: [String: String]) {
        var folded: [String: String] = [:]
        folded.reserveCapacity(values.count)
        for (key, value) in values { folded[key.lowercased()] = value }
        self.values = folded
    }

    /// `values` as above, and the rows of each child table (`children`: table name → rows, in
    /// order; a table with no rows for this record is given as an empty list, so that its
    /// regions disappear and `Table.Count` is 0).
    public init(_ values: [String: String], children: [String: [MergeRecord]]) {
        self.init(values)
        var folded: [String: [MergeRecord]] = [:]
        for (table, rows) in children { folded[table.lowercased()] = rows }
        self.children = folded
    }

    /// `values` and `children` whose names are lowercased already (a child file's header folded
    /// once, not per row).
    public init(folded values: [String: String], children: [String: [MergeRecord]]) {
        self.values = values
        self.children = children
    }

    /// A child table's row: `row` holds its values in the order of `columns` (shared by all the
    /// table's rows, so that a row costs no dictionary of its own); `children` as above, lowercased.
    public init(columns: ColumnIndex, row: [String], children: [String: [MergeRecord]]) {
        values = [:]
        self.columns = columns
        self.row = row
        self.children = children
    }

    /// For a child table's row: its columns, and its values in their order.
    private var columns: ColumnIndex?
    private var row: [String] = []

    /// The value of field `name` (any case), or nil when the record has no such field.
    public subscript(name: String) -> String? { self[folded: name.lowercased()] }

    /// For a child row as a region sees it (`Region.scoped`): its table's lowercased name and a
    /// dot (`orders.`), so that its fields are also found as `Orders.Column`.
    var rowPrefix: String?
    /// For a child row as a region sees it: the record (or parent row) the region sits in, looked
    /// up after the row's own fields and child tables. One element or none; nothing is copied per row.
    var enclosing: [MergeRecord] = []

    /// The value of the field whose lowercased name is `key` (no case folding per lookup);
    /// `Table.Count` and `Table.Sum:Column` of a child table when no field has that name.
    /// In a region row: the row's fields (also as `Table.Column`), then the enclosing rows' and
    /// the record's; then the aggregates of the innermost child table of that name.
    subscript(folded key: String) -> String? {
        if let value = field(folded: key) { return value }
        return aggregate(folded: key)
    }

    private func field(folded key: String) -> String? {
        if let value = own(folded: key) { return value }
        if let prefix = rowPrefix, key.utf8.count > prefix.utf8.count, key.utf8.starts(with: prefix.utf8),
            let name = String(key.utf8.dropFirst(prefix.utf8.count)), let value = own(folded: name)
        {
            return value
        }
        return enclosing.first?.field(folded: key)
    }

    /// The value of the record's own field `key` (lowercased): not its enclosing record's, not an aggregate.
    func own(folded key: String) -> String? {
        if let columns {
            guard let position = columns.positions[key], position < row.count else { return nil }
            return row[position]
        }
        return values[key]
    }

    private func aggregate(folded key: String) -> String? {
        if !children.isEmpty, let value = ChildAggregate.value(key, in: children) { return value }
        return enclosing.first?.aggregate(folded: key)
    }

    /// The rows of child table `table` (lowercased) the record sees: its own, else the enclosing
    /// row's or record's; nil when none of them has the table.
    func rows(of table: String) -> [MergeRecord]? {
        if let rows = children[table] { return rows }
        return enclosing.first?.rows(of: table)
    }

    /// Whether the record has field `name` (any case).
    public func has(_ name: String) -> Bool { self[name] != nil }
}

/// The lowercased column names of a child table and their positions, shared by its rows
/// (`MergeRecord(columns:row:children:)`).
public final class ColumnIndex: Sendable {
    let positions: [String: Int]

    /// `names`: the columns, lowercased, in the order of the rows' values (of a name given twice, the last wins).
    public init(folded names: [String]) {
        var positions: [String: Int] = [:]
        for (position, name) in names.enumerated() { positions[name] = position }
        self.positions = positions
    }
}

/// What to do with a field that has no value in the record.
public enum MissingFieldPolicy: String, Sendable, CaseIterable {
    /// Stop with an error naming the field, the part and the record (default).
    case error
    /// Render the field as empty text.
    case blank
    /// Leave the field in the document as it is.
    case keep
}

/// A template that cannot be compiled.
public struct TemplateError: Error, Sendable, CustomStringConvertible {
    public let file: String
    public let part: String?
    public let paragraph: Int?
    public let fieldCode: String?
    public let message: String

    public init(file: String, part: String? = nil, paragraph: Int? = nil, fieldCode: String? = nil, message: String) {
        self.file = file
        self.part = part
        self.paragraph = paragraph
        self.fieldCode = fieldCode
        self.message = message
    }

    public var description: String {
        var s = file
        if let part { s += ": \(part)" }
        if let paragraph { s += ", paragraph \(paragraph)" }
        s += ": \(message)"
        if let fieldCode { s += " (field code: \(fieldCode))" }
        return s
    }
}

/// A field the record has no value for (with `MissingFieldPolicy.error`).
public struct MissingFieldError: Error, Sendable, CustomStringConvertible {
    public let field: FieldUse
    /// Set when the field has a value that cannot be used: a picture that is missing, outside
    /// `--images` or not a picture, or barcode data the symbology refuses (what is wrong, as a sentence).
    public let problem: String?
    public init(field: FieldUse, problem: String? = nil) {
        self.field = field
        self.problem = problem
    }
    public var description: String {
        if let problem {
            return "field \"\(field.name)\" (\(field.part), paragraph \(field.paragraph), field code: \(field.code)): \(problem)"
                + " (or use --missing blank|keep)"
        }
        return "no data for field \"\(field.name)\" (\(field.part), paragraph \(field.paragraph), field code: \(field.code)); "
            + "add a column \"\(field.name)\" or use --missing blank|keep"
    }
}
