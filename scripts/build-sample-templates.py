#!/usr/bin/env python3
"""Build the sample interaction templates in Templates/ (Word mail-merge main documents).

    python3 scripts/build-sample-templates.py [output-directory]   # default: Templates/

Writes DirectMail_EN.docx, DirectMail_NL.docx (a direct-mail product letter) and
Event_EN.docx, Event_NL.docx (an event invitation), Wizard_EN.docx and Wizard_NL.docx (the Mail
Merge wizard's letter: ADDRESSBLOCK and GREETINGLINE as Word's dialogs write them). The packages are laid out the way
Microsoft Word 2016 saves a mail-merge main document: the same parts, namespaces,
relationship ids, zip entry order and 1980-01-01 entry dates; every merge field is a complex
field (begin / instrText / separate / «result» / end), some instructions are split over
several runs with w:proofErr marks between them, IF fields nest MERGEFIELDs, and
word/settings.xml carries a w:mailMerge element pointing at a CSV data source.

The output is deterministic: running the script twice gives byte-identical files.
Merge field names are the ones documented in the README (Contact, Interaction, Salesperson
and Interaction template fields).
"""

import hashlib
import re
import sys
import uuid
import zipfile
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import escape

# --------------------------------------------------------------------------------------------
# Namespaces, as Word 2016 writes them on story parts (document, headers, footers, notes).

STORY_NAMESPACES = (
    'xmlns:wpc="http://schemas.microsoft.com/office/word/2010/wordprocessingCanvas" '
    'xmlns:cx="http://schemas.microsoft.com/office/drawing/2014/chartex" '
    'xmlns:cx1="http://schemas.microsoft.com/office/drawing/2015/9/8/chartex" '
    'xmlns:cx2="http://schemas.microsoft.com/office/drawing/2015/10/21/chartex" '
    'xmlns:cx3="http://schemas.microsoft.com/office/drawing/2016/5/9/chartex" '
    'xmlns:cx4="http://schemas.microsoft.com/office/drawing/2016/5/10/chartex" '
    'xmlns:cx5="http://schemas.microsoft.com/office/drawing/2016/5/11/chartex" '
    'xmlns:cx6="http://schemas.microsoft.com/office/drawing/2016/5/12/chartex" '
    'xmlns:cx7="http://schemas.microsoft.com/office/drawing/2016/5/13/chartex" '
    'xmlns:cx8="http://schemas.microsoft.com/office/drawing/2016/5/14/chartex" '
    'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
    'xmlns:aink="http://schemas.microsoft.com/office/drawing/2016/ink" '
    'xmlns:am3d="http://schemas.microsoft.com/office/drawing/2017/model3d" '
    'xmlns:o="urn:schemas-microsoft-com:office:office" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" '
    'xmlns:m="http://schemas.openxmlformats.org/officeDocument/2006/math" '
    'xmlns:v="urn:schemas-microsoft-com:vml" '
    'xmlns:wp14="http://schemas.microsoft.com/office/word/2010/wordprocessingDrawing" '
    'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" '
    'xmlns:w10="urn:schemas-microsoft-com:office:word" '
    'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
    'xmlns:w14="http://schemas.microsoft.com/office/word/2010/wordml" '
    'xmlns:w15="http://schemas.microsoft.com/office/word/2012/wordml" '
    'xmlns:w16cid="http://schemas.microsoft.com/office/word/2016/wordml/cid" '
    'xmlns:w16se="http://schemas.microsoft.com/office/word/2015/wordml/symex" '
    'xmlns:wpg="http://schemas.microsoft.com/office/word/2010/wordprocessingGroup" '
    'xmlns:wpi="http://schemas.microsoft.com/office/word/2010/wordprocessingInk" '
    'xmlns:wne="http://schemas.microsoft.com/office/word/2006/wordml" '
    'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" '
    'mc:Ignorable="w14 w15 w16se w16cid wp14"'
)
SHORT_NAMESPACES = (
    'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" '
    'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
    'xmlns:w14="http://schemas.microsoft.com/office/word/2010/wordml" '
    'xmlns:w15="http://schemas.microsoft.com/office/word/2012/wordml" '
    'xmlns:w16cid="http://schemas.microsoft.com/office/word/2016/wordml/cid" '
    'xmlns:w16se="http://schemas.microsoft.com/office/word/2015/wordml/symex" '
    'mc:Ignorable="w14 w15 w16se w16cid"'
)
XML_DECL = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n'
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
CT = "application/vnd.openxmlformats-officedocument.wordprocessingml"

# Page geometry (A4, 2.5 cm side margins): text width in twentieths of a point.
TEXT_WIDTH = 9070
BRAND = "1F4E79"  # letterhead blue
GREY = "595959"

# --------------------------------------------------------------------------------------------
# Run and paragraph building blocks.


@dataclass(frozen=True)
class Fmt:
    """Run formatting, written in schema order inside w:rPr."""
    style: str = ""
    bold: bool = False
    italic: bool = False
    no_proof: bool = False
    color: str = ""
    size: int = 0  # half-points

    def with_(self, **changes) -> "Fmt":
        values = {**self.__dict__, **changes}
        return Fmt(**values)

    def xml(self) -> str:
        out = ""
        if self.style:
            out += f'<w:rStyle w:val="{self.style}"/>'
        if self.bold:
            out += "<w:b/><w:bCs/>"
        if self.italic:
            out += "<w:i/><w:iCs/>"
        if self.no_proof:
            out += "<w:noProof/>"
        if self.color:
            out += f'<w:color w:val="{self.color}"/>'
        if self.size:
            out += f'<w:sz w:val="{self.size}"/><w:szCs w:val="{self.size}"/>'
        return f"<w:rPr>{out}</w:rPr>" if out else ""


PLAIN = Fmt()
SPELL_START = '<w:proofErr w:type="spellStart"/>'
SPELL_END = '<w:proofErr w:type="spellEnd"/>'


def text_element(tag: str, text: str) -> str:
    """`<w:t>` / `<w:instrText>` with xml:space="preserve" only where Word writes it."""
    preserve = ' xml:space="preserve"' if text != text.strip() or "  " in text else ""
    return f"<w:{tag}{preserve}>{escape(text)}</w:{tag}>"


def run(text: str, fmt: Fmt = PLAIN, rsid: str = "") -> str:
    attr = f' w:rsidR="{rsid}"' if rsid else ""
    return f"<w:r{attr}>{fmt.xml()}{text_element('t', text)}</w:r>"


def tab(fmt: Fmt = PLAIN) -> str:
    return f"<w:r>{fmt.xml()}<w:tab/></w:r>"


class Raw(str):
    """XML to copy verbatim into a field instruction (a nested field or a w:proofErr)."""


def field(instruction: list, result: list, fmt: Fmt = PLAIN) -> str:
    """A complex field. `instruction` items: str → one w:instrText run; Raw → copied as is.
    `result` items: str → a run of placeholder text (w:noProof, as Word writes merge
    results); Raw → copied as is."""
    def char(kind: str) -> str:
        return f'<w:r>{fmt.xml()}<w:fldChar w:fldCharType="{kind}"/></w:r>'

    out = char("begin")
    for item in instruction:
        out += item if isinstance(item, Raw) else f"<w:r>{fmt.xml()}{text_element('instrText', item)}</w:r>"
    out += char("separate")
    for item in result:
        out += item if isinstance(item, Raw) else run(item, fmt.with_(no_proof=True))
    return out + char("end")


def merge(name: str, switches: str = "", fmt: Fmt = PLAIN, result_fmt: Fmt | None = None,
          split: bool = False) -> Raw:
    """`{ MERGEFIELD name switches }` showing «name». `split`: the instruction is written in
    three runs with the name marked as a spelling error, as Word does after typing it."""
    tail = f" {switches} " if switches else " "
    if split:
        instruction = [" MERGEFIELD ", Raw(SPELL_START), name, Raw(SPELL_END), tail]
    else:
        instruction = [f" MERGEFIELD {name}{tail}"]
    shown = (result_fmt or fmt).with_(no_proof=True)
    return Raw(field(instruction, [Raw(run(f"«{name}»", shown))], fmt))


def page_fields(words: tuple[str, str], fmt: Fmt) -> str:
    """'Page { PAGE } of { NUMPAGES }': fields the merge must leave alone."""
    page, of = words
    return (run(f"{page} ", fmt) + field([" PAGE   \\* MERGEFORMAT "], [Raw(run("1", fmt))], fmt)
            + run(f" {of} ", fmt) + field([" NUMPAGES   \\* MERGEFORMAT "], [Raw(run("1", fmt))], fmt))


