import Testing

@testable import MergeEngine

/// `MergeFieldInstruction.format`: pictures, case, `\b`/`\f`.
struct FieldFormatTests {
    @Test(arguments: [
        (CaseFormat.upper, "jan de Vries", "JAN DE VRIES"),
        (.lower, "Jan DE Vries", "jan de vries"),
        (.caps, "jan de VRIES", "Jan De Vries"),
        (.caps, "  élodie\u{00A0}o'neil  ", "  Élodie\u{00A0}O'neil  "),
        (.caps, "straße", "Straße"),
        (.firstCap, "jan de Vries", "Jan de Vries"),
        (.firstCap, "  ‘hello’ World", "  ‘Hello’ World"),
        (.upper, "straße", "STRASSE"),
        (.caps, "", ""),
    ])
    func caseFormats(format: CaseFormat, input: String, expected: String) {
        #expect(MergeFieldInstruction(name: "x", caseFormat: format).format(input) == expected)
    }

    @Test(arguments: [
        ("Amsterdam", "in Amsterdam."),
        ("", ""),
        ("   ", "   "),
        ("\u{00A0}", "\u{00A0}"),
        (" x ", "in  x ."),
    ])
    func textBeforeAndAfterOnlyWhenNotBlank(value: String, expected: String) {
        let field = MergeFieldInstruction(name: "City", textBefore: "in ", textAfter: ".")
        #expect(field.format(value) == expected)
    }

    @Test(arguments: [
        ("2025-03-05", "dd MMMM yyyy", "05 March 2025"),
        ("2025-03-05", "d.M.yy", "5.3.25"),
        ("2025-03-05", "dddd d MMMM", "Wednesday 5 March"),
        ("2025-03-05", "ddd, MMM d", "Wed, Mar 5"),
        ("2025-03-05", "yyyy-MM-dd", "2025-03-05"),
        ("2025-03-05", "'Date:' d/M/yyyy", "Date: 5/3/2025"),
        ("2025-03-05", "dd 'de' MMMM", "05 de March"),
        ("2025-12-28", "ddddd MMMMM", "Sunday December"),
        ("2024-02-29", "d MMMM", "29 February"),
        ("2025-03-05T14:07:09", "HH:mm:ss", "14:07:09"),
        ("2025-03-05T14:07:09", "H:m:s", "14:7:9"),
        ("2025-03-05 14:07", "h:mm am/pm", "2:07 pm"),
        ("2025-03-05 14:07", "hh:mm AM/PM", "02:07 PM"),
        ("2025-03-05 00:30", "h:mm AM/PM", "12:30 AM"),
        ("2025-03-05T09:05:00.123Z", "HH:mm", "09:05"),
        ("2025-03-05T09:05+01:00", "HH:mm", "09:05"),
        ("5-3-2025", "dd-MM-yyyy", "05-03-2025"),
        ("05.03.2025", "dd-MM-yyyy", "05-03-2025"),
        ("3/5/2025", "dd-MM-yyyy", "05-03-2025"),
        ("  2025-03-05  ", "d MMM yyyy", "5 Mar 2025"),
        ("1999-07-04", "yy", "99"),
    ])
    func datePictures(value: String, picture: String, expected: String) {
        #expect(MergeFieldInstruction(name: "Date", datePicture: picture).format(value) == expected)
    }

    @Test(arguments: [
        "2025-02-30", "2025-13-01", "2025-03-05T24:00", "2025-03-05T10:60", "not a date",
        "05-03-25", "2025/03/05", "2025-03-05x", "", "12.5", "0000-01-01",
    ])
    func valuesThatAreNoDateStayAsTheyAre(value: String) {
        #expect(MergeFieldInstruction(name: "Date", datePicture: "dd MMMM yyyy").format(value) == value)
    }

    @Test func dutchNames() {
        let field = MergeFieldInstruction(name: "Date", datePicture: "dddd d MMMM yyyy, ddd d MMM")
        #expect(field.format("2025-03-05", language: .dutch) == "woensdag 5 maart 2025, wo 5 mrt")
    }

    @Test(arguments: [
        ("#,##0.00", "1234.5", "1,234.50"),
        ("#,##0.00", "1,234.50", "1,234.50"),
        ("#,##0.00", "5", "   5.00"),
        (",0.00", "1234567.891", "1,234,567.89"),
        ("#,##0", "1234567", "1,234,567"),
        ("0", "12345", "12345"),
        ("0%", "25", "25%"),
        ("0%", "0.25", "0%"),
        ("0.00", "2.345", "2.35"),
        ("0.00", "-2.345", "-2.35"),
        ("0", "2.5", "3"),
        ("0", "-2.5", "-3"),
        ("0", "99.5", "100"),
        ("0.00", "-0.001", "0.00"),
        ("00.00", "9", "09.00"),
        ("$###", "15", "$ 15"),
        ("x##", "222492", "492"),
        ("0.00x", "0.125", "0.125"),
        (".x", "0.75", ".8"),
        ("-##", "-80", "-80"),
        ("-##", "80", " 80"),
        ("+##", "10", "+10"),
        ("+##", "-10", "-10"),
        ("0.0#", "1.5", "1.5"),
        ("0.0#", "1.25", "1.25"),
        ("€ #,##0.00", "-1234.5", "€ -1,234.50"),
        ("$#,##0.00;-$#,##0.00", "-1245.65", "-$1,245.65"),
        ("0.00;(0.00);'nil'", "-3.5", "(3.50)"),
        ("0.00;(0.00);'nil'", "0", "nil"),
        ("0.00;(0.00);'nil'", "3.5", "3.50"),
        ("'Total: '0 'items'", "7", "Total: 7 items"),
        ("0", "+42", "42"),
        ("0.000", "-.5", "-0.500"),
    ])
    func numberPictures(picture: String, value: String, expected: String) {
        #expect(MergeFieldInstruction(name: "Amount", numberPicture: picture).format(value) == expected)
    }

    @Test(arguments: ["abc", "1.234,50", "1,2", "12e3", "1 000", "--1", "", ".", "0x1F"])
    func valuesThatAreNoNumberStayAsTheyAre(value: String) {
        #expect(MergeFieldInstruction(name: "Amount", numberPicture: "#,##0.00").format(value) == value)
    }

    @Test func pictureThenCaseThenTextAround() throws {
        guard
            case .mergeField(let field) = try FieldInstruction.parse(
                #"MERGEFIELD Due \@ "d MMMM" \* Upper \b "due " \f "!""#)
        else {
            Issue.record("not a MERGEFIELD")
            return
        }
        #expect(field.format("2025-03-05") == "due 5 MARCH!")
        #expect(field.format("tomorrow") == "due TOMORROW!")
        #expect(field.format("") == "")
    }

    @Test func dateComesBeforeNumber() {
        let field = MergeFieldInstruction(name: "x", datePicture: "d MMM", numberPicture: "0.0")
        #expect(field.format("2025-03-05") == "5 Mar")
        #expect(field.format("2") == "2.0")
    }
}
