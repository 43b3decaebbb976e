import Foundation
import Testing

@testable import MergeEngine

@Suite struct ComplexFieldTests {
    @Test func instructionSplitOverRunsWithProofErrBookmarksAndDifferentProperties() throws {
        let body = """
            <w:p><w:r><w:rPr><w:b/></w:rPr><w:fldChar w:fldCharType="begin" w:dirty="true"/></w:r>\
            <w:r><w:rPr><w:b/></w:rPr><w:instrText xml:space="preserve"> MERGE</w:instrText></w:r>\
            <w:proofErr w:type="spellStart"/>\
            <w:r><w:rPr><w:i/></w:rPr><w:instrText>FIELD Last</w:instrText></w:r>\
            <w:bookmarkStart w:id="0" w:name="_GoBack"/><w:bookmarkEnd w:id="0"/>\
            <w:r><w:instrText>Name</w:instrText></w:r><w:proofErr w:type="spellEnd"/>\
            <w:r><w:instrText xml:space="preserve"> \\* Upper </w:instrText></w:r>\
            <w:r><w:fldChar w:fldCharType="separate" w:fldLock="1"/></w:r>\
            <w:r><w:t>«LastName»</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r></w:p>
            """
        let rendered = try WordXML.render(body, ["LastName": "Lovelace"])
        #expect(rendered.paragraphs == ["LOVELACE"])
        #expect(rendered.properties(ofRunWith: "LOVELACE") == [["b"]])
        #expect(!rendered.text.contains("instrText"))
    }

    @Test func beginSeparateAndEndInOneRunWithTextAround() throws {
        let body = """
            <w:p><w:r><w:rPr><w:u w:val="single"/></w:rPr><w:t xml:space="preserve">Hello </w:t>\
            <w:fldChar w:fldCharType="begin"/><w:instrText> MERGEFIELD Name </w:instrText>\
            <w:fldChar w:fldCharType="separate"/><w:t>«Name»</w:t><w:fldChar w:fldCharType="end"/>\
            <w:t>!</w:t></w:r></w:p>
            """
        let rendered = try WordXML.render(body, ["Name": "Grace"])
        #expect(rendered.paragraphs == ["Hello Grace!"])
        #expect(rendered.properties(ofRunWith: "Hello ") == [["u"]])
        #expect(rendered.properties(ofRunWith: "!") == [["u"]])
        #expect(!rendered.text.contains("fldChar"))
    }

    @Test func fieldWithoutSeparateOrResult() throws {
        let body =
            "<w:p><w:r><w:fldChar w:fldCharType=\"begin\"/></w:r><w:r><w:instrText> MERGEFIELD City </w:instrText></w:r>"
            + "<w:r><w:fldChar w:fldCharType=\"end\"/></w:r></w:p>"
        #expect(try WordXML.render(body, ["City": "Leeds"]).paragraphs == ["Leeds"])
    }

    @Test func simpleField() throws {
        let body =
            "<w:p><w:r><w:t xml:space=\"preserve\">City: </w:t></w:r>"
            + "<w:fldSimple w:instr=\" MERGEFIELD City \\* MERGEFORMAT \"><w:r><w:rPr><w:i/></w:rPr><w:t>«City»</w:t></w:r></w:fldSimple></w:p>"
        let rendered = try WordXML.render(body, ["City": "Ghent"])
        #expect(rendered.paragraphs == ["City: Ghent"])
        #expect(rendered.properties(ofRunWith: "Ghent") == [["i"]])
        #expect(!rendered.text.contains("fldSimple"))
    }

    @Test func fieldsInTableHyperlinkSmartTagAndContentControl() throws {
        let body = """
            <w:tbl><w:tr><w:tc><w:p>\(WordXML.complexField(" MERGEFIELD A "))</w:p></w:tc></w:tr></w:tbl>\
            <w:p><w:hyperlink r:id="rId9"\
             xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">\(WordXML.complexField(" MERGEFIELD B "))</w:hyperlink></w:p>\
            <w:p><w:smartTag w:uri="urn:x" w:element="City">\(WordXML.complexField(" MERGEFIELD C "))</w:smartTag></w:p>\
            <w:p><w:sdt><w:sdtPr/><w:sdtContent>\(WordXML.complexField(" MERGEFIELD D "))</w:sdtContent></w:sdt></w:p>
            """
        let rendered = try WordXML.render(body, ["A": "alpha", "B": "beta", "C": "gamma", "D": "delta"])
        #expect(rendered.paragraphs == ["alpha", "beta", "gamma", "delta"])
        #expect(rendered.text.contains("<w:hyperlink") && rendered.text.contains("r:id=\"rId9\""))
        #expect(!rendered.text.contains("MERGEFIELD"))
    }

