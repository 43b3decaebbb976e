import MergeEngine

/// Record values that stress escaping and formatting: XML markup, line breaks and tabs,
/// characters XML forbids, placeholders and field codes as data, dates, numbers, long text.
enum SampleRecord {
    static let values: [String] = [
        "Ada", "", "<w:p>&amp; \"quoted\" 'single' ]]>", "line one\r\nline two\tcolumn", "bell\u{7} nul\u{0} \u{FFFE}",
        "{{Surname}}", "MERGEFIELD Name \\* Upper", "2024-02-29", "-1,234.50", "ß 🇳🇱 e\u{301}",
        String(repeating: "long ", count: 200),
    ]

    /// A record with a value for every name in `fieldNames` (the values above, in turn).
    static func filling(_ fieldNames: [String]) -> MergeRecord {
        var record: [String: String] = [:]
        for (index, name) in fieldNames.enumerated() {
            record[name] = values[index % values.count]
        }
        return MergeRecord(record)
    }
}
