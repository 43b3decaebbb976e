#!/usr/bin/env python3
"""How long a resident LibreOffice takes to end once its driver's input ends (issue 14, session 9), for the driver
of each git revision given: the driver is taken from that revision's Sources/MailMergeKit/ResidentLibreOffice.swift,
started with a fresh profile, made to convert DOCX (default Templates/DirectMail_EN.docx) once, then its input is
closed and the time until it has exited is measured; cpu is user + system of the driver and everything it reaped.

    bench/pdf-lo-end.py [--rounds N] [--docx DOCX] REVISION ...     e.g. bench/pdf-lo-end.py 052d281 HEAD

Each round runs every revision in turn (same load); the medians are printed per revision.
"""
import argparse, os, re, resource, shutil, statistics, subprocess, tempfile, time

repo = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
parser = argparse.ArgumentParser()
parser.add_argument("revisions", nargs="+")
parser.add_argument("--rounds", type=int, default=3)
parser.add_argument("--docx", default=os.path.join(repo, "Templates", "DirectMail_EN.docx"))
args = parser.parse_args()
scratch = tempfile.mkdtemp(prefix="pdf-lo-end-")
drivers = {}
for revision in args.revisions:
    swift = subprocess.run(["git", "-C", repo, "show", revision + ":Sources/MailMergeKit/ResidentLibreOffice.swift"],
                           check=True, capture_output=True, text=True).stdout
    body = re.search(r'static let driverSource = #"""\n(.*?)\n\s*"""#', swift, re.S).group(1)
    path = os.path.join(scratch, "driver-%s.py" % revision)
    with open(path, "w") as f:
        f.write("\n".join(line[8:] for line in body.split("\n")) + "\n")
    drivers[revision] = path
soffice = shutil.which("soffice") or "/usr/bin/soffice"
results = {revision: [] for revision in args.revisions}
for round in range(args.rounds):
    for revision, driver in drivers.items():
        profile = os.path.join(scratch, "profile-%s-%d" % (revision, round))
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        started = time.time()
        process = subprocess.Popen(["/usr/bin/python3", "-I", driver, soffice, "file://" + profile, "pdf-lo-end-%d-%d" % (os.getpid(), round)],
                                   stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
                                   env=dict(os.environ, TMPDIR=scratch))
        assert process.stdout.readline().strip() == "ready"
        ready = time.time()
        process.stdin.write("%s\t%s\n" % (args.docx, os.path.join(scratch, "out.pdf")))
        process.stdin.flush()
        answer = process.stdout.readline().strip()
        converted = time.time()
        process.stdin.close()
        process.wait()
        ended = time.time()
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
        results[revision].append((ready - started, converted - ready, ended - converted, cpu))
        print("round %d %s: ready %.2f s, convert %.2f s (%s), end %.2f s, cpu %.2f s, load %s"
              % (round + 1, revision, ready - started, converted - ready, answer, ended - converted, cpu, open("/proc/loadavg").read().split()[0]))
for revision, runs in results.items():
    print("%s: median end %.2f s, median cpu %.2f s (%d rounds)"
          % (revision, statistics.median(r[2] for r in runs), statistics.median(r[3] for r in runs), len(runs)))
shutil.rmtree(scratch, ignore_errors=True)
