#!/usr/bin/python3
"""LibreOffice settings against the CPU of laying out a print-run chunk (issue 14, session 8): resident LibreOffices,
one per variant, each with its own profile, convert the same chunk document to PDF in turns (ABAB..., reversed every
other round, so a load from elsewhere hits every variant alike); the CPU seconds of each soffice.bin per conversion
are printed (median, mean, samples). Run with Debian's python3-uno:

    /usr/bin/python3 bench/pdf-lo-settings.py CHUNK.docx ROUNDS VARIANT...    e.g. ... chunk-75.docx 12 base off base+nooutline

CHUNK.docx: e.g. bench/work/pdf-engines/chunk-75.docx, which bench/pdf-engines writes (51 letters). Variants:
base (the print run's settings), off (a registrymodifications.xcu switching off online spelling, hyphenation,
word completion, autosave/recovery, thumbnails and lock files), +nooutline (no PDF outline: ExportBookmarks false),
+ro (loaded read-only). Each variant's first conversion warms it up and is not counted.
"""
import os, subprocess, sys, time, shutil, statistics, tempfile
import uno
from com.sun.star.beans import PropertyValue
from com.sun.star.connection import NoConnectException
OFF = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Linguistic/SpellChecking"><prop oor:name="IsSpellAuto" oor:op="fuse"><value>false</value></prop></item>
<item oor:path="/org.openoffice.Office.Linguistic/Hyphenation"><prop oor:name="IsHyphAuto" oor:op="fuse"><value>false</value></prop></item>
<item oor:path="/org.openoffice.Office.Writer/AutoFunction/Completion"><prop oor:name="Enable" oor:op="fuse"><value>false</value></prop></item>
<item oor:path="/org.openoffice.Office.Recovery/AutoSave"><prop oor:name="Enabled" oor:op="fuse"><value>false</value></prop></item>
<item oor:path="/org.openoffice.Office.Recovery/RecoveryInfo"><prop oor:name="Enabled" oor:op="fuse"><value>false</value></prop></item>
<item oor:path="/org.openoffice.Office.Common/Save/Document"><prop oor:name="GenerateThumbnail" oor:op="fuse"><value>false</value></prop></item>
<item oor:path="/org.openoffice.Office.Common/Misc"><prop oor:name="UseDocumentSystemFileLocking" oor:op="fuse"><value>false</value></prop></item>
<item oor:path="/org.openoffice.Office.Common/Misc"><prop oor:name="UseDocumentOOoLockFile" oor:op="fuse"><value>false</value></prop></item>
<item oor:path="/org.openoffice.Office.Common/Misc"><prop oor:name="UseLocking" oor:op="fuse"><value>false</value></prop></item>
</oor:items>
"""

def prop(n, v):
    p = PropertyValue(); p.Name, p.Value = n, v; return p
docx, rounds = sys.argv[1], int(sys.argv[2]); variants = sys.argv[3:]
tick = os.sysconf("SC_CLK_TCK")
class LO:
    def __init__(self, variant):
        self.variant = variant
        self.prof = tempfile.gettempdir() + "/pdf-lo-settings-%s-%d" % (variant, os.getpid())
        shutil.rmtree(self.prof, ignore_errors=True); os.makedirs(self.prof + "/user")
        if variant.split("+")[0] == "off":
            with open(self.prof + "/user/registrymodifications.xcu", "w") as f: f.write(OFF)
        pipe = "x%s%d" % (variant.replace("+", ""), os.getpid())
        self.office = subprocess.Popen(["soffice", "--headless", "--invisible", "--nocrashreport", "--nodefault", "--nologo", "--norestore",
            "-env:UserInstallation=file://" + self.prof, "--accept=pipe,name=%s;urp;StarOffice.ComponentContext" % pipe], stdin=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        local = uno.getComponentContext()
        r = local.ServiceManager.createInstanceWithContext("com.sun.star.bridge.UnoUrlResolver", local)
        while True:
            try: ctx = r.resolve("uno:pipe,name=%s;urp;StarOffice.ComponentContext" % pipe); break
            except NoConnectException: time.sleep(0.05)
        self.desktop = ctx.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", ctx)
        fd = [prop("ExportBookmarksToPDFDestination", True)]
        if "+nooutline" in variant: fd.append(prop("ExportBookmarks", False))
        self.export = (prop("FilterName", "writer_pdf_Export"), prop("FilterData", uno.Any("[]com.sun.star.beans.PropertyValue", tuple(fd))))
        self.load = [prop("Hidden", True)]
        if "+ro" in variant: self.load.append(prop("ReadOnly", True))
        self.pid = None
        self.samples = []
    def cpu(self):
        if self.pid is None:
            for p in os.listdir("/proc"):
                if p.isdigit():
                    try:
                        if open("/proc/%s/comm" % p).read().strip() == "soffice.bin" and self.prof.encode() in open("/proc/%s/cmdline" % p, "rb").read(): self.pid = p
                    except OSError: pass
        s = open("/proc/%s/stat" % self.pid).read(); f = s[s.rindex(")") + 2:].split()
        return (int(f[11]) + int(f[12])) / tick
    def conv(self, i, measure=True):
        a = self.cpu() if measure else 0
        d = self.desktop.loadComponentFromURL(uno.systemPathToFileUrl(docx), "_blank", 0, tuple(self.load))
        d.storeToURL(uno.systemPathToFileUrl(self.prof + "-%s-%d.pdf" % (self.variant, i)), self.export)
        d.close(True)
        if measure: self.samples.append(self.cpu() - a)
los = [LO(v) for v in variants]
for lo in los: lo.conv(0, measure=False)
for lo in los: lo.cpu()
for i in range(1, rounds + 1):
    for lo in (los if i % 2 else los[::-1]): lo.conv(i)
for lo in los:
    print("%s: median %.3f s, mean %.3f s, samples %s" % (lo.variant, statistics.median(lo.samples), statistics.mean(lo.samples), " ".join("%.2f" % x for x in lo.samples)), flush=True)
    try: lo.desktop.terminate()
    except Exception: pass
    lo.office.wait(); shutil.rmtree(lo.prof, ignore_errors=True)
    for name in os.listdir(tempfile.gettempdir()):
        if name.startswith(os.path.basename(lo.prof) + "-"): os.remove(os.path.join(tempfile.gettempdir(), name))
