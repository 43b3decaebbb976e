import ExternalProcess
import Foundation
import MailMergeTestSupport
import Testing

/// The one runner of external programs: timeouts kill the whole process group, pipes are drained
/// at the same time, errors are typed and carry standard error.
@Suite struct ExternalProcessTests {
    @Test func outputAndStatusAreReported() throws {
        let output = try ExternalProcess.run("sh", ["-c", "printf out; printf 'line 1\\nline 2\\n' >&2; exit 3"], timeout: 30)
        #expect(output.status == 3)
        #expect(output.standardOutput == "out")
        #expect(output.stderrTail() == "line 1 | line 2")
        #expect(throws: ExternalProcessError.failed(program: "sh", status: 3, stderrTail: "line 1 | line 2")) { try output.succeeded() }
    }

    @Test func bothPipesAreDrainedWhileTheProgramRuns() throws {
        // 1 MiB on each pipe: far more than a pipe buffer holds, so reading one after the other would block.
        let output = try ExternalProcess.run("sh", ["-c", "head -c 1048576 /dev/zero >&2; head -c 1048576 /dev/zero"], timeout: 60)
        #expect(output.status == 0 && output.stdout.count == 1_048_576 && output.stderr.count == 1_048_576)
    }

    @Test func anEmptyInputListIsRefusedBeforeAnythingStarts() {
        #expect(throws: ExternalProcessError.noInputs(program: "cat")) {
            try ExternalProcess.run("cat", [], inputs: [], requiresInputs: true, timeout: 5)
        }
    }

    @Test func aMissingProgramIsNamed() {
        #expect(throws: ExternalProcessError.notFound(program: "no-such-program-here")) {
            try ExternalProcess.run("no-such-program-here", [], timeout: 5)
        }
    }

    @Test func environmentAndDirectoryApply() throws {
        let folder = try TemporaryDirectory()
        let output = try ExternalProcess.run(
            "sh", ["-c", "printf '%s %s' \"$PWD\" \"$GREETING\""], timeout: 30,
            environment: ["GREETING": "hello"], directory: folder.path)
        #expect(
            output.standardOutput == "\(folder.url.resolvingSymlinksInPath().path) hello"
                || output.standardOutput == "\(folder.path) hello", "\(output.standardOutput)")
    }

    @Test func aTimeoutKillsTheWholeProcessGroup() throws {
        let folder = try TemporaryDirectory()
        let pids = folder.path("pids")
        let started = Date()
        // The program forks a grandchild, as soffice forks oosplash and soffice.bin; both must go.
        let script = "echo $$ >> '\(pids)'; sleep 300 & echo $! >> '\(pids)'; echo waiting >&2; wait"
        #expect(throws: ExternalProcessError.timedOut(program: "sh", seconds: 1, stderrTail: "waiting")) {
            try ExternalProcess.run("sh", ["-c", script], timeout: 1)
        }
        #expect(Date().timeIntervalSince(started) < 10)
        let ids = try String(contentsOfFile: pids, encoding: .utf8).split(separator: "\n").compactMap { Int32($0) }
        #expect(ids.count == 2)
        // A signal is delivered asynchronously: a killed process may need a moment on a loaded machine to end.
        #expect(ProcessState.waitUntilGone(ids, seconds: 5), "still running: \(ids.filter { !ProcessState.isGone($0) })")
    }
}
