#!/usr/bin/env python3
"""Generate the log-segment benchmark input: N contacts, a segment with N lines, and the
same letters' merge data.

    bench/gen_segment.py N OUTDIR

Writes, deterministically (fixed seed):
  OUTDIR/contacts.csv        N contacts, the project's contact columns, with a few `&`,
                             quotes and non-ASCII names and addresses
  OUTDIR/SMBENCH<N>.yaml     segment SMBENCH<N>: template DIRECTMAIL, one line per contact,
                             header defaults only (no line overrides)
  OUTDIR/merge-data.csv      one record per line with exactly the merge fields that
                             Templates/DirectMail_EN.docx uses, valued as log-segment resolves
                             them, so `mailmerge merge` writes the same letters

The field list comes from `$MAILMERGE fields --names-only Templates/DirectMail_EN.docx`
(MAILMERGE defaults to the release build). No contact has language NL, so every line gets
the English attachment; bench/same_text.py checks that both paths wrote the same text.

CORRESPONDENCE=hard-copy (or email, fax) gives every contact that correspondence type instead of
the mix (half blank, so the template's hard copy; a sixth each hard-copy, email, fax); every other
value stays as in the mix. With hard-copy, log-segment writes exactly merge's letters and nothing
else (no .eml, no fax copies): what is left of the difference is the log-segment machinery itself.
"""
import csv
import os
import random
import subprocess
import sys

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TEMPLATE = os.path.join(REPO, "Templates", "DirectMail_EN.docx")
SEED = 20261123

CONTACT_COLUMNS = [
    "ContactNo", "ContactType", "CompanyNo", "CompanyName", "Salutation", "FirstName", "MiddleName",
    "Surname", "JobTitle", "Address", "Address2", "PostCode", "City", "County", "CountryRegionCode",
    "Phone", "Email", "LanguageCode", "CorrespondenceType", "SalespersonCode", "SalutationCode",
]

HEADER = {
    "description": "Benchmark mailing",
    "date": "2026-11-23",
    "subject": "New products for the winter season",
    "salespersonCode": "JO",
    "salespersonName": "Jo Olsen",
    "campaignNo": "CP1001",
}

# The DIRECTMAIL entry of Templates/templates.yaml (the text comparison catches drift).
TEMPLATE_FIELDS = {
    "TemplateCode": "DIRECTMAIL",
    "TemplateDescription": "Direct mail letter",
    "InformationFlow": "outbound",
    "InitiatedBy": "us",
    "UnitCost": "1.25",
    "UnitDuration": "2",
}
TEMPLATE_CORRESPONDENCE = "hard-copy"

# The correspondence fields (FormalSalutation, AddressLine1…8) as log-segment makes them from
# Templates/salutations.yaml, countries.yaml and setup.yaml (ownCountry NL), for the codes,
# countries and languages generated here (the text comparison catches drift).
OWN_COUNTRY = "NL"
FORMAL = {  # salutation code -> language (or DEFAULT) -> formal formula
    "M": {"EN": "Dear Mr. %surname", "FR": "Monsieur", "DE": "Sehr geehrter Herr %surname",
          "DEFAULT": "Dear Mr. %surname"},
    "F": {"EN": "Dear Ms. %surname", "FR": "Madame", "DE": "Sehr geehrte Frau %surname",
          "DEFAULT": "Dear Ms. %surname"},
    "DR": {"EN": "Dear Dr. %surname", "FR": "Docteur", "DE": "Sehr geehrte(r) Dr. %surname",
           "DEFAULT": "Dear Dr. %surname"},
    "UNISEX": {"EN": "Dear %firstName %surname", "FR": "Madame, Monsieur", "DE": "Guten Tag %firstName %surname",
               "DEFAULT": "Dear %firstName %surname"},
    "COMPANY": {"EN": "Dear Sir or Madam", "FR": "Madame, Monsieur", "DE": "Sehr geehrte Damen und Herren",
                "DEFAULT": "Dear Sir or Madam"},
}
SALUTATION_CODE = {"Mr.": "M", "Ms.": "F", "Dr.": "DR", "": "UNISEX"}
# Country -> name per language (countries.yaml, else Foundation's locale data; "" is English).
COUNTRY_NAME = {
    "NL": {"EN": "Netherlands", "FR": "Pays-Bas", "DE": "Niederlande"},
    "BE": {"EN": "Belgium", "FR": "Belgique", "DE": "Belgien"},
    "DE": {"EN": "Germany", "FR": "Allemagne", "DE": "Deutschland"},
    "GB": {"EN": "United Kingdom", "FR": "Royaume-Uni", "DE": "Vereinigtes Königreich"},
    "DK": {"EN": "Denmark", "FR": "Danemark", "DE": "Dänemark"},
    "PL": {"EN": "Poland", "FR": "Pologne", "DE": "Polen"},
    "US": {"EN": "United States", "FR": "États-Unis", "DE": "Vereinigte Staaten"},
    "CH": {"EN": "Switzerland", "FR": "Suisse", "DE": "Schweiz"},
    "FI": {"EN": "Finland", "FR": "Finlande", "DE": "Finnland"},
    "ES": {"EN": "Spain", "FR": "Espagne", "DE": "Spanien"},
}