class Ids:
    """Deterministic w14:paraId / w14:textId / rsid values for one document."""

    def __init__(self, seed: str):
        self.seed = seed
        self.count = 0
        self.rsids = [self.hex_id(f"rsid{i}", 0x00FFFFFF) for i in range(6)]

    def hex_id(self, key: str, mask: int) -> str:
        """A stable hex id for `key`, masked (paraIds must stay below 0x80000000)."""
        digest = hashlib.sha1(f"{self.seed}:{key}".encode()).digest()
        return f"{int.from_bytes(digest[:4], 'big') & mask:08X}"

    def guid(self) -> str:
        """A stable GUID for w15:docId, upper-case as Word writes it."""
        return str(uuid.UUID(bytes=hashlib.sha1(f"{self.seed}:guid".encode()).digest()[:16])).upper()

    def paragraph_attributes(self) -> str:
        self.count += 1
        n = self.count
        return (f' w14:paraId="{self.hex_id(f"p{n}", 0x7FFFFFFF)}" w14:textId="{self.hex_id(f"t{n}", 0x7FFFFFFF)}"'
                f' w:rsidR="{self.rsids[n % 3]}" w:rsidRDefault="{self.rsids[n % 3 + 1]}"'
                f' w:rsidP="{self.rsids[0]}"')


@dataclass(frozen=True)
class Para:
    """Paragraph properties, written in schema order inside w:pPr."""
    style: str = ""
    border_top: bool = False
    border_bottom: bool = False
    right_tab: bool = False
    before: int = -1
    after: int = -1
    single_line: bool = False
    mark: Fmt = PLAIN

    def xml(self) -> str:
        out = f'<w:pStyle w:val="{self.style}"/>' if self.style else ""
        if self.border_top or self.border_bottom:
            edge = "top" if self.border_top else "bottom"
            out += (f'<w:pBdr><w:{edge} w:val="single" w:sz="6" w:space="{4 if self.border_top else 6}"'
                    f' w:color="{BRAND}"/></w:pBdr>')
        if self.right_tab:
            # Header/footer styles have a centre tab; clear it, as Word does when a tab is moved.
            out += f'<w:tabs><w:tab w:val="clear" w:pos="4535"/><w:tab w:val="right" w:pos="{TEXT_WIDTH}"/></w:tabs>'
        if self.before >= 0 or self.after >= 0 or self.single_line:
            before = f' w:before="{self.before}"' if self.before >= 0 else ""
            after = f' w:after="{self.after}"' if self.after >= 0 else ""
            line = ' w:line="240" w:lineRule="auto"' if self.single_line else ""
            out += f"<w:spacing{before}{after}{line}/>"
        out += self.mark.xml()
        return f"<w:pPr>{out}</w:pPr>" if out else ""


def paragraph(ids: Ids, content: str, props: Para = Para()) -> str:
    return f"<w:p{ids.paragraph_attributes()}>{props.xml()}{content}</w:p>"


# --------------------------------------------------------------------------------------------
# Language-specific words: style ids as a Word of that UI language writes them, and texts.


@dataclass(frozen=True)
class Styles:
    normal: str
    default_font: str
    normal_table: str
    no_list: str
    no_spacing: str
    header: str
    footer: str
    table_grid: str
    footnote_text: str
    footnote_reference: str


EN_STYLES = Styles("Normal", "DefaultParagraphFont", "TableNormal", "NoList", "NoSpacing", "Header",
                   "Footer", "TableGrid", "FootnoteText", "FootnoteReference")
NL_STYLES = Styles("Standaard", "Standaardalinea-lettertype", "Standaardtabel", "Geenlijst", "Geenafstand",
                   "Koptekst", "Voettekst", "Tabelraster", "Voetnoottekst", "Voetnootmarkering")


@dataclass(frozen=True)
class Language:
    """Everything that differs between the English and the Dutch letters."""
    tag: str  # w:lang value
    styles: Styles
    decimal: str
    list_separator: str
    company: str
    address_line: str
    contact_line: str
    registration: str
    place: str
    your_contact: str
    reference: str
    campaign: str
    contact_no: str
    page: tuple[str, str]
    continued: str
    subject_label: str
    dear: str
    company_salutation: str
    closing: str


EN = Language(
    tag="en-GB", styles=EN_STYLES, decimal=".", list_separator=",",
    company="Cronus Relationship Services",
    address_line="5 The Ring · Westminster · London W2 8HG · United Kingdom",
    contact_line="Phone +44 20 7946 0958 · info@cronus-rs.example · www.cronus-rs.example",
    registration="Cronus Relationship Services Ltd. · Registered in England and Wales No. 04567891 · VAT GB 845 1234 56",
    place="London", your_contact="Your contact", reference="Reference", campaign="Campaign",
    contact_no="Contact", page=("Page", "of"), continued="continued",
    subject_label="", dear="Dear", company_salutation="Sir or Madam", closing="Yours sincerely,",
)
NL = Language(
    tag="nl-NL", styles=NL_STYLES, decimal=",", list_separator=";",
    company="Cronus Relationship Services",
    address_line="Herengracht 182 · 1016 BR Amsterdam · Nederland",
    contact_line="Telefoon +31 20 794 6095 · info@cronus-rs.example · www.cronus-rs.example",
    registration="Cronus Relationship Services B.V. · KvK 12345678 · btw NL001234567B01 · IBAN NL91 ABNA 0417 1643 00",
    place="Amsterdam", your_contact="Uw contactpersoon", reference="Kenmerk", campaign="Campagne",
    contact_no="Relatie", page=("Pagina", "van"), continued="vervolg",
    subject_label="Betreft: ", dear="Geachte", company_salutation="heer, mevrouw", closing="Met vriendelijke groet,",
)

# --------------------------------------------------------------------------------------------
# Headers and footers.

SMALL = Fmt(color=GREY, size=16)


def letterhead(ids: Ids, lang: Language, banner: str = "") -> str:
    """Company name, address and contact line, with the salesperson as a merge field."""
    name = run(lang.company, Fmt(bold=True, color=BRAND, size=36))
    if banner:
        name += run(f"  {banner}", Fmt(color=GREY, size=24))
    contact = (run(lang.contact_line, SMALL) + tab(SMALL) + run(f"{lang.your_contact}: ", SMALL)
               + merge("SalespersonName", fmt=SMALL, split=True))
    return (paragraph(ids, name, Para(style=lang.styles.header, after=40))
            + paragraph(ids, run(lang.address_line, SMALL), Para(style=lang.styles.header))
            + paragraph(ids, contact, Para(style=lang.styles.header, border_bottom=True, right_tab=True)))


def short_header(ids: Ids, lang: Language) -> str:
    """Continuation-page header: company and segment reference."""
    content = (run(lang.company, Fmt(bold=True, color=BRAND, size=20)) + tab(SMALL)
               + run(f"{lang.reference} ", SMALL) + merge("SegmentNo", fmt=SMALL) + run(f" · {lang.continued}", SMALL))
    return paragraph(ids, content, Para(style=lang.styles.header, border_bottom=True, right_tab=True))


def reference_line(lang: Language, fmt: Fmt) -> str:
    return (run(f"{lang.contact_no} ", fmt) + merge("ContactNo", fmt=fmt) + run(f" · {lang.reference} ", fmt)
            + merge("SegmentNo", fmt=fmt) + run("/", fmt) + merge("LineNo", fmt=fmt))


def full_footer(ids: Ids, lang: Language) -> str:
    fmt = Fmt(color=GREY, size=15)
    return (paragraph(ids, run(lang.registration, fmt), Para(style=lang.styles.footer, border_top=True))
            + paragraph(ids, reference_line(lang, fmt) + tab(fmt) + page_fields(lang.page, fmt),
                        Para(style=lang.styles.footer, right_tab=True)))


def short_footer(ids: Ids, lang: Language) -> str:
    fmt = Fmt(color=GREY, size=15)
    return paragraph(ids, page_fields(lang.page, fmt) + tab(fmt) + reference_line(lang, fmt),
                     Para(style=lang.styles.footer, border_top=True, right_tab=True))


# --------------------------------------------------------------------------------------------
# Letter body pieces shared by both letters.


