#!/usr/bin/env python3
"""The peers on the regions benchmark: one statement per contact with its invoice rows.

  peers.py TOOL DIR OUT [LIMIT]     TOOL: docx-mailmerge (merge_rows) | docxtpl ({%tr for %} loop)

Reads DIR/contacts.csv and DIR/invoices.csv (grouped by ContactNo, streamed in step as both are
in contact order), writes OUT/<ContactNo>.docx, prints "documents seconds" (time for the loop only,
templates loaded once where the tool allows it). PEER_CLOCK=process: CPU seconds of the loop
(time.process_time) instead of wall seconds, for a loaded machine (bench/regions/cpu).
"""
import csv
import itertools
import os
import sys
import time


def statements(data, limit):
    with open(os.path.join(data, "contacts.csv"), newline="") as c, open(os.path.join(data, "invoices.csv"), newline="") as i:
        invoices = itertools.groupby(csv.DictReader(i), key=lambda r: r["ContactNo"])
        pending = next(invoices, None)
        for n, contact in enumerate(csv.DictReader(c)):
            if n >= limit:
                return
            rows = []
            while pending is not None and pending[0] == contact["ContactNo"]:
                rows = list(pending[1])
                pending = next(invoices, None)
            yield contact, rows


def main():
    tool, data, out = sys.argv[1], sys.argv[2], sys.argv[3]
    limit = int(sys.argv[4]) if len(sys.argv) > 4 else 1 << 62
    os.makedirs(out, exist_ok=True)
    clock = time.process_time if os.environ.get("PEER_CLOCK") == "process" else time.perf_counter
    started = clock()
    count = 0
    if tool == "docx-mailmerge":
        from mailmerge import MailMerge

        template = os.path.join(data, "statement_mergefield.docx")
        for contact, rows in statements(data, limit):
            with MailMerge(template) as document:
                document.merge(FullName=contact["FullName"], Address=contact["Address"], City=contact["City"])
                document.merge_rows("InvoiceNo", rows)
                document.write(os.path.join(out, contact["ContactNo"] + ".docx"))
            count += 1
    elif tool == "docxtpl":
        from docxtpl import DocxTemplate

        template = os.path.join(data, "statement_jinja.docx")
        for contact, rows in statements(data, limit):
            document = DocxTemplate(template)
            document.render(dict(contact, invoices=rows))
            document.save(os.path.join(out, contact["ContactNo"] + ".docx"))
            count += 1
    else:
        sys.exit(f"unknown tool {tool}")
    print(count, f"{clock() - started:.3f}")


if __name__ == "__main__":
    main()
