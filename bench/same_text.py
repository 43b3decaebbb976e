#!/usr/bin/env python3
"""Check that two .docx letters carry the same text, part by part and paragraph by paragraph.

    bench/same_text.py A.docx B.docx

Reads the body, headers and footers (word/document.xml, word/header*.xml, word/footer*.xml)
with the standard library only: a paragraph's text is its <w:t> runs joined, <w:tab/> as a
tab. Exits 0 and prints a one-line summary when both are equal; exits 1 naming the first
differing paragraph otherwise. Letters with leftover merge fields (a MERGEFIELD field code
or a «…» placeholder) also fail: equal-but-unmerged is not a pass.
"""
import html
import re
import sys
import zipfile

STORY = re.compile(r"word/(document|header\d*|footer\d*)\.xml$")
PARAGRAPH = re.compile(r"<w:p[ >].*?</w:p>|<w:p/>", re.S)
PIECE = re.compile(r"<w:t(?:\s[^>]*)?>(.*?)</w:t>|<w:t\s*/>|<w:tab/>", re.S)
LEFTOVER = re.compile(r"MERGEFIELD|«[^»]*»")


def story_text(path):
    """{part name: [paragraph text, ...]} for the letter's story parts."""
    with zipfile.ZipFile(path) as archive:
        parts = {}
        for name in sorted(n for n in archive.namelist() if STORY.match(n)):
            xml = archive.read(name).decode("utf-8")
            parts[name] = ["".join(html.unescape(m.group(1)) if m.group(1) is not None else ("\t" if "tab" in m.group(0) else "")
                                   for m in PIECE.finditer(p))
                           for p in PARAGRAPH.findall(xml)]
        return parts


def main(argv):
    if len(argv) != 3:
        sys.exit("usage: bench/same_text.py A.docx B.docx")
    a, b = story_text(argv[1]), story_text(argv[2])
    if sorted(a) != sorted(b):
        sys.exit(f"different parts: {argv[1]}: {sorted(a)}; {argv[2]}: {sorted(b)}")
    for name in a:
        for number, (left, right) in enumerate(zip(a[name], b[name]), start=1):
            if left != right:
                sys.exit(f"{name} paragraph {number} differs: {left!r} vs {right!r}")
            if LEFTOVER.search(left):
                sys.exit(f"{argv[1]}: {name} paragraph {number} still has a merge field: {left!r}")
        if len(a[name]) != len(b[name]):
            sys.exit(f"{name}: {len(a[name])} vs {len(b[name])} paragraphs")
    chars = sum(len(p) for ps in a.values() for p in ps)
    print(f"same text: {argv[1]} = {argv[2]} ({len(a)} parts, {chars} characters)")


if __name__ == "__main__":
    main(sys.argv)
