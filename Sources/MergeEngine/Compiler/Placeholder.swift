/// A `{{Name}}` placeholder found in a stretch of a paragraph's text.
struct Placeholder: Equatable {
    /// The name inside the braces, spaces trimmed.
    let name: String
    /// The placeholder as written, e.g. `{{ Name }}`.
    let code: String
    /// Byte range in the concatenated text.
    let range: Range<Int>

    /// Every `{{Name}}` in `text` (UTF-8), left to right. A name is any text without braces
    /// or line breaks; spaces around it are allowed.
    static func find(in text: [UInt8]) -> [Placeholder] {
        let open = UInt8(ascii: "{")
        let close = UInt8(ascii: "}")
        var found: [Placeholder] = []
        var i = 0
        while i + 3 < text.count {
            guard text[i] == open, text[i + 1] == open else {
                i += 1
                continue
            }
            var j = i + 2
            while j < text.count, text[j] != open, text[j] != close, text[j] != 0x0A, text[j] != 0x0D { j += 1 }
            guard j + 1 < text.count, text[j] == close, text[j + 1] == close else {
                i += 1
                continue
            }
            let name = String(decoding: text[(i + 2)..<j], as: UTF8.self).trimmingSpaces
            if name.isEmpty {
                i = j
                continue
            }
            found.append(Placeholder(name: name, code: String(decoding: text[i..<(j + 2)], as: UTF8.self), range: i..<(j + 2)))
            i = j + 2
        }
        return found
    }
}
