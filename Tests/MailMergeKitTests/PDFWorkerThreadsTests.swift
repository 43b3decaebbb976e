import Foundation
import Testing

@testable import MailMergeKit

/// The print run's PDF workers (issue 14, `--pdf-jobs 1` against `2`): each runs on a thread of its own, so no worker
/// waits for a thread while its LibreOffice is idle, and a resident LibreOffice ends at once when its work is done.
@Suite(.serialized)
struct PDFWorkerThreadsTests {
    /// More `Background` tasks than cores, each waiting until all have started: they all run at once (on the global
    /// queue, which runs about as many threads as there are cores, the later ones waited for a thread about a second each).
    @Test func backgroundWorkRunsOnThreadsOfItsOwnBeyondTheCoreCount() throws {
        /// How many tasks have started, and how many saw them all started.
        final class Barrier: @unchecked Sendable {
            // @unchecked: both counts are guarded by `condition`.
            let condition = NSCondition()
            var started = 0
            var together = 0
        }
        let count = 2 * ProcessInfo.processInfo.activeProcessorCount + 8
        let barrier = Barrier()
        let begin = Date()
        let tasks = (0..<count).map { _ in
            Background(name: "test") {
                barrier.condition.lock()
                barrier.started += 1
                barrier.condition.broadcast()
                let deadline = Date().addingTimeInterval(30)
                while barrier.started < count && barrier.condition.wait(until: deadline) {}
                if barrier.started == count { barrier.together += 1 }
                barrier.condition.unlock()
            }
        }
        for task in tasks { try task.wait() }
        let seconds = Date().timeIntervalSince(begin)
        #expect(barrier.together == count, "\(barrier.together) of \(count) tasks saw every task started")
        #expect(seconds < 5, "all \(count) tasks started together after \(seconds) s")
    }

    /// A failure in the work is what `wait()` throws.
    @Test func backgroundWorkReportsItsFailure() {
        let task = Background(name: "test") { () throws(MailMergeError) in throw .io(path: "x.pdf", message: "failed on purpose") }
        #expect(throws: MailMergeError.self) { try task.wait() }
    }

    /// The processes whose command line mentions `text`.
    static func processes(mentioning text: String) -> [Int32] {
        TemporaryDirectory.list("/proc").compactMap { Int32($0) }.filter { pid in
            String(decoding: TemporaryDirectory.readFile("/proc/\(pid)/cmdline"), as: UTF8.self).contains(text) && !ProcessState.isGone(pid)
        }
    }

    /// A resident LibreOffice converts a letter, and once its input ends it is killed (not closed: that took 0.5–2 s
    /// at the end of every run) and reaped: `stop()` returns at once and no process of it is left; the PDF is whole.
    @Test(.enabled(if: ParallelPrintPDFTests.hasPythonUno, "python3-uno is not installed (apt-get install python3-uno); scripts/setup-debian.sh installs it"))
    func aResidentLibreOfficeEndsAtOnceWhenItsInputEnds() throws {
        let folder = try TemporaryDirectory("resident-end")
        let soffice = try #require(Program.find("soffice")?.path, "LibreOffice is installed by scripts/setup-debian.sh")
        let driver = try ResidentLibreOffice.writeDriver(into: folder.path)
        let profile = folder.path("profile")
        let office = ResidentLibreOffice(soffice: soffice, python: "/usr/bin/python3", driver: driver, profile: profile)
        let pdf = folder.path("letter.pdf")
        let letter = Paths.templates.appendingPathComponent("DirectMail_EN.docx").path
        #expect(office.convertRetrying(letter, to: pdf, timeout: 600) == nil)
        let running = Self.processes(mentioning: profile)
        #expect(running.count >= 2, "the driver and LibreOffice run until the input ends: \(running)")

        office.finish()
        let stopping = Date()
        office.stop()
        let seconds = Date().timeIntervalSince(stopping)
        #expect(seconds < 10, "stop() took \(seconds) s")
        #expect(ProcessState.waitUntilGone(running, seconds: 1), "left running: \(Self.processes(mentioning: profile))")
        #expect(try ParallelPrintPDFTests.pageCount(URL(fileURLWithPath: pdf)) >= 1)
        #expect(!(try ExternalCheck.pdfPages(URL(fileURLWithPath: pdf)).joined().trimmingCharacters(in: .whitespacesAndNewlines).isEmpty))
    }
    /// A resident LibreOffice whose caller is killed (SIGKILL, as a distributed worker may be) ends too, even when its
    /// input never ends: the driver notices it has lost its caller and kills LibreOffice, so no LibreOffice is left
    /// behind running without anyone to stop it.
    @Test(.enabled(if: ParallelPrintPDFTests.hasPythonUno, "python3-uno is not installed (apt-get install python3-uno); scripts/setup-debian.sh installs it"))
    func aResidentLibreOfficeEndsWhenItsCallerIsKilled() throws {
        let folder = try TemporaryDirectory("resident-orphan")
        let soffice = try #require(Program.find("soffice")?.path, "LibreOffice is installed by scripts/setup-debian.sh")
        let driver = try ResidentLibreOffice.writeDriver(into: folder.path)
        let profile = folder.path("profile")
        // The caller: a shell that starts the driver (its child) on a FIFO it holds open both ways, so the driver's input never ends.
        let caller = Process()
        caller.executableURL = URL(fileURLWithPath: "/bin/bash")
        caller.arguments = [
            "-c", #"mkfifo "$1/in"; exec 3<>"$1/in"; /usr/bin/python3 -I "$2" "$3" "$4" "$5" <&3 > "$1/out" 2> "$1/err" & wait"#, "caller",
            folder.path, driver, soffice, URL(fileURLWithPath: profile).absoluteString, "mailmerge-test-\(UUID().uuidString)",
        ]
        caller.standardInput = FileHandle.nullDevice
        caller.standardOutput = FileHandle.nullDevice
        caller.standardError = FileHandle.nullDevice
        try caller.run()
        let callerID = caller.processIdentifier
        defer { kill(callerID, SIGKILL) }
        let deadline = Date().addingTimeInterval(180)
        while !String(decoding: TemporaryDirectory.readFile(folder.path("out")), as: UTF8.self).contains("ready"), Date() < deadline {
            Thread.sleep(forTimeInterval: 0.1)
        }
        let out = String(decoding: TemporaryDirectory.readFile(folder.path("out")), as: UTF8.self)
        try #require(
            out.contains("ready"), "the driver did not start LibreOffice: \(String(decoding: TemporaryDirectory.readFile(folder.path("err")), as: UTF8.self))")
        let running = Self.processes(mentioning: profile)
        #expect(running.count >= 2, "the driver and LibreOffice run: \(running)")

        // The driver's parent is the caller (its process status's fourth field): killing the caller orphans it.
        let children = running.filter { pid in
            let status = String(decoding: TemporaryDirectory.readFile("/proc/\(pid)/stat"), as: UTF8.self)
            return status.split(separator: ")").last?.split(separator: " ").dropFirst().first == "\(callerID)"
        }
        #expect(children.count == 1, "the driver runs as the caller's child: \(running)")
        kill(callerID, SIGKILL)
        #expect(ProcessState.waitUntilGone(running, seconds: 20), "left running: \(Self.processes(mentioning: profile))")
    }
}
