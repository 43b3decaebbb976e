import FuzzerDriver
@_spi(Exercise) import MergeEngine

/// Runs libFuzzer on `fieldInstructionFuzzerTestOneInput` (libFuzzer flags as arguments).
@main
enum FieldInstructionFuzzer {
    static func main() {
        FuzzerDriverMain(CommandLine.argc, CommandLine.unsafeArgv, fieldInstructionFuzzerTestOneInput)
    }
}

/// libFuzzer entry point: the input is a field instruction as UTF-8 text, where each
/// `InstructionInput.nestedMarker` byte stands for a nested field. Parses it, then formats or
/// evaluates the result with a few values. Any crash, trap or hang is a finding.
@_cdecl("LLVMFuzzerTestOneInput")
public func fieldInstructionFuzzerTestOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let input = InstructionInput(UnsafeBufferPointer(start: data, count: size))
    exercise(input.tokens, values: input.values)
    exercise([.text(input.text)], values: input.values)
    return 0
}

/// Parses `tokens` and, when they parse, runs the field with every value set.
private func exercise(_ tokens: [InstructionToken], values: [String]) {
    guard let instruction = try? FieldInstruction.parse(tokens) else { return }
    if instruction != (try? FieldInstruction.parse(tokens)) {
        FuzzerReportFinding("FieldInstructionFuzzer", "parsing the same tokens twice gives different results")
    }
    let nestedCount = tokens.count(where: { if case .nested = $0 { true } else { false } })
    instruction.exercise(
        values: values,
        nestedValues: values.flatMap { [Array(repeating: $0, count: nestedCount), Array(repeating: $0, count: nestedCount / 2)] },
        languages: FieldLanguage.allCases)
}
