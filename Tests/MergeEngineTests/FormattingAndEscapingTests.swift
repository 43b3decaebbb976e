import Testing

@testable import MergeEngine

@Suite struct FormattingAndEscapingTests {
    private let instructionProperties = "<w:rPr><w:b/></w:rPr>"
    private let resultProperties = "<w:rPr><w:i/><w:noProof/></w:rPr>"

    /// `\* MERGEFORMAT` keeps the first result run's formatting; without the switch, and with `\* CHARFORMAT`, the
    /// first instruction run's formatting is used.
    @Test(arguments: [
        (" MERGEFIELD Name \\* MERGEFORMAT ", [["i", "noProof"]]),
        (" MERGEFIELD Name ", [["b"]]),
        (" MERGEFIELD Name \\* CHARFORMAT ", [["b"]]),
    ])
    func resultFormatting(instruction: String, expected: [[String]]) throws {
        let body =
            "<w:p>"
            + WordXML.complexField(instruction, instructionProperties: instructionProperties, resultProperties: resultProperties)
            + "</w:p>"
        #expect(try WordXML.render(body, ["Name": "Ada"]).properties(ofRunWith: "Ada") == expected)
    }

    @Test func valuesAreEscapedAndKeepTheirCharacters() throws {
        let tricky = "  A & B <c> \"d\" 'e' ]]> 😀 مرحبا שלום  "
        let body = "<w:p>" + WordXML.complexField(" MERGEFIELD V ") + "</w:p>"
        let rendered = try WordXML.render(body, ["V": tricky])
        #expect(rendered.paragraphs == [tricky])
        #expect(rendered.text.contains("<w:t xml:space=\"preserve\">  A &amp; B &lt;c&gt; \"d\" 'e' ]]&gt; 😀"))
    }

    @Test func lineBreaksAndTabsBecomeBreakAndTabElements() throws {
        let body = "<w:p>" + WordXML.complexField(" MERGEFIELD Address ") + "</w:p>"
        let rendered = try WordXML.render(body, ["Address": "1 Main St\r\nFlat 2\nLeeds\tUK\rEnd"])
        #expect(rendered.paragraphs == ["1 Main St\nFlat 2\nLeeds\tUK\nEnd"])
        #expect(rendered.text.contains("<w:t xml:space=\"preserve\">Flat 2</w:t><w:br/>"))
        #expect(rendered.text.contains("<w:tab/>"))
    }

    @Test func charactersXMLForbidsAreDropped() throws {
        let body = "<w:p>" + WordXML.complexField(" MERGEFIELD V ") + "</w:p>"
        let rendered = try WordXML.render(body, ["V": "a\u{0}b\u{1B}c\u{FFFE}d\u{FFFF}e"])
        #expect(rendered.paragraphs == ["abcde"])
    }

    @Test func blankValueLeavesNoTextAndAValidDocument() throws {
        let body = "<w:p><w:hyperlink w:anchor=\"x\">" + WordXML.complexField(" MERGEFIELD V ") + "</w:hyperlink></w:p>"
        let rendered = try WordXML.render(body, ["V": ""])
        #expect(rendered.paragraphs == [""])
        #expect(rendered.runs.isEmpty)
    }
}
