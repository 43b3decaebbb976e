import Foundation
import MailMergeTestSupport
import Testing

/// A test process killed before its `atexit` leaves its throwaway PostgreSQL running; the next test process that
/// starts one stops and removes those of ended processes, never a living process's.
@Suite struct TestPostgresLeftoversTests {
    @Test func leftoversOfEndedProcessesAreRemovedAndALivingOnesKept() throws {
        let temporary = FileManager.default.temporaryDirectory.path
        // A process number that was just in use and has ended.
        let ended = Process()
        ended.executableURL = URL(fileURLWithPath: "/bin/true")
        try ended.run()
        ended.waitUntilExit()
        let token = UUID().uuidString.prefix(8)
        let gone = "\(temporary)/mailmerge-pg-\(ended.processIdentifier)-leftover\(token)"
        let living = "\(temporary)/mailmerge-pg-\(getpid())-living\(token)"
        for folder in [gone, living] { try FileManager.default.createDirectory(atPath: folder + "/data", withIntermediateDirectories: true) }
        defer { try? FileManager.default.removeItem(atPath: living) }
        PostgresCluster.removeLeftovers(binaries: PostgresCluster.binariesFolder ?? "/nonexistent")
        #expect(!FileManager.default.fileExists(atPath: gone))
        #expect(FileManager.default.fileExists(atPath: living))
    }
}
