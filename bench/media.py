#!/usr/bin/env python3
"""Pictures and barcodes benchmark: N letters with a photo (INCLUDEPICTURE with a nested MERGEFIELD),
a QR code (DISPLAYBARCODE) and a KIX code (MERGEBARCODE), against the same letter with the three
values as plain MERGEFIELDs, on one core (--jobs 1).

usage: bench/media.py [--records N] [--photos K] [--mailmerge PATH]   (default 2000 records, 20 photos,
.build/release/mailmerge). Prints documents per second for both letters and the cost per picture field.
"""
import argparse, os, shutil, struct, subprocess, sys, tempfile, time, zipfile, zlib

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def png(width, height, rgb):
    raw = b"".join(b"\x00" + bytes(rgb) * width for _ in range(height))
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


def field(instruction, result="x"):
    return ('<w:r><w:fldChar w:fldCharType="begin"/></w:r>' + instruction
            + '<w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>' + result + '</w:t></w:r>'
            + '<w:r><w:fldChar w:fldCharType="end"/></w:r>')


def instr(text):
    return '<w:r><w:instrText xml:space="preserve">' + text + '</w:instrText></w:r>'


def merge(name):
    return field(instr(" MERGEFIELD %s " % name), "«%s»" % name)


def template(path, paragraphs):
    body = "".join("<w:p>%s</w:p>" % p for p in paragraphs)
    body += '<w:p><w:r><w:t>%s</w:t></w:r></w:p>' % ("Lorem ipsum dolor sit amet. " * 40)
    document = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n<w:document xmlns:w="%s"><w:body>%s'
                '<w:sectPr><w:pgSz w:w="11906" w:h="16838"/><w:pgMar w:left="1417" w:right="1417"/></w:sectPr></w:body></w:document>') % (W, body)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml",
                   '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                   '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
                   '<Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" '
                   'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>')
        z.writestr("_rels/.rels",
                   '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                   '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>')
        z.writestr("word/document.xml", document)


def run(binary, args):
    started = time.perf_counter()
    result = subprocess.run([binary] + args + ["--jobs", "1", "--quiet"], capture_output=True, text=True, timeout=3600)
    elapsed = time.perf_counter() - started
    if result.returncode != 0:
        sys.exit("mailmerge failed: " + result.stderr)
    return elapsed


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--records", type=int, default=2000)
    parser.add_argument("--photos", type=int, default=20)
    parser.add_argument("--mailmerge", default=os.path.join(os.path.dirname(__file__), "..", ".build", "release", "mailmerge"))
    options = parser.parse_args()
    work = tempfile.mkdtemp(prefix="mailmerge-media-bench-")
    try:
        os.mkdir(os.path.join(work, "images"))
        for i in range(options.photos):  # 300 × 400 photos, ~ a passport photo at 96 dpi
            with open(os.path.join(work, "images", "p%03d.png" % i), "wb") as f:
                f.write(png(300, 400, (i * 12 % 256, 80, 160)))
        with open(os.path.join(work, "data.csv"), "w") as f:
            f.write("Name,Photo,Url,PostCode\n")
            for n in range(options.records):
                f.write("Contact %d,p%03d.png,https://example.com/c/%06d,%04dAB%d\n" % (n, n % options.photos, n, 1000 + n % 9000, n % 90 + 1))
        name = "<w:r><w:t xml:space=\"preserve\">Dear </w:t></w:r>" + merge("Name")
        template(os.path.join(work, "media.docx"), [
            name,
            field(instr(' INCLUDEPICTURE "') + merge("Photo") + instr('" \\d ')),
            field(instr(' DISPLAYBARCODE "') + merge("Url") + instr('" QR \\q 1 ')),
            '<w:fldSimple w:instr=" MERGEBARCODE PostCode KIX "><w:r><w:t>KIX</w:t></w:r></w:fldSimple>',
        ])
        template(os.path.join(work, "text.docx"), [name, merge("Photo"), merge("Url"), merge("PostCode")])
        data = os.path.join(work, "data.csv")
        text = run(options.mailmerge, ["merge", os.path.join(work, "text.docx"), data, "--out", os.path.join(work, "out-text")])
        media = run(options.mailmerge, ["merge", os.path.join(work, "media.docx"), data, "--out", os.path.join(work, "out-media"),
                                        "--images", os.path.join(work, "images")])
        n = options.records
        print("records: %d, one core (--jobs 1)" % n)
        print("text letter (3 values as text):           %7.1f documents/s (%.2f s)" % (n / text, text))
        print("media letter (photo + QR + KIX pictures): %7.1f documents/s (%.2f s)" % (n / media, media))
        print("cost of the three pictures: %.2f ms per document" % ((media - text) / n * 1000))
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