FIRST = ["Anna", "Pieter", "Zoë", "Łukasz", "François", "Jürgen", "Seán", "Mária", "Björn", "Noor",
         "James", "Emma", "Sofía", "Lars", "Aoife", "Tomás", "Ines", "Oskar", "Chloé", "Mehmet"]
MIDDLE = ["", "", "", "", "van den", "de", "Patrick", "Maria", "von"]
SURNAME = ["Berg", "de Vries", "Ørsted", "Kowalski", "Müller", "O'Brien", "Núñez", "Jansen",
           "Smith", "Dubois", "Søndergaard", "Żuk", "Nagy", "Andersson", "Murphy", "Rossi"]
COMPANY = ["Van den Berg & Zonen B.V.", 'Brasserie "Le Coq" SPRL', "Müller Maschinenbau GmbH",
           "O'Brien & Sons Ltd", "Ørsted Energi A/S", "Kraków Software Sp. z o.o.",
           "Acme Widgets Inc.", "Café Zürich AG", "Nordic Timber Oy", "Smith, Jones & Co."]
JOB = ["Managing Director", "Purchasing Manager", "Chef", "Geschäftsführer", "Service Engineer",
       "Finance Controller", "Owner", "Buyer", "Head of R&D", ""]
STREET = ["Keizersgracht", "Rue de la Loi", "Königsallee", "Baker Street", "Strøget", "ul. Floriańska",
          "Main Street", "Bahnhofstrasse", "Esplanadi", "Calle Mayor"]
CITY = [("Amsterdam", "Noord-Holland", "NL"), ("Bruxelles", "", "BE"), ("Düsseldorf", "Nordrhein-Westfalen", "DE"),
        ("London", "Greater London", "GB"), ("København", "", "DK"), ("Kraków", "Małopolskie", "PL"),
        ("Springfield", "Illinois", "US"), ("Zürich", "ZH", "CH"), ("Helsinki", "Uusimaa", "FI"),
        ("Madrid", "", "ES")]
SALUTATION = {"Zoë": "Ms.", "Anna": "Ms.", "Mária": "Ms.", "Noor": "Ms.", "Emma": "Ms.",
              "Sofía": "Ms.", "Aoife": "Ms.", "Ines": "Ms.", "Chloé": "Ms."}
LANGUAGES = ["EN", "EN", "EN", "FR", "DE", ""]          # never NL: every line gets DirectMail_EN
CORRESPONDENCE = ["", "", "", "hard-copy", "email", "fax"]
SALESPEOPLE = ["JO", "LT", "OF"]


