#!/usr/bin/env python3
"""Builds the regions benchmark's data and templates (deterministic).

  build.py DIR N ROWS

DIR/contacts.csv  N contacts (ContactNo, FullName, Address, City)
DIR/invoices.csv  ROWS invoices per contact (InvoiceNo, ContactNo, Description, Amount), in contact order
DIR/statement_mergefield.docx  a statement: name and address, an invoice table whose row holds
    MERGEFIELDs of the invoice columns (Word complex fields, no region markers: ours repeats the
    row because it holds a child table's field; docx-mailmerge's merge_rows takes the same template)
DIR/statement_jinja.docx  the same statement for docxtpl: {%tr for i in invoices %} row loop
"""
import csv
import os
import sys
import zipfile

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def field(name):
    return (
        '<w:r><w:fldChar w:fldCharType="begin"/></w:r>'
        f'<w:r><w:instrText xml:space="preserve"> MERGEFIELD {name} \\* MERGEFORMAT </w:instrText></w:r>'
        '<w:r><w:fldChar w:fldCharType="separate"/></w:r>'
        f'<w:r><w:t>«{name}»</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r>'
    )


def text(t):
    return f'<w:r><w:t xml:space="preserve">{t}</w:t></w:r>'


def cell(content, width=2400):
    return f'<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/></w:tcPr><w:p>{content}</w:p></w:tc>'


def row(cells, header=False):
    props = "<w:trPr><w:tblHeader/></w:trPr>" if header else ""
    return "<w:tr>" + props + "".join(cell(c) for c in cells) + "</w:tr>"


def document(name, address, city, rows, total):
    body = (
        f"<w:p>{text('Statement for ')}{name}</w:p><w:p>{address}</w:p><w:p>{city}</w:p>"
        f"<w:p>{text('Your open invoices:')}</w:p>"
        '<w:tbl><w:tblPr><w:tblW w:w="7200" w:type="dxa"/></w:tblPr>'
        '<w:tblGrid><w:gridCol w:w="2400"/><w:gridCol w:w="2400"/><w:gridCol w:w="2400"/></w:tblGrid>'
        + row([text("Invoice"), text("Description"), text("Amount")], header=True)
        + rows
        + "</w:tbl>"
        + f"<w:p>{total}</w:p><w:p>{text('Kind regards,')}</w:p>"
        '<w:sectPr><w:pgSz w:w="11906" w:h="16838"/><w:pgMar w:top="1440" w:right="1440" w:bottom="1440" w:left="1440"'
        ' w:header="708" w:footer="708" w:gutter="0"/></w:sectPr>'
    )
    return f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n<w:document xmlns:w="{W}"><w:body>{body}</w:body></w:document>'


def package(path, document_xml):
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n'
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
            "</Types>",
        )
        z.writestr(
            "_rels/.rels",
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>'
            "</Relationships>",
        )
        z.writestr("word/document.xml", document_xml)


def main():
    out, n, per = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    os.makedirs(out, exist_ok=True)
    with open(os.path.join(out, "contacts.csv"), "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["ContactNo", "FullName", "Address", "City"])
        for i in range(1, n + 1):
            w.writerow([f"CT{i:07d}", f"Contact {i}", f"{i} Main Street", "Amsterdam"])
    with open(os.path.join(out, "invoices.csv"), "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["InvoiceNo", "ContactNo", "Description", "Amount"])
        for i in range(1, n + 1):
            for j in range(1, per + 1):
                w.writerow([f"INV{i:07d}-{j:02d}", f"CT{i:07d}", f"Service {j} & support", f"{(i * 7 + j * 13) % 1000}.{j:02d}"])
    merge_rows = row([field("InvoiceNo"), field("Description"), field("Amount")])
    package(
        os.path.join(out, "statement_mergefield.docx"),
        document(field("FullName"), field("Address"), field("City"), merge_rows, text("Thank you.")),
    )
    jinja_rows = (
        row([text("{%tr for i in invoices %}")])
        + row([text("{{ i.InvoiceNo }}"), text("{{ i.Description }}"), text("{{ i.Amount }}")])
        + row([text("{%tr endfor %}")])
    )
    package(
        os.path.join(out, "statement_jinja.docx"),
        document(text("{{ FullName }}"), text("{{ Address }}"), text("{{ City }}"), jinja_rows, text("Thank you.")),
    )


if __name__ == "__main__":
    main()
