// swift-tools-version: 6.0
import PackageDescription

let package = Package(
    name: "mailmerge",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "mailmerge", targets: ["mailmerge"]),
        .library(name: "MailMergeKit", targets: ["MailMergeKit"]),
        .library(name: "MergeEngine", targets: ["MergeEngine", "DocxPackage"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "4.5.2"),
        // The PostgreSQL interaction log and distributed runs (issue 15).
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        // mailmerge serve: HTTP server, multipart uploads, request logging, graceful shutdown.
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/vapor/multipart-kit", from: "4.7.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-nio-extras", from: "1.35.2"),
    ],
    targets: [
        // System libraries (Debian: libxml2-dev, libzip-dev).
        .systemLibrary(
            name: "CLibXML2",
            pkgConfig: "libxml-2.0",
            providers: [.apt(["libxml2-dev"]), .brew(["libxml2"])]
        ),
        .systemLibrary(
            name: "CLibZip",
            pkgConfig: "libzip",
            providers: [.apt(["libzip-dev"]), .brew(["libzip"])]
        ),
        // libdeflate (Debian: libdeflate-dev): deflates the parts a merge changes (DocxPackage/Deflater.swift).
        .systemLibrary(
            name: "CLibDeflate",
            pkgConfig: "libdeflate",
            providers: [.apt(["libdeflate-dev"]), .brew(["libdeflate"])]
        ),
        // Barcodes (MERGEBARCODE, DISPLAYBARCODE): libzint; Debian's libzint-dev ships no pkg-config file.
        .systemLibrary(name: "CLibZint", providers: [.apt(["libzint-dev"]), .brew(["zint"])]),

        // libcurl (Debian: libcurl4-openssl-dev): the SMTP client that sends e-mail interactions.
        .systemLibrary(
            name: "CLibCurl",
            pkgConfig: "libcurl",
            providers: [.apt(["libcurl4-openssl-dev"]), .brew(["curl"])]
        ),

        // The libxml2 DOM layer for Word XML: safe parser, serializer, namespaces, node helpers.
        .target(name: "WordXML", dependencies: ["CLibXML2"]),
        // Open, read and atomically write .docx packages.
        .target(name: "DocxPackage", dependencies: ["CLibZip", "CLibDeflate", "CLibXML2", "WordXML"], exclude: ["README.md"]),
        // Comparison operators and Word's * ? wildcards, shared by IF fields and segment criteria.
        .target(name: "Comparison"),
        // Compile Word templates once, render them per record.
        .target(
            name: "MergeEngine",
            dependencies: [
                "Comparison", "DocxPackage", "CLibXML2", "WordXML",
                // Pictures and barcodes per record (Sources/MergeEngine/Media).
                "CLibZint", .product(name: "Crypto", package: "swift-crypto"),
            ]),
        // Combine letters merged from one attachment into one print-run document.
        .target(name: "PrintRun", dependencies: ["DocxPackage", "CLibXML2", "WordXML"]),
        // Domain: contacts, interaction templates, segments; their loaders and validation.
        .target(name: "Segments", dependencies: ["Yams", "Comparison"]),
        // The interaction log: store protocol and its SQLite implementation.
        .target(
            name: "InteractionLog",
            dependencies: [
                "Segments",
                .product(name: "GRDB", package: "GRDB.swift"),
                // sqlite3_blob_* for the logged segment's JSON (SQLiteInteractionLogStore.storeJSON).
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
            ]),
        // The interaction log on PostgreSQL (postgres-nio), and the chunk queue of distributed runs.
        .target(
            name: "PostgresInteractionLog",
            dependencies: [
                "InteractionLog", "Segments",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Logging", package: "swift-log"),
            ]),
        // Runs external programs (LibreOffice, poppler, Python): process group, timeout, both pipes drained.
        .target(name: "ExternalProcess"),
        // Use cases: merge a CSV, log a segment.
        .target(
            name: "MailMergeKit",
            dependencies: [
                "ExternalProcess", "DocxPackage", "MergeEngine", "Segments", "InteractionLog", "PrintRun", "CLibCurl", "PostgresInteractionLog",
                .product(name: "Crypto", package: "swift-crypto"),
                // The print run gives freed memory back between its phases (`PrintRunPDF.releaseFreeMemory`).
                "CAllocatorTuning",
                // Preflight reads the attachment's body (address block) with the DOM layer.
                "WordXML", "CLibXML2",
            ]),
        // mailmerge serve: the HTTP API and web page over the MailMergeKit use cases (Hummingbird).
        .target(
            name: "MailMergeServer",
            dependencies: [
                "MailMergeKit", "Segments", "InteractionLog",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "MultipartKit", package: "multipart-kit"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
            ],
            resources: [.copy("Resources")]),
        // glibc allocator settings for the many short-lived zlib streams (C, no dependencies).
        .target(name: "CAllocatorTuning"),
        // The command-line tool.
        .executableTarget(
            name: "mailmerge",
            dependencies: [
                "MailMergeKit", "MailMergeServer", "CAllocatorTuning",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]),

        // What the test targets share: temporary folders, the built CLI, the Word corpus locator, .docx text per part,
        // python-docx/LibreOffice/poppler checks (all external programs through ExternalProcess).
        .target(
            name: "MailMergeTestSupport", dependencies: ["ExternalProcess", "DocxPackage", "PostgresInteractionLog"], path: "Tests/MailMergeTestSupport"),

        .testTarget(name: "ExternalProcessTests", dependencies: ["ExternalProcess", "MailMergeTestSupport"]),
        .testTarget(name: "WordXMLTests", dependencies: ["WordXML"]),
        .testTarget(name: "DocxPackageTests", dependencies: ["DocxPackage", "MailMergeTestSupport"]),
        .testTarget(name: "MergeEngineTests", dependencies: ["MergeEngine", "DocxPackage", "WordXML", "MailMergeTestSupport"]),
        .testTarget(name: "SegmentsTests", dependencies: ["Segments", "Yams", "MailMergeTestSupport"]),
        .testTarget(name: "InteractionLogTests", dependencies: ["InteractionLog", "PostgresInteractionLog", "MailMergeTestSupport"]),
        // Distributed runs against a real PostgreSQL: crashing, paused and racing workers and coordinators.
        .testTarget(
            name: "DistributedRunTests",
            dependencies: [
                "InteractionLog", "PostgresInteractionLog", "Segments", "MailMergeTestSupport", "mailmerge",
                .product(name: "Crypto", package: "swift-crypto"),
            ]),
        .testTarget(name: "PrintRunTests", dependencies: ["PrintRun", "DocxPackage", "MailMergeTestSupport"]),
        .testTarget(
            name: "MailMergeKitTests",
            dependencies: [
                "MailMergeKit", "mailmerge", "DocxPackage", "MergeEngine", "Segments", "InteractionLog", "ExternalProcess", "MailMergeTestSupport",
                "PrintRun", "WordXML", "PostgresInteractionLog", .product(name: "Crypto", package: "swift-crypto"),
            ]),
        .testTarget(
            name: "MailMergeServerTests",
            dependencies: [
                "MailMergeServer", "MailMergeKit", "mailmerge", "MailMergeTestSupport",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
            ]),
    ]
)
