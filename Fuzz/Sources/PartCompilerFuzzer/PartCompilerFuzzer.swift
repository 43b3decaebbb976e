import DocxPackage
import FuzzerDriver
import MergeEngine
import WellFormedXML

/// Runs libFuzzer on `partCompilerFuzzerTestOneInput` (libFuzzer flags as arguments).
@main
enum PartCompilerFuzzer {
    static func main() {
        FuzzerDriverMain(CommandLine.argc, CommandLine.unsafeArgv, partCompilerFuzzerTestOneInput)
    }
}

/// The package every input is written to (one per process, overwritten each time).
private let scratch = ScratchDocx()

/// libFuzzer entry point: the input is a main document part (`word/document.xml`). The engine
/// has no public entry point for raw part XML, so the input goes into a minimal .docx that is
/// compiled with `CompiledTemplate.compile`. When it compiles, one record with every field is
/// rendered (`missing: .error` must not throw), then an empty record with `missing: .keep`;
/// both results must be well-formed XML whenever the input was. Any crash, trap, leak or hang
/// is a finding.
@_cdecl("LLVMFuzzerTestOneInput")
public func partCompilerFuzzerTestOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let part = Array(UnsafeBufferPointer(start: data, count: size))
    guard let template = try? CompiledTemplate.compile(scratch.archive(withMainDocument: part)) else { return 0 }
    let inputIsWellFormed = isWellFormed(part)

    let record = SampleRecord.filling(template.fieldNames)
    let rendered: [String: [UInt8]]
    do {
        rendered = try template.render(record, missing: .error)
    } catch {
        fail("render threw \(error), although the record has every field of \(template.fieldNames)")
    }
    let kept: [String: [UInt8]]
    do {
        kept = try template.render(MergeRecord([:]), missing: .keep)
    } catch {
        fail("render with missing: .keep threw \(error)")
    }
    for (policy, output) in [("error", rendered), ("keep", kept)] {
        for (name, bytes) in output {
            if name != ScratchDocx.mainDocument {
                fail("render returned \(name), a part the package lacks")
            }
            if inputIsWellFormed && !isWellFormed(bytes) {
                fail("\(name) rendered with missing: .\(policy) is not well-formed XML, although the template was")
            }
        }
    }
    return 0
}

/// Whether `bytes` are a well-formed XML document (checked by libxml2 outside the engine).
private func isWellFormed(_ bytes: [UInt8]) -> Bool {
    bytes.withUnsafeBufferPointer { WellFormedXMLCheck($0.baseAddress, $0.count) == 1 }
}

/// Reports a finding and aborts (libFuzzer saves the input).
private func fail(_ finding: String) -> Never {
    FuzzerReportFinding("PartCompilerFuzzer", finding)
}
