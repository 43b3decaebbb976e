/// A parsed criteria expression that selects contacts by their fields, e.g.
/// `Country=NL AND City=Amst*` or `PostCode=1000..1999 OR NOT (LanguageCode='')`.
///
/// - Fields are the contacts CSV's column names, ignoring case; `Country` also names
///   `CountryRegionCode` and `Language` names `LanguageCode`.
/// - `=` and `<>` compare text ignoring case; `*` matches any run of characters and `?` one
///   character. `a..b` is an inclusive range, `a..` and `..b` are open-ended.
/// - `<`, `>`, `<=`, `>=` and ranges compare numbers as numbers, anything else as text.
/// - `AND` binds tighter than `OR`; `NOT` negates; parentheses group. Keywords ignore case.
/// - Values with spaces or operator characters are quoted: `City='New York'`; `''` is empty.
public struct Criteria: Sendable, Hashable {
    /// The expression as written.
    public let text: String
    let expression: CriteriaExpression

    /// Parses `text`.
    ///
    /// - Throws: `CriteriaSyntaxError` naming the column of the first problem.
    public init(_ text: String) throws(CriteriaSyntaxError) {
        self.text = text
        expression = try CriteriaParser.parse(text)
    }

    /// Other names for contact columns that read more naturally in criteria.
    static let aliases = ["country": "countryregioncode", "language": "languagecode"]

    /// Checks that every field names one of `columns` (the contacts CSV header), ignoring case.
    ///
    /// - Throws: `CriteriaSyntaxError` at the first unknown field, listing the columns.
    public func check(columns: [String]) throws(CriteriaSyntaxError) {
        let known = Set(columns.map { $0.lowercased() })
        for field in expression.fields {
            let name = field.name.lowercased()
            if known.contains(name) || Self.aliases[name].map(known.contains) == true { continue }
            throw CriteriaSyntaxError(
                expression: text, column: field.column,
                message: "'\(field.name)' is not a column of the contacts CSV; use one of: \(columns.joined(separator: ", "))")
        }
    }

    /// Whether `contact` satisfies the criteria.
    public func matches(_ contact: Contact) -> Bool {
        expression.matches { contact.value(ofColumn: $0) }
    }
}

extension Contact {
    /// The contact's value for the contacts CSV column `name` (ignoring case, aliases allowed);
    /// empty when the contact has no such value.
    public func value(ofColumn name: String) -> String {
        let key = name.lowercased()
        switch Criteria.aliases[key] ?? key {
        case "contactno": return no
        case "contacttype": return type.rawValue
        case "companyno": return companyNo
        case "companyname": return companyName
        case "salutation": return salutation
        case "firstname": return firstName
        case "middlename": return middleName
        case "surname": return surname
        case "jobtitle": return jobTitle
        case "address": return address
        case "address2": return address2
        case "postcode": return postCode
        case "city": return city
        case "county": return county
        case "countryregioncode": return countryRegionCode
        case "phone": return phone
        case "email": return email
        case "languagecode": return languageCode
        case "correspondencetype": return correspondenceType?.rawValue ?? ""
        case "salespersoncode": return salespersonCode
        default: return extra.first { $0.key.lowercased() == key }?.value ?? ""
        }
    }
}