def contacts(n, rng, correspondence=None):
    """N contacts: a company, then up to three of its people, repeated; all of correspondence type
    `correspondence` if given (drawn all the same, so the other values do not change)."""
    rows = []
    company = None
    while len(rows) < n:
        number = f"CB{len(rows) + 1:07d}"
        city, county, country = rng.choice(CITY)
        row = dict.fromkeys(CONTACT_COLUMNS, "")
        if company is None or rng.random() < 0.3:
            company = {"CompanyNo": number, "CompanyName": rng.choice(COMPANY),
                       "Address": f"{rng.choice(STREET)} {rng.randint(1, 250)}",
                       "Address2": rng.choice(["", "", f"Suite {rng.randint(1, 40)}"]),
                       "PostCode": f"{rng.randint(1000, 99999)}", "City": city, "County": county,
                       "CountryRegionCode": country}
            row.update(company, ContactType="Company", Email=f"info{len(rows) + 1}@example.com",
                       SalutationCode="COMPANY")
        else:
            first = rng.choice(FIRST)
            row.update(company, ContactType="Person", FirstName=first, MiddleName=rng.choice(MIDDLE),
                       Surname=rng.choice(SURNAME), JobTitle=rng.choice(JOB),
                       Salutation=SALUTATION.get(first, rng.choice(["Mr.", "Dr.", ""])),
                       Email=f"p{len(rows) + 1}@example.com")
            row["SalutationCode"] = SALUTATION_CODE[row["Salutation"]]
        row.update(ContactNo=number, Phone=f"+31 20 555 {rng.randint(0, 9999):04d}",
                   LanguageCode=rng.choice(LANGUAGES), CorrespondenceType=rng.choice(CORRESPONDENCE),
                   SalespersonCode=rng.choice(SALESPEOPLE))
        if correspondence is not None:
            row["CorrespondenceType"] = correspondence
        rows.append(row)
    return rows


def locality(contact):
    """Post code, city and county lines in the country's postal layout (ADDRESSBLOCK \\d table)."""
    post, city, county, country = contact["PostCode"], contact["City"], contact["County"], contact["CountryRegionCode"]
    if country == "NL":
        return [(post + "  " if post else "") + city.upper()]
    if country == "FI":
        return [" ".join(filter(None, [post, city.upper()]))]
    if country == "GB":
        return [city.upper(), post]
    if country == "US":
        return [city + (", " + county if county else "") + ("  " + post if post else "")]
    lines = [" ".join(filter(None, [post, city]))]
    if country == "ES":
        lines.append(county)
    return lines


def correspondence_fields(contact):
    """FormalSalutation and AddressLine1…8 of a contact in its language."""
    language = contact["LanguageCode"]
    formulas = FORMAL[contact["SalutationCode"]]
    formula = formulas.get(language.upper(), formulas["DEFAULT"])
    for name, value in (("%firstName", contact["FirstName"]), ("%surname", contact["Surname"])):
        formula = formula.replace(name, value)
    fields = {"FormalSalutation": " ".join(formula.split())}
    lines = []
    if contact["ContactType"] == "Person":
        lines.append(" ".join(" ".join(p.split()) for p in (contact["FirstName"], contact["MiddleName"], contact["Surname"]) if p.strip()))
    lines += [contact["CompanyName"], contact["Address"], contact["Address2"]] + locality(contact)
    country = contact["CountryRegionCode"]
    if country and country != OWN_COUNTRY:
        lines.append(COUNTRY_NAME[country][language.upper() or "EN"].upper())
    lines = [line.strip() for line in lines if line.strip()]
    for number in range(1, 9):
        fields[f"AddressLine{number}"] = lines[number - 1] if number <= len(lines) else ""
    return fields


