// swift-tools-version: 6.0
// libFuzzer harnesses for the merge engine. Build and run with `Fuzz/run.sh` (see README "Fuzzing").
import PackageDescription

let package = Package(
    name: "mailmerge-fuzz",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(name: "mailmerge", path: "..")
    ],
    targets: [
        // libFuzzer's driver, which each fuzzer's `main` calls, and the report of a finding.
        .target(name: "FuzzerDriver"),
        // Checks that rendered parts are well-formed XML (libxml2, hidden behind one C function).
        .target(
            name: "WellFormedXML",
            cSettings: [.unsafeFlags(["-I/usr/include/libxml2"])],
            linkerSettings: [.linkedLibrary("xml2")]
        ),
        // Field instructions: FieldInstruction.parse, then format / evaluate.
        .executableTarget(
            name: "FieldInstructionFuzzer",
            dependencies: [
                "FuzzerDriver",
                .product(name: "MergeEngine", package: "mailmerge"),
            ]),
        // Story part XML: CompiledTemplate.compile on a minimal .docx, then render.
        .executableTarget(
            name: "PartCompilerFuzzer",
            dependencies: [
                "FuzzerDriver", "WellFormedXML",
                .product(name: "MergeEngine", package: "mailmerge"),
            ]),
    ]
)