def address_block(ids: Ids, lang: Language, anchored: str = "") -> str:
    """CompanyName / FullName, JobTitle / Address, Address2 / PostCode CITY / country."""
    s = Para(style=lang.styles.no_spacing)
    postcode_gap = "  " if lang is NL else " "
    return (paragraph(ids, anchored + merge("CompanyName"), s)
            + paragraph(ids, merge("FullName") + merge("JobTitle", '\\b ", "'), s)
            + paragraph(ids, merge("Address") + merge("Address2", '\\b ", "'), s)
            + paragraph(ids, merge("PostCode", f'\\f "{postcode_gap}"', split=True) + merge("City", "\\* Upper"), s)
            + paragraph(ids, merge("CountryRegionCode", split=True), s))


def correspondence_address(ids: Ids, lang: Language) -> str:
    """«AddressLine1» … «AddressLine8»: the contact's address as mailmerge lays it out (Business
    Central's Format Address: name, company, street, post code and city in the country's order,
    the country in capitals when foreign); the lines that come out empty are suppressed."""
    s = Para(style=lang.styles.no_spacing)
    return "".join(paragraph(ids, merge(f"AddressLine{n}", split=n % 2 == 0), s) for n in range(1, 9))


def formal_salutation(ids: Ids, lang: Language) -> str:
    """«FormalSalutation», — the contact's salutation formula in the letter's language."""
    return paragraph(ids, merge("FormalSalutation") + run(","))


def date_line(ids: Ids, lang: Language) -> str:
    content = run(f"{lang.place}, ") + merge("Date", '\\@ "d MMMM yyyy"')
    return paragraph(ids, content, Para(before=600, after=360))


def subject_line(ids: Ids, lang: Language) -> str:
    bold = Fmt(bold=True)
    label = run(lang.subject_label, bold) if lang.subject_label else ""
    return paragraph(ids, label + merge("Subject", fmt=bold), Para(after=240, mark=bold))


def salutation(ids: Ids, lang: Language) -> str:
    """Dear { IF { ContactType } = "Company" "…" "{ IF { Salutation } = "" "{ FirstName }"
    "{ Salutation } { Surname }" }" },"""
    inner = field(
        [" IF ", merge("Salutation"), ' = "" "', merge("FirstName"), '" "', merge("Salutation"), " ",
         merge("Surname"), '" '],
        [Raw(run("«Salutation»", Fmt(no_proof=True))), " ", "«Surname»"])
    outer = field(
        [" IF ", merge("ContactType"), f' = "Company" "{lang.company_salutation}" "', Raw(inner), '" '],
        ["«Salutation» «Surname»"])
    return paragraph(ids, run(f"{lang.dear} ") + outer + run(","))


def postscript(ids: Ids) -> str:
    """{ IF { MERGEFIELD Comment } <> "" "P.S. { MERGEFIELD Comment }" "" }"""
    italic = Fmt(italic=True)
    content = field([" IF ", merge("Comment", fmt=italic), ' <> "" "P.S. ', merge("Comment", fmt=italic), '" "" '],
                    ["P.S. «Comment»"], italic)
    return paragraph(ids, content, Para(before=240))


def reference_table(ids: Ids, lang: Language) -> str:
    """Bordered two-column table: contact, reference and campaign, with fields in cells."""
    label_width, value_width = 2835, TEXT_WIDTH - 2835
    cell_para = Para(style=lang.styles.no_spacing)

    def cell(width: int, content: str, fill: str = "") -> str:
        shading = f'<w:shd w:val="clear" w:color="auto" w:fill="{fill}"/>' if fill else ""
        return (f'<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/>{shading}</w:tcPr>'
                f"{paragraph(ids, content, cell_para)}</w:tc>")

    def row(label: str, value: str) -> str:
        return (f'<w:tr w:rsidR="{ids.rsids[1]}" w14:paraId="{ids.hex_id("row" + label, 0x7FFFFFFF)}"'
                f' w14:textId="77777777">'
                + cell(label_width, run(label, Fmt(bold=True)), "DEEAF6") + cell(value_width, value) + "</w:tr>")

    rows = (row(lang.your_contact, merge("SalespersonName", split=True) + run(" (")
                + merge("SalespersonCode") + run(")"))
            + row(lang.reference, merge("SegmentNo") + run("-") + merge("LineNo"))
            + row(lang.campaign, merge("CampaignNo", split=True)))
    return (f'<w:tbl><w:tblPr><w:tblStyle w:val="{lang.styles.table_grid}"/><w:tblW w:w="{TEXT_WIDTH}" w:type="dxa"/>'
            '<w:tblLook w:val="04A0" w:firstRow="1" w:lastRow="0" w:firstColumn="1" w:lastColumn="0"'
            ' w:noHBand="0" w:noVBand="1"/></w:tblPr>'
            f'<w:tblGrid><w:gridCol w:w="{label_width}"/><w:gridCol w:w="{value_width}"/></w:tblGrid>{rows}</w:tbl>')


def closing(ids: Ids, lang: Language) -> str:
    return (paragraph(ids, run(lang.closing), Para(before=240, after=840))
            + paragraph(ids, merge("SalespersonName"), Para(style=lang.styles.no_spacing))
            + paragraph(ids, run(lang.company), Para(style=lang.styles.no_spacing)))


def section(headers: dict, footers: dict, first_page: bool) -> str:
    refs = "".join(f'<w:headerReference w:type="{kind}" r:id="{rid}"/>' for kind, rid in headers.items())
    refs += "".join(f'<w:footerReference w:type="{kind}" r:id="{rid}"/>' for kind, rid in footers.items())
    title_page = "<w:titlePg/>" if first_page else ""
    return (f"<w:sectPr>{refs}<w:pgSz w:w=\"11906\" w:h=\"16838\"/>"
            '<w:pgMar w:top="2268" w:right="1418" w:bottom="1701" w:left="1418" w:header="709" w:footer="567"'
            ' w:gutter="0"/><w:cols w:space="708"/>' f'{title_page}<w:docGrid w:linePitch="360"/></w:sectPr>')


# --------------------------------------------------------------------------------------------
# The two letters.


@dataclass(frozen=True)
class Story:
    """The story parts of one letter; the packaging is the same for all of them."""
    body: str
    headers: dict  # w:type → (part name, xml content)
    footers: dict
    footnote: str = ""
    has_drawing: bool = False
    even_and_odd: bool = False
    first_page: bool = False
    main_document_type: str = "formLetters"
    section_xml: str = ""  # replaces section(...) when set (labels: no header/footer, label margins)


DIRECT_MAIL_TEXT = {
    EN: dict(
        intro=("We are delighted to introduce ", ", the latest addition to our range of relationship services. "
               "We believe it will be of particular interest to ", " in ", "."),
        offer=("As one of our valued customers, you can order it now at an introductory price of EUR ",
               " per unit.", " Simply reply to this letter or contact ",
               " directly; you will find the details below."),
        outro="We look forward to hearing from you.",
        footnote=("The introductory price applies to orders placed within campaign ",
                  " and excludes VAT and delivery."),
    ),
    NL: dict(
        intro=("Met genoegen stellen wij u ", " voor, de nieuwste aanvulling op ons aanbod aan relatiediensten. "
               "Wij denken dat dit vooral interessant is voor ", " in ", "."),
        offer=("Als gewaardeerde klant bestelt u nu tegen een introductieprijs van EUR ", " per stuk.",
               " Reageer eenvoudig op deze brief of neem rechtstreeks contact op met ",
               "; de gegevens vindt u hieronder."),
        outro="Wij zien uw reactie graag tegemoet.",
        footnote=("De introductieprijs geldt voor bestellingen binnen campagne ",
                  " en is exclusief btw en verzendkosten."),
    ),
}


