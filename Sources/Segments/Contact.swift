import Comparison

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
        // Parts without whitespace or non-ASCII bytes (nearly all names) are joined as they are: this runs for every line.
        let parts = [firstName, middleName, surname]
        if parts.allSatisfy({ $0.utf8.allSatisfy { $0 > 0x20 && $0 < 0x80 } }) {
            return parts.filter { !$0.isEmpty }.joined(separator: " ")
        }
        return
            parts
            .map(\.collapsingWhitespace)
            .filter { !$0.isEmpty }
            .joined(separator: " ")
    }

    /// The contact's merge fields: the extra columns, then the standard fields (which win on a
    /// name clash), with the contact's own language, correspondence type and salesperson
    /// exposed as `ContactLanguageCode`, `ContactCorrespondenceType` and `ContactSalespersonCode`.
    public var mergeFields: [String: String] {
        var fields: [String: (name: String, value: String)] = [:]
        fields.reserveCapacity(extra.count + 21)
        forEachMergeField { name, folded, value in fields[folded] = (name, value()) }
        var named: [String: String] = [:]
        named.reserveCapacity(fields.count)
        for (_, field) in fields { named[field.name] = field.value }
        return named
    }

    /// Gives `body` each merge field (documented name, lowercased name, value) in the order of `mergeFields`: a later one
    /// replaces an earlier one of the same lowercased name. With `selection`, only the fields it wants (an extra column
    /// by its lowercased name; a standard field by its position in `standardMergeFields`, found once per selection).
    func forEachMergeField(
        _ selection: MergeFieldSelection? = nil, _ body: (_ name: String, _ folded: String, _ value: @autoclosure () -> String) -> Void
    ) {
        for (name, value) in extra {
            let folded = name.lowercased()
            if let selection, !selection.keys.contains(folded) { continue }
            body(name, folded, value)
        }
        MergeFieldSelection.forEach(Self.standardMergeFields, at: selection?.contactFields, of: self, body)
    }

    /// The standard merge fields in the order of `mergeFields` (after the extra columns): documented name, lowercased
    /// name, value.
    static let standardMergeFields: MergeFieldTable<Contact> = [
        ("ContactNo", "contactno", { $0.no }),
        ("ContactType", "contacttype", { $0.type.rawValue }),
        ("CompanyNo", "companyno", { $0.companyNo }),
        ("CompanyName", "companyname", { $0.companyName }),
        ("Salutation", "salutation", { $0.salutation }),
        ("FirstName", "firstname", { $0.firstName }),
        ("MiddleName", "middlename", { $0.middleName }),
        ("Surname", "surname", { $0.surname }),
        ("FullName", "fullname", { $0.fullName }),
        ("JobTitle", "jobtitle", { $0.jobTitle }),
        ("Address", "address", { $0.address }),
        ("Address2", "address2", { $0.address2 }),
        ("PostCode", "postcode", { $0.postCode }),
        ("City", "city", { $0.city }),
        ("County", "county", { $0.county }),
        ("CountryRegionCode", "countryregioncode", { $0.countryRegionCode }),
        ("Phone", "phone", { $0.phone }),
        ("Email", "email", { $0.email }),
        ("ContactLanguageCode", "contactlanguagecode", { $0.languageCode }),
        ("ContactCorrespondenceType", "contactcorrespondencetype", { $0.correspondenceType?.rawValue ?? "" }),
        ("ContactSalespersonCode", "contactsalespersoncode", { $0.salespersonCode }),
    ]
}
