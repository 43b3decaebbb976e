import Foundation
import Testing

/// Interaction kinds without a document, e-mail sent for real through SMTP (a server the test
/// starts), attempt-failed entries and resending only those, fax lines into the fax folder.
@Suite struct EmailAndDocumentlessTests {
    /// Three e-mail lines of the sample letter; the second contact's address is the one the server refuses.
    static let emailSegment = """
        header:
          no: SM00050
          description: Winter mailing by e-mail
          templateCode: DIRECTMAIL
          date: 2026-11-23
          contacts: contacts.csv
          subject: New products for the winter season
          correspondenceType: email
          salespersonCode: JO
          salespersonName: Jo Olsen
        lines:
          - lineNo: 10000
            contactNo: CT000002
          - lineNo: 20000
            contactNo: CT000003
          - lineNo: 30000
            contactNo: CT000010
        """

    static func entries(_ workspace: SampleWorkspace, _ extra: [String] = []) throws -> [[String: Any]] {
        try workspace.logEntries(extra)
    }

    @Test(SMTPTestServer.needed) func emailIsSentRefusedRecipientsFailAndAResendSendsOnlyThem() throws {
        let workspace = try SampleWorkspace()
        defer { workspace.remove() }
        let server = try SMTPTestServer(in: workspace.root)
        defer { server.stop() }
        try "anouk@vandenberg.example\n".write(to: server.rejectList, atomically: true, encoding: .utf8)
        let segment = try workspace.writeSegment("SM00050.yaml", Self.emailSegment)

        let password = "s3cret-never-printed"
        let run = try workspace.logSegment(
            segment, ["--send-email", "--smtp", server.url, "--email-from", "sales@example.com"],
            environment: ["MAILMERGE_SMTP_PASSWORD": password])
        #expect(run.status == 1, "one recipient refused: \(run.stdout) \(run.stderr)")
        #expect(run.stdout.contains("logged segment SM00050") && run.stdout.contains("e-mails sent: 2, attempt failed: 1"), "\(run.stdout)")
        #expect(run.stderr.contains("anouk@vandenberg.example: attempt failed: 550 5.1.1"), "\(run.stderr)")
        #expect(run.stderr.contains("mailmerge log resend --segment SM00050"))
        #expect(!(run.stdout + run.stderr).contains(password))

        // The server got two messages, each with its letter attached and the headers a mail client needs.
        let first = server.messages()
        #expect(first.count == 2)
        let parsed = try ExternalCheck.parseEmails(first)
        #expect(Set(parsed.flatMap(\.to)) == ["pieter@vandenberg.example", "sean@obrien.example"])
        for message in parsed {
            #expect(message.from == "Jo Olsen <sales@example.com>")
            #expect(message.subject == "New products for the winter season")
            #expect(!message.date.isEmpty && message.defects == 0)
            #expect(message.attachments.count == 1)
            #expect(message.attachments.first?.head.hasPrefix("PK") == true)
            #expect(message.attachments.first?.contentType == "application/vnd.openxmlformats-officedocument.wordprocessingml.document")
        }
        let pieter = try #require(parsed.first { $0.to == ["pieter@vandenberg.example"] })
        #expect(pieter.body.contains("Berg"), "the letter's text is the body")
        for file in first {
            let text = try String(contentsOf: file, encoding: .utf8)
            #expect(text.contains("\r\nMessage-ID: <") && text.contains("\r\nDate: "))
            let envelope = try String(contentsOf: file.deletingPathExtension().appendingPathExtension("envelope"), encoding: .utf8)
            #expect(envelope.hasPrefix("sales@example.com\n"))
        }

        // Each line logged once: two sent, the refused one "attempt failed" with the server's reply.
        var logged = try Self.entries(workspace)
        #expect(logged.count == 3)
        let refused = try #require(logged.first { $0["contactNo"] as? String == "CT000003" })
        #expect(refused["attemptFailed"] as? Bool == true || refused["attemptFailed"] as? Int == 1)
        #expect(refused["deliveryStatus"] as? String == "refused")
        #expect((refused["deliveryReply"] as? String)?.hasPrefix("550 5.1.1 <anouk@vandenberg.example>") == true, "\(refused)")
        for entry in logged where entry["contactNo"] as? String != "CT000003" {
            #expect(entry["deliveryStatus"] as? String == "sent")
            #expect((entry["deliveryReply"] as? String)?.hasPrefix("250") == true, "\(entry)")
        }
        let failedList = try Self.entries(workspace, ["--status", "attempt-failed"])
        #expect(failedList.map { $0["contactNo"] as? String } == ["CT000003"])

        // The rejection is lifted: a rerun sends only the failed one, and logs nothing new.
        try FileManager.default.removeItem(at: server.rejectList)
        let resend = try CLI.run(["log", "resend", "--segment", "SM00050", "--smtp", server.url, "--db", workspace.database.path])
        #expect(resend.status == 0, "\(resend.stderr)")
        #expect(resend.stdout.contains("e-mails sent: 1, attempt failed: 0"), "\(resend.stdout)")
        let second = server.messages()
        #expect(second.count == 3)
        let resent = try ExternalCheck.parseEmails(Array(second.dropFirst(2)))
        #expect(resent.first?.to == ["anouk@vandenberg.example"] && resent.first?.attachments.count == 1)
        logged = try Self.entries(workspace)
        #expect(logged.count == 3)
        #expect(logged.allSatisfy { $0["deliveryStatus"] as? String == "sent" })
        #expect(try Self.entries(workspace, ["--status", "attempt-failed"]).isEmpty)

        // Nothing is pending: rerunning sends nothing; an entry asked for by number is not sent twice.
        let again = try CLI.run(["log", "resend", "--smtp", server.url, "--db", workspace.database.path])
        #expect(again.status == 0 && again.stdout.contains("e-mails sent: 0, attempt failed: 0"), "\(again.stdout) \(again.stderr)")
        let number = try #require(logged.first?["entryNo"] as? Int)
        let byNumber = try CLI.run(["log", "resend", String(number), "--smtp", server.url, "--db", workspace.database.path])
        #expect(byNumber.status == 0 && byNumber.stdout.contains("sent already, not sent again"), "\(byNumber.stdout) \(byNumber.stderr)")
        #expect(server.messages().count == 3)

        // A single e-mail interaction from a template without attachment: its body is the template's text.
        let single = try CLI.run([
            "interaction", "create", "--contact", "CT000010", "--template", "REMINDER", "--send-email", "--smtp", server.url,
            "--email-from", "sales@example.com", "--contacts", workspace.segments.appendingPathComponent("contacts.csv").path,
            "--templates", Paths.templates.path, "--out", workspace.letters.path, "--db", workspace.database.path,
        ])
        #expect(single.status == 0, "\(single.stderr)")
        let note = try ExternalCheck.parseEmails(Array(server.messages().dropFirst(3)))
        #expect(note.count == 1)
        #expect(note.first?.to == ["sean@obrien.example"] && note.first?.attachments.isEmpty == true)
        #expect(note.first?.body.contains("our winter fair opens on 12 December") == true)
        #expect(note.first?.subject == "Winter fair reminder")

        // Credentials are never sent in clear: with a user set, smtp:// requires STARTTLS, which this server does not offer.
        let withUser = try CLI.run(
            [
                "interaction", "create", "--contact", "CT000002", "--template", "REMINDER", "--send-email", "--smtp", server.url,
                "--contacts", workspace.segments.appendingPathComponent("contacts.csv").path,
                "--templates", Paths.templates.path, "--out", workspace.letters.path, "--db", workspace.database.path,
            ], environment: ["MAILMERGE_SMTP_USER": "sales", "MAILMERGE_SMTP_PASSWORD": password])
        #expect(withUser.status == 1 && withUser.stderr.contains("attempt failed"), "\(withUser.stdout) \(withUser.stderr)")
        #expect(!(withUser.stdout + withUser.stderr).contains(password))
        #expect(server.messages().count == 4)
        #expect(try Self.entries(workspace, ["--status", "attempt-failed"]).map { $0["contactNo"] as? String } == ["CT000002"])
    }

