import ArgumentParser
import MailMergeKit

struct PreviewCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "preview",
        abstract: "Render one line's letter to .docx, PDF and PNG pages, logging nothing.",
        discussion: """
            Resolves the segment like log-segment, merges the letter of the line you name \
            (by --line or --contact) and converts it with LibreOffice to PDF and with \
            pdftoppm to one PNG per page, so you can look at it before the run. The \
            interaction log is not opened.
            """
    )

    @Argument(help: "The segment file (YAML).")
    var segment: String

    @Option(name: .long, help: "The lineNo of the line to render.")
    var line: Int?

    @Option(name: .long, help: "The ContactNo of the line to render.")
    var contact: String?

    @OptionGroup var catalogue: TemplatesOptions

    @Option(name: .long, help: "The preview files go here.")
    var out = Defaults.previewDirectory

    @Option(name: .long, help: "Resolution of the page images, in dots per inch.")
    var dpi = 100

    func validate() throws {
        if line == nil && contact == nil { throw ValidationError("name the line to render with --line N or --contact NO") }
        if !(20...600).contains(dpi) { throw ValidationError("--dpi must be between 20 and 600") }
    }

    func run() throws {
        var request = PreviewRequest(segmentPath: segment)
        request.lineNo = line
        request.contactNo = contact
        request.templatesDirectory = catalogue.templates
        request.outputDirectory = out
        request.resolution = dpi
        let result = try reportingErrors { try LetterPreview.run(request) }
        print("letter: \(result.document)")
        print("PDF: \(result.pdf)")
        for image in result.images { print("page: \(image)") }
    }
}