def direct_mail(ids: Ids, lang: Language) -> Story:
    t = DIRECT_MAIL_TEXT[lang]
    a, b, c, d = t["intro"]
    intro = (run(a) + merge("Description", "\\* MERGEFORMAT", result_fmt=Fmt(italic=True)) + run(b)
             + merge("CompanyName") + run(c) + merge("City") + run(d))
    note_ref = f'<w:r><w:rPr><w:rStyle w:val="{lang.styles.footnote_reference}"/></w:rPr><w:footnoteReference w:id="1"/></w:r>'
    a, b, c, d = t["offer"]
    offer = (run(a) + merge("UnitCost", f'\\# "0{lang.decimal}00"') + run(b) + note_ref + run(c)
             + merge("SalespersonName") + run(d))
    # Both letters use the salutation formulas and address lines (Templates/salutations.yaml,
    # countries.yaml): the country name in capitals for foreign addresses, none for our own country.
    # (Paragraph ids are numbered in call order: build the pieces in document order.)
    body = (correspondence_address(ids, lang) + date_line(ids, lang)
            + subject_line(ids, lang) + formal_salutation(ids, lang)
            + paragraph(ids, intro) + paragraph(ids, offer) + reference_table(ids, lang)
            + paragraph(ids, run(t["outro"]), Para(before=240)) + closing(ids, lang) + postscript(ids))
    a, b = t["footnote"]
    note_fmt = Fmt(style=lang.styles.footnote_reference)
    footnote = paragraph(ids, f"<w:r>{note_fmt.xml()}<w:footnoteRef/></w:r>" + run(" " + a)
                         + merge("CampaignNo") + run(b), Para(style=lang.styles.footnote_text))
    return Story(body=body,
                 headers={"even": ("header1.xml", short_header(ids, lang)),
                          "default": ("header2.xml", letterhead(ids, lang))},
                 footers={"even": ("footer1.xml", short_footer(ids, lang)),
                          "default": ("footer2.xml", full_footer(ids, lang))},
                 footnote=footnote, even_and_odd=True)


EVENT_TEXT = {
    EN: dict(
        banner="Events",
        invite=("It is our pleasure to invite you to ", ", an exclusive afternoon for our customers and partners."),
        programme=("Our specialists will show how companies like ",
                   " get more out of their customer relationships. The programme closes with drinks, "
                   "where you can meet colleagues from the ", " area."),
        fee=("Participation is free of charge for you: we cover the regular fee of EUR ",
             " per person. Please let ", " know whether you will attend, quoting the reference below."),
        outro="We would be delighted to welcome you.",
        box=("RSVP", "Your personal invitation", "Code: ", "Reply to: "),
    ),
    NL: dict(
        banner="Evenementen",
        invite=("Graag nodigen wij u uit voor ", ", een exclusieve middag voor onze klanten en partners."),
        programme=("Onze specialisten laten zien hoe bedrijven als ",
                   " meer uit hun klantrelaties halen. Het programma sluit af met een borrel, "
                   "waar u ook collega's uit de regio ", " ontmoet."),
        fee=("Deelname is voor u kosteloos: de reguliere bijdrage van EUR ",
             " per persoon nemen wij voor onze rekening. Laat u ", " weten of u komt? "
             "Vermeld daarbij het kenmerk hieronder."),
        outro="Wij hopen u te mogen verwelkomen.",
        box=("Aanmelden", "Uw persoonlijke uitnodiging", "Code: ", "Reageren bij: "),
    ),
}


def text_box(ids: Ids, lang: Language, lines: tuple) -> str:
    """An RSVP text box anchored at the right margin: wps:wsp for Word 2010+, VML fallback."""
    title, subtitle, code, reply = lines
    s = Para(style=lang.styles.no_spacing)

    def content() -> str:
        return ("<w:txbxContent>"
                + paragraph(ids, run(title, Fmt(bold=True, color=BRAND, size=24)), Para(style=lang.styles.no_spacing, after=60))
                + paragraph(ids, run(subtitle, Fmt(size=18)), s)
                + paragraph(ids, run(code, Fmt(size=18)) + merge("SegmentNo", fmt=Fmt(bold=True, size=18)) + run("-", Fmt(bold=True, size=18))
                            + merge("LineNo", fmt=Fmt(bold=True, size=18)), s)
                + paragraph(ids, run(reply, Fmt(size=18)) + merge("SalespersonName", fmt=Fmt(size=18)), s)
                + "</w:txbxContent>")

    cx, cy = 2160000, 828000  # 6 cm × 2.3 cm in EMU
    drawing = (
        '<w:drawing><wp:anchor distT="0" distB="0" distL="114300" distR="114300" simplePos="0"'
        ' relativeHeight="251659264" behindDoc="0" locked="0" layoutInCell="1" allowOverlap="1"'
        f' wp14:anchorId="{ids.hex_id("anchor", 0x7FFFFFFF)}" wp14:editId="{ids.hex_id("edit", 0x7FFFFFFF)}">'
        '<wp:simplePos x="0" y="0"/><wp:positionH relativeFrom="margin"><wp:align>right</wp:align></wp:positionH>'
        '<wp:positionV relativeFrom="paragraph"><wp:posOffset>0</wp:posOffset></wp:positionV>'
        f'<wp:extent cx="{cx}" cy="{cy}"/><wp:effectExtent l="0" t="0" r="19050" b="19050"/>'
        '<wp:wrapSquare wrapText="bothSides"/><wp:docPr id="1" name="Text Box 1"/>'
        '<wp:cNvGraphicFramePr/><a:graphic xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main">'
        '<a:graphicData uri="http://schemas.microsoft.com/office/word/2010/wordprocessingShape">'
        '<wps:wsp><wps:cNvSpPr txBox="1"/><wps:spPr>'
        f'<a:xfrm><a:off x="0" y="0"/><a:ext cx="{cx}" cy="{cy}"/></a:xfrm>'
        '<a:prstGeom prst="rect"><a:avLst/></a:prstGeom><a:solidFill><a:srgbClr val="F2F7FB"/></a:solidFill>'
        f'<a:ln w="9525"><a:solidFill><a:srgbClr val="{BRAND}"/></a:solidFill></a:ln></wps:spPr>'
        '<wps:style><a:lnRef idx="0"><a:scrgbClr r="0" g="0" b="0"/></a:lnRef><a:fillRef idx="0"><a:scrgbClr r="0" g="0" b="0"/></a:fillRef>'
        '<a:effectRef idx="0"><a:scrgbClr r="0" g="0" b="0"/></a:effectRef><a:fontRef idx="minor"><a:schemeClr val="dk1"/></a:fontRef></wps:style>'
        f"<wps:txbx>{content()}</wps:txbx>"
        '<wps:bodyPr rot="0" spcFirstLastPara="0" vertOverflow="overflow" horzOverflow="overflow" vert="horz"'
        ' wrap="square" lIns="91440" tIns="45720" rIns="91440" bIns="45720" numCol="1" spcCol="0" rtlCol="0"'
        ' fromWordArt="0" anchor="t" anchorCtr="0" forceAA="0" compatLnSpc="1"><a:prstTxWarp prst="textNoShape">'
        '<a:avLst/></a:prstTxWarp><a:noAutofit/></wps:bodyPr></wps:wsp></a:graphicData></a:graphic>'
        '<wp14:sizeRelH relativeFrom="margin"><wp14:pctWidth>0</wp14:pctWidth></wp14:sizeRelH>'
        '<wp14:sizeRelV relativeFrom="margin"><wp14:pctHeight>0</wp14:pctHeight></wp14:sizeRelV>'
        '</wp:anchor></w:drawing>')
    fallback = (
        '<w:pict><v:shapetype w14:anchorId="' + ids.hex_id("shapetype", 0x7FFFFFFF) + '" id="_x0000_t202"'
        ' coordsize="21600,21600" o:spt="202" path="m,l,21600r21600,l21600,xe"><v:stroke joinstyle="miter"/>'
        '<v:path gradientshapeok="t" o:connecttype="rect"/></v:shapetype>'
        '<v:shape id="Text Box 1" o:spid="_x0000_s1026" type="#_x0000_t202" style="position:absolute;'
        'margin-left:118.9pt;margin-top:0;width:170.1pt;height:65.2pt;z-index:251659264;visibility:visible;'
        'mso-wrap-style:square;mso-wrap-distance-left:9pt;mso-wrap-distance-top:0;mso-wrap-distance-right:9pt;'
        'mso-wrap-distance-bottom:0;mso-position-horizontal:right;mso-position-horizontal-relative:margin;'
        'mso-position-vertical:absolute;mso-position-vertical-relative:text;mso-width-relative:margin;'
        f'mso-height-relative:margin;v-text-anchor:top" fillcolor="#f2f7fb" strokecolor="#{BRAND.lower()}">'
        f"<v:textbox>{content()}</v:textbox>"
        '<w10:wrap type="square" anchorx="margin"/></v:shape></w:pict>')
    return ('<w:r><w:rPr><w:noProof/></w:rPr><mc:AlternateContent><mc:Choice Requires="wps">'
            f"{drawing}</mc:Choice><mc:Fallback>{fallback}</mc:Fallback></mc:AlternateContent></w:r>")


