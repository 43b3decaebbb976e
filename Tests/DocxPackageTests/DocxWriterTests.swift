import CLibZip
import DocxPackage
import Foundation
import Synchronization
import Testing

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Writing packages: copies unchanged entries' compressed bytes, replaces parts, atomically.
@Suite struct DocxWriterTests {
    let scratch: TemporaryDirectory
    init() throws { scratch = try TemporaryDirectory() }

    /// The sample templates (always there) and the Word-made corpus (when it is there).
    @Test(arguments: Paths.sampleTemplates + WordCorpus.docxNames().map(WordCorpus.path))
    func roundTripWithReplacedMainPart(_ sourcePath: String) throws {
        let name = (sourcePath as NSString).lastPathComponent
        let source = try DocxArchive(path: sourcePath)
        var document = try source.read("word/document.xml")
        document += Array("<!-- merged -->".utf8)
        let outPath = scratch.path("out.docx")
        try DocxWriter.write(source: source, replacing: ["word/document.xml": document], to: outPath, compressionLevel: 6)

        let output = try DocxArchive(path: outPath)
        #expect(output.entryNames == source.entryNames)
        #expect(try output.read("word/document.xml") == document)
        #expect(try output.storyParts() == source.storyParts())
        let before = RawEntry.all(in: sourcePath)
        let after = RawEntry.all(in: outPath)
        #expect(before.count == source.entryNames.count && after.count == before.count)
        for (old, new) in zip(before, after) where old.name != "word/document.xml" {
            #expect(new.name == old.name && new.method == old.method, "\(name): \(old.name)")
            #expect(new.compressedSize == old.compressedSize && new.crc == old.crc, "\(name): \(old.name)")
            #expect(new.compressedBytes == old.compressedBytes, "\(name): \(old.name) compressed bytes differ")
        }
        for entry in source.entryNames where entry != "word/document.xml" {
            #expect(try output.read(entry) == source.read(entry), "\(name): \(entry)")
        }
    }

    @Test func compressionLevelApplies() throws {
        let source = try DocxArchive(path: Paths.sampleTemplate("DirectMail_EN.docx"))
        let part = [UInt8](repeating: UInt8(ascii: "x"), count: 200_000) + Array(0..<255)
        var sizes: [Int: UInt64] = [:]
        for level in [0, 1, 9] {
            let path = scratch.path("level\(level).docx")
            try DocxWriter.write(source: source, replacing: ["word/header1.xml": part], to: path, compressionLevel: level)
            let entry = try #require(RawEntry.all(in: path).first { $0.name == "word/header1.xml" })
            sizes[level] = entry.compressedSize
            #expect(try DocxArchive(path: path).read("word/header1.xml") == part)
        }
        #expect(sizes[0] == UInt64(part.count))
        #expect(try #require(sizes[1]) < UInt64(part.count) / 10)
        #expect(try #require(sizes[9]) <= #require(sizes[1]))
    }

    @Test func replacingUnknownPartWritesNothing() throws {
        let source = try DocxArchive(path: Paths.sampleTemplate("Event_EN.docx"))
        let path = scratch.path("out.docx")
        expectDocxError("word/header7.xml", "no such part") {
            try DocxWriter.write(source: source, replacing: ["word/header7.xml": []], to: path)
        }
        #expect(TemporaryDirectory.list(scratch.path).isEmpty)
    }

