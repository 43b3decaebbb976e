import ArgumentParser
import Foundation
import MailMergeKit
import Segments

/// Prints `error: …` lines to standard error.
func printError(_ message: String) {
    for line in message.split(separator: "\n", omittingEmptySubsequences: false) {
        FileHandle.standardError.write(Data("error: \(line)\n".utf8))
    }
}

/// The day `text` names (`nil` for `nil`); a bad one is reported like every input error:
/// `error: --date: '2026-02-30' is not a date in the form yyyy-MM-dd (e.g. 2026-11-23)`.
func parseDay(_ text: String?, option: String) throws -> Day? {
    guard let text else { return nil }
    return try reportingErrors { try Day.parse(text, source: option) }
}

/// Runs `body`; a user-facing error is printed as `error: …` and exits with status 1.
func reportingErrors<T>(_ body: () throws -> T) throws -> T {
    do {
        return try body()
    } catch let error as MailMergeError {
        printError(error.description)
        throw ExitCode(1)
    } catch let error as ExitCode {
        throw error
    } catch {
        printError(String(describing: error))
        throw ExitCode(1)
    }
}