    @Test func theTemplateDecidesHowTheLetterTravels() throws {
        let workspace = try SampleWorkspace()
        defer { workspace.remove() }
        // A copy of the sample templates: DIRECTMAIL e-mails carry a PDF, EVENT e-mails are the letter as HTML.
        let templates = workspace.root.appendingPathComponent("Templates")
        try FileManager.default.copyItem(at: Paths.templates, to: templates)
        let catalogue = templates.appendingPathComponent("templates.yaml")
        var yaml = try String(contentsOf: catalogue, encoding: .utf8)
        yaml = yaml.replacingOccurrences(of: "    unitCost: 1.25\n", with: "    unitCost: 1.25\n    emailFormat: pdf\n")
            .replacingOccurrences(of: "    unitCost: 2.10\n", with: "    unitCost: 2.10\n    emailFormat: html\n")
        try yaml.write(to: catalogue, atomically: true, encoding: .utf8)
        let segment = try workspace.writeSegment(
            "SM00052.yaml",
            Self.emailSegment.replacingOccurrences(of: "no: SM00050", with: "no: SM00052")
                .replacingOccurrences(of: "    contactNo: CT000003\n", with: "    contactNo: CT000003\n    templateCode: EVENT\n"))
        let run = try CLI.run([
            "log-segment", segment.path, "--templates", templates.path, "--out", workspace.letters.path, "--db", workspace.database.path,
        ])
        #expect(run.status == 0, "\(run.stderr)")
        let logged = try Self.entries(workspace)
        let paths = Dictionary(
            uniqueKeysWithValues: logged.compactMap { entry in
                (entry["contactNo"] as? String).flatMap { contact in (entry["emailMessagePath"] as? String).map { (contact, URL(fileURLWithPath: $0)) } }
            })
        let html = try #require(paths["CT000003"])
        let htmlText = try String(contentsOf: html, encoding: .utf8)
        #expect(htmlText.contains("multipart/alternative") && htmlText.contains("Content-Type: text/html"))
        let parsedHTML = try #require(try ExternalCheck.parseEmails([html]).first)
        #expect(parsedHTML.attachments.isEmpty && parsedHTML.body.contains("de Vries") && parsedHTML.defects == 0, "\(parsedHTML)")

        let pdf = try #require(paths["CT000002"])
        let parsedPDF = try #require(try ExternalCheck.parseEmails([pdf]).first)
        #expect(parsedPDF.attachments.count == 1 && parsedPDF.attachments.first?.head == "%PDF", "\(parsedPDF.attachments)")
        #expect(parsedPDF.attachments.first?.contentType == "application/pdf")
    }

