/// A Business Central contact: a company or a person working for one.
///
/// Loaded from a contacts CSV whose column names are the merge field names (`ContactNo`,
/// `FirstName`, …); any other column is kept in `extra` under its original header name.
public struct Contact: Sendable, Hashable {
    /// Whether the contact is an organisation or a person.
    public enum Kind: String, Sendable, Hashable, CaseIterable {
        case company = "Company"
        case person = "Person"
    }

    public var no: String
    public var type: Kind
    public var companyNo: String
    public var companyName: String
    public var salutation: String
    public var firstName: String
    public var middleName: String
    public var surname: String
    public var jobTitle: String
    public var address: String
    public var address2: String
    public var postCode: String
    public var city: String
    public var county: String
    public var countryRegionCode: String
    public var phone: String
    public var email: String
    /// The contact's preferred language; empty when unknown.
    public var languageCode: String
    /// The contact's preferred way of being contacted, if any.
    public var correspondenceType: CorrespondenceType?
    public var salespersonCode: String
    /// Columns of the contacts CSV that are not standard contact fields, by original header name.
    public var extra: [String: String]

    /// Creates a contact; every text field defaults to empty.
    public init(
        no: String, type: Kind = .person, companyNo: String = "", companyName: String = "",
        salutation: String = "", firstName: String = "", middleName: String = "", surname: String = "",
        jobTitle: String = "", address: String = "", address2: String = "", postCode: String = "",
        city: String = "", county: String = "", countryRegionCode: String = "", phone: String = "",
        email: String = "", languageCode: String = "", correspondenceType: CorrespondenceType? = nil,
        salespersonCode: String = "", extra: [String: String] = [:]
    ) {
        self.no = no
        self.type = type
        self.companyNo = companyNo
        self.companyName = companyName
        self.salutation = salutation
        self.firstName = firstName
        self.middleName = middleName
        self.surname = surname
        self.jobTitle = jobTitle
        self.address = address
        self.address2 = address2
        self.postCode = postCode
        self.city = city
        self.county = county
        self.countryRegionCode = countryRegionCode
        self.phone = phone
        self.email = email
        self.languageCode = languageCode
        self.correspondenceType = correspondenceType
        self.salespersonCode = salespersonCode
        self.extra = extra
    }

    /// First, middle and surname joined by single spaces, skipping empty parts.
    public var fullName: String {
        [firstName, middleName, surname]
            .map { $0.split(whereSeparator: \.isWhitespace).joined(separator: " ") }
            .filter { !$0.isEmpty }
            .joined(separator: " ")
    }

    /// The contact's merge fields: the extra columns, then the standard fields (which win on a
    /// name clash), with the contact's own language, correspondence type and salesperson
    /// exposed as `ContactLanguageCode`, `ContactCorrespondenceType` and `ContactSalespersonCode`.
    public var mergeFields: [String: String] {
        var fields = extra
        let standard: [String: String] = [
            "ContactNo": no,
            "ContactType": type.rawValue,
            "CompanyNo": companyNo,
            "CompanyName": companyName,
            "Salutation": salutation,
            "FirstName": firstName,
            "MiddleName": middleName,
            "Surname": surname,
            "FullName": fullName,
            "JobTitle": jobTitle,
            "Address": address,
            "Address2": address2,
            "PostCode": postCode,
            "City": city,
            "County": county,
            "CountryRegionCode": countryRegionCode,
            "Phone": phone,
            "Email": email,
            "ContactLanguageCode": languageCode,
            "ContactCorrespondenceType": correspondenceType?.rawValue ?? "",
            "ContactSalespersonCode": salespersonCode,
        ]
        fields.overwrite(with: standard)
        return fields
    }
}

extension Dictionary where Key == String, Value == String {
    /// Adds `other`, replacing any entry whose key equals one of `other`'s ignoring case, so that
    /// case-insensitive lookups find `other`'s value.
    mutating func overwrite(with other: [String: String]) {
        let replaced = Set(other.keys.map { $0.lowercased() })
        self = filter { !replaced.contains($0.key.lowercased()) }
        merge(other) { _, new in new }
    }
}