def merge_fields(segment_no, line_no, contact):
    """Every documented merge field of a line, as log-segment resolves it from header defaults."""
    fields = dict(contact)
    fields["FullName"] = " ".join(p for p in (contact["FirstName"], contact["MiddleName"], contact["Surname"]) if p)
    fields["ContactLanguageCode"] = contact["LanguageCode"]
    fields["ContactCorrespondenceType"] = contact["CorrespondenceType"]
    fields["ContactSalespersonCode"] = contact["SalespersonCode"]
    if contact["SalutationCode"]:
        fields.update(correspondence_fields(contact))
    else:  # the empty contact that only lists the field names
        fields.update(dict.fromkeys(["FormalSalutation"] + [f"AddressLine{n}" for n in range(1, 9)], ""))
    fields.update(TEMPLATE_FIELDS)
    fields.update(
        SegmentNo=segment_no, SegmentDescription=HEADER["description"], LineNo=str(line_no),
        Description=HEADER["description"], Subject=HEADER["subject"], Date=HEADER["date"],
        LanguageCode=contact["LanguageCode"],
        CorrespondenceType=contact["CorrespondenceType"] or TEMPLATE_CORRESPONDENCE,
        Comment="", CampaignNo=HEADER["campaignNo"], CampaignTarget="Yes", CampaignResponse="No",
        SalespersonCode=HEADER["salespersonCode"], SalespersonName=HEADER["salespersonName"])
    return fields


def template_field_names():
    """The distinct merge fields of DirectMail_EN.docx, as `mailmerge fields` lists them."""
    tool = os.environ.get("MAILMERGE", os.path.join(REPO, ".build", "release", "mailmerge"))
    try:
        listed = subprocess.run([tool, "fields", "--names-only", TEMPLATE], check=True,
                                capture_output=True, text=True).stdout
    except (OSError, subprocess.CalledProcessError) as error:
        sys.exit(f"error: cannot list the fields of {TEMPLATE} with {tool} ({error}); "
                 "build it (swift build -c release --product mailmerge) or set MAILMERGE")
    return [name for name in listed.splitlines() if name.strip()]


def yaml_text(value):
    """A double-quoted YAML scalar."""
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def main(argv):
    if len(argv) != 3 or not argv[1].isdigit() or int(argv[1]) < 1:
        sys.exit("usage: bench/gen_segment.py N OUTDIR   (N >= 1)")
    n, out = int(argv[1]), argv[2]
    os.makedirs(out, exist_ok=True)
    segment_no = f"SMBENCH{n}"
    names = template_field_names()
    documented = merge_fields(segment_no, 0, dict.fromkeys(CONTACT_COLUMNS, ""))
    unknown = [name for name in names if name.lower() not in {key.lower() for key in documented}]
    if unknown:
        sys.exit(f"error: {TEMPLATE} uses fields this generator does not know: {', '.join(unknown)}")

    correspondence = os.environ.get("CORRESPONDENCE") or None
    if correspondence not in (None, "hard-copy", "email", "fax"):
        sys.exit(f"error: CORRESPONDENCE={correspondence}: use hard-copy, email or fax (or leave it unset for the mix)")
    people = contacts(n, random.Random(SEED), correspondence)
    with open(os.path.join(out, "contacts.csv"), "w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=CONTACT_COLUMNS)
        writer.writeheader()
        writer.writerows(people)

    with open(os.path.join(out, segment_no + ".yaml"), "w", encoding="utf-8") as fh:
        fh.write(f"# Generated by bench/gen_segment.py {n}: the log-segment benchmark.\n")
        fh.write(f"header:\n  no: {segment_no}\n  templateCode: DIRECTMAIL\n  contacts: contacts.csv\n")
        fh.write(f"  date: {HEADER['date']}\n")
        for key in ("description", "subject", "salespersonCode", "salespersonName", "campaignNo"):
            fh.write(f"  {key}: {yaml_text(HEADER[key])}\n")
        fh.write("  campaignTarget: true\n  campaignResponse: false\nlines:\n")
        for index, contact in enumerate(people, start=1):
            fh.write(f"  - lineNo: {index * 10000}\n    contactNo: {contact['ContactNo']}\n")

    with open(os.path.join(out, "merge-data.csv"), "w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(names)
        for index, contact in enumerate(people, start=1):
            fields = {key.lower(): value for key, value in merge_fields(segment_no, index * 10000, contact).items()}
            writer.writerow([fields[name.lower()] for name in names])


if __name__ == "__main__":
    main(sys.argv)
