import ArgumentParser
import Foundation
import MailMergeKit

/// Prints `error: …` lines to standard error.
func printError(_ message: String) {
    for line in message.split(separator: "\n", omittingEmptySubsequences: false) {
        FileHandle.standardError.write(Data("error: \(line)\n".utf8))
    }
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
