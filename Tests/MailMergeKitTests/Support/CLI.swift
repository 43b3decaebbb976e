import Foundation

/// Runs the built `mailmerge` executable, as a user or a script would.
struct CLI {
    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// The executable SwiftPM built next to the test bundle.
    static let executable: URL = {
        let bundleDirectory = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        for candidate in [bundleDirectory, bundleDirectory.deletingLastPathComponent()] {
            let url = candidate.appendingPathComponent("mailmerge")
            if FileManager.default.isExecutableFile(atPath: url.path) { return url }
        }
        return Paths.repository.appendingPathComponent(".build/debug/mailmerge")
    }()

    /// Runs `mailmerge arguments…` in `directory` and waits for it.
    @discardableResult
    static func run(_ arguments: [String], in directory: URL? = nil, environment: [String: String] = [:]) throws -> Result {
        try Process.capture(executable, arguments, in: directory, environment: environment)
    }
}

extension Process {
    /// Runs `executable` with `arguments`, capturing standard output and error.
    static func capture(_ executable: URL, _ arguments: [String], in directory: URL? = nil,
                        environment: [String: String] = [:]) throws -> CLI.Result {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        if let directory { process.currentDirectoryURL = directory }
        if !environment.isEmpty {
            process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        }
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        try process.run()
        // Read both pipes while the process runs, so a chatty child cannot block on a full pipe.
        let errData = Mutex()
        let group = DispatchGroup()
        DispatchQueue.global().async(group: group) { errData.set(err.fileHandleForReading.readDataToEndOfFile()) }
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        group.wait()
        process.waitUntilExit()
        return CLI.Result(status: process.terminationStatus,
                          stdout: String(decoding: outData, as: UTF8.self),
                          stderr: String(decoding: errData.get(), as: UTF8.self))
    }

    /// Finds `name` on the PATH (or returns nil).
    static func which(_ name: String) -> URL? {
        for dir in (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":") {
            let url = URL(fileURLWithPath: String(dir)).appendingPathComponent(name)
            if FileManager.default.isExecutableFile(atPath: url.path) { return url }
        }
        return nil
    }
}

/// A tiny lock-protected box for data read on another thread.
private final class Mutex: @unchecked Sendable {
    private let lock = NSLock()
    private var data = Data()
    func set(_ value: Data) { lock.lock(); data = value; lock.unlock() }
    func get() -> Data { lock.lock(); defer { lock.unlock() }; return data }
}

/// Where the tests find the repository and the shared fixtures.
enum Paths {
    static let repository = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()
    static let wordFixtures = repository.deletingLastPathComponent().appendingPathComponent("shared/fixtures/word")
    static let templates = repository.appendingPathComponent("Templates")
    static let sampleSegments = repository.appendingPathComponent("SampleSegments")

    /// A new empty temporary folder.
    static func temporaryDirectory(_ label: String = "mailmerge-test") throws -> URL {
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("\(label)-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}
