import Testing

@testable import Segments

@Suite struct TemplateCatalogueTests {
    @Test func loadsTemplatesWithDefaultsAndCaseInsensitiveLookup() throws {
        let directory = try TemporaryDirectory()
        let catalogue = try makeCatalogue(in: directory)
        let mail = try #require(catalogue["directmail"])
        #expect(mail.description == "Direct mail letter")
        #expect(mail.correspondenceType == .hardCopy)
        #expect(mail.informationFlow == .outbound)
        #expect(mail.initiatedBy == .us)
        #expect(mail.unitCost == 1.25)
        #expect(mail.ignoreContactCorrespondenceType == false)
        let event = try #require(catalogue["EVENT"])
        #expect(event.correspondenceType == .fax)
        #expect(event.informationFlow == .inbound)
        #expect(event.initiatedBy == .them)
        #expect(event.unitDuration == 5)
        #expect(catalogue["NOPE"] == nil)
    }

    @Test func attachmentFollowsLanguageIgnoringCaseAndFallsBackToDefault() throws {
        let directory = try TemporaryDirectory()
        let catalogue = try makeCatalogue(in: directory)
        let mail = try #require(catalogue["DIRECTMAIL"])
        #expect(mail.attachment(forLanguage: "NL") == "DirectMail_NL.docx")
        #expect(mail.attachment(forLanguage: "nl") == "DirectMail_NL.docx")
        #expect(mail.attachment(forLanguage: "DE") == "DirectMail_EN.docx")
        #expect(mail.attachment(forLanguage: "") == "DirectMail_EN.docx")
        #expect(mail.attachment(forLanguage: nil) == "DirectMail_EN.docx")
        #expect(catalogue.attachmentPath(mail, language: "NL") == directory.path + "/templates/DirectMail_NL.docx")
    }

    @Test func reportsEveryProblemWithItsLine() throws {
        let directory = try TemporaryDirectory()
        try directory.write(
            "templates.yaml",
            """
            templates:
              - code: A
                description: First
                attachment: a.docx
              - code: a
                description: Duplicate code
                attachment: b.docx
              - code: B
                attachment: b.docx
              - code: C
                description: Bad type
                attachment: c.docx
                correspondenceType: pigeon
                colour: blue
            """)
        #expect {
            _ = try TemplateCatalogue.load(directory: directory.path)
        } throws: { error in
            guard let failure = error as? ValidationFailure else { return false }
            let located = failure.diagnostics.map { "\($0.line ?? 0) \($0.message)" }
            return located.count == 4
                && located[0].hasPrefix("5 template code 'a' is already used on line 2")
                && located[1].contains("missing required key 'description'") && located[1].hasPrefix("8 ")
                && located[2].hasPrefix("13 templates[3].correspondenceType: 'pigeon' is not a correspondence type; use hard-copy, email or fax")
                && located[3].hasPrefix("14 unknown key 'colour' in a template")
        }
    }

    @Test func reportsInvalidYAMLWithItsLine() throws {
        let directory = try TemporaryDirectory()
        try directory.write("templates.yaml", "templates:\n  - code: A\n    description: [unclosed\n")
        #expect {
            _ = try TemplateCatalogue.load(directory: directory.path)
        } throws: { error in
            guard let diagnostic = (error as? ValidationFailure)?.diagnostics.first else { return false }
            return diagnostic.message.hasPrefix("invalid YAML") && diagnostic.line != nil
        }
    }

    @Test func missingCatalogueIsReported() throws {
        let directory = try TemporaryDirectory()
        #expect {
            _ = try TemplateCatalogue.load(directory: directory.path)
        } throws: { error in
            (error as? ValidationFailure)?.diagnostics.first?.message.contains("cannot read the template catalogue") == true
        }
    }
}
