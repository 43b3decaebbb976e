import MergeEngine

/// The fuzzer's bytes read as a field instruction and the values to format with it.
struct InstructionInput {
    /// Stands for a nested field (`{ MERGEFIELD x }` inside an IF) in the input bytes.
    static let nestedMarker: UInt8 = 0x01

    /// Values every parsed field is formatted or evaluated with: blank, text, numbers in
    /// several notations, dates in every accepted form, and extremes.
    static let sampleValues: [String] = [
        "", "  ", "Smith", "jOHN mcDONALD", "0", "007", "-1234567.891", "1,234.50", "1.234,50",
        "+0.5", "99999999999999999999999999999.99999999999", "2024-02-29", "2026-11-23T14:05:09.123+01:00",
        "31-12-1999", "29.2.2023", "12/31/2024", "1/1/0001 00:00", "M", "F", "*?", "ß ǅ ﬃ 🇳🇱",
    ]

    /// The whole input as text (invalid UTF-8 repaired, markers kept as characters).
    let text: String
    /// The input split at each marker: text tokens and `.nested(0)`, `.nested(1)`, … in order.
    let tokens: [InstructionToken]
    /// `sampleValues` plus the input's own text, so the fuzzer also drives the values.
    let values: [String]

    init(_ bytes: UnsafeBufferPointer<UInt8>) {
        text = String(decoding: bytes, as: UTF8.self)
        var tokens: [InstructionToken] = []
        var nested = 0
        for (index, piece) in bytes.split(separator: Self.nestedMarker, omittingEmptySubsequences: false).enumerated() {
            if index > 0 {
                tokens.append(.nested(nested))
                nested += 1
            }
            if !piece.isEmpty { tokens.append(.text(String(decoding: piece, as: UTF8.self))) }
        }
        self.tokens = tokens
        values = Self.sampleValues + [text]
    }
}