def event(ids: Ids, lang: Language) -> Story:
    t = EVENT_TEXT[lang]
    box = text_box(ids, lang, t["box"])
    a, b = t["invite"]
    # {{Description}} split over two runs, the second typed in a later editing session.
    invite = run(a) + run("{{Descrip") + run("tion}}", rsid=ids.rsids[4]) + run(b)
    a, b, c = t["programme"]
    programme = (run(a) + merge("CompanyName", "\\* MERGEFORMAT", result_fmt=Fmt(bold=True)) + run(b)
                 + merge("City") + run(c))
    a, b, c = t["fee"]
    fee = run(a) + merge("UnitCost", f'\\# "0{lang.decimal}00"') + run(b) + merge("SalespersonName") + run(c)
    body = (address_block(ids, lang, anchored=box) + date_line(ids, lang) + subject_line(ids, lang)
            + salutation(ids, lang) + paragraph(ids, invite) + paragraph(ids, programme) + paragraph(ids, fee)
            + reference_table(ids, lang) + paragraph(ids, run(t["outro"]), Para(before=240))
            + closing(ids, lang) + postscript(ids))
    return Story(body=body,
                 headers={"default": ("header1.xml", letterhead(ids, lang)),
                          "first": ("header2.xml", letterhead(ids, lang, banner=t["banner"]))},
                 footers={"default": ("footer1.xml", short_footer(ids, lang)),
                          "first": ("footer2.xml", full_footer(ids, lang))},
                 has_drawing=True, first_page=True)


# The Mail Merge wizard's letter: Insert Address Block and Insert Greeting Line, as Word writes them.

# Word stores the line ends of the \\f format as carriage returns (&#13; in the XML).
WIZARD_ADDRESS = ('<<_TITLE0_ >><<_FIRST0_>><< _MIDDLE0_>><< _LAST0_>><< _SUFFIX0_>>\r<<_COMPANY_\r>><<_STREET1_\r>>'
                  '<<_STREET2_\r>><<_CITY_>><<, _STATE_>><< _POSTAL_>><<\r_COUNTRY_>>')
WIZARD_TEXT = {
    EN: dict(address_switches='\\l 1033 \\c 2 \\e "United Kingdom" \\d', greeting='<<_BEFORE_ Dear >><<_TITLE0_ >><<_LAST0_>><<,_AFTER_ >>',
             greeting_switches='\\l 1033 \\e "Dear Sir or Madam,"',
             body=("Thank you for your interest in our relationship services. We would welcome the chance to show you "
                   "what we can do for your organisation, and will call you in the coming weeks to arrange a visit.",),
             closing="Kind regards,"),
    NL: dict(address_switches='\\l 1043 \\c 2 \\e "Nederland" \\d', greeting='<<_BEFORE_ Geachte >><<_TITLE0_ >><<_MIDDLE0_ >><<_LAST0_>><<,_AFTER_ >>',
             greeting_switches='\\l 1043 \\e "Geachte heer, mevrouw,"',
             body=("Hartelijk dank voor uw belangstelling voor onze relatiediensten. Graag laten wij u zien wat wij voor "
                   "uw organisatie kunnen doen; wij bellen u de komende weken om een bezoek af te spreken.",),
             closing="Met vriendelijke groet,"),
}


def wizard_field(keyword: str, fmt: str, switches: str) -> Raw:
    """`{ ADDRESSBLOCK \\f "…" … }` / `{ GREETINGLINE … }` with Word's cached «AddressBlock»-style result."""
    instruction = f' {keyword} \\f "{fmt}" {switches} '
    shown = "«AddressBlock»" if keyword == "ADDRESSBLOCK" else "«GreetingLine»"
    return Raw(field([Raw(f"<w:r>{text_element('instrText', instruction).replace(chr(13), '&#13;')}</w:r>")],
                     [Raw(run(shown, PLAIN.with_(no_proof=True)))]))


def wizard_letter(ids: Ids, lang: Language) -> Story:
    t = WIZARD_TEXT[lang]
    # The block's paragraph has no spacing, so its lines (paragraphs once merged) fit an envelope window.
    address = paragraph(ids, wizard_field("ADDRESSBLOCK", WIZARD_ADDRESS, t["address_switches"]),
                        Para(style=lang.styles.no_spacing))
    greeting = paragraph(ids, wizard_field("GREETINGLINE", t["greeting"], t["greeting_switches"]), Para(before=360))
    body = (address + date_line(ids, lang) + greeting
            + "".join(paragraph(ids, run(text)) for text in t["body"])
            + paragraph(ids, run(t["closing"]), Para(before=240)) + paragraph(ids, merge("SalespersonName")))
    return Story(body=body, headers={"default": ("header1.xml", letterhead(ids, lang))},
                 footers={"default": ("footer1.xml", full_footer(ids, lang))})


# --------------------------------------------------------------------------------------------
# Package parts other than the stories.


def labels(ids: Ids, lang: Language) -> Story:
    """A sheet of 3 × 7 address labels (63.5 × 38.1 mm on A4, like Avery L7160) as Word's
    Mailings > Labels dialog lays it out: a fixed table with a spacer column between labels,
    `{ NEXT }` («Next Record») at the start of every label but the first."""
    s = Para(style=lang.styles.no_spacing)
    next_record = ('<w:fldSimple w:instr=" NEXT "><w:r><w:rPr><w:noProof/></w:rPr>'
                   '<w:t>«Next Record»</w:t></w:r></w:fldSimple>')

    def label(first: bool) -> str:
        lines = (paragraph(ids, ("" if first else next_record) + merge("FullName"), s)
                 + paragraph(ids, merge("CompanyName"), s)
                 + paragraph(ids, merge("Address"), s)
                 + paragraph(ids, merge("PostCode", '\\f " "') + merge("City", "\\* Upper"), s)
                 + paragraph(ids, merge("CountryRegionCode"), Para(style=lang.styles.no_spacing)))
        return f'<w:tc><w:tcPr><w:tcW w:w="3600" w:type="dxa"/></w:tcPr>{lines}</w:tc>'

    spacer = ('<w:tc><w:tcPr><w:tcW w:w="144" w:type="dxa"/></w:tcPr>'
              + paragraph(ids, "", Para(style=lang.styles.no_spacing)) + "</w:tc>")
    rows = ""
    for row in range(7):
        cells = [label(row == 0 and column == 0) for column in range(3)]
        rows += ('<w:tr><w:trPr><w:cantSplit/><w:trHeight w:hRule="exact" w:val="2160"/></w:trPr>'
                 + cells[0] + spacer + cells[1] + spacer + cells[2] + "</w:tr>")
    table = ('<w:tbl><w:tblPr><w:tblW w:w="0" w:type="auto"/><w:tblLayout w:type="fixed"/>'
             '<w:tblCellMar><w:left w:w="15" w:type="dxa"/><w:right w:w="15" w:type="dxa"/></w:tblCellMar>'
             '<w:tblLook w:val="0000" w:firstRow="0" w:lastRow="0" w:firstColumn="0" w:lastColumn="0" w:noHBand="0" w:noVBand="0"/>'
             '</w:tblPr><w:tblGrid><w:gridCol w:w="3600"/><w:gridCol w:w="144"/><w:gridCol w:w="3600"/>'
             '<w:gridCol w:w="144"/><w:gridCol w:w="3600"/></w:tblGrid>' + rows + "</w:tbl>")
    body = table + paragraph(ids, "", Para(style=lang.styles.no_spacing))
    sect = ('<w:sectPr><w:pgSz w:w="11906" w:h="16838"/><w:pgMar w:top="856" w:right="403" w:bottom="0" w:left="403"'
            ' w:header="709" w:footer="709" w:gutter="0"/><w:cols w:space="708"/><w:docGrid w:linePitch="360"/></w:sectPr>')
    return Story(body=body, headers={}, footers={}, main_document_type="mailingLabels", section_xml=sect)


