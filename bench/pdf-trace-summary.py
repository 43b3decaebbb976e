#!/usr/bin/env python3
"""Summarises a `MAILMERGE_PDF_TRACE=1` timeline (issue 14): where the wall time of a print run goes and
how many core-seconds of the parallel part were left idle.

    bench/pdf-trace-summary.py STDERR_FILE START_EPOCH END_EPOCH JOBS

STDERR_FILE holds the run's standard error (lines `pdf-trace SECONDS WORKER begin|end STEP`);
START/END are the epoch seconds at which the process was started and had ended (bench/pdf-run).
"""
import collections, sys

path, start, end, jobs = sys.argv[1], float(sys.argv[2]), float(sys.argv[3]), int(sys.argv[4])
events = []
for line in open(path, encoding="utf-8", errors="replace"):
    fields = line.split(" ", 3)
    if len(fields) == 4 and fields[0] == "pdf-trace":
        events.append((float(fields[1]), fields[2], fields[3].rstrip("\n")))
if not events:
    print("trace: no pdf-trace lines (MAILMERGE_PDF_TRACE=1 not set?)")
    sys.exit(0)
open_spans, spans = {}, []
for t, worker, what in events:
    if what.startswith("begin "):
        open_spans[(worker, what[6:])] = t
    elif what.startswith("end "):
        key = (worker, what[4:])
        if key in open_spans:
            spans.append((open_spans.pop(key), t, worker, what[4:]))
workers = [s for s in spans if s[2] != "-" and not s[3].startswith(("stop", "start"))]
# The PDF phase begins when the chunks are planned (the LibreOffices may have been started earlier, during the merge).
planned = [t for t, worker, what in events if worker == "-" and what.startswith("chunks ")]
first_pdf, last_pdf = (planned[0] if planned else events[0][0]), events[-1][0]
started = [t for t, worker, what in events if what == "begin start LibreOffice"]
if started:
    print("trace: LibreOffice started %.1f s after the process, %.1f s before the chunks were planned" % (started[0] - start, first_pdf - started[0]))
# Each worker's first chunk: on the global queue the second worker waited for a thread (2-3 s, session 9).
firsts = {}
for t, worker, what in events:
    if worker != "-" and what.startswith("begin combine ") and worker not in firsts:
        firsts[worker] = t
if len(firsts) > 1:
    print("trace: the workers began their first chunk %.2f s apart (%s)"
          % (max(firsts.values()) - min(firsts.values()), ", ".join("worker %s +%.2f s" % (w, t - first_pdf) for w, t in sorted(firsts.items()))))
kinds = collections.defaultdict(float)
for s in spans:
    kinds[s[3].split(" ")[0] + (" (main thread)" if s[2] == "-" else "")] += s[1] - s[0]
busy = sum(s[1] - s[0] for s in workers) + sum(s[1] - s[0] for s in spans if s[2] == "-" and s[3].startswith(("join ", "write Word")))
pdf = last_pdf - first_pdf
idle = max(0.0, jobs * pdf - busy)
ends = collections.defaultdict(float)
for s in workers:
    ends[s[2]] = max(ends[s[2]], s[1])
print("trace: wall %.1f s = before the PDF (merge, letters) %.1f s + PDF (chunks, e-mail letters, joins) %.1f s + after (manifest, log) %.1f s"
      % (end - start, first_pdf - start, pdf, end - last_pdf))
print("trace: PDF phase: %.1f core-s busy of %.1f, %.1f idle; workers end %.1f s apart"
      % (busy, jobs * pdf, idle, (max(ends.values()) - min(ends.values())) if ends else 0))
print("trace: idle core-s over the whole run (the phases before and after are serial): %.1f" % (idle + (jobs - 1) * ((first_pdf - start) + (end - last_pdf))))
print("trace: step seconds " + ", ".join("%s %.1f" % (k, v) for k, v in sorted(kinds.items(), key=lambda kv: -kv[1])))
