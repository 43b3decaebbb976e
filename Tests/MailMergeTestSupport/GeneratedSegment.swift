import Foundation

/// A segment of `count` generated contacts (template DIRECTMAIL), written into `directory` (shared by the test targets).
public struct GeneratedSegment: Sendable {
    public let segment: URL
    public let count: Int

    public static let columns = [
        "ContactNo", "ContactType", "CompanyNo", "CompanyName", "Salutation", "FirstName",
        "MiddleName", "Surname", "JobTitle", "Address", "Address2", "PostCode", "City", "County",
        "CountryRegionCode", "Phone", "Email", "LanguageCode", "CorrespondenceType", "SalespersonCode",
    ]

    public init(count: Int, no: String = "SMGEN01", in directory: URL) throws {
        self.count = count
        var csv = Self.columns.joined(separator: ",") + "\n"
        var yaml = """
            header:
              no: \(no)
              description: Generated segment
              templateCode: DIRECTMAIL
              date: 2026-11-23
              contacts: contacts.csv
              subject: Generated letters
              salespersonCode: JO
              salespersonName: Jo Olsen
              campaignNo: CPGEN

            lines:

            """
        for i in 1...count {
            let no = String(format: "CG%06d", i)
            let fields = [
                no, "Person", "", "Firma \(i) & Zonen", i % 2 == 0 ? "Ms." : "Mr.", "Zoë\(i)", "",
                "Ørsted-\(i)", "Buyer", "Street \(i)", "", String(1000 + i % 9000), "Amsterdam", "",
                "NL", "", "c\(i)@example.com", i % 3 == 0 ? "NL" : "EN", "", "JO",
            ]
            csv += fields.map { $0.contains(",") ? "\"\($0)\"" : $0 }.joined(separator: ",") + "\n"
            yaml += "  - lineNo: \(i * 10000)\n    contactNo: \(no)\n"
        }
        try csv.write(to: directory.appendingPathComponent("contacts.csv"), atomically: true, encoding: .utf8)
        segment = directory.appendingPathComponent("\(no).yaml")
        try yaml.write(to: segment, atomically: true, encoding: .utf8)
    }
}
