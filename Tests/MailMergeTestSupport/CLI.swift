import ExternalProcess
import Foundation

/// What a program run by a test printed, and its exit status.
public struct RunResult: Sendable {
    public var status: Int32
    public var stdout: String
    public var stderr: String
}

/// Runs the built `mailmerge` executable, as a user or a script would.
public enum CLI {
    public typealias Result = RunResult

    /// Seconds one command may take before the test fails instead of hanging.
    public static let timeout: Double = 600

    /// The executable SwiftPM built next to the test bundle.
    public static let executable: URL = {
        let bundleDirectory = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        for candidate in [bundleDirectory, bundleDirectory.deletingLastPathComponent()] {
            let url = candidate.appendingPathComponent("mailmerge")
            if FileManager.default.isExecutableFile(atPath: url.path) { return url }
        }
        return Paths.repository.appendingPathComponent(".build/debug/mailmerge")
    }()

    /// Runs `mailmerge arguments…` in `directory` and waits for it (at most `timeout` seconds).
    @discardableResult
    public static func run(
        _ arguments: [String], in directory: URL? = nil, environment: [String: String] = [:],
        timeout: Double = CLI.timeout
    ) throws -> RunResult {
        try Program.run(executable.path, arguments, in: directory, environment: environment, timeout: timeout)
    }
}

/// Runs any program for a test through the project's one process runner (`ExternalProcess`).
public enum Program {
    /// The full path of `name` on the PATH, if it is installed.
    public static func find(_ name: String) -> URL? { ExternalProcess.find(name).map { URL(fileURLWithPath: $0) } }

    /// Runs `program` with `arguments`, then `inputs` (refused when `requiresInputs` and empty),
    /// and returns what it printed, whatever its exit status.
    @discardableResult
    public static func run(
        _ program: String, _ arguments: [String], inputs: [String] = [], requiresInputs: Bool = false,
        trailing: [String] = [], in directory: URL? = nil, environment: [String: String] = [:], timeout: Double
    ) throws -> RunResult {
        let output = try ExternalProcess.run(
            program, arguments, inputs: inputs, requiresInputs: requiresInputs,
            trailing: trailing, timeout: timeout,
            environment: environment, directory: directory?.path)
        return RunResult(status: output.status, stdout: output.standardOutput, stderr: output.standardError)
    }
}
