import DocxPackage
import Testing

/// Workers that each own a `DocxArchive` of the same template can write in parallel.
@Suite struct ConcurrentWritingTests {
    @Test func parallelWorkersWriteIntactDocuments() async throws {
        let scratch = try TemporaryDirectory()
        let template = Paths.sampleTemplate("DirectMail_EN.docx")
        let directory = scratch.path
        let workers = 4
        let perWorker = 25
        try await withThrowingTaskGroup(of: Void.self) { group in
            for worker in 0..<workers {
                group.addTask {
                    let source = try DocxArchive(path: template)
                    let header = try source.read("word/header1.xml")
                    for number in 0..<perWorker {
                        let marked = header + Array("<!-- \(worker)-\(number) -->".utf8)
                        try DocxWriter.write(
                            source: source, replacing: ["word/header1.xml": marked],
                            to: "\(directory)/w\(worker)-\(number).docx")
                    }
                }
            }
            try await group.waitForAll()
        }
        #expect(TemporaryDirectory.list(directory).count == workers * perWorker)
        for worker in 0..<workers {
            for number in 0..<perWorker {
                let output = try DocxArchive(path: "\(directory)/w\(worker)-\(number).docx")
                let text = String(decoding: try output.read("word/header1.xml"), as: UTF8.self)
                #expect(text.hasSuffix("<!-- \(worker)-\(number) -->"))
                #expect(try output.storyParts() == DocxArchive(path: template).storyParts())
            }
        }
    }
}
