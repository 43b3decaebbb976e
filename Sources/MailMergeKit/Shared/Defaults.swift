import Foundation

/// The defaults of the use cases and the command line, in one place.
public enum Defaults {
    /// The folder with `templates.yaml` and the Word attachments.
    public static let templatesDirectory = "Templates"
    /// Where letters go (`<segment no>/`, `interactions/`).
    public static let outputDirectory = "letters"
    /// Where `preview` writes.
    public static let previewDirectory = "preview"
    /// The SQLite interaction log.
    public static let databasePath = "mailmerge.sqlite"
    /// The contacts CSV of `interaction create`.
    public static let contactsPath = "contacts.csv"
    /// Worker threads: one per core.
    public static var jobs: Int { ProcessInfo.processInfo.activeProcessorCount }
    /// Records read and written per round; bounds memory whatever the size of the data.
    static let batchSize = 512
}
