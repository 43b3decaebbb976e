import Foundation

/// Where a PostgreSQL interaction log is: `--db postgres://user[:password]@host[:port]/database[?sslmode=…&host=/socket/folder]`.
///
/// The password comes from the URL, else `PGPASSWORD`, else `~/.pgpass` (or `PGPASSFILE`), as libpq finds it.
/// It is never printed: `description` is the URL without it.
public struct PostgresLocation: Sendable, Hashable, CustomStringConvertible {
    /// TLS as libpq's `sslmode` asks for it; `verify-ca`/`verify-full` are `require` with certificate checks.
    public enum SSLMode: String, Sendable, Hashable {
        case disable, allow, prefer, require
        case verifyCA = "verify-ca"
        case verifyFull = "verify-full"
    }

    public var host: String
    public var port: Int
    /// A folder holding the server's socket (`?host=/run/postgresql`), used instead of TCP.
    public var socketDirectory: String?
    public var user: String
    public var password: String?
    public var database: String
    public var sslMode: SSLMode

    /// Whether `text` names a PostgreSQL database (`postgres://` or `postgresql://`) rather than an SQLite file.
    public static func isURL(_ text: String) -> Bool {
        let lower = text.lowercased()
        return lower.hasPrefix("postgres://") || lower.hasPrefix("postgresql://")
    }

    /// Parses `url`; the password is looked up in `environment` (`PGPASSWORD`, `PGPASSFILE`, `HOME`) when the URL has none.
    ///
    /// - Throws: `PostgresLocationError` naming what is wrong (the URL shown without its password).
    public init(url: String, environment: [String: String] = ProcessInfo.processInfo.environment) throws(PostgresLocationError) {
        guard Self.isURL(url), let components = URLComponents(string: url) else {
            throw PostgresLocationError(url: Self.redact(url), problem: "not a postgres:// URL (postgres://user@host:port/database?sslmode=disable)")
        }
        var items: [String: String] = [:]
        for item in components.queryItems ?? [] { items[item.name] = item.value ?? "" }
        let socket = items["host"].flatMap { $0.hasPrefix("/") ? $0 : nil }
        host = components.host.flatMap { $0.isEmpty ? nil : $0 } ?? "localhost"
        socketDirectory = socket
        port = components.port ?? Int(items["port"] ?? "") ?? 5432
        user = components.user.flatMap { $0.isEmpty ? nil : $0 } ?? environment["PGUSER"] ?? environment["USER"] ?? "postgres"
        let path = components.path.hasPrefix("/") ? String(components.path.dropFirst()) : components.path
        database = path.isEmpty ? user : path
        let mode = items["sslmode"] ?? "prefer"
        guard let sslMode = SSLMode(rawValue: mode) else {
            throw PostgresLocationError(
                url: Self.redact(url), problem: "sslmode=\(mode) is not one of disable, allow, prefer, require, verify-ca, verify-full")
        }
        self.sslMode = sslMode
        let given = components.password
        password =
            given
            ?? environment["PGPASSWORD"]
            ?? Self.passwordFromPassFile(
                environment: environment, host: socket ?? host, port: port, database: database, user: user)
    }

    /// The URL without the password, as errors and messages show it.
    public var description: String {
        var text = "postgres://\(user)@\(host):\(port)/\(database)"
        var query: [String] = []
        if let socketDirectory { query.append("host=\(socketDirectory)") }
        if sslMode != .prefer { query.append("sslmode=\(sslMode.rawValue)") }
        if !query.isEmpty { text += "?" + query.joined(separator: "&") }
        return text
    }

    /// `url` with any password replaced by `***`, for messages about a URL that could not be parsed.
    public static func redact(_ url: String) -> String {
        guard var components = URLComponents(string: url), components.password != nil else { return url }
        components.password = "***"
        return components.string ?? "postgres://…"
    }

    /// The first matching `host:port:database:user:password` line of `PGPASSFILE` or `~/.pgpass` (`*` matches anything).
    static func passwordFromPassFile(environment: [String: String], host: String, port: Int, database: String, user: String) -> String? {
        let file = environment["PGPASSFILE"] ?? environment["HOME"].map { $0 + "/.pgpass" }
        guard let file, let text = try? String(contentsOfFile: file, encoding: .utf8) else { return nil }
        let wanted = [host, String(port), database, user]
        for line in text.split(whereSeparator: \.isNewline) where !line.hasPrefix("#") {
            let fields = splitPassLine(String(line))
            guard fields.count == 5 else { continue }
            let hostMatches = fields[0] == "*" || fields[0] == wanted[0] || (fields[0] == "localhost" && wanted[0].hasPrefix("/"))
            if hostMatches && zip(fields[1...3], wanted[1...3]).allSatisfy({ $0 == "*" || $0 == $1 }) {
                return fields[4]
            }
        }
        return nil
    }

    /// Splits a `.pgpass` line at unescaped colons (`\:` and `\\` are escapes).
    private static func splitPassLine(_ line: String) -> [String] {
        var fields: [String] = []
        var current = ""
        var escaped = false
        for character in line {
            if escaped {
                current.append(character)
                escaped = false
            } else if character == "\\" {
                escaped = true
            } else if character == ":" {
                fields.append(current)
                current = ""
            } else {
                current.append(character)
            }
        }
        fields.append(current)
        return fields
    }
}

/// A `--db postgres://…` that cannot be used as it is.
public struct PostgresLocationError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The URL, without its password.
    public var url: String
    public var problem: String

    public var description: String { "\(url): \(problem)" }
}