    @Test func entriesKeepTheirOrderAndBytes() throws {
        let entries = Packages.minimal() + [("zzz/first-last.bin", [UInt8](0...255))]
        let path = scratch.path("built.docx")
        try DocxWriter.write(entries: entries, to: path, compressionLevel: 1)
        let archive = try DocxArchive(path: path)
        #expect(archive.entryNames == entries.map(\.name))
        for entry in entries { #expect(try archive.read(entry.name) == entry.bytes) }
    }

    @Test func missingDirectoryLeavesNothing() {
        let directory = scratch.path("not-there")
        expectDocxError("not-there does not exist") {
            try DocxWriter.write(entries: Packages.minimal(), to: directory + "/out.docx")
        }
        #expect(!TemporaryDirectory.exists(directory))
        #expect(TemporaryDirectory.list(scratch.path).isEmpty)
    }

    @Test func directoryThatIsAFileLeavesNothing() throws {
        let file = scratch.path("plain")
        TemporaryDirectory.writeFile(file, Array("x".utf8))
        let source = try DocxArchive(path: Paths.sampleTemplate("Event_EN.docx"))
        expectDocxError("plain is not a directory") {
            try DocxWriter.write(source: source, replacing: [:], to: file + "/out.docx")
        }
        #expect(TemporaryDirectory.list(scratch.path) == ["plain"])
    }

    @Test(.enabled(if: geteuid() != 0, "root may write into read-only directories"))
    func readOnlyDirectoryLeavesNothing() throws {
        let directory = scratch.path("locked")
        #expect(mkdir(directory, 0o555) == 0)
        defer { chmod(directory, 0o755) }
        expectDocxError("permission denied") {
            try DocxWriter.write(entries: Packages.minimal(), to: directory + "/out.docx")
        }
        #expect(TemporaryDirectory.list(directory).isEmpty)
    }

    @Test func failedRenameLeavesNoTemporaryFile() throws {
        // The destination is a non-empty directory: libzip writes its temporary file, the
        // rename fails, and the temporary file must be gone afterwards.
        let destination = scratch.path("out.docx")
        #expect(mkdir(destination, 0o755) == 0)
        TemporaryDirectory.writeFile(destination + "/keep", Array("k".utf8))
        expectDocxError("out.docx", "a directory of that name is in the way", "nothing was written") {
            try DocxWriter.write(entries: Packages.minimal(), to: destination)
        }
        #expect(TemporaryDirectory.list(scratch.path) == ["out.docx"])
        #expect(TemporaryDirectory.list(destination) == ["keep"])
    }

    @Test func failedWriteKeepsExistingFile() throws {
        let path = scratch.path("out.docx")
        try DocxWriter.write(entries: Packages.minimal(), to: path)
        let before = TemporaryDirectory.readFile(path)
        let twice = Packages.minimal() + [("word/header1.xml", Array("again".utf8))]
        expectDocxError("word/header1.xml", "used twice") { try DocxWriter.write(entries: twice, to: path) }
        #expect(TemporaryDirectory.readFile(path) == before)
        #expect(TemporaryDirectory.list(scratch.path) == ["out.docx"])
    }

    @Test func levelOutOfRange() {
        expectDocxError("compression level 12") {
            try DocxWriter.write(entries: Packages.minimal(), to: scratch.path("x.docx"), compressionLevel: 12)
        }
    }

    /// Parts in memory are deflated by `Deflater` (libdeflate), larger ones and parts in files by
    /// libzip (zlib): the entries hold the same data (CRC, size) and local header (version needed,
    /// general purpose flags for the level, method), ours in no more bytes than zlib's at that level.
    @Test(arguments: [1, 6, 9])
    func deflatedPartsAreNoLargerThanLibzips(level: Int) throws {
        let document = try DocxArchive(path: Paths.sampleTemplate("DirectMail_EN.docx")).read("word/document.xml")
        var part = document
        for row in 0..<300 { part += Array("<w:p><w:r><w:t>Row \(row) &amp; more \(row * 7919 % 1000)</w:t></w:r></w:p>".utf8) }
        let file = scratch.path("part.xml")
        try Data(part).write(to: URL(fileURLWithPath: file))
        let ours = scratch.path("ours-\(level).docx")
        let libzip = scratch.path("libzip-\(level).docx")
        // The part first (its local header at offset 0), then the rest of a minimal package.
        let rest = Packages.minimal().filter { $0.name != "word/document.xml" }.map { (name: $0.name, content: DocxWriter.Content.bytes($0.bytes)) }
        try DocxWriter.write(parts: [("word/document.xml", .bytes(part))] + rest, to: ours, compressionLevel: level)
        try DocxWriter.write(
            parts: [("word/document.xml", .file(path: file, offset: 0, length: UInt64(part.count)))] + rest, to: libzip, compressionLevel: level)
        let a = try #require(RawEntry.all(in: ours).first { $0.name == "word/document.xml" })
        let b = try #require(RawEntry.all(in: libzip).first { $0.name == "word/document.xml" })
        #expect(a.method == ZIP_CM_DEFLATE && b.method == ZIP_CM_DEFLATE)
        #expect(a.crc == b.crc)
        #expect(a.compressedSize <= b.compressedSize)
        #expect(try DocxArchive(path: ours).read("word/document.xml") == part)
        // The local header's version needed, general purpose flags (level: fast/maximum) and method too.
        let x = try Data(contentsOf: URL(fileURLWithPath: ours))
        let y = try Data(contentsOf: URL(fileURLWithPath: libzip))
        #expect(x.count > 10 && x[4..<10] == y[4..<10])
    }

    /// A new file appears complete under its name with nothing beside it; writing again replaces
    /// it (through a temporary file and a rename), again with nothing left beside it; the file's
    /// permissions are those of any new file (0666 less the umask) either way.
    @Test func newAndReplacedFilesLeaveNothingElse() throws {
        let reference = scratch.path("reference")
        let descriptor = open(reference, O_WRONLY | O_CREAT | O_EXCL, 0o666)
        #expect(descriptor >= 0)
        close(descriptor)
        let path = scratch.path("out.docx")
        try DocxWriter.write(entries: Packages.minimal(), to: path)
        #expect(TemporaryDirectory.list(scratch.path) == ["out.docx", "reference"])
        #expect(Self.permissions(path) == Self.permissions(reference))
        let again = Packages.minimal() + [("word/extra.xml", Array("again".utf8))]
        try DocxWriter.write(entries: again, to: path)
        #expect(TemporaryDirectory.list(scratch.path) == ["out.docx", "reference"])
        #expect(try DocxArchive(path: path).read("word/extra.xml") == Array("again".utf8))
        #expect(Self.permissions(path) == Self.permissions(reference))
    }

    private static func permissions(_ path: String) -> mode_t? {
        var status = stat()
        return stat(path, &status) == 0 ? status.st_mode & 0o777 : nil
    }

    /// Many threads writing at once share the deflate streams safely; every part reads back.
    @Test func deflateStreamsAreSharedAcrossThreads() throws {
        let source = try DocxArchive(path: Paths.sampleTemplate("DirectMail_EN.docx"))
        let document = try source.read("word/document.xml")
        let failures = Mutex<[String]>([])
        DispatchQueue.concurrentPerform(iterations: 8) { worker in
            do {
                let archive = try DocxArchive(path: Paths.sampleTemplate("DirectMail_EN.docx"))
                for n in 0..<25 {
                    let part = document + Array("<!-- \(worker)-\(n) -->".utf8)
                    let path = scratch.path("w\(worker)-\(n).docx")
                    try DocxWriter.write(source: archive, replacing: ["word/document.xml": part], to: path, compressionLevel: 1 + (worker + n) % 9)
                    if try DocxArchive(path: path).read("word/document.xml") != part { failures.withLock { $0.append(path) } }
                }
            } catch {
                failures.withLock { $0.append("\(error)") }
            }
        }
        #expect(failures.withLock { $0 } == [])
    }
}
