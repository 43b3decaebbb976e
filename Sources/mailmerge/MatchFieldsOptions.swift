import ArgumentParser
import MergeEngine

/// `--map NAME=COLUMN`: Word's Match Fields from the command line.
struct MatchFieldsOptions: ParsableArguments {
    @Option(
        name: .customLong("map"),
        help: ArgumentHelp(
            "Which column an ADDRESSBLOCK/GREETINGLINE token reads, e.g. \"Last Name=Surname\" or \"_POSTAL_=ZIP\" (repeatable).",
            discussion: "Overrides the template's Match Fields (w:odso) and the automatic match by column name.",
            valueName: "NAME=COLUMN"))
    var map: [String] = []

    /// The overrides, or a one-line validation error saying what to write.
    func overrides() throws -> [AddressToken: String] {
        do { return try MatchFields.overrides(parsing: map) } catch { throw ValidationError(error.message) }
    }
}