    @Test func fieldsInTextBoxChoiceAndFallbackAreBothMergedButListedOnce() throws {
        let box = "<w:txbxContent><w:p>\(WordXML.complexField(" MERGEFIELD Box "))</w:p></w:txbxContent>"
        let body = """
            <w:p><w:r><w:t xml:space="preserve">Before </w:t></w:r>\
            <w:r><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing>\(box)</w:drawing></mc:Choice>\
            <mc:Fallback><w:pict>\(box)</w:pict></mc:Fallback></mc:AlternateContent></w:r>\
            <w:r><w:t xml:space="preserve"> after</w:t></w:r></w:p><w:p><w:r><w:t>{{Next}}</w:t></w:r></w:p>
            """
        let part = try WordXML.compile(WordXML.document(body))
        #expect(part.uses.map(\.name) == ["Box", "Next"])
        #expect(part.uses.map(\.paragraph) == [2, 3])
        let rendered = try RenderedPart(part.render(MergeRecord(["Box": "inside", "Next": "n"]), missing: .error))
        #expect(rendered.paragraphs == ["Before  after", "inside", "inside", "n"])
    }

    @Test func otherFieldsAreLeftAsTheyAre() throws {
        let date = WordXML.complexField(" DATE \\@ \"d MMMM yyyy\" ", result: "1 May 2024")
        let toc =
            "<w:p><w:r><w:fldChar w:fldCharType=\"begin\"/></w:r><w:r><w:instrText> TOC \\o \"1-3\" </w:instrText></w:r>"
            + "<w:r><w:fldChar w:fldCharType=\"separate\"/></w:r><w:r><w:t>Intro</w:t></w:r></w:p>"
            + "<w:p><w:r><w:t>Summary</w:t></w:r><w:r><w:fldChar w:fldCharType=\"end\"/></w:r></w:p>"
        let body = "<w:p>\(date)\(WordXML.complexField(" MERGEFIELD Name "))</w:p>\(toc)"
        let rendered = try WordXML.render(body, ["Name": "Ada"])
        #expect(rendered.paragraphs == ["1 May 2024Ada", "Intro", "Summary"])
        #expect(rendered.text.contains(" DATE \\@ \"d MMMM yyyy\" "))
        #expect(rendered.text.contains(" TOC \\o \"1-3\" "))
        #expect(rendered.text.components(separatedBy: "w:fldChar ").count - 1 == 6)
    }

    @Test func mergeFieldInsideAnotherFieldsResultIsMerged() throws {
        let inner = WordXML.complexField(" MERGEFIELD Url ", result: "«Url»")
        let body =
            "<w:p><w:r><w:fldChar w:fldCharType=\"begin\"/></w:r><w:r><w:instrText> QUOTE x </w:instrText></w:r>"
            + "<w:r><w:fldChar w:fldCharType=\"separate\"/></w:r>\(inner)<w:r><w:fldChar w:fldCharType=\"end\"/></w:r></w:p>"
        let rendered = try WordXML.render(body, ["Url": "example.org"])
        #expect(rendered.paragraphs == ["example.org"])
        #expect(rendered.text.contains("QUOTE"))
        #expect(!rendered.text.contains("MERGEFIELD"))
    }
}

@Suite struct FieldInOtherFieldInstructionTests {
    @Test func mergeFieldInsideHyperlinkInstructionBecomesInstructionText() throws {
        let email = WordXML.complexField(" MERGEFIELD Email ", result: "«Email»")
        let body =
            "<w:p><w:r><w:fldChar w:fldCharType=\"begin\"/></w:r>"
            + "<w:r><w:instrText xml:space=\"preserve\"> HYPERLINK \"mailto:</w:instrText></w:r>\(email)"
            + "<w:r><w:instrText xml:space=\"preserve\">\" </w:instrText></w:r><w:r><w:fldChar w:fldCharType=\"separate\"/></w:r>"
            + "<w:r><w:t>Write to us</w:t></w:r><w:r><w:fldChar w:fldCharType=\"end\"/></w:r></w:p>"
        let part = try WordXML.compile(WordXML.document(body))
        #expect(part.uses.map(\.name) == ["Email"])
        let rendered = try RenderedPart(part.render(MergeRecord(["Email": "a&b@example.org"]), missing: .error))
        #expect(rendered.paragraphs == ["Write to us"])
        #expect(rendered.runs.map(\.instruction).joined() == " HYPERLINK \"mailto:a&b@example.org\" ")
        #expect(!rendered.text.contains("MERGEFIELD"))
    }
}

@Suite struct UnmergedFieldTests {
    @Test func emptyFieldIsLeftAsItIs() throws {
        let body = "<w:p>" + WordXML.complexField("  ", result: "") + WordXML.complexField(" MERGEFIELD A ") + "</w:p>"
        let rendered = try WordXML.render(body, ["A": "a"])
        #expect(rendered.paragraphs == ["a"])
        #expect(rendered.text.components(separatedBy: "w:fldChar ").count - 1 == 3)
    }

