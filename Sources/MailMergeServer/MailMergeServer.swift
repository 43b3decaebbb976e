import Foundation
import Hummingbird
import Logging
import ServiceLifecycle

/// `mailmerge serve`: the HTTP API (`/v1`, described by `/openapi.yaml`) and the web page, in one process.
public enum MailMergeServer {
    /// The application: routes per area over the MailMergeKit use cases, with request logging, the JSON
    /// error shape, the body read first and bounded (`RequestBodyMiddleware`, `RequestBodyLimitHandler`) and the token
    /// check in front; the log jobs are a service that the
    /// graceful shutdown waits for.
    public static func application(_ configuration: ServerConfiguration, logger: Logger? = nil) throws -> some ApplicationProtocol {
        try configuration.validate()
        var logger = logger ?? Logger(label: "mailmerge.serve")
        if logger.logLevel > .info { logger.logLevel = .info }
        try? FileManager.default.removeItem(atPath: configuration.workDirectory)
        try FileManager.default.createDirectory(atPath: configuration.workDirectory, withIntermediateDirectories: true)

        let jobs = LogJobs(logger: logger)
        let router = Router()
        router.add(middleware: LogRequestsMiddleware(.info))
        router.add(middleware: ErrorMiddleware(workDirectory: configuration.workDirectory))
        router.add(middleware: RequestBodyMiddleware(maxBytes: configuration.maxBodyBytes))
        router.add(middleware: TokenMiddleware(token: configuration.token.map { Array($0.utf8) }, everyRequest: !configuration.isLoopback))

        let catalogue = CatalogueRoutes(configuration: configuration, previews: PreviewCache())
        catalogue.add(to: router)
        MergeRoutes(configuration: configuration).add(to: router)
        LogRoutes(configuration: configuration, catalogue: catalogue, jobs: jobs).add(to: router)
        WebPages(catalogue: catalogue, configuration: configuration).add(to: router)

        let maxBodyBytes = configuration.maxBodyBytes
        var app = Application(
            router: router,
            server: .http1(configuration: .init(additionalChannelHandlers: [RequestBodyLimitHandler(maxBytes: maxBodyBytes)])),
            configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "mailmerge"),
            logger: logger)
        app.addServices(jobs)
        return app
    }

    /// Runs the server until SIGINT or SIGTERM, then shuts down gracefully: no new requests or jobs, the
    /// running log jobs finish (each logs all its entries or none), then the work folder is removed.
    public static func run(_ configuration: ServerConfiguration) async throws {
        let app = try application(configuration)
        defer { try? FileManager.default.removeItem(atPath: configuration.workDirectory) }
        try await app.runService()
    }
}
