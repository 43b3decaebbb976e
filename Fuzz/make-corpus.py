#!/usr/bin/env python3
"""Regenerates the fuzzers' seed corpus (Fuzz/Corpus) from real Word templates.

Usage: Fuzz/make-corpus.py [DOCX ...]
Without arguments it reads ../shared/fixtures/word/*.docx (Word-made, docx-mailmerge's test
suite) and Templates/*.docx. Writes
  Corpus/FieldInstruction/<sha1>  every field instruction (w:fldSimple/@w:instr and complex
                                  fields' w:instrText), a nested field written as byte 0x01
  Corpus/PartCompiler/<sha1>      every story part (document, headers, footers, foot/endnotes)
and leaves the hand-made seeds (Corpus/*/hand-*) as they are.
"""
import glob
import hashlib
import os
import re
import sys
import zipfile
import xml.etree.ElementTree as ET

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
NESTED_MARKER = "\x01"  # InstructionInput.nestedMarker in the field fuzzer
STORY_PART = re.compile(r"^word/(document|header\d*|footer\d*|footnotes|endnotes)\.xml$")
HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)


def instructions(part_xml):
    """Field instructions of one story part, nested fields replaced by NESTED_MARKER."""
    found = []
    stack = []  # open complex fields: [instruction text, still reading the instruction]
    for element in ET.fromstring(part_xml).iter():
        if element.tag == W + "fldSimple":
            found.append(element.get(W + "instr", ""))
        elif element.tag == W + "fldChar":
            kind = element.get(W + "fldCharType")
            if kind == "begin":
                if stack and stack[-1][1]:
                    stack[-1][0] += NESTED_MARKER
                stack.append(["", True])
            elif kind == "separate" and stack:
                stack[-1][1] = False
            elif kind == "end" and stack:
                found.append(stack.pop()[0])
        elif element.tag == W + "instrText" and stack and stack[-1][1]:
            stack[-1][0] += element.text or ""
    return found


def write_seed(folder, data):
    os.makedirs(folder, exist_ok=True)
    path = os.path.join(folder, hashlib.sha1(data).hexdigest())
    with open(path, "wb") as file:
        file.write(data)


def main(paths):
    for folder in ("FieldInstruction", "PartCompiler"):
        for old in glob.glob(os.path.join(HERE, "Corpus", folder, "[0-9a-f]" * 40)):
            os.remove(old)
    for path in paths:
        with zipfile.ZipFile(path) as docx:
            for name in docx.namelist():
                if not STORY_PART.match(name):
                    continue
                part = docx.read(name)
                write_seed(os.path.join(HERE, "Corpus", "PartCompiler"), part)
                for instruction in instructions(part):
                    write_seed(os.path.join(HERE, "Corpus", "FieldInstruction"), instruction.encode("utf-8"))


if __name__ == "__main__":
    defaults = sorted(glob.glob(os.path.join(ROOT, "..", "shared", "fixtures", "word", "*.docx")))
    defaults += sorted(glob.glob(os.path.join(ROOT, "Templates", "*.docx")))
    main(sys.argv[1:] or defaults)