    @Test func fieldsInTrackedDeletionsAreLeftAlone() throws {
        let deleted =
            "<w:del w:id=\"1\" w:author=\"x\" w:date=\"2024-01-01T00:00:00Z\"><w:r><w:fldChar w:fldCharType=\"begin\"/></w:r>"
            + "<w:r><w:delInstrText xml:space=\"preserve\"> MERGEFIELD Old </w:delInstrText></w:r>"
            + "<w:r><w:fldChar w:fldCharType=\"end\"/></w:r><w:r><w:delText>{{Gone}}</w:delText></w:r></w:del>"
        let part = try WordXML.compile(WordXML.document("<w:p>\(deleted)" + WordXML.complexField(" MERGEFIELD New ") + "</w:p>"))
        #expect(part.uses.map(\.name) == ["New"])
        let rendered = try RenderedPart(part.render(MergeRecord(["New": "n"]), missing: .error))
        #expect(rendered.text.contains("<w:delInstrText xml:space=\"preserve\"> MERGEFIELD Old </w:delInstrText>"))
        #expect(rendered.paragraphs == ["n"])
    }
}

@Suite struct FieldAcrossElementsTests {
    private let begin = "<w:r><w:fldChar w:fldCharType=\"begin\"/></w:r><w:r><w:instrText xml:space=\"preserve\"> MERGEFIELD Site </w:instrText></w:r>"
    private let rest = "<w:r><w:fldChar w:fldCharType=\"separate\"/></w:r><w:r><w:t>«Site»</w:t></w:r>"
    private let end = "<w:r><w:fldChar w:fldCharType=\"end\"/></w:r>"

    @Test func fieldEndingInsideAHyperlink() throws {
        let body =
            "<w:p><w:r><w:t xml:space=\"preserve\">See </w:t></w:r>\(begin)<w:hyperlink w:anchor=\"a\">\(rest)\(end)"
            + "<w:r><w:t xml:space=\"preserve\"> here</w:t></w:r></w:hyperlink></w:p>"
        let rendered = try WordXML.render(body, ["Site": "example.org"])
        #expect(rendered.paragraphs == ["See example.org here"])
        #expect(rendered.text.contains("<w:hyperlink w:anchor=\"a\"><w:r><w:t xml:space=\"preserve\"> here"))
        #expect(!rendered.text.contains("fldChar"))
    }

    @Test func fieldBeginningInsideAHyperlink() throws {
        let body =
            "<w:p><w:hyperlink w:anchor=\"a\"><w:r><w:t xml:space=\"preserve\">See </w:t></w:r>\(begin)\(rest)</w:hyperlink>\(end)"
            + "<w:r><w:t xml:space=\"preserve\"> now</w:t></w:r></w:p>"
        let rendered = try WordXML.render(body, ["Site": "example.org"])
        #expect(rendered.paragraphs == ["See example.org now"])
        #expect(rendered.text.contains("See </w:t></w:r><w:r><w:t xml:space=\"preserve\">example.org</w:t></w:r></w:hyperlink>"))
        let kept = try WordXML.render(body, [:], missing: .keep)
        #expect(kept.paragraphs == ["See «Site» now"])
    }
}

@Suite struct FieldAcrossParagraphsTests {
    private let body =
        "<w:p><w:pPr><w:jc w:val=\"center\"/></w:pPr><w:r><w:t xml:space=\"preserve\">To </w:t></w:r>"
        + "<w:r><w:fldChar w:fldCharType=\"begin\"/></w:r><w:r><w:instrText xml:space=\"preserve\"> MERGEFIELD Address </w:instrText></w:r>"
        + "<w:r><w:fldChar w:fldCharType=\"separate\"/></w:r><w:r><w:t>old line 1</w:t></w:r></w:p>"
        + "<w:p><w:r><w:t>old line 2</w:t></w:r></w:p>"
        + "<w:p><w:pPr><w:jc w:val=\"right\"/></w:pPr><w:r><w:t>old line 3</w:t></w:r><w:r><w:fldChar w:fldCharType=\"end\"/></w:r>"
        + "<w:r><w:t xml:space=\"preserve\">, thanks</w:t></w:r></w:p><w:p><w:r><w:t>{{Next}}</w:t></w:r></w:p>"

    @Test func mergeFieldWhoseResultSpansParagraphsJoinsThem() throws {
        let rendered = try WordXML.render(body, ["Address": "1 Main St", "Next": "n"])
        #expect(rendered.paragraphs == ["To 1 Main St, thanks", "n"])
        #expect(rendered.text.contains("<w:jc w:val=\"center\"/>"))
        #expect(!rendered.text.contains("old line"))
    }

    @Test func keptSpanningFieldIsRebuiltInOneParagraph() throws {
        let rendered = try WordXML.render(body, ["Next": "n"], missing: .keep)
        #expect(rendered.paragraphs == ["To old line 1old line 2old line 3, thanks", "n"])
        #expect(rendered.runs.map(\.instruction).joined() == " MERGEFIELD Address ")
    }
}