def styles_xml(lang: Language, with_notes: bool) -> str:
    s = lang.styles
    header_char, footer_char, note_char = f"{s.header}Char", f"{s.footer}Char", f"{s.footnote_text}Char"
    local = {"header": "Koptekst", "footer": "Voettekst", "note": "Voetnoottekst"} if lang is NL else \
        {"header": "Header", "footer": "Footer", "note": "Footnote Text"}
    tabs = '<w:tabs><w:tab w:val="center" w:pos="4535"/><w:tab w:val="right" w:pos="9070"/></w:tabs>'
    latent = "".join(
        f'<w:lsdException w:name="{name}" w:uiPriority="{prio}" w:qFormat="1"/>'
        for name, prio in (("Normal", 0), ("heading 1", 9), ("heading 2", 9), ("Title", 10), ("Subtitle", 11),
                           ("Strong", 22), ("Emphasis", 20), ("No Spacing", 1)))
    latent += ('<w:lsdException w:name="Table Grid" w:uiPriority="39"/>'
               '<w:lsdException w:name="footnote text" w:semiHidden="1" w:unhideWhenUsed="1"/>'
               '<w:lsdException w:name="header" w:semiHidden="1" w:unhideWhenUsed="1"/>'
               '<w:lsdException w:name="footer" w:semiHidden="1" w:unhideWhenUsed="1"/>'
               '<w:lsdException w:name="footnote reference" w:semiHidden="1" w:unhideWhenUsed="1"/>')
    notes = (
        f'<w:style w:type="paragraph" w:styleId="{s.footnote_text}"><w:name w:val="footnote text"/>'
        f'<w:basedOn w:val="{s.normal}"/><w:link w:val="{note_char}"/><w:uiPriority w:val="99"/><w:semiHidden/>'
        '<w:unhideWhenUsed/><w:pPr><w:spacing w:after="0" w:line="240" w:lineRule="auto"/></w:pPr>'
        '<w:rPr><w:sz w:val="16"/><w:szCs w:val="16"/></w:rPr></w:style>'
        f'<w:style w:type="character" w:customStyle="1" w:styleId="{note_char}"><w:name w:val="{local["note"]} Char"/>'
        f'<w:basedOn w:val="{s.default_font}"/><w:link w:val="{s.footnote_text}"/><w:uiPriority w:val="99"/>'
        '<w:semiHidden/><w:rPr><w:rFonts w:ascii="Arial" w:hAnsi="Arial"/><w:sz w:val="16"/><w:szCs w:val="16"/></w:rPr></w:style>'
        f'<w:style w:type="character" w:styleId="{s.footnote_reference}"><w:name w:val="footnote reference"/>'
        f'<w:basedOn w:val="{s.default_font}"/><w:uiPriority w:val="99"/><w:semiHidden/><w:unhideWhenUsed/>'
        '<w:rPr><w:vertAlign w:val="superscript"/></w:rPr></w:style>') if with_notes else ""
    return (XML_DECL + f"<w:styles {SHORT_NAMESPACES}>"
            '<w:docDefaults><w:rPrDefault><w:rPr><w:rFonts w:asciiTheme="minorHAnsi" w:eastAsiaTheme="minorHAnsi"'
            ' w:hAnsiTheme="minorHAnsi" w:cstheme="minorBidi"/><w:sz w:val="22"/><w:szCs w:val="22"/>'
            f'<w:lang w:val="{lang.tag}" w:eastAsia="en-US" w:bidi="ar-SA"/></w:rPr></w:rPrDefault>'
            '<w:pPrDefault><w:pPr><w:spacing w:after="160" w:line="259" w:lineRule="auto"/></w:pPr></w:pPrDefault>'
            '</w:docDefaults>'
            '<w:latentStyles w:defLockedState="0" w:defUIPriority="99" w:defSemiHidden="0" w:defUnhideWhenUsed="0"'
            f' w:defQFormat="0" w:count="376">{latent}</w:latentStyles>'
            f'<w:style w:type="paragraph" w:default="1" w:styleId="{s.normal}"><w:name w:val="Normal"/><w:qFormat/>'
            '<w:pPr><w:spacing w:after="120" w:line="264" w:lineRule="auto"/></w:pPr>'
            '<w:rPr><w:rFonts w:ascii="Arial" w:hAnsi="Arial" w:cs="Arial"/><w:sz w:val="20"/><w:szCs w:val="20"/></w:rPr></w:style>'
            f'<w:style w:type="character" w:default="1" w:styleId="{s.default_font}"><w:name w:val="Default Paragraph Font"/>'
            '<w:uiPriority w:val="1"/><w:semiHidden/><w:unhideWhenUsed/></w:style>'
            f'<w:style w:type="table" w:default="1" w:styleId="{s.normal_table}"><w:name w:val="Normal Table"/>'
            '<w:uiPriority w:val="99"/><w:semiHidden/><w:unhideWhenUsed/><w:tblPr><w:tblInd w:w="0" w:type="dxa"/>'
            '<w:tblCellMar><w:top w:w="0" w:type="dxa"/><w:left w:w="108" w:type="dxa"/><w:bottom w:w="0" w:type="dxa"/>'
            '<w:right w:w="108" w:type="dxa"/></w:tblCellMar></w:tblPr></w:style>'
            f'<w:style w:type="numbering" w:default="1" w:styleId="{s.no_list}"><w:name w:val="No List"/>'
            '<w:uiPriority w:val="99"/><w:semiHidden/><w:unhideWhenUsed/></w:style>'
            f'<w:style w:type="paragraph" w:styleId="{s.no_spacing}"><w:name w:val="No Spacing"/><w:uiPriority w:val="1"/>'
            '<w:qFormat/><w:pPr><w:spacing w:after="0" w:line="240" w:lineRule="auto"/></w:pPr>'
            '<w:rPr><w:rFonts w:ascii="Arial" w:hAnsi="Arial" w:cs="Arial"/><w:sz w:val="20"/><w:szCs w:val="20"/></w:rPr></w:style>'
            f'<w:style w:type="paragraph" w:styleId="{s.header}"><w:name w:val="header"/><w:basedOn w:val="{s.normal}"/>'
            f'<w:link w:val="{header_char}"/><w:uiPriority w:val="99"/><w:unhideWhenUsed/>'
            f'<w:pPr>{tabs}<w:spacing w:after="0" w:line="240" w:lineRule="auto"/></w:pPr></w:style>'
            f'<w:style w:type="character" w:customStyle="1" w:styleId="{header_char}"><w:name w:val="{local["header"]} Char"/>'
            f'<w:basedOn w:val="{s.default_font}"/><w:link w:val="{s.header}"/><w:uiPriority w:val="99"/>'
            '<w:rPr><w:rFonts w:ascii="Arial" w:hAnsi="Arial"/><w:sz w:val="20"/></w:rPr></w:style>'
            f'<w:style w:type="paragraph" w:styleId="{s.footer}"><w:name w:val="footer"/><w:basedOn w:val="{s.normal}"/>'
            f'<w:link w:val="{footer_char}"/><w:uiPriority w:val="99"/><w:unhideWhenUsed/>'
            f'<w:pPr>{tabs}<w:spacing w:after="0" w:line="240" w:lineRule="auto"/></w:pPr></w:style>'
            f'<w:style w:type="character" w:customStyle="1" w:styleId="{footer_char}"><w:name w:val="{local["footer"]} Char"/>'
            f'<w:basedOn w:val="{s.default_font}"/><w:link w:val="{s.footer}"/><w:uiPriority w:val="99"/>'
            '<w:rPr><w:rFonts w:ascii="Arial" w:hAnsi="Arial"/><w:sz w:val="20"/></w:rPr></w:style>'
            f'<w:style w:type="table" w:styleId="{s.table_grid}"><w:name w:val="Table Grid"/>'
            f'<w:basedOn w:val="{s.normal_table}"/><w:uiPriority w:val="39"/>'
            '<w:pPr><w:spacing w:after="0" w:line="240" w:lineRule="auto"/></w:pPr><w:tblPr>'
            '<w:tblBorders><w:top w:val="single" w:sz="4" w:space="0" w:color="auto"/>'
            '<w:left w:val="single" w:sz="4" w:space="0" w:color="auto"/><w:bottom w:val="single" w:sz="4" w:space="0" w:color="auto"/>'
            '<w:right w:val="single" w:sz="4" w:space="0" w:color="auto"/><w:insideH w:val="single" w:sz="4" w:space="0" w:color="auto"/>'
            '<w:insideV w:val="single" w:sz="4" w:space="0" w:color="auto"/></w:tblBorders>'
            '<w:tblCellMar><w:top w:w="57" w:type="dxa"/><w:left w:w="108" w:type="dxa"/><w:bottom w:w="57" w:type="dxa"/>'
            '<w:right w:w="108" w:type="dxa"/></w:tblCellMar></w:tblPr></w:style>'
            f"{notes}</w:styles>")