    @Test func emailLinesWithoutSendEmailAreQueuedNotLoggedAsSent() throws {
        let workspace = try SampleWorkspace()
        defer { workspace.remove() }
        let segment = try workspace.writeSegment("SM00050.yaml", Self.emailSegment)
        let run = try workspace.logSegment(segment)
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.contains("e-mails: 3 (queued"), "\(run.stdout)")
        let logged = try Self.entries(workspace)
        #expect(logged.count == 3)
        #expect(logged.allSatisfy { $0["deliveryStatus"] as? String == "queued" })
        #expect(try Self.entries(workspace, ["--status", "queued"]).count == 3, "not counted as sent")
        #expect(try Self.entries(workspace, ["--status", "logged"]).isEmpty && Self.entries(workspace, ["--status", "attempt-failed"]).isEmpty)
        let messages = logged.compactMap { $0["emailMessagePath"] as? String }.map { URL(fileURLWithPath: $0) }
        #expect(messages.count == 3)
        let parsed = try ExternalCheck.parseEmails(messages)
        #expect(Set(parsed.flatMap(\.to)) == ["pieter@vandenberg.example", "anouk@vandenberg.example", "sean@obrien.example"])

        // A server that cannot be reached: every message "attempt failed", with libcurl's reason; still queued for later.
        let unreachable = try CLI.run(["log", "resend", "--smtp", "smtp://127.0.0.1:1", "--db", workspace.database.path])
        #expect(unreachable.status == 1)
        #expect(unreachable.stdout.contains("e-mails sent: 0, attempt failed: 3"), "\(unreachable.stdout)")
        #expect(try Self.entries(workspace).allSatisfy { $0["deliveryStatus"] as? String == "refused" })