def theme_xml() -> str:
    """The Office 2013+ theme, colours and fonts only (Word always writes a theme part)."""
    colours = (("dk2", "44546A"), ("lt2", "E7E6E6"), ("accent1", "4472C4"), ("accent2", "ED7D31"),
               ("accent3", "A5A5A5"), ("accent4", "FFC000"), ("accent5", "5B9BD5"), ("accent6", "70AD47"),
               ("hlink", "0563C1"), ("folHlink", "954F72"))
    scheme = ('<a:dk1><a:sysClr val="windowText" lastClr="000000"/></a:dk1>'
              '<a:lt1><a:sysClr val="window" lastClr="FFFFFF"/></a:lt1>'
              + "".join(f'<a:{n}><a:srgbClr val="{v}"/></a:{n}>' for n, v in colours))
    line = ''.join(f'<a:ln w="{w}" cap="flat" cmpd="sng" algn="ctr"><a:solidFill><a:schemeClr val="phClr"/>'
                   '</a:solidFill><a:prstDash val="solid"/><a:miter lim="800000"/></a:ln>' for w in (6350, 12700, 19050))
    fills = ('<a:solidFill><a:schemeClr val="phClr"/></a:solidFill>'
             '<a:solidFill><a:schemeClr val="phClr"><a:tint val="67000"/></a:schemeClr></a:solidFill>'
             '<a:solidFill><a:schemeClr val="phClr"><a:shade val="94000"/></a:schemeClr></a:solidFill>')
    return (XML_DECL + '<a:theme xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" name="Office Theme">'
            f'<a:themeElements><a:clrScheme name="Office">{scheme}</a:clrScheme>'
            '<a:fontScheme name="Office"><a:majorFont><a:latin typeface="Calibri Light" panose="020F0302020204030204"/>'
            '<a:ea typeface=""/><a:cs typeface=""/></a:majorFont><a:minorFont><a:latin typeface="Calibri"'
            ' panose="020F0502020204030204"/><a:ea typeface=""/><a:cs typeface=""/></a:minorFont></a:fontScheme>'
            f'<a:fmtScheme name="Office"><a:fillStyleLst>{fills}</a:fillStyleLst><a:lnStyleLst>{line}</a:lnStyleLst>'
            '<a:effectStyleLst>' + "<a:effectStyle><a:effectLst/></a:effectStyle>" * 3 + '</a:effectStyleLst>'
            f'<a:bgFillStyleLst>{fills}</a:bgFillStyleLst></a:fmtScheme></a:themeElements>'
            '<a:objectDefaults/><a:extraClrSchemeLst/></a:theme>')


def font_table_xml() -> str:
    fonts = (("Arial", "020B0604020202020204", "swiss", "E0002EFF", "C000785B", "00000009", "000001FF"),
             ("Times New Roman", "02020603050405020304", "roman", "E0002EFF", "C000785B", "00000009", "000001FF"),
             ("Calibri", "020F0502020204030204", "swiss", "E4002EFF", "C000247B", "00000009", "000001FF"),
             ("Calibri Light", "020F0302020204030204", "swiss", "E4002AFF", "C000247B", "00000001", "0000019F"))
    body = "".join(f'<w:font w:name="{n}"><w:panose1 w:val="{p}"/><w:charset w:val="00"/><w:family w:val="{f}"/>'
                   f'<w:pitch w:val="variable"/><w:sig w:usb0="{u0}" w:usb1="{u1}" w:usb2="{u2}" w:usb3="00000000"'
                   f' w:csb0="{c0}" w:csb1="00000000"/></w:font>' for n, p, f, u0, u1, u2, c0 in fonts)
    return XML_DECL + f"<w:fonts {SHORT_NAMESPACES}>{body}</w:fonts>"


DATA_PATH = "C:\\Users\\marketing\\Documents\\Cronus\\contacts.csv"
DATA_SOURCE = f"file:///{DATA_PATH}"


def settings_xml(ids: Ids, lang: Language, story: Story) -> str:
    notes = ('<w:footnotePr><w:footnote w:id="-1"/><w:footnote w:id="0"/></w:footnotePr>'
             '<w:endnotePr><w:endnote w:id="-1"/><w:endnote w:id="0"/></w:endnotePr>') if story.footnote else ""
    shapes = ('<w:shapeDefaults><o:shapedefaults v:ext="edit" spidmax="2049"/><o:shapelayout v:ext="edit">'
              '<o:idmap v:ext="edit" data="1"/></o:shapelayout></w:shapeDefaults>') if story.has_drawing else ""
    rsids = "".join(f'<w:rsid w:val="{r}"/>' for r in sorted(ids.rsids))
    return (XML_DECL + '<w:settings xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"'
            ' xmlns:o="urn:schemas-microsoft-com:office:office"'
            ' xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
            ' xmlns:m="http://schemas.openxmlformats.org/officeDocument/2006/math" xmlns:v="urn:schemas-microsoft-com:vml"'
            ' xmlns:w10="urn:schemas-microsoft-com:office:word"'
            ' xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
            ' xmlns:w14="http://schemas.microsoft.com/office/word/2010/wordml"'
            ' xmlns:w15="http://schemas.microsoft.com/office/word/2012/wordml"'
            ' xmlns:w16cid="http://schemas.microsoft.com/office/word/2016/wordml/cid"'
            ' xmlns:w16se="http://schemas.microsoft.com/office/word/2015/wordml/symex"'
            ' xmlns:sl="http://schemas.openxmlformats.org/schemaLibrary/2006/main" mc:Ignorable="w14 w15 w16se w16cid">'
            '<w:zoom w:percent="100"/>'
            f'<w:mailMerge><w:mainDocumentType w:val="{story.main_document_type}"/><w:linkToQuery/><w:dataType w:val="textFile"/>'
            '<w:connectString w:val=""/>'
            f'<w:query w:val="SELECT * FROM {DATA_PATH}"/><w:dataSource r:id="rId1"/>'
            '<w:viewMergedData/><w:odso><w:src r:id="rId2"/><w:colDelim w:val="44"/><w:fHdr/></w:odso></w:mailMerge>'
            '<w:defaultTabStop w:val="709"/><w:hyphenationZone w:val="425"/>'
            + ("<w:evenAndOddHeaders/>" if story.even_and_odd else "")
            + '<w:characterSpacingControl w:val="doNotCompress"/>' + notes
            + '<w:compat><w:compatSetting w:name="compatibilityMode" w:uri="http://schemas.microsoft.com/office/word" w:val="15"/>'
            '<w:compatSetting w:name="overrideTableStyleFontSizeAndJustification" w:uri="http://schemas.microsoft.com/office/word" w:val="1"/>'
            '<w:compatSetting w:name="enableOpenTypeFeatures" w:uri="http://schemas.microsoft.com/office/word" w:val="1"/>'
            '<w:compatSetting w:name="doNotFlipMirrorIndents" w:uri="http://schemas.microsoft.com/office/word" w:val="1"/>'
            '<w:compatSetting w:name="differentiateMultirowTableHeaders" w:uri="http://schemas.microsoft.com/office/word" w:val="1"/>'
            '<w:compatSetting w:name="useWord2013TrackBottomHyphenation" w:uri="http://schemas.microsoft.com/office/word" w:val="0"/>'
            f'</w:compat><w:rsids><w:rsidRoot w:val="{ids.rsids[0]}"/>{rsids}</w:rsids>'
            '<m:mathPr><m:mathFont m:val="Cambria Math"/><m:brkBin m:val="before"/><m:brkBinSub m:val="--"/>'
            '<m:smallFrac m:val="0"/><m:dispDef/><m:lMargin m:val="0"/><m:rMargin m:val="0"/><m:defJc m:val="centerGroup"/>'
            '<m:wrapIndent m:val="1440"/><m:intLim m:val="subSup"/><m:naryLim m:val="undOvr"/></m:mathPr>'
            f'<w:themeFontLang w:val="{lang.tag}"/>'
            '<w:clrSchemeMapping w:bg1="light1" w:t1="dark1" w:bg2="light2" w:t2="dark2" w:accent1="accent1"'
            ' w:accent2="accent2" w:accent3="accent3" w:accent4="accent4" w:accent5="accent5" w:accent6="accent6"'
            ' w:hyperlink="hyperlink" w:followedHyperlink="followedHyperlink"/>' + shapes
            + f'<w:decimalSymbol w:val="{lang.decimal}"/><w:listSeparator w:val="{lang.list_separator}"/>'
            f'<w14:docId w14:val="{ids.hex_id("docId", 0x7FFFFFFF)}"/><w15:chartTrackingRefBased/>'
            f'<w15:docId w15:val="{{{ids.guid()}}}"/>'
            "</w:settings>")