        let badURL = try CLI.run(["log", "resend", "--smtp", "http://example.com", "--db", workspace.database.path])
        #expect(badURL.status != 0 && badURL.stderr.contains("smtp://host:port"), "\(badURL.stderr)")
    }

    @Test func aPhoneCallSegmentLogsEveryLineAndWritesNoDocument() throws {
        let workspace = try SampleWorkspace()
        defer { workspace.remove() }
        var text = try String(contentsOf: workspace.segment, encoding: .utf8)
        text = text.replacingOccurrences(of: "no: SM00001", with: "no: SM00091")
            .replacingOccurrences(of: "templateCode: DIRECTMAIL", with: "templateCode: PHONE")
            .replacingOccurrences(of: "templateCode: EVENT", with: "templateCode: MEETING")
            .replacingOccurrences(of: "    correspondenceType: email\n", with: "")
        let segment = try workspace.writeSegment("SM00091.yaml", text)
        let run = try workspace.logSegment(segment)
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.contains("25 interactions") && run.stdout.contains("without document: 25"), "\(run.stdout)")
        #expect(workspace.letterFiles().isEmpty)
        let emails = (FileManager.default.enumerator(atPath: workspace.letters.path)?.allObjects as? [String] ?? []).filter { $0.hasSuffix(".eml") }
        #expect(emails.isEmpty)
        let logged = try Self.entries(workspace)
        #expect(logged.count == 25)
        #expect(logged.allSatisfy { $0["documentPath"] == nil || $0["documentPath"] is NSNull })
        #expect(Set(logged.compactMap { $0["templateCode"] as? String }) == ["PHONE", "MEETING"])
        #expect(logged.filter { $0["templateCode"] as? String == "MEETING" }.allSatisfy { $0["cost"] as? String == "25" || "\($0["cost"] ?? "")" == "25" })

        // The sample phone segment, and a single phone call.
        let sample = try workspace.logSegment(workspace.segments.appendingPathComponent("SM00090.yaml"))
        #expect(sample.status == 0 && sample.stdout.contains("without document: 3"), "\(sample.stdout) \(sample.stderr)")
        let call = try CLI.run([
            "interaction", "create", "--contact", "CT000002", "--template", "PHONE",
            "--contacts", workspace.segments.appendingPathComponent("contacts.csv").path,
            "--templates", Paths.templates.path, "--out", workspace.letters.path, "--db", workspace.database.path,
        ])
        #expect(call.status == 0 && call.stdout.contains("no document (template PHONE has no attachment)"), "\(call.stdout) \(call.stderr)")
        #expect(try Self.entries(workspace).count == 29)
    }

    @Test func faxLinesGoToTheFaxFolderNotToThePrintRun() throws {
        let workspace = try SampleWorkspace()
        defer { workspace.remove() }
        let text = Self.emailSegment.replacingOccurrences(of: "correspondenceType: email", with: "correspondenceType: fax")
            .replacingOccurrences(of: "no: SM00050", with: "no: SM00051")
        let segment = try workspace.writeSegment("SM00051.yaml", text)
        let refused = try workspace.logSegment(segment, ["--print-run"])
        #expect(refused.status == 1 && refused.stderr.contains("3 lines are fax") && refused.stderr.contains("--fax-out"), "\(refused.stderr)")
        #expect(!FileManager.default.fileExists(atPath: workspace.database.path))

        let gateway = workspace.root.appendingPathComponent("fax-gateway")
        let run = try workspace.logSegment(segment, ["--print-run", "--fax-out", gateway.path])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.contains("faxes: 3"), "\(run.stdout)")
        #expect(!run.stdout.contains("print run:"), "nothing printed: \(run.stdout)")
        let faxes = try FileManager.default.contentsOfDirectory(atPath: gateway.path).filter { $0.hasSuffix(".docx") }
        #expect(faxes.count == 3)
        let texts = try ExternalCheck.pythonDocxText(faxes.sorted().map { gateway.appendingPathComponent($0) })
        #expect(texts.contains { $0.contains("O'Brien") })
        let logged = try Self.entries(workspace)
        #expect(logged.count == 3 && logged.allSatisfy { $0["correspondenceType"] as? String == "fax" && $0["deliveryStatus"] == nil })
    }
}