def relationships(rels: list) -> str:
    body = "".join(f'<Relationship Id="{rid}" Type="{kind}" Target="{target}"{extra}/>' for rid, kind, target, extra in rels)
    return (XML_DECL + '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            f"{body}</Relationships>")


def notes_xml(kind: str, ids: Ids, extra: str = "") -> str:
    """footnotes.xml / endnotes.xml with Word's two separator notes, then `extra` notes."""
    def note(note_type: str, note_id: int, mark: str) -> str:
        para = paragraph(ids, f"<w:r><w:{mark}/></w:r>", Para(after=0, single_line=True))
        return f'<w:{kind} w:type="{note_type}" w:id="{note_id}">{para}</w:{kind}>'

    return (XML_DECL + f"<w:{kind}s {STORY_NAMESPACES}>" + note("separator", -1, "separator")
            + note("continuationSeparator", 0, "continuationSeparator") + extra + f"</w:{kind}s>")


def app_xml(words: int, characters: int) -> str:
    return (XML_DECL + '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"'
            ' xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">'
            f"<Template>Normal.dotm</Template><TotalTime>42</TotalTime><Pages>1</Pages><Words>{words}</Words>"
            f"<Characters>{characters}</Characters><Application>Microsoft Office Word</Application>"
            f"<DocSecurity>0</DocSecurity><Lines>{max(1, characters // 70)}</Lines><Paragraphs>{max(1, words // 12)}</Paragraphs>"
            "<ScaleCrop>false</ScaleCrop><Company>Cronus Relationship Services</Company>"
            f"<LinksUpToDate>false</LinksUpToDate><CharactersWithSpaces>{characters + words}</CharactersWithSpaces>"
            "<SharedDoc>false</SharedDoc><HyperlinksChanged>false</HyperlinksChanged><AppVersion>16.0000</AppVersion>"
            "</Properties>")


def core_xml(title: str, lang: Language) -> str:
    return (XML_DECL + '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties"'
            ' xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/"'
            ' xmlns:dcmitype="http://purl.org/dc/dcmitype/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
            f"<dc:title>{escape(title)}</dc:title><dc:subject></dc:subject><dc:creator>Cronus Marketing</dc:creator>"
            "<cp:keywords>mail merge; interaction template</cp:keywords><dc:description></dc:description>"
            f"<cp:lastModifiedBy>Cronus Marketing</cp:lastModifiedBy><cp:revision>7</cp:revision>"
            '<dcterms:created xsi:type="dcterms:W3CDTF">2026-11-02T09:12:00Z</dcterms:created>'
            '<dcterms:modified xsi:type="dcterms:W3CDTF">2026-11-16T14:37:00Z</dcterms:modified>'
            f"<dc:language>{lang.tag}</dc:language></cp:coreProperties>")


WEB_SETTINGS = (XML_DECL + f"<w:webSettings {SHORT_NAMESPACES}><w:optimizeForBrowser/><w:allowPNG/>"
                "</w:webSettings>")


def visible_text(xml: str) -> str:
    """The w:t text of a story (for the word counts in docProps/app.xml)."""
    return " ".join(re.findall(r"<w:t(?: [^>]*)?>([^<]*)</w:t>", xml))


# --------------------------------------------------------------------------------------------
# Packaging.


def package(story: Story, ids: Ids, lang: Language, title: str) -> list:
    """The (entry name, text) list in the order Word writes a package."""
    header_footer = [("header", kind, name, xml) for kind, (name, xml) in story.headers.items()]
    header_footer += [("footer", kind, name, xml) for kind, (name, xml) in story.footers.items()]
    rels, overrides, refs = [], [], {"header": {}, "footer": {}}
    rid = 1

    def add(kind: str, target: str) -> str:
        nonlocal rid
        rels.append((f"rId{rid}", f"{REL}/{kind}", target, ""))
        rid += 1
        return f"rId{rid - 1}"

    add("styles", "styles.xml")
    add("settings", "settings.xml")
    add("webSettings", "webSettings.xml")
    if story.footnote:
        add("footnotes", "footnotes.xml")
        add("endnotes", "endnotes.xml")
    for part, kind, name, _ in sorted(header_footer, key=lambda item: item[2]):
        refs[part][kind] = add(part, name)
    add("fontTable", "fontTable.xml")
    add("theme", "theme/theme1.xml")

    document = (XML_DECL + f"<w:document {STORY_NAMESPACES}><w:body>{story.body}"
                f"{story.section_xml or section(refs['header'], refs['footer'], story.first_page)}</w:body></w:document>")
    words = visible_text(story.body).split()
    entries = [("word/document.xml", document), ("word/_rels/document.xml.rels", relationships(rels))]
    overrides.append(("/word/document.xml", f"{CT}.document.main+xml"))
    if story.footnote:
        footnote = f'<w:footnote w:id="1">{story.footnote}</w:footnote>'
        entries += [("word/footnotes.xml", notes_xml("footnote", ids, footnote)),
                    ("word/endnotes.xml", notes_xml("endnote", ids))]
        overrides += [("/word/footnotes.xml", f"{CT}.footnotes+xml"), ("/word/endnotes.xml", f"{CT}.endnotes+xml")]
    for part, _, name, xml in sorted(header_footer, key=lambda item: item[2]):
        tag = "hdr" if part == "header" else "ftr"
        entries.append((f"word/{name}", XML_DECL + f"<w:{tag} {STORY_NAMESPACES}>{xml}</w:{tag}>"))
        overrides.append((f"/word/{name}", f"{CT}.{part}+xml"))
    data_source = ("", f"{REL}/mailMergeSource", DATA_SOURCE, ' TargetMode="External"')
    entries += [
        ("word/theme/theme1.xml", theme_xml()),
        ("word/settings.xml", settings_xml(ids, lang, story)),
        ("word/_rels/settings.xml.rels", relationships([("rId2", *data_source[1:]), ("rId1", *data_source[1:])])),
        ("word/styles.xml", styles_xml(lang, bool(story.footnote))),
        ("word/webSettings.xml", WEB_SETTINGS),
        ("docProps/core.xml", core_xml(title, lang)),
        ("word/fontTable.xml", font_table_xml()),
        ("docProps/app.xml", app_xml(len(words), sum(len(w) for w in words))),
    ]
    overrides += [("/word/theme/theme1.xml", "application/vnd.openxmlformats-officedocument.theme+xml"),
                  ("/word/settings.xml", f"{CT}.settings+xml"), ("/word/styles.xml", f"{CT}.styles+xml"),
                  ("/word/webSettings.xml", f"{CT}.webSettings+xml"),
                  ("/docProps/core.xml", "application/vnd.openxmlformats-package.core-properties+xml"),
                  ("/word/fontTable.xml", f"{CT}.fontTable+xml"),
                  ("/docProps/app.xml", "application/vnd.openxmlformats-officedocument.extended-properties+xml")]
    content_types = (XML_DECL + '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                     '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
                     '<Default Extension="xml" ContentType="application/xml"/>'
                     + "".join(f'<Override PartName="{p}" ContentType="{c}"/>' for p, c in overrides) + "</Types>")
    root_rels = relationships([
        ("rId3", "http://schemas.openxmlformats.org/officeDocument/2006/relationships/extended-properties", "docProps/app.xml", ""),
        ("rId2", "http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties", "docProps/core.xml", ""),
        ("rId1", f"{REL}/officeDocument", "word/document.xml", "")])
    return [("[Content_Types].xml", content_types), ("_rels/.rels", root_rels)] + entries


def write_docx(path: Path, entries: list) -> None:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as archive:
        for name, text in entries:
            info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, text.encode("utf-8"))


LETTERS = (
    ("DirectMail_EN.docx", direct_mail, EN, "Direct mail – product letter"),
    ("DirectMail_NL.docx", direct_mail, NL, "Direct mail – productbrief"),
    ("Event_EN.docx", event, EN, "Event invitation"),
    ("Event_NL.docx", event, NL, "Uitnodiging evenement"),
    ("Wizard_EN.docx", wizard_letter, EN, "Mail Merge wizard letter"),
    ("Wizard_NL.docx", wizard_letter, NL, "Brief van de wizard Afdruk samenvoegen"),
    ("Labels_EN.docx", labels, EN, "Address labels (3 × 7)"),
)


def main(argv: list) -> int:
    out_dir = Path(argv[1]) if len(argv) > 1 else Path(__file__).resolve().parent.parent / "Templates"
    out_dir.mkdir(parents=True, exist_ok=True)
    for file_name, build, lang, title in LETTERS:
        ids = Ids(file_name)
        story = build(ids, lang)
        write_docx(out_dir / file_name, package(story, ids, lang, title))
        print(f"wrote {out_dir / file_name}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
